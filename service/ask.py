"""Questions answered as rows: what the CLI prints, the notebook shows and both export.

>>> from graph.analytics import Ranked
>>> nodes = {"a": {"name": "Acme", "type": "LobbyGroup"}, "b": {"name": "Jo", "type": "Person"}}
>>> ranking_rows(nodes, [Ranked("a", 0.5, 1, ("a", "b"))])
[{'id': 'a', 'name': 'Acme', 'type': 'LobbyGroup', 'score': 0.5, 'hops': 1, \
'path': ['Acme', 'Jo']}]
"""
from __future__ import annotations

from typing import Iterable, Mapping

from graph.analytics import Ranked

RANKING_COLUMNS = ["id", "name", "type", "score", "hops", "path"]


def ranking_rows(nodes: Mapping[str, Mapping], ranked: Iterable[Ranked]) -> list[dict]:
    """One row per ranked entity (``RANKING_COLUMNS``), names and types read from ``nodes``
    (entity data by id: a graph's ``g.nodes``, or ``GraphView.node_data``); ``path`` is the
    names along the entity's best path, where the ranking has one."""
    return [{"id": r.entity, "name": nodes[r.entity]["name"], "type": nodes[r.entity]["type"],
             "score": r.score, "hops": r.hops, "path": [nodes[n]["name"] for n in r.path]}
            for r in ranked]
