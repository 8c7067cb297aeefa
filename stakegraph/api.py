"""The notebook API: one object that loads documents into a graph and answers questions with
results that show themselves in Jupyter and convert to pandas, networkx and Gephi.

``sg.open(path)`` works on a local graph file; ``sg.connect(url)`` on a running stakegraph
server, through GraphQL, with the same questions and the same results.

Examples
--------
>>> import stakegraph as sg
>>> kg = sg.open(":memory:")
>>> kg.load(["In a letter to Business Secretary Jane Doe, trade bodies including Acme "
...          "Alliance urged support for stablecoins."]).loaded
1
>>> kg.paths("Acme Alliance", "Department for Business and Trade")
1. Acme Alliance -LOBBIES-> Jane Doe -ROLE_AT-> Department for Business and Trade  (strength 0.461)
>>> kg.entity("Jane Doe")
<Person 'Jane Doe': 3 relations>
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO, Callable, Iterable

import networkx as nx

from graph.resolution.merges import merge_entities, split_entity
from graph.store import Store, open_store
from graph.view import GraphView
from service import ingest, reading
from service.ask import ranking_rows
from service.export import export_to
from service.ingest import LoadReport
from stakegraph.results import Entities, EntityInfo, Neighbourhood, Paths, Ranking, add_relation


def cite(store: Store, evidence: list[dict]) -> None:
    """Make every piece of ``evidence`` (dicts with ``document_id``) cite its document:
    ``title``, ``source`` (the file or URL it was loaded from), ``url`` (when it is one) and
    ``published``, so a quote can be cited as it is read."""
    ids = sorted({e["document_id"] for e in evidence})
    docs = dict(zip(ids, store.documents_by_id(ids)))
    for e in evidence:
        d = docs.get(e["document_id"])
        e.update(title=d.title if d else None, source=d.source if d else None,
                 url=d.source if d and d.source.startswith(("http://", "https://")) else None,
                 published=d.published if d else None)


def _cited_evidence(e: dict) -> dict:
    """A piece of evidence as GraphQL gives it, in the shape ``cited`` gives locally."""
    doc = e.pop("document")
    return {**e, "document_id": doc["id"], "title": doc.get("title"),
            "source": doc.get("source"), "url": doc.get("url"),
            "published": doc.get("published")}


def _entity_record(e) -> dict:
    return {"id": e.id, "name": e.name, "type": e.type.value, "aliases": list(e.aliases)}


class KnowledgeGraph:
    """A stakeholder graph: documents in, questions answered with evidence."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.view = GraphView(store)

    def __repr__(self) -> str:
        s = self.store.stats()
        return (f"<stakegraph: {s['documents']} documents, {s['entities']} entities, "
                f"{s['relations']} relations>")

    def load(self, items: Iterable[str | Path],
             progress: Callable[[Path, str], None] | None = None,
             extractor=None, fmt: str | None = None,
             mapping: str | Path | None = None, follow_symlinks: bool = False) -> LoadReport:
        """Extract and store documents: file and folder paths, or texts (a string with a
        space or a line break that names no file is read as the text of an article).

        One transaction per document; a bad document is reported (``LoadReport.failed``) and
        the batch goes on; what was stored before it stays stored. ``progress(path, outcome)``
        is called per document. ``extractor`` defaults to the rule-based text extractor, which
        reads each document on its own: what the graph already holds never changes what a
        document says, so the same documents give the same graph in any order;
        ``fmt`` forces a format for every file (see ``loaders.formats``), else each file's is
        detected; ``mapping`` names a YAML register mapping to read every file through (see
        ``loaders.registers.mapping``; a bad mapping raises LoaderError before anything loads);
        folders are read without following symbolic links out of them unless
        ``follow_symlinks``. See ``service.ingest.load``.
        """
        return ingest.load(self.store, items, progress, extractor, fmt, mapping,
                           follow_symlinks)

    def entity(self, name: str) -> EntityInfo:
        """The entity with this id, name or alias, with its relations."""
        e = self.view.resolve(name)
        g = self.view.graph()
        rels = []
        for r in self.store.relations(e.id):
            rels.append({"relation_id": r.id, "type": r.type.value, "attributes": r.attributes,
                         "source": {"id": r.source, "name": g.nodes[r.source]["name"],
                                    "type": g.nodes[r.source]["type"]},
                         "target": {"id": r.target, "name": g.nodes[r.target]["name"],
                                    "type": g.nodes[r.target]["type"]},
                         "evidence": [dict(vars(ev)) for ev in r.evidence]})
        cite(self.store, [ev for r in rels for ev in r["evidence"]])
        return EntityInfo(_entity_record(e), rels)

    def search(self, text: str, types=None, limit: int = 20) -> Entities:
        """Entities whose name or an alias contains ``text``."""
        return Entities([_entity_record(e) for e in self.store.search(text, types, limit)])

    def paths(self, source: str, target: str, k: int = 3, max_hops: int = 4,
              mode: str = "influence", **filters) -> Paths:
        """The k strongest influence paths from ``source`` to ``target``; ``filters`` as in
        ``graph.paths.influence_paths`` (relation_types, entity_types, as_of, min_confidence,
        hub_penalty, weights)."""
        found = self.view.paths(source, target, k=k, max_hops=max_hops, mode=mode, **filters)
        nodes = self.view.node_data([n for p in found for n in p.nodes])
        paths = [p.to_dict(nodes) for p in found]
        cite(self.store, [e for p in paths for h in p["hops"] for e in h["evidence"]])
        return Paths(paths)

    def _ranking(self, ranked, what: str) -> Ranking:
        ranked = list(ranked)
        nodes = self.view.node_data([n for r in ranked for n in (r.entity, *r.path)])
        return Ranking(ranking_rows(nodes, ranked), what)

    def influencers(self, target: str, max_hops: int = 3, limit: int = 20,
                    **filters) -> Ranking:
        """Who can influence ``target``, ranked by the strength of their best path to it."""
        return self._ranking(self.view.influencers(target, max_hops=max_hops, limit=limit,
                                                   **filters), "strength")

    def rank(self, metric: str = "pagerank", types=None, personalize=None,
             limit: int = 20) -> Ranking:
        """Entities ranked by pagerank, personalized_pagerank, degree or betweenness."""
        return self._ranking(self.view.rank(metric, types=types, personalize=personalize,
                                            limit=limit), metric)

    def neighbourhood(self, entity: str, depth: int = 1) -> Neighbourhood:
        """The entity and everything within ``depth`` relations of it."""
        centre = self.view.resolve(entity).id
        return Neighbourhood(self.view.neighbourhood(centre, depth), centre)

    def merge(self, kept: str, merged: str, reason: str = "") -> dict:
        """Merge the entity ``merged`` into ``kept`` (each an id, name or alias): its names,
        mentions and relations with their evidence move to ``kept``. The merge is recorded
        with ``reason``; ``split`` undoes it. Both must be of the same type.

        >>> kg = open(":memory:")
        >>> _ = kg.load(["Acme Alliance lobbied Jo Bloggs MP.",
        ...              "The Acme Trade Alliance met Jo Bloggs MP."])
        >>> kg.merge("Acme Alliance", "Acme Trade Alliance", reason="one body")["merged"]
        'LobbyGroup:acme-trade-alliance'
        >>> kg.search("Acme")
        <1 entities: Acme Alliance>
        >>> kg.split("Acme Alliance")["undone"] is not None
        True
        """
        a, b = self.view.resolve(kept), self.view.resolve(merged)
        return merge_entities(self.store, a.id, b.id, reason).to_dict()

    def split(self, entity: str, merge_id: str | None = None) -> dict:
        """Undo the latest merge into ``entity`` (or the merge ``merge_id``): the merged entity
        comes back with its names, mentions and relations. Returns the merge, now undone."""
        return split_entity(self.store, self.view.resolve(entity).id, merge_id).to_dict()

    def merges(self, entity: str | None = None) -> list[dict]:
        """The merges recorded, oldest first: all, or those ``entity`` (an id) took part in."""
        return [m.to_dict() for m in self.store.merges(entity)]

    def export(self, out: str | Path | IO, fmt: str = "gexf", **filters) -> Path | IO:
        """Export the graph (or the part ``filters`` select, as in ``stakegraph export``) to
        ``out``: a path (a folder for ``csv``) or an open stream (binary for GraphML)."""
        target = Path(out) if isinstance(out, (str, Path)) else out
        export_to(self.view, fmt, target, **filters)
        return target

    def stats(self) -> dict[str, int]:
        return self.store.stats()

    def close(self) -> None:
        self.store.close()


