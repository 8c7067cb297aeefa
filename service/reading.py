"""Reading documents without storing them: what a file says (``extract``), how ``load`` would
read it (``explain``, ``plan``), and the choices a front door offers (``formats``,
``EXTRACTORS``, ``make_extractor``, ``read_mapping``).

Examples
--------
>>> from pathlib import Path
>>> [(p.name, kind) for p, kind, _ in plan([Path("examples/corpus/uk-us-tech-bridge.txt")])]
[('uk-us-tech-bridge.txt', 'text')]
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from graph.extraction import Extraction
from loaders import (
    EXTRACTORS,
    LoaderError,
    Mapping,
    detect,
    extract_path,
    formats,
    iter_paths,
    make_extractor,
    read_mapping,
)
from loaders import explain as explain_path


def extract(path: str | Path, extractor=None, mapping: str | Path | None = None) -> Extraction:
    """What the file at ``path`` says, read as ``load`` would read it (through the YAML
    register ``mapping`` if given); raises LoaderError naming the file."""
    return extract_path(path, extractor, mapping=read_mapping(mapping) if mapping else None)


def explain(paths: Iterable[str | Path], mapping: Mapping | None = None
            ) -> Iterator[tuple[Path, list[str] | LoaderError]]:
    """For each file under ``paths``: the lines saying which loader or mapping takes it and
    which column takes each role, or the error that loading it would raise."""
    for path in iter_paths(paths):
        try:
            yield path, explain_path(path, mapping)
        except LoaderError as exc:
            yield path, exc


def plan(paths: Iterable[str | Path], fmt: str | None = None, mapping: Mapping | None = None
         ) -> Iterator[tuple[Path, str, int | Exception]]:
    """For each file under ``paths``: the format ``load`` would read it in and its size in
    bytes, or the error it would meet."""
    for path in iter_paths(paths):
        try:
            kind = f"mapping:{mapping.name}" if mapping else fmt or detect(path)
            yield path, kind, path.stat().st_size
        except (LoaderError, OSError) as exc:
            yield path, "error", exc


__all__ = ["EXTRACTORS", "LoaderError", "Mapping", "explain", "extract", "formats",
           "iter_paths", "make_extractor", "plan", "read_mapping"]
