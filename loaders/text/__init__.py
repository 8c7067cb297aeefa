"""Text extraction: news articles in plain text (and, later, HTML and Markdown).

``TextExtractor`` is imported when first asked for, so that what reads no text (the CLI's
start, the register loaders, which share the lexicons) never pays for spaCy."""


def __getattr__(name: str):
    if name == "TextExtractor":
        from loaders.text.extractor import TextExtractor
        return TextExtractor
    raise AttributeError(name)


__all__ = ["TextExtractor"]
