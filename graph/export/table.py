"""The flat node and edge records every export format writes, so that all formats carry the
same columns with the same types (no None, no mixed types).

Node columns: ``type``, ``aliases`` (joined with " | "), ``country``, ``degree``,
``pagerank``, ``first_seen``, ``last_seen``. Edge columns: ``relation_type``, ``role``,
``confidence``, ``evidence_count``, ``quote``, ``document``, ``weight`` (= strength),
``start``, ``end``, ``directed``. A missing value is an empty string (or 0 for numbers).
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

import networkx as nx

from graph.ontology import RelationType
from graph.strength import strength

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

NODE_COLUMNS = {"type": "string", "aliases": "string", "country": "string",
                "degree": "integer", "pagerank": "double", "first_seen": "string",
                "last_seen": "string"}
EDGE_COLUMNS = {"relation_type": "string", "role": "string", "confidence": "double",
                "evidence_count": "integer", "quote": "string", "document": "string",
                "start": "string", "end": "string"}


@cache
def palette() -> dict[str, str]:
    """Entity type -> hex colour (``graph/data/palette.toml``)."""
    text = resources.files("graph").joinpath("data/palette.toml").read_text("utf-8")
    return tomllib.loads(text)


@dataclass(frozen=True)
class NodeRow:
    id: str
    label: str
    values: dict


@dataclass(frozen=True)
class EdgeRow:
    id: str
    source: str
    target: str
    label: str
    weight: float
    directed: bool
    values: dict


def iso_date(value) -> str:
    """``value`` if it is an ISO date (YYYY-MM-DD, or the date part of a timestamp), else ""."""
    text = str(value or "")[:10]
    return text if ISO_DATE.match(text) else ""


def node_rows(g: nx.MultiDiGraph, published: dict[str, str] | None = None):
    """One NodeRow per entity, in node order. One pass over the relations gathers what the
    rows need (dates seen, country, the weights for PageRank)."""
    published = published or {}
    first: dict[str, str] = {}
    last: dict[str, str] = {}
    country: dict[str, str] = {}
    simple = nx.DiGraph()
    simple.add_nodes_from(g)
    for u, v, data in g.edges(data=True):
        early, late = relation_dates(data, published)
        for n in (u, v) if early else ():
            first[n] = min(first.get(n, early), early)
            last[n] = max(last.get(n, late), late)
        if data["type"] == "BASED_IN" and g.nodes[v].get("type") == "Place":
            country.setdefault(u, g.nodes[v].get("name", ""))
        w = max(strength(data["type"], data.get("evidence", ()), None, g.nodes[v].get("type")),
                1e-6)
        if not simple.has_edge(u, v) or simple.edges[u, v]["weight"] < w:
            simple.add_edge(u, v, weight=w)
    ranks = nx.pagerank(simple, weight="weight") if len(simple) else {}
    for n, data in g.nodes(data=True):
        yield NodeRow(n, data.get("name", n), {
            "type": data.get("type", ""), "aliases": " | ".join(data.get("aliases", [])),
            "country": country.get(n, str(data.get("country", ""))), "degree": int(g.degree(n)),
            "pagerank": round(float(ranks.get(n, 0.0)), 8),
            "first_seen": first.get(n, ""), "last_seen": last.get(n, "")})


def relation_dates(data: dict, published: dict[str, str]) -> tuple[str, str]:
    """The first and last date of a relation: its ``start``/``end`` attributes if it has any,
    else the publication dates of the documents that evidence it; ("", "") if none."""
    attrs = data.get("attributes", {})
    dates = [d for d in (iso_date(attrs.get("start")), iso_date(attrs.get("end"))) if d] \
        if attrs else []
    if not dates:
        dates = [d for e in data.get("evidence", ())
                 if (d := iso_date(published.get(e.document_id)))]
    return (min(dates), max(dates)) if dates else ("", "")


def edge_rows(g: nx.MultiDiGraph, titles: dict[str, str] | None = None):
    """One EdgeRow per relation (parallel relations kept), in edge order."""
    titles = titles or {}
    for u, v, key, data in g.edges(keys=True, data=True):
        rtype = RelationType(data["type"])
        evidence = list(data.get("evidence", ()))
        attrs = data.get("attributes", {})
        first = evidence[0] if evidence else None
        aim = g.nodes[v].get("type")
        yield EdgeRow(key, u, v, rtype.value, round(strength(rtype, evidence, None, aim), 6),
                      not rtype.symmetric, {
                          "relation_type": rtype.value, "role": str(attrs.get("role", "")),
                          "confidence": max((float(e.confidence) for e in evidence), default=0.0),
                          "evidence_count": len(evidence),
                          "quote": first.quote if first else "",
                          "document": titles.get(first.document_id, first.document_id)
                          if first else "",
                          "start": iso_date(attrs.get("start")),
                          "end": iso_date(attrs.get("end"))})