_NODE = "id name type"
_EVIDENCE = "quote start end extractor confidence document { id title source published url }"
_RELATION = (f"id type attributes source {{ {_NODE} }} target {{ {_NODE} }} "
             f"evidence {{ {_EVIDENCE} }}")
_RANKED = "score hops entity { id name type } path { name }"


class RemoteGraph:
    """The same questions as KnowledgeGraph, asked of a running stakegraph server."""

    def __init__(self, url: str, api_key: str | None = None, timeout: float = 60.0) -> None:
        self.url, self.api_key, self.timeout = url, api_key, timeout

    def __repr__(self) -> str:
        s = self._query("{ stats { documents entities relations } }")["stats"]
        return (f"<stakegraph at {self.url}: {s['documents']} documents, {s['entities']} "
                f"entities, {s['relations']} relations>")

    def _query(self, query: str, variables: dict | None = None) -> dict:
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        headers = {"content-type": "application/json"}
        if self.api_key:
            headers["authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                reply = json.load(response)
        except urllib.error.URLError as exc:
            raise ConnectionError(f"{self.url}: {exc}") from None
        if reply.get("errors"):
            raise ValueError(reply["errors"][0]["message"])
        return reply["data"]

    @staticmethod
    def _relation(r: dict) -> dict:
        return {"relation_id": r["id"], "type": r["type"], "attributes": r["attributes"],
                "source": r["source"], "target": r["target"],
                "evidence": [_cited_evidence(e) for e in r["evidence"]]}

    def entity(self, name: str) -> EntityInfo:
        data = self._query(f"query($n: String!) {{ entity(name: $n) {{ {_NODE} aliases "
                           f"relations {{ {_RELATION} }} }} }}", {"n": name})["entity"]
        if data is None:
            raise LookupError(f"no entity named {name!r}")
        rels = [self._relation(r) for r in data.pop("relations")]
        return EntityInfo(data, rels)

    def search(self, text: str, types=None, limit: int = 20) -> Entities:
        data = self._query(f"query($t: String!, $ty: [EntityType!], $n: Int!) {{ search("
                           f"text: $t, types: $ty, first: $n) {{ {_NODE} aliases }} }}",
                           {"t": text, "ty": list(types) if types else None, "n": limit})
        return Entities(data["search"])

    def paths(self, source: str, target: str, k: int = 3, max_hops: int = 4,
              mode: str = "influence") -> Paths:
        data = self._query(
            "query($s: String!, $t: String!, $k: Int!, $h: Int!, $m: PathMode!) { "
            "influencePaths(source: $s, target: $t, k: $k, maxHops: $h, mode: $m) { "
            f"length strength chain explanation hops {{ relationId type reversed strength "
            f"attributes source {{ {_NODE} }} target {{ {_NODE} }} evidence {{ {_EVIDENCE} }} "
            "} } }", {"s": source, "t": target, "k": k, "h": max_hops, "m": mode.upper()})
        paths = []
        for p in data["influencePaths"]:
            hops = [{**self._relation({**h, "id": h.pop("relationId")}),
                     "reversed": h["reversed"], "strength": h["strength"]} for h in p["hops"]]
            paths.append({**p, "hops": hops})
        return Paths(paths)

    @staticmethod
    def _ranking(rows: list[dict], what: str) -> Ranking:
        return Ranking([{**r["entity"], "score": r["score"], "hops": r["hops"],
                         "path": [n["name"] for n in r["path"]]} for r in rows], what)

    def influencers(self, target: str, max_hops: int = 3, limit: int = 20) -> Ranking:
        data = self._query(f"query($t: String!, $h: Int!, $n: Int!) {{ influencers(target: $t,"
                           f" maxHops: $h, first: $n) {{ {_RANKED} }} }}",
                           {"t": target, "h": max_hops, "n": limit})
        return self._ranking(data["influencers"], "strength")

    def rank(self, metric: str = "pagerank", types=None, personalize=None,
             limit: int = 20) -> Ranking:
        data = self._query(f"query($m: Metric!, $ty: [EntityType!], $p: [String!], $n: Int!) "
                           f"{{ rank(metric: $m, types: $ty, personalize: $p, first: $n) "
                           f"{{ {_RANKED} }} }}",
                           {"m": metric.upper(), "ty": list(types) if types else None,
                            "p": list(personalize) if personalize else None, "n": limit})
        return self._ranking(data["rank"], metric)

    def neighbourhood(self, entity: str, depth: int = 1) -> Neighbourhood:
        data = self._query(f"query($e: String!, $d: Int!) {{ entity(name: $e) {{ id }} "
                           f"neighbourhood(entity: $e, depth: $d) {{ entities {{ {_NODE} "
                           f"aliases }} relations {{ {_RELATION} }} }} }}",
                           {"e": entity, "d": depth})
        g = nx.MultiDiGraph()
        for e in data["neighbourhood"]["entities"]:
            g.add_node(e["id"], name=e["name"], type=e["type"], aliases=e["aliases"])
        for r in map(self._relation, data["neighbourhood"]["relations"]):
            add_relation(g, r["source"]["id"], r["target"]["id"], r)
        return Neighbourhood(g, data["entity"]["id"])

    def load(self, items: Iterable[str | Path]) -> LoadReport:
        """Send articles to the server's ``ingestDocument`` mutation: text, Markdown and HTML
        files (folders walked), or texts. Registers are loaded where the graph lives (the
        server does not read files). A refused document is reported and the batch goes on."""
        report = LoadReport()
        if isinstance(items, (str, Path)):
            items = [items]
        texts = [i for i in items if ingest.is_text(i)]
        paths = [i for i in items if i not in texts]
        jobs = [(f"<text {n + 1}>", {"text": t}) for n, t in enumerate(texts)]
        for path in reading.iter_paths(paths):
            try:
                body = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                report.failed.append((str(path), f"{path}: {exc}"))
                continue
            html = path.suffix.lower() in (".html", ".htm")
            jobs.append((str(path), {"html" if html else "text": body, "url": str(path)}))
        for name, document in jobs:
            try:
                out = self._query(_INGEST, {"input": document})["ingestDocument"]
            except ValueError as exc:
                report.failed.append((name, f"{name}: {exc}"))
                continue
            if out["__typename"] == "InvalidInput":
                report.failed.append((name, f"{name}: {out['message']}"))
            else:
                report.loaded += out["created"]
                report.unchanged += not out["created"]
        return report


_INGEST = """mutation($input: DocumentInput!) { ingestDocument(input: $input) {
  __typename ... on IngestResult { created } ... on InvalidInput { message } } }"""


def open(location: str = "stakegraph.db",  # noqa: A001 - like sg.open(...)
         database: str | None = None) -> KnowledgeGraph:
    """Open (or create) the graph at ``location``: a SQLite file path, ``:memory:``, or a
    Neo4j server's Bolt URL (``bolt://host:7687``, with ``database`` naming the database and
    credentials from ``NEO4J_USERNAME``/``NEO4J_PASSWORD``)."""
    return KnowledgeGraph(open_store(location, database))


def connect(url: str, api_key: str | None = None) -> RemoteGraph:
    """A running stakegraph server's graph, e.g. ``sg.connect("http://127.0.0.1:8000/graphql")``."""
    return RemoteGraph(url, api_key)
