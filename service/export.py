"""Exporting the graph, or a part of it, to a file or a stream."""
from __future__ import annotations

from pathlib import Path
from typing import IO

from graph.export import binary_formats
from graph.view import GraphView


def export_to(view: GraphView, fmt: str, out: Path | IO, **options) -> None:
    """Write the graph (or the part ``options`` select, as ``GraphView.export`` takes them) in
    ``fmt`` to ``out``: a path (a folder for ``csv``, a file otherwise) or an open stream,
    binary for ``graph.export.binary_formats()`` and text otherwise."""
    if fmt == "csv" or not isinstance(out, Path):
        view.export(fmt, out, **options)
        return
    binary = fmt in binary_formats()
    with out.open("wb" if binary else "w", **({} if binary else {"encoding": "utf-8"})) as f:
        view.export(fmt, f, **options)
