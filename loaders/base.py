"""The interface every extractor implements: a Document in, an Extraction out."""
from __future__ import annotations

from typing import Protocol

from graph.extraction import Extraction
from graph.model import Document


class Extractor(Protocol):
    """Finds entities and relations in one document. ``name`` prefixes evidence extractor ids."""

    name: str

    def extract(self, document: Document) -> Extraction:
        """Everything found in ``document``; every evidence quote is ``text[start:end]``."""
