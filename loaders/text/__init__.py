"""Text extraction: news articles in plain text (and, later, HTML and Markdown)."""
from loaders.text.extractor import TextExtractor

__all__ = ["TextExtractor"]
