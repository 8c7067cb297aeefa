"""What the notebook API returns: small objects that show themselves as readable tables in
Jupyter (``_repr_html_``) and convert to pandas, networkx, GEXF and an interactive drawing.

Every result holds plain records (dicts), the same whether it came from a local graph or from
a server through GraphQL, so both behave alike.

Examples
--------
>>> paths = Paths([{"chain": "A -LOBBIES-> B", "strength": 0.64, "length": 1,
...                 "explanation": "A lobbies B.",
...                 "hops": [{"source": {"id": "a", "name": "A", "type": "LobbyGroup"},
...                           "target": {"id": "b", "name": "B", "type": "Person"},
...                           "relation_id": "r1", "type": "LOBBIES", "strength": 0.64,
...                           "reversed": False, "attributes": {},
...                           "evidence": [{"quote": "A wrote to B.", "document_id": "d",
...                                         "start": 0, "end": 13, "extractor": "rules",
...                                         "confidence": 0.8}]}]}])
>>> list(paths.to_pandas().columns)  # doctest: +NORMALIZE_WHITESPACE
['path', 'hop', 'source', 'relation', 'target', 'strength', 'path_strength', 'quote',
 'start', 'end', 'title', 'source_document', 'published', 'document']
>>> paths.to_networkx().number_of_edges()
1
"""
from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import networkx as nx

from graph.export import export
from graph.export.table import palette
from graph.model import Evidence


def _pandas():
    try:
        import pandas
    except ImportError:  # pragma: no cover - depends on the extras installed
        raise ImportError("to_pandas() needs pandas: pip install 'stakegraph[notebook]'") \
            from None
    return pandas


def _table(columns: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th style='text-align:left'>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td style='text-align:left'>{html.escape(str(v))}</td>"
                                    for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


class Result:
    """The common conversions: networkx, GEXF, and an inline drawing."""

    def to_networkx(self) -> nx.MultiDiGraph:  # pragma: no cover - each result defines it
        raise NotImplementedError

    def to_gexf(self, path: str | Path) -> Path:
        """Write the result's graph as GEXF 1.3 for Gephi; returns the path."""
        path = Path(path)
        with open(path, "w", encoding="utf-8") as f:
            export(self.to_networkx(), "gexf", f)
        return path

    def show(self, **kwargs):
        """Draw the result's graph inline with ipysigma (the ``notebook`` extra), coloured
        by entity type in the export palette."""
        try:
            from ipysigma import Sigma
        except ImportError:
            raise ImportError("show() needs ipysigma: pip install 'stakegraph[notebook]'") \
                from None
        g = nx.MultiDiGraph()
        for n, d in self.to_networkx().nodes(data=True):
            g.add_node(n, label=d.get("name", n), type=d.get("type", ""))
        for u, v, d in self.to_networkx().edges(data=True):
            g.add_edge(u, v, type=d.get("type", ""))
        return Sigma(g, node_color="type", node_color_palette=palette(), node_label="label",
                     edge_label="type", **kwargs)


def _add_node(g: nx.MultiDiGraph, node: dict) -> None:
    g.add_node(node["id"], name=node.get("name", node["id"]), type=node.get("type", ""),
               aliases=node.get("aliases", []))


class Rows(Result):
    """A result that is a list of records: ``len(r)``, ``r[i]`` and iteration work on it."""

    rows: list[dict]

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i: int) -> dict:
        return self.rows[i]


def add_relation(g: nx.MultiDiGraph, source: str, target: str, rel: dict) -> None:
    evidence = [Evidence(e.get("document_id", ""), e["quote"], e["start"], e["end"],
                         e.get("extractor", ""), e.get("confidence", 1.0))
                for e in rel.get("evidence", [])]
    g.add_edge(source, target, key=rel["relation_id"], type=rel["type"],
               attributes=rel.get("attributes") or {}, evidence=evidence)


