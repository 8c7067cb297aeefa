"""Property tests: on random small multigraphs, influence paths equal a networkx reference
(``shortest_simple_paths`` over the same hop costs), are loopless, and keep to their filters;
for both engines: ``graph.paths`` on networkx and the compiled ``graph.index.PathIndex``."""
from __future__ import annotations

import math
from itertools import islice

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.analytics import influencers
from graph.index import PathIndex, _Search
from graph.model import Evidence
from graph.paths import influence_paths, step_graph

ENGINES = {"networkx": influence_paths,
           "index": lambda g, s, t, **kw: PathIndex(g).paths(s, t, **kw)}
engines = pytest.mark.parametrize("engine", list(ENGINES))

TYPES = ["Person", "LobbyGroup", "Company", "Agency", "Initiative"]
RELATIONS = ["LOBBIES", "ROLE_AT", "MEETS", "FUNDS", "PARTY_TO", "ASSOCIATED_WITH"]


@st.composite
def graphs(draw):
    n = draw(st.integers(3, 9))
    g = nx.MultiDiGraph()
    for i in range(n):
        g.add_node(f"n{i}", name=f"N{i}", type=draw(st.sampled_from(TYPES)))
    for j in range(draw(st.integers(0, 3 * n))):
        u, v = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        if u == v:
            continue
        confidences = draw(st.lists(st.sampled_from([0.3, 0.5, 0.8, 1.0]), min_size=1,
                                    max_size=2))
        g.add_edge(f"n{u}", f"n{v}", key=f"r{j}", type=draw(st.sampled_from(RELATIONS)),
                   attributes={}, evidence=[Evidence(f"d{i}", "q", 0, 1, "t", c)
                                            for i, c in enumerate(confidences)])
    return g


def reference(g, s, t, k, max_hops, **filters):
    """networkx's Yen over the same hop costs, hop-limited afterwards."""
    h = step_graph(g, keep=(s, t), **filters)
    if s not in h or t not in h:
        return []
    try:
        paths = [p for p in islice(nx.shortest_simple_paths(h, s, t, weight="cost"), 500)
                 if len(p) - 1 <= max_hops]
    except nx.NetworkXNoPath:
        return []
    return [sum(h.edges[a, b]["cost"] for a, b in zip(p, p[1:])) for p in paths[:k]]


@engines
@settings(max_examples=150, deadline=None)
@given(graphs(), st.integers(1, 5), st.integers(1, 4), st.sampled_from(["influence", "connection"]))
def test_costs_and_order_equal_the_networkx_reference(engine, g, k, max_hops, mode):
    s, t = "n0", "n1"
    found = ENGINES[engine](g, s, t, k=k, max_hops=max_hops, mode=mode)
    expected = reference(g, s, t, k, max_hops, mode=mode)
    assert [round(p.cost, 9) for p in found] == [round(c, 9) for c in expected]
    for p in found:
        assert len(set(p.nodes)) == len(p.nodes), "a path must be loopless"
        assert p.nodes[0] == s and p.nodes[-1] == t and p.length <= max_hops
        assert math.isclose(p.strength, math.exp(-p.cost))
        for hop, (a, b) in zip(p.hops, zip(p.nodes, p.nodes[1:])):
            assert (hop.source, hop.target) == (a, b)
            assert mode == "connection" or not hop.reversed or hop.type.symmetric


@settings(max_examples=100, deadline=None)
@given(graphs(), st.sets(st.sampled_from(RELATIONS), min_size=1, max_size=3),
       st.sets(st.sampled_from(TYPES), min_size=1, max_size=3), st.sampled_from([None, 0.5, 0.9]))
def test_filters_hold(g, relation_types, entity_types, min_confidence):
    found = influence_paths(g, "n0", "n1", k=4, max_hops=4, relation_types=relation_types,
                            entity_types=entity_types, min_confidence=min_confidence)
    expected = reference(g, "n0", "n1", 4, 4, relation_types=relation_types,
                         entity_types=entity_types, min_confidence=min_confidence)
    assert [round(p.cost, 9) for p in found] == [round(c, 9) for c in expected]
    check_filters(g, found, relation_types, entity_types, min_confidence)


@settings(max_examples=100, deadline=None)
@given(graphs(), st.sets(st.sampled_from(RELATIONS), min_size=1, max_size=3),
       st.sets(st.sampled_from(TYPES), min_size=1, max_size=3), st.floats(0.0, 2.0),
       st.sampled_from(["influence", "connection"]))
