"""Resolution across sources: a register's guessed type gives way to a type backed by evidence,
in either order; types backed by evidence never merge."""
from __future__ import annotations

import stakegraph as sg
from conftest import SEED

MEETING = ("Minister,Date,Name of Organisation,Purpose of meeting\n"
           '"Economic Secretary to the Treasury, Jo Bloggs MP",March,UK Finance,Fintech\n'
           ",March,TheCityUK,Fintech\n")


def test_uk_finance_from_a_meeting_return_and_the_article_is_one_entity(tmp_path):
    returns = tmp_path / "treasury_meetings_25.csv"
    returns.write_text(MEETING)
    for order in ([SEED, returns], [returns, SEED]):
        kg = sg.open(":memory:")
        assert kg.load(order).loaded == 2
        found = kg.search("UK Finance", limit=10)
        assert [(e["name"], e["type"]) for e in found] == [("UK Finance", "LobbyGroup")]
        relations = kg.entity("UK Finance").to_pandas()
        assert {"MEETS", "LOBBIES"} <= set(relations.relation)
        assert "type_guessed" not in kg.store.find_entity("UK Finance").attributes


def test_types_backed_by_evidence_do_not_merge():
    from graph.extraction import Extraction
    from graph.model import Document
    from graph.ontology import EntityType
    from graph.store import open_store

    store = open_store(":memory:")
    for text, type, attrs in [("Acme, the think tank.", EntityType.LobbyGroup, {}),
                              ("Acme, the company.", EntityType.Company, {}),
                              ("Acme met the minister.", EntityType.Organization,
                               {"type_guessed": True})]:
        ex = Extraction(Document.from_text(text))
        ex.add_entity("Acme", type, mentions=[(0, 4)], attributes=attrs)
        store.ingest(ex)
    assert sorted(e.type.value for e in store.search("Acme")) == ["Company", "LobbyGroup"]
    assert store.stats()["mentions"] == 3