class EntityInfo(Result):
    """One entity with its relations."""

    def __init__(self, entity: dict, relations: list[dict]) -> None:
        self.entity, self.relations = entity, relations

    def __repr__(self) -> str:
        return f"<{self.entity['type']} {self.entity['name']!r}: {len(self.relations)} relations>"

    def _repr_html_(self) -> str:
        e = self.entity
        rows = [[r["source"]["name"], r["type"], r["target"]["name"],
                 r["evidence"][0]["quote"] if r["evidence"] else ""] for r in self.relations]
        aliases = ", ".join(e.get("aliases", [])) or "none"
        return (f"<b>{html.escape(e['name'])}</b> ({html.escape(e['type'])}, "
                f"<code>{html.escape(e['id'])}</code>; aliases: {html.escape(aliases)})"
                + _table(["source", "relation", "target", "quote"], rows))

    COLUMNS = ["source", "relation", "target", "role", "start", "purpose", "evidence", "quote",
               "title", "source_document", "published"]

    def rows(self) -> list[dict]:
        """One plain row per relation, with its first quote and the document it cites."""
        out = []
        for r in self.relations:
            a = r.get("attributes") or {}
            first = r["evidence"][0] if r["evidence"] else {}
            out.append({"source": r["source"]["name"], "relation": r["type"],
                        "target": r["target"]["name"], "role": a.get("role"),
                        "start": a.get("start"), "purpose": a.get("purpose"),
                        "evidence": len(r["evidence"]), "quote": first.get("quote"),
                        "title": first.get("title"),
                        "source_document": first.get("url") or first.get("source"),
                        "published": first.get("published")})
        return out

    def to_pandas(self):
        """One row per relation (``COLUMNS``): source, relation, target, role, start (a
        datetime), a meeting's purpose, the number of pieces of evidence, the first quote and
        the document it cites (its publication date a datetime)."""
        pd = _pandas()
        frame = pd.DataFrame(self.rows(), columns=self.COLUMNS)
        for column in ("start", "published"):
            frame[column] = pd.to_datetime(frame[column], errors="coerce")
        return frame

    def to_networkx(self) -> nx.MultiDiGraph:
        g = nx.MultiDiGraph()
        _add_node(g, self.entity)
        for r in self.relations:
            _add_node(g, r["source"])
            _add_node(g, r["target"])
            add_relation(g, r["source"]["id"], r["target"]["id"], r)
        return g


class Entities(Rows):
    """A list of entities (search results)."""

    def __init__(self, entities: list[dict]) -> None:
        self.rows = self.entities = entities

    def __repr__(self) -> str:
        return f"<{len(self.entities)} entities: " + ", ".join(
            e["name"] for e in self.entities[:5]) + (" ...>" if len(self.entities) > 5 else ">")

    def _repr_html_(self) -> str:
        return _table(["name", "type", "aliases", "id"],
                      [[e["name"], e["type"], ", ".join(e.get("aliases", [])), e["id"]]
                       for e in self.entities])

    def to_pandas(self):
        return _pandas().DataFrame(
            [{"id": e["id"], "name": e["name"], "type": e["type"],
              "aliases": ", ".join(e.get("aliases", []))} for e in self.entities],
            columns=["id", "name", "type", "aliases"])

    def to_networkx(self) -> nx.MultiDiGraph:
        g = nx.MultiDiGraph()
        for e in self.entities:
            _add_node(g, e)
        return g


def _citation(evidence: dict) -> str:
    """Where a quote comes from, for a reader: title, date and link or file.

    >>> _citation({"title": "Tech Bridge", "published": "2025-09-18",
    ...            "url": "https://example.org/a", "source": "https://example.org/a"})
    'Tech Bridge, 2025-09-18, https://example.org/a'
    """
    parts = [evidence.get("title"), evidence.get("published"),
             evidence.get("url") or evidence.get("source")]
    return html.escape(", ".join(str(p) for p in parts if p))


