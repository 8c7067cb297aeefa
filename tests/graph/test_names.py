"""Names: resolution keys, the name an entity is shown by, and the one list of honorifics."""
from __future__ import annotations

import pytest

from graph.names import (
    HONORIFICS,
    PEERAGES,
    is_titled,
    name_key,
    name_rank,
    slug,
    without_honorifics,
    written_honorifics,
)


@pytest.mark.parametrize("names", [
    ["The Rt Hon Francis Maude MP", "Francis Maude", "francis maude", "Mr. Francis Maude"],
    ["MICROSOFT CORP", "Microsoft", "Microsoft Corporation", "Microsoft, Inc."],
    ["Frau Dr. Anna Schmidt", "Anna Schmidt"],
    ["AT&T", "AT and T"],
    ["The City UK", "City UK"],
])
def test_spellings_of_one_name_share_a_key(names):
    assert len({name_key(n) for n in names}) == 1, [name_key(n) for n in names]


@pytest.mark.parametrize("a, b", [("Lord Newby", "Newby"), ("Jr Smith", "Smith"),
                                  ("Agency 1", "Agency 2")])
def test_names_that_differ_keep_apart(a, b):
    assert name_key(a) != name_key(b)


def test_an_honorific_alone_is_a_name_not_nothing():
    assert name_key("Sir") == "sir"
    assert without_honorifics("Dr.") == "Dr."


def test_the_best_name_wins_in_any_order():
    names = ["TECHUK", "techUK", "Tech UK Ltd", "Tech UK"]
    assert min(names, key=name_rank) == min(reversed(names), key=name_rank)


def test_one_list_serves_every_reader():
    assert {"Dr", "Dr."} <= written_honorifics()
    assert all(h in written_honorifics() for h in HONORIFICS)
    assert not set(PEERAGES) & set(HONORIFICS)
    assert all(is_titled(f"{t} Jo Bloggs") for t in HONORIFICS + PEERAGES)
    assert not is_titled("Sirius Minerals")


def test_slugs_are_safe_and_stable():
    assert slug("Société Générale") == slug("SOCIETE GENERALE") == "societe-generale"
    assert slug("!!!") == "x"
