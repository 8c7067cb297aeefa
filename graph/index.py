"""The analytic index: the graph as typed CSR arrays, and influence paths computed on it by a
compiled kernel.

networkx stays the API for subgraphs, notebooks and exports, and ``graph.paths`` on networkx
is the reference for correctness. This index is the hot path: it holds, per relation, its
endpoints, type and evidence factor (support x recency) in numpy arrays, and per query mode the
*step graph* of ``graph.paths.step_graph`` (one hop per ordered pair of entities, the
strongest) as compressed sparse rows, forwards and backwards. Influence paths are Yen's
algorithm over it, each spur search a bidirectional Dijkstra compiled with numba (see
``docs/benchmarks.md`` for why numba and what it buys). The answers, costs and order, are those
of ``graph.paths.influence_paths``; the property tests check both against networkx.

The index is rebuilt from the networkx graph when the store changes (``GraphView`` does this
once per store revision).

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("a", name="Acme Lobby", type="LobbyGroup")
>>> g.add_node("m", name="A Minister", type="Person")
>>> g.add_node("d", name="A Department", type="Agency")
>>> _ = g.add_edge("a", "m", key="r1", type="LOBBIES", attributes={}, evidence=[])
>>> _ = g.add_edge("m", "d", key="r2", type="ROLE_AT", attributes={}, evidence=[])
>>> index = PathIndex(g)
>>> [p.nodes for p in index.paths("a", "d")]
[['a', 'm', 'd']]
>>> [p.nodes for p in index.paths("d", "a", mode="connection")]
[['d', 'm', 'a']]
"""
from __future__ import annotations

import gc
import heapq
import math
import threading
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Callable, Iterable, Mapping

import networkx as nx
import numpy as np
from numba import njit

from graph.analytics import Ranked, best_paths, ranked_influencers
from graph.ids import Ids
from graph.ontology import EntityType, RelationType
from graph.paths import FLOOR, MODES, Hop, InfluencePath
from graph.strength import last_seen, parameters, recency, support, weight

TYPES = list(RelationType)
CODE = {t.value: i for i, t in enumerate(TYPES)}
KINDS = [k.value for k in EntityType] + [""]  # entity types, and none known
KIND = {k: i for i, k in enumerate(KINDS)}
BOTH = np.array([t.influence == "both" for t in TYPES])


FORWARD, BACKWARD, OFF = 1, 2, 4  # a node's flags in a search: settled each way, switched off


@njit(cache=True, nogil=True)
def _cheapest_first(order, key, cost):  # pragma: no cover
    """``order``, by which ``key`` and ``cost`` are already arranged (``key`` ascending),
    with each run of equal keys put in order of ``cost``, stably: short runs by insertion,
    long ones by merge sort."""
    out, cost = order.copy(), cost.copy()
    m = len(out)
    a = 0
    while a < m:
        b = a + 1
        while b < m and key[b] == key[a]:
            b += 1
        if b - a > 32:
            sub = np.argsort(cost[a:b], kind="mergesort")
            out[a:b] = out[a:b][sub]
        else:
            for i in range(a + 1, b):
                x, c, j = out[i], cost[i], i - 1
                while j >= a and cost[j] > c:
                    out[j + 1], cost[j + 1] = out[j], cost[j]
                    j -= 1
                out[j + 1], cost[j + 1] = x, c
        a = b
    return out


@njit(cache=True, nogil=True)
def _counting(key, size, within):  # pragma: no cover
    """The stable order of ``key[within]`` (each ``0 <= key < size``), as positions in
    ``key``: a counting sort, one pass to count and one to place."""
    start = np.zeros(size + 1, np.int64)
    for i in within:
        start[key[i] + 1] += 1
    for k in range(size):
        start[k + 1] += start[k]
    out = np.empty(len(within), np.int64)
    for i in within:
        out[start[key[i]]] = i
        start[key[i]] += 1
    return out


def _by(key: np.ndarray, cost: np.ndarray, size: int | None = None) -> np.ndarray:
    """``np.lexsort((cost, key))``: the order by ``key``, then ``cost``, then place. Sorting
    the integers first and each run of equals by cost after is several times faster when the
    runs are short, as a step graph's are (a float sort of every step is what took the time);
    with ``size`` (every key below it) the integers are sorted by counting, in time linear in
    their number, which beats a comparison sort unless the keys come nearly in order."""
    if size is None:
        order = np.argsort(key, kind="stable")
    else:
        order = _counting(key, size, np.arange(len(key), dtype=np.int64))
    return _cheapest_first(order, key[order], cost[order])


@njit(cache=True, nogil=True)
def _run_end(indptr, live, u, e):  # pragma: no cover
    """Where the run of ``u``'s steps that holds step ``e`` ends (see ``_spur``)."""
    ends = indptr[u] + live[u]
    return ends if e < ends else indptr[u + 1]


@njit(cache=True, nogil=True)
def _queue_runs(heap, base, u, indptr, live, cost, ahead, best, both):  # pragma: no cover
    """Queue cursors on the first step of ``u``'s run of live steps and, if ``both``, of its
    run of dead ends, at ``base`` plus the step's cost: each only if, with ``ahead``, it can
    still beat ``best``."""
    first, ends = indptr[u], indptr[u] + live[u]
    if first < ends and base + cost[first] + ahead < best:
        heapq.heappush(heap, (base + cost[first], u, first))
    if both and ends < indptr[u + 1] and base + cost[ends] + ahead < best:
        heapq.heappush(heap, (base + cost[ends], u, ends))


