"""The analytics view of a store: its networkx graph, rebuilt only when the store changes,
and the questions asked of it by entity name or id.

Examples
--------
>>> from graph.store import open_store
>>> view = GraphView(open_store(":memory:"))
>>> view.graph().number_of_nodes()
0
>>> view.resolve("nobody")
Traceback (most recent call last):
...
graph.view.EntityNotFound: no entity named 'nobody'
"""
from __future__ import annotations

import gc
import threading

import networkx as nx
from rapidfuzz import fuzz, process

from graph import analytics
from graph.analytics import Ranked, Shared
from graph.export import export, select
from graph.index import PathIndex
from graph.model import Entity
from graph.names import name_key
from graph.paths import InfluencePath, influence_paths
from graph.store.base import Store


class EntityNotFound(LookupError):
    """No entity has that id, name or alias. ``suggestions`` lists near names."""

    def __init__(self, name: str, suggestions: list[str] | None = None) -> None:
        self.name, self.suggestions = name, suggestions or []
        hint = f"; did you mean {', '.join(map(repr, self.suggestions))}?" if suggestions else ""
        super().__init__(f"no entity named {name!r}{hint}")

    def __str__(self) -> str:
        return self.args[0]


def _settle() -> None:
    """Move everything alive now (the graph just built: millions of objects on a large store)
    out of the garbage collector's sight. Otherwise each full collection walks them all and
    stalls every request: on a 100k-entity graph, influence paths over GraphQL had a p99 of
    1.5 s, and 162 ms with this. What was set aside before (the graph this one replaces) is
    handed back first, so that it is collected."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class GraphView:
    """Analytics over a store, with the networkx graph cached by store revision."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._graph: nx.MultiDiGraph | None = None
        self._revision: int | None = None
        self._index: PathIndex | None = None
        self._pagerank: tuple[nx.MultiDiGraph, dict[str, float]] | None = None

    def graph(self) -> nx.MultiDiGraph:
        """The store's graph as networkx; rebuilt when the store has changed."""
        with self._lock:
            revision = self.store.revision()
            if self._graph is None or revision != self._revision:
                self._graph, self._revision = self.store.to_networkx(), revision
                self._index = None
                _settle()
            return self._graph

    def index(self) -> PathIndex:
        """The analytic index of the current graph (``graph.index.PathIndex``), built once per
        store revision; influence paths run on it."""
        g = self.graph()
        with self._lock:
            if self._index is None or self._index.g is not g:
                self._index = PathIndex(g)
                _settle()
            return self._index

    def resolve(self, name: str) -> Entity:
        """The entity with this id, name or alias; EntityNotFound (with suggestions) if none."""
        entity = self.store.find_entity(name)
        if entity is None:
            raise EntityNotFound(name, self.suggest(name))
        return entity

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Names of entities that are spelt like ``name`` (rapidfuzz WRatio >= 80)."""
        pairs = self.store.names()
        hits = process.extract(name_key(name), [name_key(a) for _, a in pairs],
                               scorer=fuzz.WRatio, score_cutoff=80, limit=limit * 4)
        out: list[str] = []
        for _, _, i in hits:
            entity = self.store.entity(pairs[i][0])
            if entity is not None and entity.name not in out:
                out.append(entity.name)
        return out[:limit]

    def subgraph(self, entity_types=None, relation_types=None, since: str | None = None,
                 until: str | None = None, min_confidence: float | None = None,
                 ego: str | None = None, depth: int = 1, paths: tuple[str, str] | None = None,
                 k: int = 3) -> nx.MultiDiGraph:
        """The part of the graph that passes the filters of ``graph.export.select``, with
        ``ego`` and ``paths`` named by id, name or alias; the whole graph if none is given."""
        if not (entity_types or relation_types or since or until or ego or paths
                or min_confidence is not None):
            return self.graph()
        return select(self.graph(), entity_types=entity_types, relation_types=relation_types,
                      since=since, until=until, min_confidence=min_confidence,
                      ego=self.resolve(ego).id if ego else None, depth=depth,
                      paths=tuple(self.resolve(n).id for n in paths) if paths else None, k=k,
                      published=self.document_meta()[0])

    def document_meta(self) -> tuple[dict[str, str], dict[str, str]]:
        """Publication dates and titles of the documents, by id (for exports)."""
        docs = self.store.documents(with_text=False)
        return ({d.id: d.published for d in docs if d.published},
                {d.id: d.title or d.source or d.id for d in docs})

    def export(self, fmt: str, out, size_by: str = "pagerank", dynamic: bool | None = None,
               **filters) -> None:
        """Export the graph, or the part the filters select, in format ``fmt`` to ``out``."""
        published, titles = self.document_meta()
        export(self.subgraph(**filters), fmt, out, size_by=size_by, dynamic=dynamic,
               published=published, titles=titles)

    def paths(self, source: str, target: str, k: int = 3, max_hops: int = 4,
              mode: str = "influence", **filters) -> list[InfluencePath]:
        """Influence paths between two entities named by id, name or alias; ``filters`` are
        those of ``graph.paths.influence_paths`` (relation_types, entity_types, as_of,
        min_confidence, hub_penalty, weights). They run on the analytic index, except those
        asking about single pieces of evidence (``as_of``, ``min_confidence``), which run on
        networkx."""
        s, t = self.resolve(source), self.resolve(target)
        if filters.get("as_of") or filters.get("min_confidence") is not None:
            return influence_paths(self.graph(), s.id, t.id, k=k, max_hops=max_hops, mode=mode,
                                   published=self._published(filters), **filters)
        filters = {key: value for key, value in filters.items() if value is not None}
        return self.index().paths(s.id, t.id, k=k, max_hops=max_hops, mode=mode, **filters)

    def _published(self, filters: dict) -> dict[str, str] | None:
        return self.document_meta()[0] if filters.get("as_of") else None

    def influencers(self, target: str, max_hops: int = 3, limit: int = 50,
                    **filters) -> list[Ranked]:
        """Who can influence ``target`` (named by id, name or alias), strongest first."""
        return analytics.influencers(self.graph(), self.resolve(target).id, max_hops, limit,
                                     published=self._published(filters), **filters)

    def rank(self, metric: str = "pagerank", types=None, personalize=None,
             limit: int = 50) -> list[Ranked]:
        """Entities ranked by a metric (see ``graph.analytics.rank``); ``personalize`` names
        entities by id, name or alias."""
        ids = [self.resolve(n).id for n in personalize or []]
        return analytics.rank(self.graph(), metric, types=types, personalize=ids, limit=limit)

    def pagerank(self, entity_id: str) -> float:
        """An entity's PageRank in the whole graph (``graph.analytics.rank``): the table of
        every entity's is computed once per store revision, so asking for many entities costs
        one computation."""
        g = self.graph()
        with self._lock:
            if self._pagerank is None or self._pagerank[0] is not g:
                self._pagerank = (g, {r.entity: r.score for r in
                                      analytics.rank(g, "pagerank", limit=len(g))})
            return self._pagerank[1].get(entity_id, 0.0)

    def neighbourhood(self, entity: str, depth: int = 1) -> nx.MultiDiGraph:
        return analytics.neighbourhood(self.graph(), self.resolve(entity).id, depth)

    def common_connections(self, a: str, b: str) -> list[Shared]:
        return analytics.common_connections(self.graph(), self.resolve(a).id,
                                            self.resolve(b).id)
