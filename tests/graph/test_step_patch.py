"""Property test: the step graph an index patched with a write (``PathIndex.patched``)
patches is, array for array, the step graph a build of the graph after the write makes: on
random small multigraphs and random writes (relations added, removed and changed, entities
added, deleted and retyped), for both modes and a filtered, reweighted step graph."""
from __future__ import annotations

import networkx as nx
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import graph.index
from graph.index import PathIndex, evidence_factor
from graph.model import Evidence

TYPES = ["Person", "LobbyGroup", "Company", "Agency", "Initiative"]
RELATIONS = ["LOBBIES", "ROLE_AT", "MEETS", "FUNDS", "PARTY_TO", "ASSOCIATED_WITH"]
STEP_GRAPHS = [("influence", None, None), ("connection", None, None),
               ("influence", ["LOBBIES", "ROLE_AT", "MEETS"], {"MEETS": 0.9})]
ARRAYS = ["indptr", "head", "cost", "relation", "reversed", "strength", "live", "rindptr",
          "rindices", "reid", "rcost", "rlive"]


def edge(g, u, v, key, draw):
    confidence = draw(st.sampled_from([0.3, 0.5, 0.8, 1.0]))
    g.add_edge(u, v, key=key, type=draw(st.sampled_from(RELATIONS)), attributes={},
               evidence=[Evidence("d", "q", 0, 1, "t", confidence)])


@st.composite
def writes(draw):
    """A graph, and the graph after one write."""
    n = draw(st.integers(3, 12))
    g = nx.MultiDiGraph()
    for i in range(n):
        g.add_node(f"n{i:02d}", name=f"N{i}", type=draw(st.sampled_from(TYPES)))
    nodes = sorted(g)
    for j in range(draw(st.integers(0, 4 * n))):
        edge(g, draw(st.sampled_from(nodes)), draw(st.sampled_from(nodes)), f"r{j:03d}", draw)
    after = g.copy()
    for key in draw(st.lists(st.sampled_from([k for *_, k in g.edges(keys=True)] or ["-"]),
                             max_size=4, unique=True)):
        for u, v, k in list(after.edges(keys=True)):
            if k == key:
                after.remove_edge(u, v, k)
                if draw(st.booleans()):  # changed rather than removed
                    edge(after, u, v, k, draw)
    for i in range(draw(st.integers(0, 2))):  # new entities, named in sorted places
        after.add_node(f"n{draw(st.integers(0, n)):02d}x{i}", name="New",
                       type=draw(st.sampled_from(TYPES)))
    for node in draw(st.lists(st.sampled_from(nodes), max_size=2, unique=True)):
        if draw(st.booleans()):
            after.remove_node(node)
        else:
            after.nodes[node]["type"] = draw(st.sampled_from(TYPES))
    now = sorted(after)
    for j in range(draw(st.integers(0, 5))):
        edge(after, draw(st.sampled_from(now)), draw(st.sampled_from(now)), f"s{j:03d}", draw)
    return g, after


def change(before: nx.MultiDiGraph, after: nx.MultiDiGraph):
    """What ``GraphView`` reads from a store's change log, for ``PathIndex.patched``."""
    entities = {x: after.nodes[x]["type"] if x in after else None for x in set(before) | set(after)
                if x not in after or x not in before
                or after.nodes[x]["type"] != before.nodes[x]["type"]}
    old = {k: (u, v, d) for u, v, k, d in before.edges(keys=True, data=True)}
    new = {k: (u, v, d) for u, v, k, d in after.edges(keys=True, data=True)}
    touched = {k for k in old.keys() | new.keys()
               if k not in old or k not in new or old[k] != new[k]}
    ends = {k: [old[k][:2]] if k in old else [] for k in touched}
    current = [(k, u, v, d["type"], evidence_factor(d["attributes"], d["evidence"]))
               for k in sorted(touched) if k in new for u, v, d in [new[k]]]
    return entities, ends, current


@settings(max_examples=300, deadline=None)
@given(writes())
def test_a_patched_step_graph_is_the_step_graph_of_the_graph_after_the_write(write):
    before, after = write
    built = PathIndex(after)
    for mode, types, weights in STEP_GRAPHS:  # the step graph asked for last is patched
        index = PathIndex(before)
        index.steps(mode, types, weights)
        limit, graph.index.PATCH_LIMIT = graph.index.PATCH_LIMIT, float("inf")  # any write
        try:
            patched = index.patched(*change(before, after), lambda want: {})
        finally:
            graph.index.PATCH_LIMIT = limit
        assert len(patched._steps) == 1, "built again, not patched"
        got, want = patched.steps(mode, types, weights), built.steps(mode, types, weights)
        for name in ARRAYS:
            np.testing.assert_array_equal(getattr(got, name), getattr(want, name),
                                          err_msg=f"{name} of the {mode} steps {types}")


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 3000), st.data())
def test_a_splice_is_a_delete_then_an_insert_however_many_the_edits(size, data):
    """``_splice`` (one copy by pieces for a few edits, two vectorised copies for many) is
    ``np.delete`` then ``np.insert`` at the places left."""
    x = np.arange(size)
    drop = np.array(sorted(data.draw(st.sets(st.integers(0, max(size - 1, 0)), max_size=1500)
                                     if size else st.just(set()))), np.int64)
    at = np.array(sorted(data.draw(st.lists(st.integers(0, size), max_size=1500))), np.int64)
    values = -np.arange(1, len(at) + 1)
    want = np.insert(np.delete(x, drop), at - np.searchsorted(drop, at), values)
    np.testing.assert_array_equal(graph.index._splice(x, drop, at, values), want)