@njit(cache=True, nogil=True)
def _spur(indptr, indices, cost, live, rindptr, rindices, reid, rcost, rlive, penalty,
          source, target, limit, type_off, flags, edge_off, dist, via_f, via_b,
          touched):  # pragma: no cover
    """The cheapest path from ``source`` to ``target`` avoiding the nodes flagged OFF (and
    those ``type_off``) and the steps out of ``source`` marked in ``edge_off`` (Yen's blocked
    steps all leave the spur node), if it costs less than ``limit``, by bidirectional
    Dijkstra; returns (cost, edge ids in order), or ``limit`` and no edges.

    Steps are followed lazily, a node's cheapest first: settling a node queues a cursor on its
    first step, not all its steps, and popping a cursor at ``dist + cost[e]`` labels that one
    neighbour and queues the cursor on the next step. So a hub's hundreds of thousands of
    steps are read only as far as the search's radius reaches, not all at once.

    A node's steps come in two runs (both ways): first those to entities that go on
    (``live[u]`` of them; backwards ``rlive[v]``, from entities something reaches), then those
    to dead ends. No path passes through a dead end, only starts (backwards) or ends
    (forwards) at one, so the searches queue the second run only at the source and the target,
    which they settle first.

    The searches stop when their least keys add up to the best path found. A cursor is dropped
    once its key plus the other side's least key *when the cursor's node was settled* reaches
    the best (a node the other side settled since may be nearer than its least key now, and
    the step into it unread from both sides); after stopping, the cursors left are read up to
    that bound for steps into nodes the other side has settled. A node is labelled only if a
    path through it could still beat the best (its other-side distance counts when known).
    Paths all this skips cost at least the best one found; ``test_spur_search_equals_dijkstra``
    checks the searches against networkx's Dijkstra.

    Entering a node ``v`` other than the target costs ``penalty[v]`` on top of the step (an
    empty ``penalty`` or ``type_off`` means none). A node's state sits together for the memory
    it waits on: ``dist[v]`` holds its distances forwards and backwards and, for each way it
    was settled, the other side's least key then; ``flags[v]`` its bits. The scratch arrays
    come in reset (distances inf, FORWARD and BACKWARD clear) and leave so.
    """
    inf = np.inf
    damped = len(penalty) > 0
    typed = len(type_off) > 0
    label = np.int64(-1)  # a queue entry (key, node, label): the node at that distance
    n = 0
    dist[source, 0] = 0.0
    touched[n] = source
    n += 1
    dist[target, 1] = 0.0
    touched[n] = target
    n += 1
    hf = [(0.0, np.int64(source), label)]
    hb = [(0.0, np.int64(target), label)]
    best = limit
    meet = -1
    pops_f = 0
    pops_b = 0
    while len(hf) > 0 and len(hb) > 0:
        if hf[0][0] + hb[0][0] >= best:
            break
        # the source first, then the target, then whichever side has popped less
        if pops_f == 0 or (pops_b > 0 and pops_f <= pops_b):
            pops_f += 1
            key, u, e = heapq.heappop(hf)
            if e == label:
                if flags[u] & FORWARD:
                    continue
                flags[u] |= FORWARD
                dist[u, 2] = hb[0][0]
                _queue_runs(hf, key, u, indptr, live, cost, dist[u, 2], best, u == source)
                continue
            if key + dist[u, 2] >= best:
                continue  # nor can any later step of u's
            if e + 1 < _run_end(indptr, live, u, e):
                heapq.heappush(hf, (dist[u, 0] + cost[e + 1], u, e + 1))
            v = np.int64(indices[e])
            if flags[v] & (OFF | FORWARD) or (u == source and edge_off[e]) or \
                    (typed and type_off[v]):
                continue
            ahead = hb[0][0]  # no node the backward search has yet to settle is nearer
            nd = key + penalty[v] if damped and v != target else key
            if nd < dist[v, 0] and nd + min(ahead, dist[v, 1]) < best:
                if dist[v, 0] == inf and dist[v, 1] == inf:
                    touched[n] = v
                    n += 1
                dist[v, 0] = nd
                via_f[v] = e
                heapq.heappush(hf, (nd, v, label))
                if nd + dist[v, 1] < best:
                    best = nd + dist[v, 1]
                    meet = v
        else:
            pops_b += 1
            key, v, r = heapq.heappop(hb)
            step = penalty[v] if damped and v != target else 0.0
            if r == label:
                if flags[v] & BACKWARD:
                    continue
                flags[v] |= BACKWARD
                dist[v, 3] = hf[0][0]
                _queue_runs(hb, key + step, v, rindptr, rlive, rcost, dist[v, 3], best,
                            v == target)
                continue
            if key + dist[v, 3] >= best:
                continue
            if r + 1 < _run_end(rindptr, rlive, v, r):
                heapq.heappush(hb, (dist[v, 1] + rcost[r + 1] + step, v, r + 1))
            u = np.int64(rindices[r])
            if flags[u] & (OFF | BACKWARD) or (typed and type_off[u]) or \
                    (u == source and edge_off[reid[r]]):
                continue
            ahead = hf[0][0]
            if key < dist[u, 1] and key + min(ahead, dist[u, 0]) < best:
                if dist[u, 0] == inf and dist[u, 1] == inf:
                    touched[n] = u
                    n += 1
                dist[u, 1] = key
                via_b[u] = reid[r]  # read only here: the backward search streams rcost
                heapq.heappush(hb, (key, u, label))
                if dist[u, 0] + key < best:
                    best = dist[u, 0] + key
                    meet = u
    # the cursors left: their steps into nodes the other side settled after theirs
    for i in range(len(hf)):
        key, u, e = hf[i]
        if e == label:
            continue
        for x in range(e, _run_end(indptr, live, u, e)):
            d = dist[u, 0] + cost[x]
            if d + dist[u, 2] >= best:
                break
            v = np.int64(indices[x])
            if flags[v] & (OFF | BACKWARD) != BACKWARD or (u == source and edge_off[x]) or \
                    (typed and type_off[v]):
                continue
            nd = d + penalty[v] if damped and v != target else d
            if nd + dist[v, 1] < best:
                best = nd + dist[v, 1]
                dist[v, 0] = nd
                via_f[v] = x
                meet = v
    for i in range(len(hb)):
        key, v, r = hb[i]
        if r == label:
            continue
        step = penalty[v] if damped and v != target else 0.0
        for x in range(r, _run_end(rindptr, rlive, v, r)):
            d = dist[v, 1] + rcost[x] + step
            if d + dist[v, 3] >= best:
                break
            u = np.int64(rindices[x])
            if not flags[u] & FORWARD or (u == source and edge_off[reid[x]]):
                continue
            if dist[u, 0] + d < best:
                best = dist[u, 0] + d
                dist[u, 1] = d
                via_b[u] = reid[x]
                meet = u
    edges = np.empty(0, np.int64)
    if meet >= 0:
        ahead = []
        x = meet
        while x != source:
            e = via_f[x]
            ahead.append(e)
            x = np.searchsorted(indptr, e, side="right") - 1
        behind = []
        x = meet
        while x != target:
            e = via_b[x]
            behind.append(e)
            x = np.int64(indices[e])
        edges = np.empty(len(ahead) + len(behind), np.int64)
        for i in range(len(ahead)):
            edges[i] = ahead[len(ahead) - 1 - i]
        for i in range(len(behind)):
            edges[len(ahead) + i] = behind[i]
    for i in range(n):
        x = touched[i]
        dist[x, 0] = inf
        dist[x, 1] = inf
        flags[x] &= OFF
    return best, edges


@njit(cache=True, nogil=True)
def _hops_to(rindptr, rindices, target, most):  # pragma: no cover
    """Hops from each node to ``target`` (breadth-first over the steps backwards), up to
    ``most``; ``most + 1`` for nodes farther away or cut off."""
    far = np.full(len(rindptr) - 1, most + 1, np.int8)
    far[target] = 0
    frontier = [target]
    for depth in range(1, most + 1):
        ahead = []
        for v in frontier:
            for r in range(rindptr[v], rindptr[v + 1]):
                u = np.int64(rindices[r])
                if far[u] > depth:
                    far[u] = depth
                    ahead.append(u)
        frontier = ahead
    return far


@njit(cache=True, nogil=True)
def _spur_within(indptr, indices, cost, penalty, source, target, hops, limit, type_off,
                 flags, edge_off, far):  # pragma: no cover
    """``_spur`` for paths of at most ``hops`` hops: Dijkstra over (node, hops taken) states,
    dropping a state that cannot reach the target in the hops left (``far``: hops to the
    target) or that a settled state of the same node with no more hops dominates."""
    dist = {source * 64: 0.0}
    via = {source * 64: (np.int64(-1), np.int64(-1))}
    fewest = {source: 99}
    heap = [(0.0, source * 64)]
    while len(heap) > 0:
        d, state = heapq.heappop(heap)
        if d >= limit:
            break
        u, h = state // 64, state % 64
        if d > dist[state] or fewest.get(u, 99) <= h:
            continue
        fewest[u] = h
        if u == target:
            edges = []
            while via[state][0] >= 0:
                state, e = via[state]
                edges.append(e)
            out = np.empty(len(edges), np.int64)
            for i in range(len(edges)):
                out[i] = edges[len(edges) - 1 - i]
            return d, out
        for e in range(indptr[u], indptr[u + 1]):
            v = np.int64(indices[e])
            if flags[v] & OFF or edge_off[e] or (len(type_off) and type_off[v]) \
                    or h + 1 + far[v] > hops:
                continue
            nd = d + cost[e] + (penalty[v] if len(penalty) and v != target else 0.0)
            nxt = v * 64 + h + 1
            if nd < limit and nd < dist.get(nxt, np.inf):
                dist[nxt] = nd
                via[nxt] = (state, np.int64(e))
                heapq.heappush(heap, (nd, nxt))
    return limit, np.empty(0, np.int64)


