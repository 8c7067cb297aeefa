"""Influence paths v0 on small graphs built by hand, and on the seed."""
from __future__ import annotations

import networkx as nx
import pytest

from graph.model import Evidence
from graph.paths import influence_paths


def graph(*edges: tuple[str, str, str]) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for i, (u, rel, v) in enumerate(edges):
        for n in (u, v):
            g.add_node(n, name=n.upper(), type="Person")
        g.add_edge(u, v, key=f"r{i}", type=rel, attributes={},
                   evidence=[Evidence("d", f"{u} {rel} {v}", 0, 1, "t")])
    return g


def test_paths_follow_influence_direction():
    g = graph(("lobby", "LOBBIES", "minister"), ("minister", "ROLE_AT", "dept"),
              ("dept", "PARTY_TO", "deal"))
    (p,) = influence_paths(g, "lobby", "deal")
    assert p.nodes == ["lobby", "minister", "dept", "deal"]
    assert [h.type.value for h in p.hops] == ["LOBBIES", "ROLE_AT", "PARTY_TO"]
    assert influence_paths(g, "deal", "lobby") == []


def test_symmetric_relations_carry_influence_both_ways():
    g = graph(("a", "MEETS", "b"), ("c", "LOBBIES", "b"))
    (p,) = influence_paths(g, "b", "a")
    assert p.hops[0].reversed and p.hops[0].type.value == "MEETS"
    assert influence_paths(g, "a", "c") == []
    assert influence_paths(g, "a", "c", mode="connection")[0].nodes == ["a", "b", "c"]


def test_k_paths_shortest_first_and_max_hops():
    g = graph(("s", "LOBBIES", "t"), ("s", "LOBBIES", "x"), ("x", "ROLE_AT", "t"),
              ("s", "FUNDS", "y"), ("y", "FUNDS", "z"), ("z", "FUNDS", "t"))
    assert [p.length for p in influence_paths(g, "s", "t", k=5)] == [1, 2, 3]
    assert [p.length for p in influence_paths(g, "s", "t", k=5, max_hops=2)] == [1, 2]
    assert [p.length for p in influence_paths(g, "s", "t", k=1)] == [1]


def test_best_supported_relation_is_the_hop():
    g = graph(("a", "ASSOCIATED_WITH", "b"))
    g.add_edge("a", "b", key="strong", type="LOBBIES", attributes={},
               evidence=[Evidence("d", "q", 0, 1, "t"), Evidence("e", "q", 0, 1, "t")])
    (p,) = influence_paths(g, "a", "b")
    assert p.hops[0].relation_id == "strong"


def test_unknown_node_is_a_key_error():
    with pytest.raises(KeyError):
        influence_paths(graph(("a", "LOBBIES", "b")), "a", "zzz")


def test_explanation_reads_as_a_sentence():
    g = graph(("lobby", "LOBBIES", "minister"), ("minister", "ROLE_AT", "dept"))
    g.nodes["dept"]["type"] = "Agency"
    (p,) = influence_paths(g, "lobby", "dept")
    assert p.explain(g) == "LOBBY lobbies MINISTER, who holds a role at DEPT."


def test_explanation_gives_a_public_body_its_article():
    g = graph(("council", "LOBBIES", "minister"), ("minister", "ROLE_AT", "government"),
              ("government", "PARTY_TO", "bridge"))
    names = {"council": ("Acme Business Council", "LobbyGroup"), "minister": ("Jo Bank", "Person"),
             "government": ("UK government", "Agency"), "bridge": ("UK-US Tech Bridge",
                                                                   "Initiative")}
    for n, (name, kind) in names.items():
        g.nodes[n].update(name=name, type=kind)
    (p,) = influence_paths(g, "council", "bridge")
    assert p.explain(g) == ("The Acme Business Council lobbies Jo Bank, who holds a role at "
                            "the UK government, which is party to the UK-US Tech Bridge.")
