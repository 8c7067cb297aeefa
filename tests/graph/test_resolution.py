"""Resolution across sources: a register's guessed type gives way to a type backed by evidence,
in either order; types backed by evidence never merge."""
from __future__ import annotations

from conftest import SEED
from extractions import said

import stakegraph as sg
from graph.resolution import ingest

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
        ingest(store, ex)
    assert sorted(e.type.value for e in store.search("Acme")) == ["Company", "LobbyGroup"]
    assert store.stats()["mentions"] == 3


def test_two_john_smiths_from_registers_need_a_second_signal(make_store):
    """Registers' people of the same name are one person only with a neighbour in common;
    the news names people by name alone."""
    from graph.ontology import EntityType as T
    from graph.ontology import RelationType as R

    store = make_store()
    ingest(store, said("John Smith, lobbyist at Acme Advocacy.",
                      ("John Smith", T.Person, R.ROLE_AT, "Acme Advocacy", T.LobbyGroup),
                      register="lda"))
    ingest(store, said("Minister Jane Doe met John Smith.",
                      ("Jane Doe", T.Person, R.MEETS, "John Smith", T.Person),
                      register="uk-meetings"))
    smiths = sorted(e.id for e in store.search("John Smith"))
    assert smiths == ["Person:john-smith", "Person:john-smith-2"]
    # a third register naming him at the same firm: the firm is the second signal
    ingest(store, said("Acme Advocacy (John Smith) met MEPs.",
                      ("John Smith", T.Person, R.ROLE_AT, "Acme Advocacy", T.LobbyGroup),
                      register="eu-meetings"))
    assert sorted(e.id for e in store.search("John Smith")) == smiths
    [role] = store.relations("Person:john-smith", "out")
    assert len(role.evidence) == 2
    assert [r.type for r in store.relations("Person:john-smith-2")] == [R.MEETS]
    # an article names him: a name is enough in the news
    ingest(store, said("John Smith wrote to the Treasury.",
                      ("John Smith", T.Person, R.LOBBIES, "Treasury", T.Agency)))
    assert sorted(e.id for e in store.search("John Smith")) == smiths
    assert store.find_entity("John Smith").id == "Person:john-smith"