@dataclass
class Steps:
    """One step graph as CSR: for each directed step ``e`` from ``tail[e]`` to ``head[e]``, its
    cost, the relation it walks and whether against that relation's direction. ``indptr``
    indexes steps by tail; ``rindptr``/``rindices``/``reid`` index them by head, with their
    costs again in that order (``rcost``: read in sequence by the backward search). Each
    node's steps come first to entities with steps onwards (``live`` of them; backwards
    ``rlive``, from entities with steps into them), then to dead ends, each run in order of
    cost."""

    indptr: np.ndarray
    head: np.ndarray
    cost: np.ndarray
    relation: np.ndarray
    reversed: np.ndarray
    strength: np.ndarray
    live: np.ndarray
    rindptr: np.ndarray
    rindices: np.ndarray
    reid: np.ndarray
    rcost: np.ndarray
    rlive: np.ndarray

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in vars(self).values())


def _numbering(numbers: list[int], count: int) -> np.ndarray:
    """An array from the store's numbers to places 0..count-1, in the order given."""
    place = np.full(max(numbers, default=-1) + 1, -1, np.int64)
    place[np.array(numbers, np.int64)] = np.arange(count)
    return place


@dataclass
class Ageing:
    """What an index's evidence factors are made of, so that they can be made again on
    another day (``graph.index_files`` saves it): per relation its evidence's support, whether
    it has evidence at all (without, its factor is 1) and when it was last seen, a code of
    ``lasts`` (ISO dates, or None for undated)."""

    support: np.ndarray
    evidenced: np.ndarray
    seen: np.ndarray
    lasts: list[str | None]

    def factor(self) -> np.ndarray:
        """The factors today: support x recency (``graph.strength.recency``), or 1."""
        aged = np.array([recency(last, None) for last in self.lasts] or [1.0])[self.seen]
        return np.where(self.evidenced, self.support * aged, 1.0)


class _Positions:
    """Where each id sits among sorted ids: a mapping read by binary search, so that a
    patched index makes no dictionary of every entity again."""

    __slots__ = ("ids",)

    def __init__(self, ids: Ids) -> None:
        self.ids = ids

    def get(self, x: str, default: int | None = None) -> int | None:
        i = self.ids.find(x)
        return default if i is None else i

    def __contains__(self, x: str) -> bool:
        return self.get(x) is not None

    def __getitem__(self, x: str) -> int:
        i = self.get(x)
        if i is None:
            raise KeyError(x)
        return i


def evidence_factor(attributes: Mapping | None, evidence: Iterable) -> float:
    """A relation's evidence factor in the index: its support times its recency today, or 1
    without evidence (the type's weight alone)."""
    if not evidence:
        return 1.0
    return support(evidence) * recency(last_seen(attributes) if attributes else None, None)


class _Scratch:
    """The work arrays of one spur search at a time: reset after each search, so a pool of
    them serves every thread."""

    def __init__(self, n: int, m: int) -> None:
        self.size = (n, m)
        self.dist = np.full((n, 4), np.inf)
        self.flags = np.zeros(n, np.uint8)
        self.via_f, self.via_b = np.zeros(n, np.int64), np.zeros(n, np.int64)
        self.touched = np.zeros(2 * n, np.int64)
        self.edge_off = np.zeros(m, np.uint8)


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector off for a while: reading millions of relations makes
    millions of small objects, and each collection it triggers walks the whole graph's objects
    again (a quarter of the build at 1M entities). Nothing made meanwhile is cyclic garbage."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@cache
def _compiled() -> None:
    """Compile (or load from numba's cache) every kernel once per process, on a three-node
    graph, so that no query waits on the compiler: the hop-bounded search is otherwise first
    needed in the middle of some query."""
    indptr, head = np.array([0, 1, 2, 2]), np.array([1, 2], np.int32)
    cost, none = np.ones(2), np.zeros(0)
    far = _hops_to(np.array([0, 0, 1, 2]), np.array([0, 1], np.int32), 2, 2)
    w = _Scratch(3, 2)
    live = np.array([1, 0, 0], np.int32)
    _spur(indptr, head, cost, live, np.array([0, 0, 1, 2]), np.array([0, 1], np.int32),
          np.array([0, 1]), cost, np.array([0, 0, 1], np.int32), none, 0, 2, math.inf,
          np.zeros(0, np.uint8), w.flags, w.edge_off, w.dist, w.via_f, w.via_b, w.touched)
    _spur_within(indptr, head, cost, none, 0, 2, 2, math.inf, np.zeros(0, np.uint8), w.flags,
                 w.edge_off, far)
    _by(np.array([1, 0, 1]), cost[:1].repeat(3))
    _by(np.array([1, 0, 1]), cost[:1].repeat(3), 2)


PATCH_LIMIT = 0.02  # a step graph is patched when under this share of its steps move


