"""Influence paths: the k strongest loopless chains by which one entity reaches another.

Each relation carries a strength (``graph.strength``: its type's weight x the support of its
evidence x its recency); a path's cost is the sum of ``-log(strength)`` over its hops, so the
cheapest path is the strongest chain, and its strength is the product of its hops'. Influence
flows along each relation type's direction (``RelationType.influence``); symmetric types carry
it both ways; ``mode="connection"`` ignores direction (a hop against it keeps
``reverse_factor`` of its strength). Where several relations join the same two entities a hop
uses the strongest.

Filters: ``relation_types``; ``entity_types`` for the entities a path passes through (its ends
are exempt); ``min_confidence`` (a relation needs evidence at least that sure); ``as_of`` (an
ISO date: relations that started later or ended earlier are left out, and so is evidence
published later; relations are aged relative to it). ``hub_penalty`` adds
``hub_penalty * log(1 + degree)`` to the cost of passing through an entity, so paths avoid
entities linked to everything.

The search is Yen's algorithm (networkx ``shortest_simple_paths``) over the part of the graph
that can hold a path of at most ``max_hops`` hops: the entities ``v`` with
``hops(source, v) + hops(v, target) <= max_hops``.

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

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Mapping

import networkx as nx

from graph.model import Evidence
from graph.names import in_sentence
from graph.ontology import RelationType
from graph.strength import parameters, relation_strength

MODES = ("influence", "connection")
FLOOR = 1e-9  # the weakest strength a hop may have (undocumented relations still connect)


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
    strength: float = 1.0


@dataclass(frozen=True)
class InfluencePath:
    """A loopless chain of hops from a source entity to a target entity, with its ranking cost
    (hub penalties included) and its strength (the product of its hops' strengths)."""

    nodes: list[str]
    hops: list[Hop]
    cost: float = 0.0

    @property
    def length(self) -> int:
        return len(self.hops)

    @property
    def strength(self) -> float:
        return math.prod(h.strength for h in self.hops)

    def explain(self, g: nx.MultiDiGraph | Mapping[str, Mapping]) -> str:
        """One plain-English sentence, with names and types taken from ``g`` (a graph, or
        its entities' data by id: ``name`` and ``type``).

        >>> g = nx.MultiDiGraph()
        >>> g.add_node("a", name="Acme Lobby", type="LobbyGroup")
        >>> g.add_node("m", name="Jo Bloggs", type="Person")
        >>> g.add_node("d", name="Dept of Things", type="Agency")
        >>> hops = [Hop("a", "m", "r1", RelationType.LOBBIES),
        ...         Hop("m", "d", "r2", RelationType.ROLE_AT)]
        >>> InfluencePath(["a", "m", "d"], hops).explain(g)
        'Acme Lobby lobbies Jo Bloggs, who holds a role at Dept of Things.'
        """
        nodes = _node_data(g)

        def name(n: str) -> str:
            data = nodes.get(n, {})
            return in_sentence(data.get("name", n), data.get("type"))

        text = name(self.nodes[0])
        text = text[:1].upper() + text[1:]
        for i, hop in enumerate(self.hops):
            if i:
                person = nodes.get(hop.source, {}).get("type") == "Person"
                text += ", who" if person else ", which"
            phrase = hop.type.inverse if hop.reversed else hop.type.phrase
            text += f" {phrase} {name(hop.target)}"
        return text + "."


    def chain(self, g: nx.MultiDiGraph | Mapping[str, Mapping]) -> str:
        """The path as arrows: ``A -LOBBIES-> B <-ROLE_AT- C`` (a reversed arrow walks a
        relation against its direction), with names from ``g`` (as for ``explain``).

        >>> g = nx.MultiDiGraph()
        >>> p = InfluencePath(["a", "b"], [Hop("a", "b", "r", RelationType.LOBBIES, reversed=True)])
        >>> p.chain(g)
        'a <-LOBBIES- b'
        """
        nodes = _node_data(g)

        def name(n: str) -> str:
            return nodes.get(n, {}).get("name", n)

        text = name(self.nodes[0])
        for hop in self.hops:
            arrow = f"<-{hop.type.value}-" if hop.reversed and not hop.type.symmetric \
                else f"-{hop.type.value}->"
            text += f" {arrow} {name(hop.target)}"
        return text

    def to_dict(self, g: nx.MultiDiGraph | Mapping[str, Mapping]) -> dict[str, Any]:
        """A JSON-ready form: nodes with names, hops with their evidence, the explanation
        (names and types from ``g``, as for ``explain``)."""
        nodes = _node_data(g)

        def node(n: str) -> dict[str, Any]:
            data = nodes.get(n, {})
            return {"id": n, "name": data.get("name", n), "type": data.get("type")}

        return {
            "length": self.length,
            "chain": self.chain(g),
            "strength": round(self.strength, 6),
            "cost": round(self.cost, 6),
            "explanation": self.explain(g),
            "nodes": [node(n) for n in self.nodes],
            "hops": [{"source": node(h.source), "target": node(h.target),
                      "relation_id": h.relation_id, "type": h.type.value,
                      "reversed": h.reversed, "strength": round(h.strength, 6),
                      "attributes": h.attributes,
                      "evidence": [asdict(e) for e in h.evidence]}
                     for h in self.hops],
        }


def _node_data(g: nx.MultiDiGraph | Mapping[str, Mapping]) -> Mapping[str, Mapping]:
    return g.nodes if isinstance(g, nx.Graph) else g


def step_graph(g: nx.MultiDiGraph, mode: str = "influence",
               relation_types: Iterable[str] | None = None,
               entity_types: Iterable[str] | None = None, keep: Iterable[str] = (),
               as_of: str | None = None, min_confidence: float | None = None,
               hub_penalty: float = 0.0, weights: dict[str, float] | None = None,
               published: dict[str, str] | None = None) -> nx.DiGraph:
    """One hop per ordered pair of entities: the strongest relation that passes the filters,
    walked the way influence flows. Edges carry ``hop`` (a Hop) and ``cost``.

    ``keep`` names entities exempt from ``entity_types`` (a path's ends)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    wanted = {str(t) for t in relation_types} if relation_types else None
    reverse_factor = parameters()["reverse_factor"]
    published = published or {}
    h = nx.DiGraph()
    if entity_types:
        types = {str(t) for t in entity_types}
        keep = set(keep)
        h.add_nodes_from(n for n, d in g.nodes(data=True) if d.get("type") in types or n in keep)
    else:
        h.add_nodes_from(g.nodes)
    for u, v, key, data in g.edges(keys=True, data=True):
        if u not in h or v not in h or (wanted is not None and data["type"] not in wanted):
            continue
        rtype = RelationType(data["type"])
        attrs = data.get("attributes", {})
        evidence = tuple(data.get("evidence", ()))
        if as_of is not None:
            if str(attrs.get("start") or "")[:10] > as_of or (
                    attrs.get("end") and str(attrs["end"])[:10] < as_of):
                continue
            evidence = tuple(e for e in evidence if (published.get(e.document_id) or "") <= as_of)
            if not evidence and data.get("evidence"):
                continue
        if min_confidence is not None and not any(e.confidence >= min_confidence
                                                  for e in evidence):
            continue
        base = relation_strength(rtype, evidence, attrs, g.nodes[v].get("type"), weights, as_of,
                                 published)
        both = mode == "connection" or rtype.influence == "both"
        for a, b, rev in [(u, v, False)] + ([(v, u, True)] if both else []):
            st = max(base * (reverse_factor if rev and rtype.influence != "both" else 1.0), FLOOR)
            if h.has_edge(a, b) and h.edges[a, b]["hop"].strength >= st:
                continue
            h.add_edge(a, b, hop=Hop(a, b, key, rtype, attrs, evidence, rev, st),
                       cost=-math.log(st))
    if hub_penalty:
        degree = dict(g.degree())
        for _, b, data in h.edges(data=True):
            data["penalty"] = hub_penalty * math.log1p(degree.get(b, 0))
    return h


def _within_hops(h: nx.DiGraph, source: str, target: str, max_hops: int) -> set[str]:
    """The entities of ``h`` that can lie on a path of at most ``max_hops`` hops."""
    ahead = nx.single_source_shortest_path_length(h, source, cutoff=max_hops)
    behind = nx.single_source_shortest_path_length(h.reverse(copy=False), target,
                                                   cutoff=max_hops)
    return {n for n, d in ahead.items() if d + behind.get(n, max_hops + 1) <= max_hops}


def influence_paths(g: nx.MultiDiGraph, source: str, target: str, k: int = 3,
                    max_hops: int = 4, mode: str = "influence",
                    relation_types: Iterable[str] | None = None,
                    entity_types: Iterable[str] | None = None, as_of: str | None = None,
                    min_confidence: float | None = None, hub_penalty: float = 0.0,
                    weights: dict[str, float] | None = None,
                    published: dict[str, str] | None = None,
                    max_candidates: int | None = None) -> list[InfluencePath]:
    """The ``k`` strongest loopless paths from ``source`` to ``target`` of at most
    ``max_hops`` hops, strongest first (see the module docstring for the filters).

    Parameters
    ----------
    g : the graph, as ``Store.to_networkx`` returns it.
    source, target : entity ids (nodes of ``g``).
    published : document id -> publication date, for ``as_of`` and ageing.
    max_candidates : how many candidate paths Yen's algorithm may produce before giving up
        on finding ``k`` short enough ones (default ``200 + 50 * k``).

    Returns
    -------
    A list of InfluencePath, empty when none exists.
    """
    if source not in g or target not in g:
        missing = source if source not in g else target
        raise KeyError(f"no entity {missing!r} in the graph")
    if source == target or k < 1 or max_hops < 1:
        return []
    h = step_graph(g, mode, relation_types, entity_types, (source, target), as_of,
                   min_confidence, hub_penalty, weights, published)
    near = _within_hops(h, source, target, max_hops)
    if target not in near:
        return []

    def cost(a: str, b: str, data: dict) -> float | None:
        if b not in near:
            return None  # networkx leaves out an edge whose weight is None
        return data["cost"] + (data.get("penalty", 0.0) if b != target else 0.0)

    found: list[InfluencePath] = []
    budget = max_candidates or 200 + 50 * k
    try:
        for nodes in nx.shortest_simple_paths(h, source, target, weight=cost):
            budget -= 1
            if len(nodes) - 1 <= max_hops:
                hops = [h.edges[a, b]["hop"] for a, b in zip(nodes, nodes[1:])]
                total = sum(cost(a, b, h.edges[a, b]) for a, b in zip(nodes, nodes[1:]))
                found.append(InfluencePath(nodes, hops, total))
            if len(found) == k or budget <= 0:
                break
    except nx.NetworkXNoPath:
        return []
    return found