class Paths(Rows):
    """Influence paths, strongest first, each hop with its evidence."""

    def __init__(self, paths: list[dict]) -> None:
        self.rows = self.paths = paths

    def __repr__(self) -> str:
        return "\n".join(f"{i}. {p['chain']}  (strength {p['strength']:.3f})"
                         for i, p in enumerate(self.paths, 1)) or "<no paths>"

    def _repr_html_(self) -> str:
        if not self.paths:
            return "<i>No path.</i>"
        out = []
        for i, p in enumerate(self.paths, 1):
            hops = "".join(
                f"<li><b>{html.escape(h['source']['name'])}</b> "
                f"{'&larr;' if h['reversed'] else ''}<code>{h['type']}</code>"
                f"{'' if h['reversed'] else '&rarr;'} <b>{html.escape(h['target']['name'])}</b>"
                f" <small>(strength {h['strength']:.2f})</small>"
                + "".join(f"<br><q>{html.escape(e['quote'])}</q> <small>{_citation(e)}"
                          f"</small>" for e in h["evidence"][:2])
                + "</li>" for h in p["hops"])
            out.append(f"<p><b>{i}. {html.escape(p['explanation'])}</b> "
                       f"<small>strength {p['strength']:.3f}</small></p><ol>{hops}</ol>")
        return "".join(out)

    def to_pandas(self):
        """One row per hop: path number, hop number, source, relation, target, strengths,
        the first quote, where it is (offsets as integers) and the document it cites (title,
        source or URL, publication date as a datetime)."""
        pd = _pandas()
        rows = []
        for i, p in enumerate(self.paths, 1):
            for j, h in enumerate(p["hops"], 1):
                first = h["evidence"][0] if h["evidence"] else {}
                rows.append({"path": i, "hop": j, "source": h["source"]["name"],
                             "relation": h["type"], "target": h["target"]["name"],
                             "strength": h["strength"], "path_strength": p["strength"],
                             "quote": first.get("quote"), "start": first.get("start"),
                             "end": first.get("end"), "title": first.get("title"),
                             "source_document": first.get("url") or first.get("source"),
                             "published": first.get("published"),
                             "document": first.get("document_id")})
        frame = pd.DataFrame(rows, columns=["path", "hop", "source", "relation", "target",
                                            "strength", "path_strength", "quote", "start",
                                            "end", "title", "source_document", "published",
                                            "document"])
        frame["start"] = frame["start"].astype("Int64")
        frame["end"] = frame["end"].astype("Int64")
        frame["published"] = pd.to_datetime(frame["published"], errors="coerce")
        return frame

    def to_networkx(self) -> nx.MultiDiGraph:
        g = nx.MultiDiGraph()
        for p in self.paths:
            for h in p["hops"]:
                _add_node(g, h["source"])
                _add_node(g, h["target"])
                a, b = (h["target"], h["source"]) if h["reversed"] else (h["source"], h["target"])
                if not g.has_edge(a["id"], b["id"], key=h["relation_id"]):
                    add_relation(g, a["id"], b["id"], h)
        return g


class Ranking(Rows):
    """Entities with scores (influencers, centralities), best first."""

    def __init__(self, rows: list[dict], what: str = "score") -> None:
        self.rows, self.what = rows, what

    def __repr__(self) -> str:
        return "\n".join(f"{i:3}. {r['score']:.4f}  {r['name']} ({r['type']})"
                         for i, r in enumerate(self.rows, 1)) or "<empty>"

    def _repr_html_(self) -> str:
        return _table(["#", "name", "type", self.what, "hops", "via"],
                      [[i, r["name"], r["type"], f"{r['score']:.4f}", r["hops"],
                        " → ".join(r.get("path", []))] for i, r in enumerate(self.rows, 1)])

    def to_pandas(self):
        return _pandas().DataFrame(
            [{"rank": i, "id": r["id"], "name": r["name"], "type": r["type"],
              self.what: r["score"], "hops": r["hops"], "via": " -> ".join(r.get("path", []))}
             for i, r in enumerate(self.rows, 1)],
            columns=["rank", "id", "name", "type", self.what, "hops", "via"])

    def to_networkx(self) -> nx.MultiDiGraph:
        g = nx.MultiDiGraph()
        for r in self.rows:
            _add_node(g, {"id": r["id"], "name": r["name"], "type": r["type"]})
        return g


class Neighbourhood(Result):
    """An entity and what surrounds it: a subgraph."""

    def __init__(self, graph: nx.MultiDiGraph, centre: str) -> None:
        self.graph, self.centre = graph, centre

    def __repr__(self) -> str:
        return (f"<neighbourhood of {self.graph.nodes[self.centre].get('name')}: "
                f"{self.graph.number_of_nodes()} entities, "
                f"{self.graph.number_of_edges()} relations>")

    def _repr_html_(self) -> str:
        name = self.graph.nodes[self.centre].get("name", self.centre)
        return (f"<b>Around {html.escape(name)}</b>: {self.graph.number_of_nodes()} entities, "
                f"{self.graph.number_of_edges()} relations"
                + _table(["source", "relation", "target"],
                         [[self.graph.nodes[u]["name"], d["type"], self.graph.nodes[v]["name"]]
                          for u, v, d in self.graph.edges(data=True)]))

    def to_pandas(self):
        """The relations as a table: source, relation, target, evidence count, first quote."""
        g = self.graph
        return _pandas().DataFrame(
            [{"source": g.nodes[u]["name"], "relation": d["type"], "target": g.nodes[v]["name"],
              "evidence": len(d.get("evidence", ())),
              "quote": d["evidence"][0].quote if d.get("evidence") else None}
             for u, v, d in g.edges(data=True)],
            columns=["source", "relation", "target", "evidence", "quote"])

    def to_networkx(self) -> nx.MultiDiGraph:
        return self.graph
