"""Questions about who matters, beyond one pair of entities: who can reach an entity
(``influencers``), rankings (``rank``), an entity's surroundings (``neighbourhood``) and the
entities two others share (``common_connections``).

All take the graph as ``Store.to_networkx`` gives it and the same influence rules as
``graph.paths`` (strengths, directions, filters).

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> for n, t in [("lobby", "LobbyGroup"), ("firm", "Company"), ("min", "Person"),
...              ("dept", "Agency")]:
...     g.add_node(n, name=n, type=t)
>>> _ = g.add_edge("lobby", "min", key="r1", type="LOBBIES", attributes={}, evidence=[])
>>> _ = g.add_edge("firm", "lobby", key="r2", type="RETAINS", attributes={}, evidence=[])
>>> _ = g.add_edge("min", "dept", key="r3", type="ROLE_AT", attributes={}, evidence=[])
>>> [(r.entity, r.hops) for r in influencers(g, "dept", max_hops=3)]
[('min', 1), ('lobby', 2), ('firm', 3)]
>>> common_connections(g, "lobby", "dept")[0].entity
'min'
"""
from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import networkx as nx

from graph.ontology import RelationType
from graph.paths import step_graph
from graph.strength import strength

METRICS = ("pagerank", "personalized_pagerank", "degree", "betweenness")


@dataclass(frozen=True)
class Ranked:
    """An entity with a score; for influencers also the hops of its best path and
    the path itself (entity ids, from the source)."""

    entity: str
    score: float
    hops: int = 0
    path: tuple[str, ...] = ()


@dataclass(frozen=True)
class Shared:
    """An entity linked to both of two others, with the relation types on each side."""

    entity: str
    with_a: tuple[str, ...]
    with_b: tuple[str, ...]
    score: float = field(default=0.0)


def best_paths(neighbours: Callable[[Any], Iterable[tuple[Any, float]]], start, max_hops: int
               ) -> dict[Any, tuple[float, int, list]]:
    """Hop-bounded Dijkstra: for each entity the cheapest path of at most ``max_hops`` hops
    from ``start``, following ``neighbours(node)`` (pairs of the next node and the step's
    cost): (cost, hops, path). Equally cheap paths are told apart by hops, then by their
    nodes, so any numbering of the nodes in the order of their ids gives the same answer.

    >>> steps = {"a": [("b", 1.0), ("c", 0.5)], "c": [("b", 0.25)], "b": []}
    >>> best_paths(lambda n: steps[n], "a", 2)["b"]
    (0.75, 2, ['a', 'c', 'b'])
    """
    best: dict = {start: (0.0, 0, [start])}
    seen: dict = {}
    heap = [(0.0, 0, start, [start])]
    while heap:
        cost, hops, node, path = heapq.heappop(heap)
        if seen.get((node, hops), math.inf) <= cost and (node, hops) in seen:
            continue
        seen[(node, hops)] = cost
        if cost < best.get(node, (math.inf,))[0]:
            best[node] = (cost, hops, path)
        if hops == max_hops:
            continue
        for nxt, step in neighbours(node):
            if nxt in path:
                continue
            c = cost + step
            if c < best.get(nxt, (math.inf,))[0] or c < seen.get((nxt, hops + 1), math.inf):
                heapq.heappush(heap, (c, hops + 1, nxt, path + [nxt]))
    return best


def influencers(g: nx.MultiDiGraph, target: str, max_hops: int = 3, limit: int = 50,
                **filters) -> list[Ranked]:
    """The entities that can influence ``target`` within ``max_hops``, ranked by the strength
    of their best path to it (``path`` runs from the influencer to the target).
    ``graph.index.PathIndex.influencers`` gives the same answer from the index."""
    h = step_graph(g, keep=(target,), **filters).reverse(copy=False)
    best = best_paths(lambda n: ((m, d["cost"]) for m, d in h[n].items()), target, max_hops)
    return ranked_influencers(best, target, limit)


def ranked_influencers(best: dict[str, tuple[float, int, list]], target: str,
                       limit: int) -> list[Ranked]:
    """The best paths into ``target`` (of ``best_paths`` on the reversed steps) as a ranking."""
    ranked = [Ranked(n, math.exp(-c), hops, tuple(reversed(p)))
              for n, (c, hops, p) in best.items() if n != target]
    return sorted(ranked, key=lambda r: (-r.score, r.hops, r.entity))[:limit]


