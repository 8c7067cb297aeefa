"""Which part of the graph to export: by entity and relation types, dates, confidence, an ego
network, or the top paths between two entities.

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> for n, t in [("a", "LobbyGroup"), ("b", "Person"), ("c", "Topic")]:
...     g.add_node(n, type=t)
>>> _ = g.add_edge("a", "b", key="r1", type="LOBBIES", attributes={}, evidence=[])
>>> _ = g.add_edge("a", "c", key="r2", type="SUPPORTS", attributes={}, evidence=[])
>>> sorted(select(g, entity_types=["LobbyGroup", "Person"]).nodes)
['a', 'b']
>>> sorted(select(g, ego="b", depth=1).nodes)
['a', 'b']
"""
from __future__ import annotations

from typing import Iterable

import networkx as nx

from graph.export.table import relation_dates
from graph.paths import influence_paths


def select(g: nx.MultiDiGraph, entity_types: Iterable[str] | None = None,
           relation_types: Iterable[str] | None = None, since: str | None = None,
           until: str | None = None, min_confidence: float | None = None,
           ego: str | None = None, depth: int = 1,
           paths: tuple[str, str] | None = None, k: int = 3, max_hops: int = 4,
           published: dict[str, str] | None = None) -> nx.MultiDiGraph:
    """A copy of the subgraph that passes every filter given (entity ids for ``ego`` and
    ``paths``).

    ``entity_types`` keeps entities of those types (isolated ones too). The relation filters
    keep the relations that pass, with their ends: ``relation_types``; ``min_confidence`` (some
    evidence at least that confident); ``since``/``until`` (ISO dates: the relation's dates, its
    ``start``/``end`` or else its evidence's publication dates, overlap the range; undated
    relations pass). ``ego`` keeps the entities within ``depth`` hops of it, either direction;
    ``paths`` the entities on the ``k`` shortest influence paths between two entities.
    """
    h = g
    if entity_types:
        keep = {str(t) for t in entity_types}
        h = h.subgraph([n for n, d in h.nodes(data=True) if d.get("type") in keep])
    if relation_types or min_confidence is not None or since or until:
        wanted = {str(t) for t in relation_types} if relation_types else None
        edges = []
        for u, v, key, data in h.edges(keys=True, data=True):
            if wanted is not None and data["type"] not in wanted:
                continue
            if min_confidence is not None and not any(
                    e.confidence >= min_confidence for e in data.get("evidence", ())):
                continue
            first, last = relation_dates(data, published or {})
            if (until and first and first > until) or (since and last and last < since):
                continue
            edges.append((u, v, key))
        h = h.edge_subgraph(edges)
    if ego is not None:
        near = nx.single_source_shortest_path_length(h.to_undirected(as_view=True), ego,
                                                     cutoff=depth) if ego in h else {}
        h = h.subgraph(near)
    if paths is not None:
        a, b = paths
        found = influence_paths(nx.MultiDiGraph(h), a, b, k=k, max_hops=max_hops) \
            if a in h and b in h else []
        h = h.subgraph({n for p in found for n in p.nodes})
    return nx.MultiDiGraph(h)
