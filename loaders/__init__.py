"""Documents in: each loader turns one kind of input into an ``graph.Extraction``.

Loaders never write to a store; the caller ingests what they return.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "note.txt"
>>> _ = p.write_text("Trade bodies including Acme Alliance urged support for AI.")
>>> ex = extract_path(p)
>>> [e.name for e in ex.entities]
['Acme Alliance', 'artificial intelligence']
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Iterable, Iterator

from graph.extraction import Extraction
from loaders.documents import read_document
from loaders.errors import LoaderError

TEXT_SUFFIXES = {".txt", ".md"}


def iter_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The files named, with directories expanded (sorted, supported suffixes only).

    A named file is yielded whatever its suffix, so that a bad one gets a clear error.
    """
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.suffix.lower() in TEXT_SUFFIXES
                              and f.is_file() and not f.name.startswith("."))
        else:
            yield p


def extract_path(path: str | Path, extractor=None) -> Extraction:
    """Read one document and extract it (with the rule-based text extractor unless another is
    given). Raises LoaderError for bad input."""
    doc = read_document(path)
    return (extractor or default_extractor()).extract(doc)


@cache
def default_extractor():
    """The rule-based text extractor, built once per process (its matchers take a moment)."""
    from loaders.text import TextExtractor
    return TextExtractor()


__all__ = ["LoaderError", "default_extractor", "extract_path", "iter_paths"]