def _weighted(g: nx.MultiDiGraph, weights: dict[str, float] | None = None) -> nx.DiGraph:
    """The strongest relation per ordered pair, weighted by strength (for centralities)."""
    h = nx.DiGraph()
    h.add_nodes_from(g.nodes(data=True))
    for u, v, data in g.edges(data=True):
        rtype = RelationType(data["type"])
        w = max(strength(rtype, data.get("evidence", ()), weights, g.nodes[v].get("type")), 1e-6)
        pairs = [(u, v), (v, u)] if rtype.influence == "both" else [(u, v)]
        for a, b in pairs:
            if not h.has_edge(a, b) or h.edges[a, b]["weight"] < w:
                h.add_edge(a, b, weight=w, cost=-math.log(w))
    return h


def rank(g: nx.MultiDiGraph, metric: str = "pagerank", types: Iterable[str] | None = None,
         personalize: Iterable[str] | None = None, limit: int = 50,
         weights: dict[str, float] | None = None, sample: int | None = None,
         seed: int = 0) -> list[Ranked]:
    """Entities ranked by ``metric``: ``pagerank`` (influence flowing along relations,
    weighted by strength), ``personalized_pagerank`` (the same, seen from the entities in
    ``personalize``), ``degree`` (number of relations) or ``betweenness`` (how often an entity
    lies on the strongest paths between others; sampled from ``sample`` sources when given,
    and by default on graphs over 5,000 entities). ``types`` keeps entities of those types."""
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)}, not {metric!r}")
    h = _weighted(g, weights)
    if metric == "degree":
        scores = {n: float(d) for n, d in g.degree()}
    elif metric == "betweenness":
        k = sample or (500 if len(h) > 5000 else None)
        scores = nx.betweenness_centrality(h, k=min(k, len(h)) if k else None, weight="cost",
                                           seed=seed)
    else:
        nodes = [n for n in (personalize or []) if n in h]
        if metric == "personalized_pagerank" and not nodes:
            raise ValueError("personalized_pagerank needs entities to personalize from")
        scores = nx.pagerank(h, weight="weight",
                             personalization={n: 1.0 for n in nodes} if nodes else None) \
            if len(h) else {}
    keep = {str(t) for t in types} if types else None
    ranked = [Ranked(n, float(s)) for n, s in scores.items()
              if keep is None or g.nodes[n].get("type") in keep]
    return sorted(ranked, key=lambda r: (-r.score, r.entity))[:limit]


def neighbourhood(g: nx.MultiDiGraph, entity: str, depth: int = 1) -> nx.MultiDiGraph:
    """The entities within ``depth`` relations of ``entity`` (either direction), with the
    relations among them, as a new graph."""
    near = nx.single_source_shortest_path_length(g.to_undirected(as_view=True), entity,
                                                 cutoff=depth)
    return nx.MultiDiGraph(g.subgraph(near))


def common_connections(g: nx.MultiDiGraph, a: str, b: str) -> list[Shared]:
    """The entities directly linked to both ``a`` and ``b`` (in either direction): shared
    board members, common funders, the minister both lobbied. Strongest links first."""
    def links(x: str) -> dict[str, list[tuple[str, float]]]:
        out: dict[str, list[tuple[str, float]]] = {}
        for u, v, data in list(g.out_edges(x, data=True)) + list(g.in_edges(x, data=True)):
            other = v if u == x else u
            w = strength(data["type"], data.get("evidence", ()), None, g.nodes[v].get("type"))
            out.setdefault(other, []).append((data["type"], w))
        return out

    la, lb = links(a), links(b)
    shared = []
    for n in (set(la) & set(lb)) - {a, b}:
        score = max(w for _, w in la[n]) * max(w for _, w in lb[n])
        shared.append(Shared(n, tuple(sorted({t for t, _ in la[n]})),
                             tuple(sorted({t for t, _ in lb[n]})), score))
    return sorted(shared, key=lambda s: (-s.score, s.entity))
