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

from graph import analytics, index_files
from graph.analytics import Ranked, Shared
from graph.export import export, select
from graph.index import PathIndex, evidence_factor
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


class Stale(LookupError):
    """The store changed under an answer being made: ask again."""


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

    # an index of this many relations or more is saved beside the graph's file when built:
    # building one of 277k relations from the rows takes about 5 s, writing it a fraction
    SAVE_FROM = 100_000

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._graph: nx.MultiDiGraph | None = None
        self._revision: int | None = None
        self._index: PathIndex | None = None
        self._index_lock = threading.Lock()
        self._index_revision: int | None = None
        self._mark = 0
        self._pagerank: tuple[nx.MultiDiGraph, dict[str, float]] | None = None

    def graph(self) -> nx.MultiDiGraph:
        """The store's graph as networkx; rebuilt when the store has changed."""
        with self._lock:
            revision = self.store.revision()
            if self._graph is None or revision != self._revision:
                self._graph, self._revision = self.store.to_networkx(), revision
                _settle()
            return self._graph

    def index(self) -> PathIndex:
        """The analytic index of the store's graph (``graph.index.PathIndex``); influence
        paths run on it. Read or built at first (``_built``); after a write, patched with what
        the write changed, read from the store's change log (``Store.changes``), when the
        store keeps one that reaches back far enough and the change is not most of the graph;
        else built again. Queries running on the index it replaces finish on that one."""
        with self._index_lock:
            revision = self.store.revision()
            if self._index is not None and revision == self._index_revision:
                return self._index
            index = self._patched() if self._index is not None else None
            if index is None:
                index = self._built()
            else:
                with self._lock:  # a graph of an older revision: read again when asked for
                    if self._revision != revision:
                        self._graph = self._pagerank = None
            self._index, self._index_revision = index, revision
            return index

    def _built(self) -> PathIndex:
        """On first use, the index saved beside the graph's file (``graph.index_files``)
        brought up to date from the change log; else the index built from the store's rows
        (``Store.index_rows``), saved there for the next opening if it is large (building it
        then costs more than writing it), or built from the whole graph when the store gives
        no rows."""
        saved = self.store.saved_index()
        if saved is not None and self._index is None:
            found = index_files.load(*saved, self._relation_data)
            if found is not None:
                self._index, self._mark = found
                patched = self._patched()
                if patched is not None:
                    return patched
        rows = self.store.index_rows()
        if rows is not None:
            self._mark = rows.mark
            index = PathIndex.from_rows(rows, self._relation_data)
            del rows
            if saved is not None and index.relations >= self.SAVE_FROM:
                index_files.save(index, *saved, mark=self._mark)
            index.ageing = None  # needed only to save it
        else:
            self._mark = self.store.changes().mark  # before the read: changes after it are
            index = PathIndex(self.graph())        # made again, which is harmless
        _settle()
        return index

    def _patched(self) -> PathIndex | None:
        """The index patched with the changes since it was made (``PathIndex.patched``), or
        None when it must be built again."""
        index, changed = self._index, self.store.changes(self._mark)
        if index is None or changed is None or len(changed.relations) > index.relations // 2 \
                or len(index.keys) > 2 * index.relations + 1000:
            return None
        if not changed.entities and not changed.relations:
            self._mark = changed.mark
            return index
        now = [r for r in self.store.relations_by_id(list(changed.relations)) if r is not None]
        ends = {key: set(where) for key, where in changed.relations.items()}
        for r in now:
            ends[r.id].add((r.source, r.target))
        named = set(changed.entities) | {e for r in now for e in (r.source, r.target)
                                         if e not in index.position}
        types = {e: None if entity is None else entity.type.value
                 for e, entity in zip(named, self.store.entities(list(named)))}
        current = [(r.id, r.source, r.target, r.type.value,
                    evidence_factor(r.attributes, r.evidence)) for r in now]
        try:
            patched = index.patched(types, ends, current, self._relation_data)
        except KeyError:  # an end the change log did not name: read the whole graph
            return None
        self._mark = changed.mark
        return patched

    def _relation_data(self, wanted: list[tuple[str, str, str]]) -> dict[str, dict]:
        """Type, attributes and evidence of the relations in an answer, from the store; Stale
        if one of them has gone since the index was patched."""
        keys = [key for _, _, key in wanted]
        found = {r.id: {"type": r.type.value, "attributes": r.attributes,
                        "evidence": r.evidence}
                 for r in self.store.relations_by_id(keys) if r is not None}
        if len(found) < len(set(keys)):
            raise Stale("a relation of the answer changed while it was being found")
        return found

    def resolve(self, name: str) -> Entity:
        """The entity with this id, name or alias; EntityNotFound (with suggestions) if none."""
        entity = self.store.find_entity(name)
        if entity is None:
            raise EntityNotFound(name, self.suggest(name))
        return entity

    def node_data(self, ids: list[str]) -> dict[str, dict[str, str]]:
        """The name and type of each of these entities, by id, from the store (for the
        sentences of ``InfluencePath.explain`` without the whole graph)."""
        unique = list(dict.fromkeys(ids))
        return {e.id: {"name": e.name, "type": e.type.value}
                for e in self.store.entities(unique) if e is not None}

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
        try:
            return self.index().paths(s.id, t.id, k=k, max_hops=max_hops, mode=mode, **filters)
        except Stale:  # a write landed while the answer was made: answer from the graph now
            return self.index().paths(s.id, t.id, k=k, max_hops=max_hops, mode=mode, **filters)

    def _published(self, filters: dict) -> dict[str, str] | None:
        return self.document_meta()[0] if filters.get("as_of") else None

    def influencers(self, target: str, max_hops: int = 3, limit: int = 50,
                    **filters) -> list[Ranked]:
        """Who can influence ``target`` (named by id, name or alias), strongest first: on the
        analytic index, or with filters on networkx."""
        entity = self.resolve(target).id
        if not any(value is not None for value in filters.values()):
            return self.index().influencers(entity, max_hops, limit)
        return analytics.influencers(self.graph(), entity, max_hops, limit,
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
