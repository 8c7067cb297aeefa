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

from graph.model import Entity
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
            words = [w for w in name.split() if len(w) > 2]
            near = self.store.search(max(words, key=len) if words else name, limit=3)
            raise EntityNotFound(name, [e.name for e in near])
        return entity

    def paths(self, source: str, target: str, k: int = 3, max_hops: int = 4,
              mode: str = "influence") -> list[InfluencePath]:
        """Influence paths between two entities named by id, name or alias."""
        s, t = self.resolve(source), self.resolve(target)
        return influence_paths(self.graph(), s.id, t.id, k=k, max_hops=max_hops, mode=mode)
