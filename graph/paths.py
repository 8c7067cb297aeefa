"""Influence paths v0: the k shortest loopless paths between two entities, by hop count.

Influence flows along each relation type's direction (``RelationType.influence``); symmetric
types carry it both ways. ``mode="connection"`` ignores direction. Where several relations
join the same two entities, a hop uses the best supported one (most evidence).

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("a", name="Acme Lobby", type="LobbyGroup")
>>> g.add_node("m", name="A Minister", type="Person")
>>> g.add_node("d", name="A Department", type="Agency")
>>> _ = g.add_edge("a", "m", key="r1", type="LOBBIES", attributes={}, evidence=[])
>>> _ = g.add_edge("m", "d", key="r2", type="ROLE_AT", attributes={}, evidence=[])
>>> [p.nodes for p in influence_paths(g, "a", "d")]
[['a', 'm', 'd']]
>>> influence_paths(g, "d", "a")
[]
>>> [p.nodes for p in influence_paths(g, "d", "a", mode="connection")]
[['d', 'm', 'a']]
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from itertools import islice
from typing import Any

import networkx as nx

from graph.model import Evidence
from graph.ontology import RelationType

MODES = ("influence", "connection")


@dataclass(frozen=True)
class Hop:
    """One step of a path: the relation walked and the way it was walked.

    ``reversed`` is True when the step goes against the stored direction of the relation
    (a symmetric relation, or any relation in connection mode).
    """

    source: str
    target: str
    relation_id: str
    type: RelationType
    attributes: dict[str, Any] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()
    reversed: bool = False


@dataclass(frozen=True)
class InfluencePath:
    """A loopless chain of hops from a source entity to a target entity."""

    nodes: list[str]
    hops: list[Hop]

    @property
    def length(self) -> int:
        return len(self.hops)

    def explain(self, g: nx.MultiDiGraph) -> str:
        """One plain-English sentence, with names and types taken from ``g``.

        >>> g = nx.MultiDiGraph()
        >>> g.add_node("a", name="Acme Lobby", type="LobbyGroup")
        >>> g.add_node("m", name="Jo Bloggs", type="Person")
        >>> g.add_node("d", name="Dept of Things", type="Agency")
        >>> hops = [Hop("a", "m", "r1", RelationType.LOBBIES),
        ...         Hop("m", "d", "r2", RelationType.ROLE_AT)]
        >>> InfluencePath(["a", "m", "d"], hops).explain(g)
        'Acme Lobby lobbies Jo Bloggs, who holds a role at Dept of Things.'
        """
        def name(n: str) -> str:
            return g.nodes[n].get("name", n) if n in g else n

        text = name(self.nodes[0])
        for i, hop in enumerate(self.hops):
            if i:
                person = g.nodes.get(hop.source, {}).get("type") == "Person"
                text += ", who" if person else ", which"
            text += f" {hop.type.phrase} {name(hop.target)}"
        return text + "."


    def to_dict(self, g: nx.MultiDiGraph) -> dict[str, Any]:
        """A JSON-ready form: nodes with names, hops with their evidence, the explanation."""
        def node(n: str) -> dict[str, Any]:
            data = g.nodes[n] if n in g else {}
            return {"id": n, "name": data.get("name", n), "type": data.get("type")}

        return {
            "length": self.length,
            "explanation": self.explain(g),
            "nodes": [node(n) for n in self.nodes],
            "hops": [{"source": node(h.source), "target": node(h.target),
                      "relation_id": h.relation_id, "type": h.type.value,
                      "reversed": h.reversed, "attributes": h.attributes,
                      "evidence": [asdict(e) for e in h.evidence]}
                     for h in self.hops],
        }


def _step_graph(g: nx.MultiDiGraph, mode: str) -> nx.DiGraph:
    """Collapse the multigraph into one best hop per ordered pair of entities."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    h = nx.DiGraph()
    h.add_nodes_from(g.nodes)
    for u, v, key, data in g.edges(keys=True, data=True):
        rtype = RelationType(data["type"])
        both = mode == "connection" or rtype.influence == "both"
        for a, b, rev in [(u, v, False)] + ([(v, u, True)] if both else []):
            hop = Hop(a, b, key, rtype, data.get("attributes", {}),
                      tuple(data.get("evidence", ())), rev)
            best = h.edges[a, b]["hop"] if h.has_edge(a, b) else None
            if best is None or (len(hop.evidence), not rev) > (len(best.evidence), not best.reversed):
                h.add_edge(a, b, hop=hop)
    return h


def influence_paths(g: nx.MultiDiGraph, source: str, target: str, k: int = 3,
                    max_hops: int = 4, mode: str = "influence") -> list[InfluencePath]:
    """The ``k`` shortest loopless paths from ``source`` to ``target`` of at most ``max_hops``.

    Parameters
    ----------
    g : the graph, as ``Store.to_networkx`` returns it.
    source, target : entity ids (nodes of ``g``).
    k : how many paths at most.
    max_hops : the longest path returned, in hops.
    mode : ``"influence"`` follows influence direction, ``"connection"`` ignores direction.

    Returns
    -------
    Paths in order of hop count (ties in a stable order); an empty list when none exists.
    """
    if source not in g or target not in g:
        missing = source if source not in g else target
        raise KeyError(f"no entity {missing!r} in the graph")
    if source == target or k < 1 or max_hops < 1:
        return []
    h = _step_graph(g, mode)
    try:
        found = []
        for nodes in islice(nx.shortest_simple_paths(h, source, target), k):
            if len(nodes) - 1 > max_hops:
                break
            found.append(InfluencePath(nodes, [h.edges[a, b]["hop"]
                                               for a, b in zip(nodes, nodes[1:])]))
        return found
    except nx.NetworkXNoPath:
        return []
