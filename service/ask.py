"""Questions answered as rows: what the CLI prints, the notebook shows and both export.

>>> import networkx as nx
>>> from graph.analytics import Ranked
>>> g = nx.MultiDiGraph()
>>> g.add_node("a", name="Acme", type="LobbyGroup"); g.add_node("b", name="Jo", type="Person")
>>> ranking_rows(g, [Ranked("a", 0.5, 1, ("a", "b"))])
[{'id': 'a', 'name': 'Acme', 'type': 'LobbyGroup', 'score': 0.5, 'hops': 1, \
'path': ['Acme', 'Jo']}]
"""
from __future__ import annotations

from typing import Iterable

import networkx as nx

from graph.analytics import Ranked

RANKING_COLUMNS = ["id", "name", "type", "score", "hops", "path"]


def ranking_rows(graph: nx.MultiDiGraph, ranked: Iterable[Ranked]) -> list[dict]:
    """One row per ranked entity (``RANKING_COLUMNS``), names read from ``graph``; ``path``
    is the names along the entity's best path, where the ranking has one."""
    nodes = graph.nodes
    return [{"id": r.entity, "name": nodes[r.entity]["name"], "type": nodes[r.entity]["type"],
             "score": r.score, "hops": r.hops, "path": [nodes[n]["name"] for n in r.path]}
            for r in ranked]
