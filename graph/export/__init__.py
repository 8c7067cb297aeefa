"""Exports for Gephi and the rest of the ecosystem: GEXF 1.3 (static or dynamic), GraphML,
the Gephi spreadsheet CSV pair, node-link JSON, a Cypher script and FollowTheMoney JSON lines,
of the whole graph or a selected part (``graph.export.subgraph.select``).

Examples
--------
>>> import io
>>> from graph.store import open_store
>>> buf = io.StringIO()
>>> export(open_store(":memory:").to_networkx(), "json", buf)
>>> '"nodes": []' in buf.getvalue()
True
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import IO, Callable

import networkx as nx

from graph.export.formats import write_csv, write_cypher, write_ftm, write_graphml, write_json
from graph.export.gexf import iter_gexf
from graph.export.subgraph import select
from graph.plugins import plugins

Writer = Callable[..., None]

BUILT_IN: dict[str, Writer] = {
    "gexf": lambda g, out, size_by="pagerank", dynamic=None, published=None, titles=None:
        out.writelines(iter_gexf(g, size_by=size_by, dynamic=dynamic, published=published,
                                 titles=titles)),
    "graphml": lambda g, out, published=None, titles=None, **_: write_graphml(
        g, out, published, titles),
    "csv": lambda g, out, published=None, titles=None, **_: write_csv(
        g, Path(out), published, titles),
    "json": lambda g, out, **_: write_json(g, out),
    "cypher": lambda g, out, **_: write_cypher(g, out),
    "ftm": lambda g, out, **_: write_ftm(g, out),
}
FORMATS = tuple(BUILT_IN)


@cache
def exporters() -> dict[str, Writer]:
    """Every export format by name: the built-in ones, then those installed packages register
    under the entry point group ``stakegraph.exporters`` (see ``graph.plugins``): a callable
    ``write(g, out, **options)`` taking the graph and a text stream (a binary one when the
    callable has ``binary = True``); ``options`` are size_by, dynamic, published, titles.
    Read on first use, so a plugin may import ``graph.export``."""
    return {**BUILT_IN, **plugins("stakegraph.exporters", builtin=BUILT_IN)}


def binary_formats() -> frozenset[str]:
    """The formats written to a binary stream: graphml and plugins with ``binary = True``."""
    return frozenset({"graphml"} | {name for name, w in exporters().items()
                                    if getattr(w, "binary", False)})


def export(g: nx.MultiDiGraph, fmt: str, out: IO | Path, size_by: str = "pagerank",
           dynamic: bool | None = None, published: dict[str, str] | None = None,
           titles: dict[str, str] | None = None) -> None:
    """Write ``g`` in format ``fmt`` to ``out``: a text stream (gexf, json, cypher, ftm), a
    binary stream (``binary_formats``) or a folder (csv)."""
    known = exporters()
    if fmt not in known:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(known)}")
    known[fmt](g, out, size_by=size_by, dynamic=dynamic, published=published,
                   titles=titles)


__all__ = ["FORMATS", "binary_formats", "exporters", "export", "iter_gexf", "select"]
