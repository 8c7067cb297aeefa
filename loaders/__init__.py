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
from typing import Callable, Iterable, Iterator

from graph.extraction import Extraction
from graph.model import Document
from loaders.documents import read_document, read_html_document
from loaders.errors import LoaderError

READERS: dict[str, Callable[[Path], Document]] = {
    ".txt": read_document,
    ".md": read_document,
    ".html": read_html_document,
    ".htm": read_html_document,
}


def iter_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The files named, with directories expanded (sorted, supported suffixes only).

    A named file is yielded whatever its suffix, so that a bad one gets a clear error.
    """
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.is_file()
                              and f.suffix.lower() in READERS.keys() | STRUCTURED.keys()
                              and not f.name.startswith("."))
        else:
            yield p


def read_path(path: str | Path) -> Document:
    """The Document in one file, read by its suffix (plain text for unknown suffixes)."""
    return READERS.get(Path(path).suffix.lower(), read_document)(Path(path))


def load_csv(path: Path) -> Extraction:
    """A register in CSV, by the layout its header shows."""
    from loaders.registers import eu_meetings, uk_meetings
    from loaders.registers.records import csv_records, decode

    text, _ = decode(path)
    header = next((cells for _, cells, _, _ in csv_records(text, str(path))), [])
    for layout in (uk_meetings, eu_meetings):
        if layout.sniff(header):
            return layout.load(path)
    shown = ", ".join(header[:6]) or "none"
    raise LoaderError(str(path), f"unrecognised CSV layout (header: {shown})", line=1)


def load_filings(path: Path) -> Extraction:
    """Lobbying filings in JSON or XML (the US Senate LDA API and bulk formats)."""
    from loaders.registers import lda
    from loaders.registers.records import decode

    text, _ = decode(path)
    if lda.sniff_json(text) or lda.sniff_xml(text):
        return lda.load(path)
    raise LoaderError(str(path), f"unrecognised {path.suffix.lstrip('.').upper()} content "
                                 "(expected US Senate LDA filings)")


def load_jsonl(path: Path) -> Extraction:
    """JSON lines: FollowTheMoney entities."""
    from loaders.registers import ftm
    from loaders.registers.records import decode

    text, _ = decode(path)
    first = next((line for line in text.splitlines() if line.strip()), "")
    if ftm.sniff(first):
        return ftm.load(path)
    raise LoaderError(str(path), "unrecognised JSON lines (expected FollowTheMoney entities)",
                      line=1)


STRUCTURED: dict[str, Callable[[Path], Extraction]] = {
    ".csv": load_csv, ".json": load_filings, ".xml": load_filings, ".ijson": load_jsonl,
    ".jsonl": load_jsonl, ".ftm": load_jsonl}


def extract_path(path: str | Path, extractor=None) -> Extraction:
    """Read one document and extract it: a register by its structured loader, text with the
    rule-based text extractor unless another is given. Raises LoaderError for bad input."""
    p = Path(path)
    if p.suffix.lower() in STRUCTURED:
        return STRUCTURED[p.suffix.lower()](p)
    return (extractor or default_extractor()).extract(read_path(p))


EXTRACTORS = ("rules", "llm")


def make_extractor(kind: str = "rules", spacy_model: str | None = None):
    """An extractor by name: ``"rules"`` (the default, optionally with a spaCy model's entity
    recogniser) or ``"llm"`` (an OpenAI-compatible endpoint; see ``loaders.llm``)."""
    if kind == "llm":
        from loaders.llm import LLMExtractor
        return LLMExtractor()
    if kind != "rules":
        raise ValueError(f"unknown extractor {kind!r}; choose one of {', '.join(EXTRACTORS)}")
    if spacy_model:
        from loaders.text import TextExtractor
        return TextExtractor(spacy_model=spacy_model)
    return default_extractor()


@cache
def default_extractor():
    """The rule-based text extractor, built once per process (its matchers take a moment)."""
    from loaders.text import TextExtractor
    return TextExtractor()


__all__ = ["EXTRACTORS", "READERS", "LoaderError", "default_extractor", "extract_path",
           "iter_paths", "make_extractor", "read_path"]
