"""How strongly a relation carries influence: its type's default weight times how well its
evidence supports it.

Evidence from independent documents adds up the way independent witnesses do: the support is
``1 - prod(1 - c)`` over the best confidence per document. So one sentence at 0.8 gives 0.8,
two documents at 0.8 give 0.96.

Examples
--------
>>> from graph.model import Evidence
>>> ev = [Evidence("d1", "q", 0, 1, "rules", 0.8), Evidence("d2", "q", 0, 1, "rules", 0.8)]
>>> round(support(ev), 2)
0.96
>>> round(strength(RelationType.LOBBIES, ev[:1]), 2)
0.64
"""
from __future__ import annotations

from typing import Iterable

from graph.model import Evidence
from graph.ontology import RelationType


def support(evidence: Iterable[Evidence]) -> float:
    """How well the evidence supports a relation (0-1), one vote per document."""
    if isinstance(evidence, (list, tuple)) and len(evidence) == 1:
        return min(max(float(evidence[0].confidence), 0.0), 1.0)
    best: dict[str, float] = {}
    for e in evidence:
        best[e.document_id] = max(best.get(e.document_id, 0.0), float(e.confidence))
    doubt = 1.0
    for c in best.values():
        doubt *= 1.0 - min(max(c, 0.0), 1.0)
    return 1.0 - doubt


def strength(type: RelationType, evidence: Iterable[Evidence]) -> float:
    """The influence a relation carries: type weight x evidence support (0-1)."""
    return RelationType(type).weight * support(evidence)