def _splice(x: np.ndarray, drop: np.ndarray, at: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``x`` without the elements at ``drop`` and with ``values`` put before the elements at
    ``at`` (both sorted positions of ``x``; ``len(x)``: at the end), in one copy.

    >>> _splice(np.arange(5), np.array([1, 3]), np.array([0, 3, 5]), np.array([7, 8, 9]))
    array([7, 0, 2, 8, 4, 9])
    """
    if len(drop) + len(at) > 1000:  # many (a hub deleted): two vectorised copies
        return np.insert(np.delete(x, drop), at - np.searchsorted(drop, at), values)
    pieces, cursor, j = [], 0, 0
    events = sorted({*drop.tolist(), *at.tolist()})
    dropped = set(drop.tolist())
    for p in events:
        pieces.append(x[cursor:p])
        cursor = p
        k = j
        while k < len(at) and at[k] == p:
            k += 1
        pieces.append(values[j:k])
        j = k
        if p in dropped:
            cursor = p + 1
    pieces.append(x[cursor:])
    return np.concatenate(pieces).astype(x.dtype, copy=False)


def _runs(indptr: np.ndarray, of: np.ndarray) -> np.ndarray:
    """The positions of the runs of the entities ``of``, together."""
    if not len(of):
        return np.zeros(0, np.int64)
    return np.concatenate([np.arange(indptr[o], indptr[o + 1]) for o in of.tolist()] or
                          [np.zeros(0, np.int64)]).astype(np.int64)


def _placed(indptr: np.ndarray, split: np.ndarray, cost: np.ndarray, tie: np.ndarray,
            runs: np.ndarray, first: np.ndarray, key_cost: np.ndarray, key_tie: np.ndarray,
            where: np.ndarray) -> np.ndarray:
    """For each of a few steps (sorted), where it goes among a step graph's old arrays: in
    the run ``runs`` (old entity; ``where`` where there is none), in its part (``first``:
    among the first ``split`` of the run, else after them), by cost and then ``tie``
    (``tie`` maps the old arrays' ends to the new numbering)."""
    out = np.empty(len(runs), np.int64)
    for j, o in enumerate(runs.tolist()):
        if o < 0:
            out[j] = where[j]
            continue
        lo, hi = int(indptr[o]), int(indptr[o + 1])
        if first[j]:
            hi = lo + int(split[o])
        else:
            lo += int(split[o])
        at = lo + int(np.searchsorted(cost[lo:hi], key_cost[j], "left"))
        while at < hi and cost[at] == key_cost[j] and tie[at] < key_tie[j]:
            at += 1
        out[j] = at
    return out


def _patch_steps(old: Steps, index: "PathIndex", moved: np.ndarray, rel_moved: np.ndarray,
                 pairs: set[tuple[int, int]], old_nodes: Ids, mode: str,
                 wanted: frozenset | None, weights: dict | None) -> Steps | None:
    """``old`` (a step graph of the index before a patch) made the step graph of ``index``
    (after it) without building it again, or None when too much moved for that to pay.
    ``moved`` maps the old entities' positions to the new (-1: deleted), ``rel_moved`` the
    old relations' (-1: gone), ``pairs`` holds the (new) pairs of entities whose steps must
    be found again (those a relation changed between, or with an end whose type did), and
    ``old_nodes`` the old entities.

    The arrays are those ``_build`` would make, in a few passes over them: kept steps keep
    their order (the new numbering keeps the old order of entities); the steps of changed
    pairs, of deleted entities, and those whose dead-end flags changed (into an entity with
    its first step onwards or none left; backwards, from one with its first step in or none
    left) are taken out, and the steps found again and the re-flagged ones put in their
    places, found by binary search in their entity's run."""
    n, m = len(index.nodes), len(old.head)
    counts, rcounts = np.diff(old.indptr), np.diff(old.rindptr)
    alive = moved >= 0
    old_of = np.full(n, -1, np.int64)
    old_of[moved[alive]] = np.flatnonzero(alive)

    def remap(x: np.ndarray) -> np.ndarray:
        out = np.zeros(n, np.int64)
        out[moved[alive]] = x[alive]
        return out

    def tails(p: np.ndarray) -> np.ndarray:
        return np.searchsorted(old.indptr, p, "right") - 1

    def after(indptr: np.ndarray, live: np.ndarray, before: np.ndarray, gone: np.ndarray,
              added: np.ndarray, added_live: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A side's run pointers and live counts by new entity (``before``: its run lengths
        before, by new entity), once the steps at ``gone``
        (old positions) are out and those of the runs ``added`` (``added_live``: live) in."""
        of = np.searchsorted(indptr, gone, "right") - 1
        was_live, kept = gone < indptr[of] + live[of], alive[of]
        pointers = np.zeros(n + 1, np.int64)
        np.cumsum(before - np.bincount(moved[of[kept]], minlength=n)
                  + np.bincount(added, minlength=n), out=pointers[1:])
        return pointers, remap(live) - np.bincount(moved[of[kept & was_live]], minlength=n) \
            + np.bincount(added[added_live], minlength=n)

    def reverse_of(p: np.ndarray) -> np.ndarray:  # where forward steps stand backwards
        out = []
        h = old.head[p]
        for o in np.unique(h).tolist():
            lo, hi = old.rindptr[o], old.rindptr[o + 1]
            out.append(lo + np.flatnonzero(np.isin(old.reid[lo:hi], p[h == o])))
        return np.concatenate(out).astype(np.int64) if out else np.zeros(0, np.int64)

    # forward steps going: those of and into deleted entities, and those of changed pairs
    gone = np.flatnonzero(~alive)
    drop = [_runs(old.indptr, gone), old.reid[_runs(old.rindptr, gone)]]
    both = sorted({p for a, b in pairs for p in ((a, b), (b, a))})
    for a, b in both:
        oa, ob = int(old_of[a]), int(old_of[b])
        if oa < 0 or ob < 0:
            continue
        if counts[oa] <= rcounts[ob]:
            lo, hi = old.indptr[oa], old.indptr[oa + 1]
            drop.append(lo + np.flatnonzero(old.head[lo:hi] == ob))
        else:
            lo, hi = old.rindptr[ob], old.rindptr[ob + 1]
            drop.append(old.reid[lo + np.flatnonzero(old.rindices[lo:hi] == oa)])
    drop = np.unique(np.concatenate(drop).astype(np.int64))
    if len(drop) > PATCH_LIMIT * max(m, 1):
        return None
    # the steps of the changed pairs, found again: the strongest per ordered pair
    rel = []
    for a, b in both:
        lo, hi = np.searchsorted(index.src, [a, a + 1])
        first, last = lo + np.searchsorted(index.dst[lo:hi], [b, b + 1])
        rel.extend(range(first, last))
    rel = np.array(sorted(set(rel)), np.int64)
    rel = rel[index._kept(wanted)[rel]] if len(rel) else rel
    nt, nh, nr, ns = index._candidates(rel.astype(np.int32), mode, weights)
    order = np.lexsort((np.arange(len(nt)), -ns, nt.astype(np.int64) * n + nh))
    nt, nh, nr, ns = nt[order], nh[order], nr[order], ns[order]
    keep_first = np.ones(len(nt), bool)
    keep_first[1:] = (nt[1:] != nt[:-1]) | (nh[1:] != nh[:-1])
    nb = (order >= len(rel))[keep_first]
    nt, nh, nr, ns = nt[keep_first], nh[keep_first], nr[keep_first], ns[keep_first]
    nc = -np.log(ns)
    # dead-end flags before and after, by entity (new numbering)
    live_tail = tails(drop)
    live_tail = live_tail[alive[live_tail]]
    head_of = old.head[drop]
    head_of = head_of[alive[head_of]]
    out_old, in_old = remap(counts), remap(rcounts)
    out_new = out_old - np.bincount(moved[live_tail], minlength=n) \
        + np.bincount(nt, minlength=n)
    in_new = in_old - np.bincount(moved[head_of], minlength=n) + np.bincount(nh, minlength=n)
    out_flip = np.flatnonzero((out_old > 0) != (out_new > 0))
    in_flip = np.flatnonzero((in_old > 0) != (in_new > 0))
    # forward steps into entities whose flag changed move within their tails' runs
    into = old_of[out_flip]
    flip_q = _runs(old.rindptr, into[into >= 0])  # backwards, where they stand
    flip = old.reid[flip_q]
    kept = ~np.isin(flip, drop)
    flip, flip_q = flip[kept], flip_q[kept]
    if len(flip) + len(nt) > PATCH_LIMIT * max(m, 1):
        return None
    gone_f = np.union1d(drop, flip)
    # what goes in forwards: the re-flagged steps, then those found again
    ft = tails(flip)
    it = np.concatenate([moved[ft], nt]).astype(np.int32)
    ih = np.concatenate([moved[old.head[flip]], nh]).astype(np.int32)
    ic = np.concatenate([old.cost[flip], nc])
    ir = np.concatenate([rel_moved[old.relation[flip]], nr]).astype(old.relation.dtype)
    ib = np.concatenate([old.reversed[flip], nb])
    i_s = np.concatenate([old.strength[flip], ns])
    igo = out_new[ih] > 0
    order = np.lexsort((ih, ic, ~igo, it))
    it, ih, ic, ir, ib, i_s, igo = (x[order] for x in (it, ih, ic, ir, ib, i_s, igo))
    new_head = moved[old.head]
    nodes = index.nodes
    where = np.array([old.indptr[old_nodes.bisect(nodes[t])] for t in it.tolist()],
                     np.int64)
    at = _placed(old.indptr, old.live, old.cost, new_head, old_of[it], igo, ic, ih, where)
    head = _splice(new_head, gone_f, at, ih)
    cost = _splice(old.cost, gone_f, at, ic)
    relation = _splice(rel_moved[old.relation].astype(old.relation.dtype), gone_f, at, ir)
    reversed_ = _splice(old.reversed, gone_f, at, ib)
    strength = _splice(old.strength, gone_f, at, i_s)
    indptr, live = after(old.indptr, old.live, out_old, gone_f, it, igo)
    # where each old step went forwards: down by those taken out before it, up by those put
    # before it; and the ones put in, each after those put in before it
    placed = at - np.searchsorted(gone_f, at) + np.arange(len(at))
    went = old.reid - np.searchsorted(gone_f, old.reid) + np.searchsorted(at, old.reid, "right")
    # backwards: out go the steps taken out forwards (but the re-flagged, which keep their
    # places backwards) and those from entities whose flag changed; in come those found again
    # and those re-flagged backwards, by head, reached first, cheapest first, equals by tail
    from_flip = order < len(flip)
    went[flip_q[order[from_flip]]] = placed[from_flip]
    fresh = placed[~from_flip]
    rdrop = [reverse_of(drop), _runs(old.rindptr, gone)]
    since = old_of[in_flip]
    out_of = _runs(old.indptr, since[since >= 0])
    out_of = out_of[~np.isin(out_of, drop)]
    rflip_q = reverse_of(out_of)
    rgone = np.union1d(np.unique(np.concatenate(rdrop)), rflip_q)
    ids = np.concatenate([went[rflip_q], fresh])
    rt = (np.searchsorted(indptr, ids, "right") - 1).astype(np.int32)
    rh, rc = head[ids], cost[ids]
    rreached = in_new[rt] > 0
    order = np.lexsort((rt, rc, ~rreached, rh))
    ids, rt, rh, rc, rreached = (x[order] for x in (ids, rt, rh, rc, rreached))
    rwhere = np.array([old.rindptr[old_nodes.bisect(nodes[h])] for h in rh.tolist()],
                      np.int64)
    new_tail = moved[old.rindices]
    rat = _placed(old.rindptr, old.rlive, old.rcost, new_tail, old_of[rh], rreached, rc, rt,
                  rwhere)
    rindices = _splice(new_tail, rgone, rat, rt)
    reid = _splice(went, rgone, rat, ids)
    rcost = _splice(old.rcost, rgone, rat, rc)
    rindptr, rlive = after(old.rindptr, old.rlive, in_old, rgone, rh, rreached)
    return Steps(indptr, head.astype(np.int32), cost, relation, reversed_, strength,
                 live.astype(np.int32), rindptr, rindices.astype(np.int32),
                 reid.astype(np.int64), rcost, rlive.astype(np.int32))


class PathIndex:
    """The relations of a graph as arrays, with step graphs built on demand per (mode,
    relation types, weights) and kept (the last few) for the queries that follow.

    Parameters
    ----------
    g : the graph, as ``Store.to_networkx`` returns it (relations keyed by id, with ``type``,
        ``attributes`` and ``evidence``).
    """

    CACHED = 4  # step graphs kept: the two modes, and a couple of filtered ones

    def __init__(self, g: nx.MultiDiGraph) -> None:
        self.g, self.origin = g, "graph"  # how it was made: "graph", "rows" or "patch"
        with _collector_paused():
            # entities and relations in sorted order, so that equally strong paths come out
            # in the same order whichever store the graph was read from
            nodes = sorted(g)
            types = dict(g.nodes(data="type"))
            kind = np.array([KIND.get(types[x] or "", len(KINDS) - 1) for x in nodes], np.int8)
            src, dst, type_, factor, keys = self._relations(g, dict(zip(nodes,
                                                                        range(len(nodes)))))
            order = self._ordered(src, dst, keys)
        self._set(nodes, kind, keys, order.astype(np.int32), src[order], dst[order],
                  type_[order], factor[order], self._graph_data)

    @classmethod
    def from_rows(cls, rows, data: Callable[[list[tuple[str, str, str]]], dict]) -> PathIndex:
        """The index built from a store's rows (``Store.index_rows``: entities, relations
        with their dates, the best confidence of each one's evidence in each document) rather
        than from its whole graph: the arrays a build from ``to_networkx`` makes, in a
        fraction of the time and memory. ``data`` fetches the relations of answers (see
        ``patched``).

        >>> from types import SimpleNamespace as Rows
        >>> index = PathIndex.from_rows(Rows(
        ...     entities=[("a", "LobbyGroup", 0), ("m", "Person", 1)], evidence=[(0, 0.9, 1)],
        ...     relations=[("r1", 0, 0, 1, "LOBBIES", None, None)]), lambda want: {})
        >>> float(index.factor[0])
        0.9
        """
        with _collector_paused():
            n, m = len(rows.entities), len(rows.relations)
            nodes, types, numbers = map(list, zip(*rows.entities)) if n else ([], [], [])
            kind = np.fromiter((KIND.get(t or "", len(KINDS) - 1) for t in types), np.int8, n)
            position = _numbering(numbers, n)
            keys, numbers, sources, targets, kinds, starts, ends = \
                map(list, zip(*rows.relations)) if m else ([], [], [], [], [], [], [])
            src = position[np.array(sources, np.int64)].astype(np.int32)
            dst = position[np.array(targets, np.int64)].astype(np.int32)
            type_ = np.fromiter(map(CODE.__getitem__, kinds), np.uint8, m)
            number = _numbering(numbers, m)
            del sources, targets, kinds, numbers
            codes: dict[str | None, int] = {None: 0}  # when each was last seen: a code
            seen = np.fromiter((codes.setdefault(last_seen({"start": a, "end": b}), len(codes))
                                if a or b else 0 for a, b in zip(starts, ends)), np.int32, m)
            lasts = list(codes)
            ids, confidences, counts = zip(*rows.evidence) if rows.evidence else ((), (), ())
            # support: 1 - the product of each document's doubt; one piece of evidence: its
            # confidence (as graph.strength.support computes it, in the same order)
            at = number[np.array(ids, np.int64)]
            best = np.clip(np.array(confidences, np.float64), 0.0, 1.0)
            pieces = np.bincount(at, np.array(counts, np.float64), minlength=m)
            doubt = np.ones(m)
            np.multiply.at(doubt, at, 1.0 - best)
            support = 1.0 - doubt
            single = pieces[at] == 1
            support[at[single]] = best[single]
            evidenced = pieces > 0
            order = cls._ordered(src, dst, keys)
        ageing = Ageing(support[order], evidenced[order], seen[order], lasts)
        index = cls.__new__(cls)
        index.g, index.origin = None, "rows"
        index._set(nodes, kind, keys, order.astype(np.int32), src[order],
                   dst[order], type_[order], ageing.factor(), data)
        index.ageing = ageing
        return index

    def _set(self, nodes: Ids | list[str], kind: np.ndarray, keys: Ids | list[str],
             key_of: np.ndarray, src: np.ndarray, dst: np.ndarray, type_: np.ndarray,
             factor: np.ndarray, data: Callable[[list[tuple[str, str, str]]], dict],
             degree: np.ndarray | None = None) -> None:
        # the entity ids, sorted, and the relation ids as arrays (graph.ids), not strings
        self.nodes = nodes if isinstance(nodes, Ids) else Ids.of(nodes)
        self.position = _Positions(self.nodes)
        self.kind = kind  # each entity's type, a code of KINDS
        self.keys = keys if isinstance(keys, Ids) else Ids.of(keys)
        self.key_of = key_of  # relation r is self.keys[self.key_of[r]]
        self.src, self.dst, self.type, self.factor = src, dst, type_, factor
        self._data = data
        self.ageing: Ageing | None = None
        n = len(self.nodes)
        self.degree = degree if degree is not None else \
            np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)
        self._steps: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self._free: list[_Scratch] = []
        _compiled()

    def _graph_data(self, wanted: list[tuple[str, str, str]]) -> dict[str, dict]:
        return {key: self.g.edges[u, v, key] for u, v, key in wanted}

    def _relations(self, g: nx.MultiDiGraph, pos: dict[str, int]) -> tuple[np.ndarray, ...]:
        """Each relation's tail and head positions, type code, evidence factor (support x
        recency; 1 without evidence: the type's weight alone) and id, in the graph's order:
        one pass over its adjacency, the build's only loop in Python."""
        src, dst, type_, factor, keys = [], [], [], [], []
        aged: dict[str | None, float] = {None: 1.0}
        for u, neighbours in g.adjacency():
            a = pos[u]
            for v, relations in neighbours.items():
                b = pos[v]
                for key, data in relations.items():
                    src.append(a)
                    dst.append(b)
                    type_.append(CODE[data["type"]])
                    keys.append(key)
                    evidence = data.get("evidence")
                    if not evidence:
                        factor.append(1.0)
                        continue
                    attributes = data.get("attributes")
                    last = last_seen(attributes) if attributes else None
                    if last not in aged:
                        aged[last] = recency(last, None)
                    factor.append(support(evidence) * aged[last])
        return (np.array(src, np.int32), np.array(dst, np.int32), np.array(type_, np.uint8),
                np.array(factor), keys)

    @staticmethod
    def _ordered(src: np.ndarray, dst: np.ndarray, keys: list) -> np.ndarray:
        """The relations' order by tail, head and id (ids compared only between relations
        joining the same two entities, which are few)."""
        order = np.lexsort((dst, src))
        tail, head = src[order], dst[order]
        same = np.flatnonzero((tail[1:] == tail[:-1]) & (head[1:] == head[:-1]))
        if len(same):
            starts = same[np.r_[True, np.diff(same) > 1]]
            ends = same[np.r_[np.diff(same) > 1, True]] + 2
            for a, b in zip(starts, ends):
                order[a:b] = sorted(order[a:b], key=keys.__getitem__)
        return order

    @property
    def nbytes(self) -> int:
        """Bytes held by the index's arrays (relations, entity and relation ids, and the step
        graphs built so far)."""
        arrays = self.src.nbytes + self.dst.nbytes + self.type.nbytes + self.factor.nbytes \
            + self.degree.nbytes + self.kind.nbytes
        steps = sum(s.nbytes for s in self._steps.values())
        return arrays + self.nodes.nbytes + self.keys.nbytes + self.key_of.nbytes + steps

    def steps(self, mode: str = "influence", relation_types: Iterable[str] | None = None,
              weights: dict[str, float] | None = None) -> Steps:
        """The step graph for a mode and filters, built or taken from the cache."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        wanted = frozenset(map(str, relation_types)) if relation_types else None
        key = (mode, wanted, tuple(sorted((weights or {}).items())))
        with self._lock:
            if key in self._steps:
                self._steps.move_to_end(key)
                return self._steps[key]
        built = self._build(mode, wanted, weights)
        with self._lock:
            self._steps[key] = built
            while len(self._steps) > self.CACHED:
                self._steps.popitem(last=False)
        return built

    def _candidates(self, rel: np.ndarray, mode: str, weights: dict | None
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The steps the relations at positions ``rel`` (ascending) give: each forward and,
        where walked back, backward, as (tail, head, relation, strength), the forward ones
        first, each in the order of ``rel``."""
        table = np.array([[weight(t, k or None, weights) for k in KINDS] for t in TYPES])
        base = table[self.type[rel], self.kind[self.dst[rel]]] * self.factor[rel]
        walked_back = BOTH[self.type[rel]] | (mode == "connection")
        back, back_base = rel[walked_back], base[walked_back]
        factor = np.where(BOTH[self.type[back]], 1.0, parameters()["reverse_factor"])
        tail = np.concatenate([self.src[rel], self.dst[back]])
        head = np.concatenate([self.dst[rel], self.src[back]])
        relation = np.concatenate([rel, back])
        strength = np.maximum(np.concatenate([base, back_base * factor]), FLOOR)
        return tail, head, relation, strength

    def _kept(self, wanted: frozenset | None) -> np.ndarray:
        """The relations a step graph walks: of the types ``wanted``, not to themselves."""
        keep = np.ones(len(self.src), bool) if wanted is None else \
            np.isin(self.type, [CODE[t] for t in wanted if t in CODE])
        keep &= self.src != self.dst
        return keep

    def _build(self, mode: str, wanted: frozenset | None, weights: dict | None) -> Steps:
        rel = np.flatnonzero(self._kept(wanted)).astype(np.int32)
        # each relation's step, and its step back where it is walked back
        tail, head, relation, strength = self._candidates(rel, mode, weights)
        n = len(self.nodes)
        # one step per ordered pair: the strongest, the first found among equals
        # (in the order of the relations, tails are in two ascending runs: a merging sort
        # is quicker here than counting)
        order = _by(tail.astype(np.int64) * n + head, -strength)
        tail, head, strength = tail[order], head[order], strength[order]
        first = np.ones(len(order), bool)
        first[1:] = (tail[1:] != tail[:-1]) | (head[1:] != head[:-1])
        tail, head, strength, at = tail[first], head[first], strength[first], order[first]
        cost = -np.log(strength)
        # each node's steps to entities that go on first, then those to dead ends (entities
        # with no step onwards, or backwards none into them), each run cheapest first, so a
        # search reads dead ends only at its two ends and stops reading a run at the first
        # step that cannot beat the best path found; equals by head (the steps are in order
        # of tail and head now, and each sort keeps the order of equals)
        goes_on = np.bincount(tail, minlength=n)[head] > 0
        reached = np.bincount(head, minlength=n)[tail] > 0
        order = _by(tail.astype(np.int64) * 2 + ~goes_on, cost, 2 * n)
        tail, head, strength, cost = tail[order], head[order], strength[order], cost[order]
        goes_on, reached, at = goes_on[order], reached[order], at[order]
        # each step's relation, gathered once: where the step stands among the forward steps
        # and then the backward ones
        relation, reversed_ = relation[at], at >= len(rel)
        indptr = np.zeros(n + 1, np.int64)
        np.cumsum(np.bincount(tail, minlength=n), out=indptr[1:])
        by_head = _by(head.astype(np.int64) * 2 + ~reached, cost, 2 * n)  # equals by tail
        rindptr = np.zeros(n + 1, np.int64)
        np.cumsum(np.bincount(head, minlength=n), out=rindptr[1:])
        return Steps(indptr, head.astype(np.int32), cost, relation, reversed_, strength,
                     np.bincount(tail[goes_on], minlength=n).astype(np.int32),
                     rindptr, tail[by_head].astype(np.int32), by_head.astype(np.int64),
                     cost[by_head], np.bincount(head[reached], minlength=n).astype(np.int32))

    def paths(self, source: str, target: str, k: int = 3, max_hops: int = 4,
              mode: str = "influence", relation_types: Iterable[str] | None = None,
              entity_types: Iterable[str] | None = None, hub_penalty: float = 0.0,
              weights: dict[str, float] | None = None) -> list[InfluencePath]:
        """The ``k`` strongest loopless paths of at most ``max_hops`` hops, strongest first:
        the answer of ``graph.paths.influence_paths`` with the same arguments (it also takes
        ``as_of`` and ``min_confidence``, which need each piece of evidence; the index does
        not hold those).

        >>> g = nx.MultiDiGraph()
        >>> for n, t in [("a", "LobbyGroup"), ("b", "Person"), ("c", "Person"), ("z", "Agency")]:
        ...     g.add_node(n, name=n.upper(), type=t)
        >>> for key, (u, v) in enumerate([("a", "b"), ("a", "c"), ("b", "z"), ("c", "z")]):
        ...     _ = g.add_edge(u, v, key=f"r{key}", type="LOBBIES" if u == "a" else "ROLE_AT",
        ...                    attributes={}, evidence=[])
        >>> [p.nodes for p in PathIndex(g).paths("a", "z", k=5)]
        [['a', 'b', 'z'], ['a', 'c', 'z']]
        """
        for end in (source, target):
            if end not in self.position:
                raise KeyError(f"no entity {end!r} in the graph")
        if source == target or k < 1 or max_hops < 1:
            return []
        if max_hops > 63:
            raise ValueError("max_hops must be at most 63")
        steps = self.steps(mode, relation_types, weights)
        s, t = self.position[source], self.position[target]
        penalty = hub_penalty * np.log1p(self.degree) if hub_penalty else np.zeros(0)
        type_off = np.zeros(0, np.uint8)
        if entity_types:
            type_off = (~np.isin(self.kind, [KIND[str(x)] for x in entity_types
                                             if str(x) in KIND])).astype(np.uint8)
            type_off[[s, t]] = 0
        search = _Search(self, steps, t, max_hops, penalty, type_off)
        return self._answer(steps, search.yen(s, k))

    def influencers(self, target: str, max_hops: int = 3, limit: int = 50) -> list[Ranked]:
        """The entities that can influence ``target`` within ``max_hops``, strongest first:
        the answer of ``graph.analytics.influencers`` (with no filters), over the influence
        step graph's steps into each entity.

        >>> g = nx.MultiDiGraph()
        >>> for n, t in [("a", "LobbyGroup"), ("m", "Person"), ("d", "Agency")]:
        ...     g.add_node(n, type=t)
        >>> _ = g.add_edge("a", "m", key="r1", type="LOBBIES", attributes={}, evidence=[])
        >>> _ = g.add_edge("m", "d", key="r2", type="ROLE_AT", attributes={}, evidence=[])
        >>> [(r.entity, r.hops) for r in PathIndex(g).influencers("d")]
        [('m', 1), ('a', 2)]
        """
        t = self.position[target]
        steps = self.steps("influence")
        rindptr, rindices, rcost = steps.rindptr, steps.rindices, steps.rcost

        def into(v: int):
            a, b = rindptr[v], rindptr[v + 1]
            return zip(rindices[a:b].tolist(), rcost[a:b].tolist())

        best = best_paths(into, t, max_hops)
        nodes = self.nodes
        return ranked_influencers({nodes[v]: (c, hops, [nodes[x] for x in path])
                                   for v, (c, hops, path) in best.items()}, target, limit)

    def _scratch(self, m: int) -> _Scratch:
        with self._lock:
            while self._free:
                w = self._free.pop()
                if w.size == (len(self.nodes), m):
                    return w
        return _Scratch(len(self.nodes), m)

    def _release(self, w: _Scratch) -> None:
        with self._lock:
            self._free.append(w)

    def _relation(self, r: int) -> tuple[str, str, str]:
        """Relation ``r``'s source, target and id."""
        return self.nodes[self.src[r]], self.nodes[self.dst[r]], self.keys[self.key_of[r]]

    def _answer(self, steps: Steps, found: list[tuple[list[int], list[int], float]]
                ) -> list[InfluencePath]:
        """The paths found, with each hop's relation (type, attributes, evidence) fetched at
        once from where the index's relations are kept (the graph it was built from, or the
        store a patched index reads)."""
        data = self._data(list({self._relation(int(steps.relation[e]))
                                for _, edges, _ in found for e in edges}))
        out = []
        for nodes, edges, cost in found:
            hops = []
            for a, b, e in zip(nodes, nodes[1:], edges):
                key = self.keys[self.key_of[int(steps.relation[e])]]
                d = data[key]
                hops.append(Hop(self.nodes[a], self.nodes[b], key, RelationType(d["type"]),
                                d.get("attributes", {}), tuple(d.get("evidence", ())),
                                bool(steps.reversed[e]), float(steps.strength[e])))
            out.append(InfluencePath([self.nodes[x] for x in nodes], hops, cost))
        return out

    def patched(self, entities: Mapping[str, str | None],
                relations: Mapping[str, Iterable[tuple[str, str]]],
                current: Iterable[tuple[str, str, str, str, float]],
                data: Callable[[list[tuple[str, str, str]]], dict]) -> PathIndex:
        """A new index: this one with a store's changes made (this one stays as it was, for
        the queries running on it). ``entities`` maps the ids of entities changed to their
        type now (None: deleted); ``relations`` maps the ids of relations changed to the ends
        (source, target) where this index may hold them; ``current`` lists those that exist
        now as (id, source, target, type, factor: see ``evidence_factor``); ``data`` fetches
        the type, attributes and evidence of relations, by (source, target, id), for answers.

        Costs a few passes of numpy over the arrays and none of Python over the graph: kept
        entities keep their order (new ones are put in their sorted places) and kept
        relations theirs (new ones are put in theirs), so the arrays are as a build from the
        whole graph would make them. Step graphs are built again when first asked for.
        Raises KeyError when a relation's end is an entity neither this index nor
        ``entities`` holds.

        >>> g = nx.MultiDiGraph()
        >>> g.add_node("a", type="LobbyGroup"); g.add_node("m", type="Person")
        >>> _ = g.add_edge("a", "m", key="r1", type="LOBBIES", attributes={}, evidence=[])
        >>> edges = {"r1": {"type": "LOBBIES"}, "r2": {"type": "ROLE_AT"}}
        >>> fresh = PathIndex(g).patched({"d": "Agency"}, {"r2": []},
        ...     [("r2", "m", "d", "ROLE_AT", 1.0)], lambda want: {k: edges[k] for *_, k in want})
        >>> [p.nodes for p in fresh.paths("a", "d")]
        [['a', 'm', 'd']]
        """
        old, position = self.nodes, self.position
        gone = sorted({position[e] for e, t in entities.items() if t is None and e in position})
        new_ids = sorted(e for e, t in entities.items() if t is not None and e not in position)
        nodes = old.spliced(gone, new_ids)
        # where each old entity goes: down by those deleted before it, up by those put before
        n_old, n = len(old), len(nodes)
        up = np.zeros(n_old + 1, np.int64)
        np.add.at(up, [old.bisect(e) for e in new_ids], 1)
        down = np.zeros(n_old + 1, np.int64)
        np.add.at(down, np.array(gone, np.int64) + 1, 1)
        moved = (np.arange(n_old) + np.cumsum(up)[:n_old] - np.cumsum(down)[:n_old]
                 ).astype(np.int32)
        moved[gone] = -1
        kept = moved >= 0
        kind = np.empty(n, np.int8)
        kind[moved[kept]] = self.kind[kept]
        fresh = _Positions(nodes)
        for e, t in entities.items():
            if t is not None:
                kind[fresh[e]] = KIND.get(t, len(KINDS) - 1)
        # relations: out go those changed (found by their ends) and those of deleted entities
        drop = np.zeros(len(self.src), bool)
        for key, ends in relations.items():
            for u, v in ends:
                a, b = position.get(u), position.get(v)
                if a is None or b is None:
                    continue
                lo, hi = np.searchsorted(self.src, [a, a + 1])
                first, last = lo + np.searchsorted(self.dst[lo:hi], [b, b + 1])
                for r in range(first, last):
                    drop[r] |= self.keys[self.key_of[r]] == key
        if gone:
            drop |= (moved[self.src] < 0) | (moved[self.dst] < 0)
        degree = np.zeros(n, self.degree.dtype)  # the kept entities' less what goes out
        degree[moved[kept]] = self.degree[kept]
        for ends in (self.src[drop], self.dst[drop]):
            np.subtract.at(degree, moved[ends][moved[ends] >= 0], 1)
        # the pairs of entities whose steps change: those a relation leaves or joins, and
        # every pair of an entity whose type changed
        pairs = {(min(a, b), max(a, b)) for a, b in zip(moved[self.src[drop]].tolist(),
                                                       moved[self.dst[drop]].tolist())
                 if a >= 0 and b >= 0}
        if drop.any():
            keep = ~drop
            src, dst = moved[self.src[keep]], moved[self.dst[keep]]
            type_, factor, key_of = self.type[keep], self.factor[keep], self.key_of[keep]
        else:  # nothing out: the arrays as they are, renumbered
            src, dst = moved[self.src], moved[self.dst]
            type_, factor, key_of = self.type, self.factor, self.key_of
        # in come those that exist now, each in its place by tail, head and id
        added = sorted((fresh[u], fresh[v], key, CODE[t], f) for key, u, v, t, f in current)
        pairs |= {(min(a, b), max(a, b)) for a, b, _, _, _ in added}
        keys = self.keys.extended([key for _, _, key, _, _ in added])
        at: list[int] = []
        if added:
            pair = src.astype(np.int64) * n + dst
            at = []
            for a, b, key, _, _ in added:
                i = int(np.searchsorted(pair, a * n + b))
                while i < len(pair) and pair[i] == a * n + b and keys[key_of[i]] < key:
                    i += 1
                at.append(i)
            column = list(zip(*added))
            src = np.insert(src, at, np.array(column[0], np.int32))
            dst = np.insert(dst, at, np.array(column[1], np.int32))
            type_ = np.insert(type_, at, np.array(column[3], np.uint8))
            factor = np.insert(factor, at, np.array(column[4], np.float64))
            key_of = np.insert(key_of, at, np.arange(len(self.keys), len(keys), dtype=np.int32))
            for ends in column[:2]:  # and more what comes in
                np.add.at(degree, list(ends), 1)
        index = PathIndex.__new__(PathIndex)
        index.g, index.origin = None, "patch"
        index._set(nodes, kind, keys, key_of, src, dst, type_, factor, data, degree)
        retyped = np.flatnonzero(kind[moved[kept]] != self.kind[kept])
        if len(retyped) > 100 or not self._steps:
            return index  # step graphs built again when first asked for
        for e in moved[kept][retyped]:
            ends = np.flatnonzero((src == e) | (dst == e))
            pairs |= {(min(a, b), max(a, b)) for a, b in zip(src[ends].tolist(),
                                                           dst[ends].tolist())}
        # where each relation went: down by those dropped before it, up by those put before
        place = np.cumsum(~drop) - 1
        rel_moved = np.where(drop, -1, place + np.searchsorted(np.array(at, np.int64), place,
                                                                "right"))
        # the step graph asked for last is patched; any other is built when asked for (so a
        # write costs one patch, and no old step graph is held for a question not asked)
        with self._lock:
            key, steps = next(reversed(self._steps.items()))
        mode, wanted, weights = key
        patched = _patch_steps(steps, index, moved, rel_moved, pairs, old, mode, wanted,
                               dict(weights) or None)
        if patched is not None:
            index._steps[key] = patched
        return index

    @property
    def node_type(self) -> np.ndarray:
        """Each entity's type ("" where none is known), in the order of ``nodes``."""
        return np.array(KINDS, dtype=object)[self.kind]

    @property
    def relations(self) -> int:
        """How many relations the index holds."""
        return len(self.src)


class _Search:
    """One influence-path query on the index: Yen's k shortest loopless paths of at most
    ``max_hops`` hops to ``target``, with Lawler's saving (a path's spurs are searched from
    where it left the path it came from on). Each spur search borrows scratch arrays from the
    index's pool, so queries run side by side on the server's threads. (Running one path's
    spur searches side by side as well was tried: on two cores it gained nothing at 1M
    entities; the searches wait on memory, not on the processor.)

    Most spurs' paths cost more than the answer's last, and until the candidates hold enough
    paths nothing bounds their search. So a spur is first searched only within ``HOPE`` of the
    cost of the path it leaves; a spur with nothing there goes among the candidates at that
    cost, a bound on its path's, and is searched whole only if it comes first. The answer is
    Yen's: each spur's best path is found before any dearer candidate is taken."""

    # a spur is first searched only for paths within this much of the cost of the path it
    # leaves (0.25: strength down to 78% of it); 0.1-0.5 all did alike on the benchmark
    HOPE = 0.25

    def __init__(self, index: PathIndex, steps: Steps, target: int, max_hops: int, penalty,
                 type_off) -> None:
        self.index, self.steps, self.t, self.max_hops = index, steps, target, max_hops
        self.penalty, self.type_off = penalty, type_off
        self.far = None
        self.lock = threading.Lock()

    def spur(self, a: int, hops: int, limit: float = math.inf, root: list[int] | None = None,
             blocked: list[int] | None = None) -> tuple[float, np.ndarray]:
        """The cheapest path from ``a`` to the target of at most ``hops`` hops, cheaper than
        ``limit``, avoiding the ``root`` nodes and the ``blocked`` steps (out of ``a``):
        bidirectional Dijkstra, and only if its path is too long, the search over (node, hops)
        states."""
        steps, w = self.steps, self.index._scratch(len(self.steps.head))
        root, blocked = np.asarray(root or [], np.int64), np.asarray(blocked or [], np.int64)
        w.flags[root] |= OFF
        w.edge_off[blocked] = 1
        try:
            cost, edges = _spur(steps.indptr, steps.head, steps.cost, steps.live,
                                steps.rindptr, steps.rindices, steps.reid, steps.rcost,
                                steps.rlive, self.penalty, a, self.t, limit, self.type_off,
                                w.flags, w.edge_off, w.dist, w.via_f, w.via_b, w.touched)
            if len(edges) > hops:
                with self.lock:
                    if self.far is None:
                        self.far = _hops_to(steps.rindptr, steps.rindices, self.t,
                                            self.max_hops)
                cost, edges = _spur_within(steps.indptr, steps.head, steps.cost, self.penalty,
                                           a, self.t, hops, limit, self.type_off, w.flags,
                                           w.edge_off, self.far)
        finally:
            w.flags[root] &= ~np.uint8(OFF)
            w.edge_off[blocked] = 0
            self.index._release(w)
        return cost, edges

    def weight(self, e: int) -> float:
        head = int(self.steps.head[e])
        return float(self.steps.cost[e]) + (float(self.penalty[head])
                                            if len(self.penalty) and head != self.t else 0.0)

    def nodes(self, start: int, edges) -> list[int]:
        return [start, *(int(self.steps.head[e]) for e in edges)]

    def yen(self, s: int, k: int) -> list[tuple[list[int], list[int], float]]:
        cost, edges = self.spur(s, self.max_hops)
        if not len(edges):
            return []
        # a candidate: (cost, counter, nodes, edges, deviation, later); ``later`` is None for
        # a path, or (root cost, blocked steps) for a spur searched only within ``cost`` so
        # far, whose path costs at least that: searched again when it comes first
        candidates = [(cost, 0, self.nodes(s, edges), list(edges), 0, None)]
        seen = {tuple(candidates[0][2])}
        accepted: list[tuple[list[int], list[int]]] = []
        found: list[tuple[list[int], list[int], float]] = []
        counter = 1

        def limit(root_cost: float) -> float:
            """What a spur may cost and still matter: once the candidates hold enough paths
            for the rest of the answer, one dearer than all of those is never popped."""
            need = k - len(found)
            paths = [c[0] for c in candidates if c[5] is None]
            if len(paths) < need:
                return math.inf
            return heapq.nsmallest(need, paths)[-1] - root_cost + 1e-12

        def search(nodes: list[int], edges: list[int], i: int, root_cost: float,
                   blocked: list[int], hoped: float) -> None:
            """The spur at ``nodes[i]``, first only within ``hoped`` (a whole path's cost)
            when that is below the limit: most spurs' paths are dearer than the answer's
            last, and a bounded search costs a fraction of a full one."""
            nonlocal counter
            root, bound = nodes[:i + 1], limit(root_cost)
            hoping = hoped - root_cost < bound
            spur_cost, spur_edges = self.spur(nodes[i], self.max_hops - i,
                                              hoped - root_cost if hoping else bound,
                                              root[:-1], blocked)
            if len(spur_edges):
                path = root[:-1] + self.nodes(nodes[i], spur_edges)
                if tuple(path) not in seen:
                    seen.add(tuple(path))
                    heapq.heappush(candidates, (root_cost + spur_cost, counter, path,
                                                edges[:i] + list(spur_edges), i, None))
                    counter += 1
            elif hoping:
                heapq.heappush(candidates, (hoped, counter, nodes, edges, i,
                                            (root_cost, blocked)))
                counter += 1

        while candidates and len(found) < k:
            cost, _, nodes, edges, deviation, later = heapq.heappop(candidates)
            if later is not None:  # its path costs at least all the others: search it whole
                search(nodes, edges, deviation, *later, math.inf)
                continue
            accepted.append((nodes, edges))
            found.append((nodes, edges, cost))
            if len(found) == k:
                break
            root_cost = sum(self.weight(e) for e in edges[:deviation])
            for i in range(deviation, len(edges)):
                blocked = [p_edges[i] for p_nodes, p_edges in accepted
                           if len(p_edges) > i and p_nodes[:i + 1] == nodes[:i + 1]]
                search(nodes, edges, i, root_cost, blocked, cost + self.HOPE)
                root_cost += self.weight(edges[i])
        return found
