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

import threading

import networkx as nx
from rapidfuzz import fuzz, process

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


class GraphView:
    """Analytics over a store, with the networkx graph cached by store revision."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._graph: nx.MultiDiGraph | None = None
        self._revision: int | None = None

    def graph(self) -> nx.MultiDiGraph:
        """The store's graph as networkx; rebuilt when the store has changed."""
        with self._lock:
            revision = self.store.revision()
            if self._graph is None or revision != self._revision:
                self._graph, self._revision = self.store.to_networkx(), revision
            return self._graph

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

    def paths(self, source: str, target: str, k: int = 3, max_hops: int = 4,
              mode: str = "influence") -> list[InfluencePath]:
        """Influence paths between two entities named by id, name or alias."""
        s, t = self.resolve(source), self.resolve(target)
        return influence_paths(self.graph(), s.id, t.id, k=k, max_hops=max_hops, mode=mode)
