"""Documents in: read each, extract what it says, store it, one transaction a document.

>>> from graph.store import open_store
>>> store = open_store(":memory:")
>>> load(store, ["Acme Alliance lobbied Jo Bloggs MP."]).loaded
1
>>> load(store, ["Acme Alliance lobbied Jo Bloggs MP."]).unchanged
1
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from graph.model import Document
from graph.resolution import ingest
from graph.store import Store
from graph.store.base import IngestReport
from loaders import LoaderError, default_extractor, extract_path, iter_paths, read_mapping
from loaders.documents import html_document, text_document


@dataclass
class LoadReport:
    """What a batch load did: documents stored, already present, and failed (with why)."""

    loaded: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def _repr_html_(self) -> str:
        failed = "".join(f"<li>{m}</li>" for _, m in self.failed)
        return (f"{self.loaded} loaded, {self.unchanged} unchanged, {len(self.failed)} failed"
                + (f"<ul>{failed}</ul>" if failed else ""))


def is_text(item: str | Path) -> bool:
    """Whether a load item is the text of an article rather than a path: a string that names
    no file and holds a space or a line break."""
    return isinstance(item, str) and not Path(item).exists() and (" " in item or "\n" in item)


def load(store: Store, items: Iterable[str | Path],
         progress: Callable[[Path | str, str], None] | None = None,
         extractor=None, fmt: str | None = None,
         mapping: str | Path | None = None, follow_symlinks: bool = False) -> LoadReport:
    """Extract and store documents: file and folder paths, or texts (see ``is_text``).

    One transaction per document; a bad document is reported (``LoadReport.failed``) and the
    batch goes on; what was stored before it stays stored. ``progress(path, outcome)`` is
    called per document. ``extractor`` defaults to the learned text extractor, which reads each
    document on its own: what the graph already holds never changes what a document says, so
    the same documents give the same graph in any order; ``fmt`` forces a format for every
    file (see ``loaders.formats``), else each file's is detected; ``mapping`` names a YAML
    register mapping to read every file through (a bad mapping raises LoaderError before
    anything loads); folders are read without following symbolic links out of them unless
    ``follow_symlinks``.
    """
    report = LoadReport()
    if isinstance(items, (str, Path)):
        items = [items]
    paths, texts = [], []
    for item in items:
        (texts if is_text(item) else paths).append(item)
    rules = read_mapping(mapping) if mapping is not None else None
    jobs = [(p, lambda p=p: extract_path(p, extractor, fmt, rules))
            for p in iter_paths(paths, follow_symlinks)]
    jobs += [(f"<text {i + 1}>", lambda t=t: (extractor or default_extractor()).extract(
        Document.from_text(t, title=t.strip().splitlines()[0][:200], source="text")))
             for i, t in enumerate(texts)]
    for name, extract in jobs:
        try:
            extraction = extract()
        except LoaderError as exc:
            report.failed.append((str(name), str(exc)))
            outcome = "failed"
        except Exception as exc:  # a loader's bug must not end the batch: say which file
            report.failed.append((str(name), f"{name}: could not be read "
                                              f"({type(exc).__name__}: {str(exc)[:200]})"))
            outcome = "failed"
        else:
            created = ingest(store, extraction).created
            report.loaded += created
            report.unchanged += not created
            outcome = "loaded" if created else "unchanged"
        if progress is not None:
            progress(name, outcome)
    return report


def prepare() -> None:
    """Load what reading a document needs (the text extractor's model) ahead of the first."""
    default_extractor()


def ingest_text(store: Store, body: str, *, html: bool = False, source: str = "",
                title: str = "", published: str | None = None,
                may_write: Callable[[], bool] = lambda: True
                ) -> tuple[Document, IngestReport | None]:
    """Extract one document given as text (or HTML, with ``html``) and store what it says.

    Raises LoaderError when the document cannot be read. ``may_write()`` is asked once, after
    the reading and before the writing: when it says False nothing is stored and the report is
    None (a server whose time budget ran out while the document was read).
    """
    make = html_document if html else text_document
    document = make(body, source=source, title=title, published=published)
    extraction = default_extractor().extract(document)
    if not may_write():
        return document, None
    return document, ingest(store, extraction)
