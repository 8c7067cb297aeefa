"""How strongly a relation carries influence: its type's weight (a documented default per type,
overridable per query), times how well its evidence supports it, times how recent it is.

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
>>> round(recency("2015-06-01", "2025-06-01"), 2)  # two half-lives old
0.25
"""
from __future__ import annotations

import tomllib
from datetime import date
from functools import cache
from importlib import resources
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


def weight(type: RelationType, target: str | None = None,
           weights: dict[str, float] | None = None) -> float:
    """The weight of a relation of ``type`` aimed at an entity of type ``target``: from
    ``weights`` (``{"MEETS": 0.9}``: a query's overrides, whatever the target) or the
    defaults in ontology.toml.

    >>> weight(RelationType.LOBBIES, "Initiative"), weight("LOBBIES", "Initiative", {"LOBBIES": 1})
    (0.2, 1)
    """
    rtype = RelationType(type)
    return (weights or {}).get(rtype.value, rtype.weight_at(target))


def strength(type: RelationType, evidence: Iterable[Evidence],
             weights: dict[str, float] | None = None, target: str | None = None) -> float:
    """The influence a relation carries: its weight (see ``weight``; ``target`` is the entity
    type it is aimed at) x evidence support (0-1)."""
    return weight(type, target, weights) * support(evidence)


def relation_strength(type: RelationType, evidence: Iterable[Evidence], attributes: dict,
                      target: str | None = None, weights: dict[str, float] | None = None,
                      as_of: str | None = None,
                      published: dict[str, str | None] | None = None) -> float:
    """The strength of one relation as every question weighs it: ``strength`` x ``recency``
    of its latest date (its ``start``/``end`` and, from ``published``, its evidence's
    documents' dates) as of ``as_of``; the type's weight alone for a relation without evidence.

    >>> ev = [Evidence("d1", "q", 0, 1, "rules", 0.8)]
    >>> round(relation_strength(RelationType.LOBBIES, ev, {"start": "2015-06-01"},
    ...                         as_of="2025-06-01"), 2)
    0.16
    >>> relation_strength(RelationType.LOBBIES, [], {}, "Initiative")
    0.2
    """
    evidence = tuple(evidence)
    if not evidence:
        return weight(type, target, weights)
    dated = published or {}
    last = last_seen(attributes, *(dated.get(e.document_id) for e in evidence))
    return strength(type, evidence, weights, target) * recency(last, as_of)


@cache
def parameters() -> dict[str, float]:
    """The strength parameters in ``graph/data/strength.toml``."""
    text = resources.files("graph").joinpath("data/strength.toml").read_text("utf-8")
    return tomllib.loads(text)


def last_seen(attributes: dict, *dates: str | None) -> str | None:
    """The latest of a relation's ``start`` and ``end`` and any other ``dates`` given (ISO
    dates; times are cut off): when the relation was last seen, for ``recency``.

    >>> last_seen({"start": "2019-03-01", "end": "2021-06-30T12:00"}, "2020-01-01", None)
    '2021-06-30'
    """
    found = [str(attributes[k])[:10] for k in ("start", "end") if attributes.get(k)]
    return max(found + [d[:10] for d in dates if d], default=None)


def recency(last_seen: str | None, as_of: str | None) -> float:
    """The ageing factor of a relation last seen on ``last_seen`` (ISO date), asked about on
    ``as_of`` (default today): 1 when undated or not older, halving every half-life."""
    if not last_seen:
        return 1.0
    try:
        seen = date.fromisoformat(last_seen[:10])
        asked = date.fromisoformat(as_of[:10]) if as_of else date.today()
    except ValueError:
        return 1.0
    years = (asked - seen).days / 365.25
    return 0.5 ** (years / parameters()["half_life_years"]) if years > 0 else 1.0