def test_index_filters_equal_the_reference(g, relation_types, entity_types, penalty, mode):
    """The filters the index takes (relation and entity types, hub penalty, weights) give the
    networkx engine's answer, path for path."""
    kw = dict(k=4, max_hops=4, mode=mode, relation_types=relation_types,
              entity_types=entity_types, hub_penalty=penalty, weights={"MEETS": 0.2})
    found = PathIndex(g).paths("n0", "n1", **kw)
    expected = influence_paths(g, "n0", "n1", **kw)
    assert [round(p.cost, 9) for p in found] == [round(p.cost, 9) for p in expected]
    assert [round(p.strength, 9) for p in found] == [round(p.strength, 9) for p in expected]
    check_filters(g, found, relation_types, entity_types, None)


def check_filters(g, found, relation_types, entity_types, min_confidence):
    for p in found:
        assert {h.type.value for h in p.hops} <= relation_types
        assert all(g.nodes[n]["type"] in entity_types for n in p.nodes[1:-1])
        if min_confidence is not None:
            assert all(any(e.confidence >= min_confidence for e in h.evidence) for h in p.hops)


@engines
@settings(max_examples=60, deadline=None)
@given(graphs(), st.floats(0.1, 3.0))
def test_hub_penalty_only_reorders_and_never_invents_paths(engine, g, penalty):
    paths = ENGINES[engine]
    plain = {tuple(p.nodes) for p in paths(g, "n0", "n1", k=50, max_hops=3)}
    damped = paths(g, "n0", "n1", k=50, max_hops=3, hub_penalty=penalty)
    assert {tuple(p.nodes) for p in damped} == plain
    assert [p.cost for p in damped] == sorted(p.cost for p in damped)


@settings(max_examples=300, deadline=None)
@given(graphs(), st.sets(st.integers(2, 8)), st.sets(st.integers(0, 40)),
       st.one_of(st.just(math.inf), st.floats(0.5, 6.0)), st.sampled_from([0.0, 0.8]),
       st.sampled_from(["connection", "influence"]))
def test_spur_search_equals_dijkstra(g, off, blocked, limit, penalty, mode):
    """One spur search of the index (a bidirectional Dijkstra that stops reading a node's
    steps, cheapest first, once none can beat the best path found) costs what networkx's
    Dijkstra finds over the same steps without the nodes switched off and the source's steps
    blocked (as Yen blocks them), or returns ``limit`` and no path when nothing is cheaper.
    Influence mode has dead ends (entities no step leaves or enters), whose steps the
    searches read only at the source and the target."""
    index = PathIndex(g)
    steps = index.steps(mode)
    s, t = index.position["n0"], index.position["n1"]
    off = [index.position[f"n{i}"] for i in off if f"n{i}" in index.position]
    first, last = steps.indptr[s], steps.indptr[s + 1]
    blocked = [first + e for e in blocked if first + e < last]
    damping = penalty * np.log1p(index.degree) if penalty else np.zeros(0)
    search = _Search(index, steps, t, 63, damping, np.zeros(0, np.uint8))
    cost, edges = search.spur(s, 63, limit, root=off, blocked=blocked)

    h = nx.DiGraph()
    h.add_nodes_from([s, t])
    tails = np.repeat(np.arange(len(steps.indptr) - 1), np.diff(steps.indptr))
    for e, (a, b) in enumerate(zip(tails, steps.head)):
        if a not in off and b not in off and e not in blocked:
            h.add_edge(a, b, cost=steps.cost[e] + (damping[b] if penalty and b != t else 0))
    try:
        expected = nx.dijkstra_path_length(h, s, t, weight="cost")
    except nx.NetworkXNoPath:
        expected = math.inf
    if expected < limit:
        assert math.isclose(cost, expected, abs_tol=1e-9)
        assert math.isclose(sum(search.weight(e) for e in edges), cost, abs_tol=1e-9)
        assert search.nodes(s, edges)[-1] == t and tails[edges[0]] == s
    else:
        assert cost == limit and len(edges) == 0


@settings(max_examples=150, deadline=None)
@given(graphs(), st.integers(1, 4))
def test_influencers_on_the_index_are_those_on_networkx(g, max_hops):
    index = PathIndex(g)
    for target in g:
        ours = {r.entity: (round(r.score, 9), r.hops)
                for r in index.influencers(target, max_hops, limit=len(g))}
        theirs = {r.entity: (round(r.score, 9), r.hops)
                  for r in influencers(g, target, max_hops, limit=len(g))}
        assert ours == theirs


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6), st.sampled_from([0.5, 1.0, 2.0])),
                max_size=60))
def test_the_step_graph_sorts_order_as_lexsort_does(rows):
    """The step graph's sorts (by comparison, and by counting where the keys are small) give
    ``np.lexsort``'s order: by key, then cost, then place."""
    import numpy as np

    from graph.index import _by

    key = np.array([r[0] for r in rows], np.int64)
    key = key * 7 + np.array([r[1] for r in rows], np.int64)
    cost = np.array([r[2] for r in rows])
    assert list(_by(key, cost)) == list(np.lexsort((cost, key)))
    assert list(_by(key, cost, 49)) == list(np.lexsort((cost, key)))
