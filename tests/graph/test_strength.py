"""The one relation-strength function (``graph.strength``) that every engine weighs by:
evidence support, per-target weights, query overrides and ageing."""
from __future__ import annotations

import pytest

from graph.model import Evidence
from graph.ontology import RelationType as R
from graph.strength import last_seen, parameters, recency, relation_strength, support, weight


def ev(document: str, confidence: float) -> Evidence:
    return Evidence(document, "quote", 0, 5, "test", confidence)


def test_one_document_is_one_witness_however_often_it_says_it():
    assert support([ev("d1", 0.6), ev("d1", 0.8)]) == pytest.approx(0.8)
    assert support([ev("d1", 0.8), ev("d2", 0.5)]) == pytest.approx(1 - 0.2 * 0.5)


def test_confidence_out_of_range_is_clamped():
    assert support([ev("d1", 1.7)]) == 1.0
    assert support([ev("d1", -0.3), ev("d2", -1)]) == 0.0


def test_weights_by_target_and_a_query_override_for_every_target():
    assert weight(R.LOBBIES, "Person") == R.LOBBIES.weight
    assert weight(R.LOBBIES, "Initiative") < weight(R.LOBBIES, "Person")
    assert weight(R.LOBBIES, "Initiative", {"LOBBIES": 0.5}) == 0.5
    assert weight(R.MEETS, "Person", {"LOBBIES": 0.5}) == R.MEETS.weight


def test_strength_ages_by_the_latest_date_seen():
    half_life = parameters()["half_life_years"]
    old = {"start": "2000-01-01"}
    fresh = relation_strength(R.FUNDS, [ev("d1", 1.0)], {}, as_of="2020-01-01")
    aged = relation_strength(R.FUNDS, [ev("d1", 1.0)], old, as_of="2020-01-01")
    assert fresh == pytest.approx(R.FUNDS.weight)
    assert aged == pytest.approx(R.FUNDS.weight * 0.5 ** (20 / half_life), rel=0.01)
    # a later document saying it again makes it recent
    again = relation_strength(R.FUNDS, [ev("d1", 1.0), ev("d2", 1.0)], old,
                              as_of="2020-01-01", published={"d2": "2019-12-31"})
    assert again == pytest.approx(R.FUNDS.weight, rel=0.01)


def test_undated_future_and_unreadable_dates_do_not_age():
    assert recency(None, "2020-01-01") == 1.0
    assert recency("2030-01-01", "2020-01-01") == 1.0
    assert recency("not a date", "2020-01-01") == 1.0
    assert last_seen({"start": "2019", "end": None}) == "2019"
