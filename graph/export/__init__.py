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

from pathlib import Path
from typing import IO

import networkx as nx

from graph.export.formats import write_csv, write_cypher, write_ftm, write_graphml, write_json
from graph.export.gexf import iter_gexf
from graph.export.subgraph import select

FORMATS = ("gexf", "graphml", "csv", "json", "cypher", "ftm")


def export(g: nx.MultiDiGraph, fmt: str, out: IO | Path, size_by: str = "pagerank",
           dynamic: bool | None = None, published: dict[str, str] | None = None,
           titles: dict[str, str] | None = None) -> None:
    """Write ``g`` in format ``fmt`` to ``out``: a text stream (gexf, json, cypher, ftm), a
    binary stream (graphml) or a folder (csv)."""
    if fmt == "gexf":
        out.writelines(iter_gexf(g, size_by=size_by, dynamic=dynamic, published=published,
                                 titles=titles))
    elif fmt == "graphml":
        write_graphml(g, out, published, titles)
    elif fmt == "csv":
        write_csv(g, Path(out), published, titles)
    elif fmt == "json":
        write_json(g, out)
    elif fmt == "cypher":
        write_cypher(g, out)
    elif fmt == "ftm":
        write_ftm(g, out)
    else:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


__all__ = ["FORMATS", "export", "iter_gexf", "select"]
