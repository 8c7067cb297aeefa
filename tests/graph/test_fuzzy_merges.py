"""Automatic merges of near-identical names on both stores: recorded with their score, undone
by a split, and held back by numbers, surnames, types and the registers' second signal."""
from __future__ import annotations

from pathlib import Path

import pytest
from extractions import said

from graph.ontology import EntityType as T
from graph.ontology import RelationType as R
from graph.resolution import ingest
from graph.resolution.merges import split_entity


def names(store, text: str, type: T) -> list[str]:
    return sorted(e.name for e in store.search(text, types=[type]))


def test_a_near_identical_name_is_merged_automatically_and_can_be_split(make_store):
    store = make_store()
    ingest(store, said("Tech UK lobbied Jo Bloggs.",
                      ("Tech UK", T.LobbyGroup, R.LOBBIES, "Jo Bloggs", T.Person)))
    report = ingest(store, said("TechUK met Sam Jones.",
                               ("TechUK", T.LobbyGroup, R.MEETS, "Sam Jones", T.Person)))
    assert "LobbyGroup:techuk" in report.new_entities and len(report.merges) == 1
    assert names(store, "tech", T.LobbyGroup) == ["Tech UK"]
    assert {r.type for r in store.relations("LobbyGroup:tech-uk")} == {R.LOBBIES, R.MEETS}
    [merge] = store.merges()
    assert merge.automatic and merge.kept == "LobbyGroup:tech-uk"
    assert merge.reason == "rapidfuzz ratio 92 between 'techuk' and 'tech uk'"
    split_entity(store, "LobbyGroup:tech-uk")
    assert names(store, "tech", T.LobbyGroup) == ["Tech UK", "TechUK"]
    assert [r.type for r in store.relations("LobbyGroup:techuk")] == [R.MEETS]


def test_numbers_surnames_and_types_hold_merges_back(make_store):
    store = make_store()
    for text, links in [
        ("Acme Fund 2 funds Jo Bloggs.",
         ("Acme Fund 2", T.Company, R.FUNDS, "Jo Bloggs", T.Person)),
        ("Acme Fund 3 funds Jo Bloggs.",
         ("Acme Fund 3", T.Company, R.FUNDS, "Jo Bloggs", T.Person)),
        ("John Smith met Jo Bloggs.", ("John Smith", T.Person, R.MEETS, "Jo Bloggs", T.Person)),
        ("John Smyth met Jo Bloggs.", ("John Smyth", T.Person, R.MEETS, "Jo Bloggs", T.Person)),
        ("Jon Smith met Jo Bloggs.", ("Jon Smith", T.Person, R.MEETS, "Jo Bloggs", T.Person)),
        ("Jo Bloggs runs the Department for Transport.",
         ("Jo Bloggs", T.Person, R.ROLE_AT, "Department for Transport", T.Agency)),
        ("Jo Bloggs ran the Department of Transport.",
         ("Jo Bloggs", T.Person, R.ROLE_AT, "Department of Transport", T.Agency)),
    ]:
        ingest(store, said(text, links))
    assert names(store, "acme", T.Company) == ["Acme Fund 2", "Acme Fund 3"]
    # the news's "Jon Smith" is its "John Smith"; "John Smyth" has another surname
    assert names(store, "john", T.Person) == ["John Smith", "John Smyth"]
    assert "Jon Smith" in store.find_entity("John Smith").aliases
    assert names(store, "transport", T.Agency) == ["Department for Transport",
                                                   "Department of Transport"]
    assert [m.reason for m in store.merges()] == [
        "rapidfuzz ratio 95 between 'jon smith' and 'john smith'"]


def test_people_from_two_registers_need_a_neighbour_in_common(make_store):
    store = make_store()
    for register, text, link in [
            ("lda", "John Smith of Acme Advocacy.",
             ("John Smith", T.Person, R.ROLE_AT, "Acme Advocacy", T.LobbyGroup)),
            ("uk-meetings", "Jon Smith met Jo Bloggs.",
             ("Jon Smith", T.Person, R.MEETS, "Jo Bloggs", T.Person))]:
        ingest(store, said(text, link, register=register))
    assert names(store, "smith", T.Person) == ["John Smith", "Jon Smith"]
    ingest(store, said("Jon Smith works at Acme Advocacy.",
                      ("Jon Smith", T.Person, R.ROLE_AT, "Acme Advocacy", T.LobbyGroup),
                      register="eu-meetings"))
    # resolved by its exact name to the uk-meetings Jon Smith? No: no neighbour in common
    # there either; a new Jon Smith shares Acme Advocacy with John Smith and merges into him.
    assert names(store, "smith", T.Person) == ["John Smith", "Jon Smith"]
    assert {r.type for r in store.relations("Person:john-smith")} == {R.ROLE_AT}
    assert len(store.relations("Person:john-smith")[0].evidence) == 2



CRASH = """
import os, sys
sys.path.insert(0, {tests!r})
from extractions import said
from graph.ontology import EntityType as T, RelationType as R
from graph.resolution import ingest
from graph.store.sqlite import SQLiteStore
store = SQLiteStore({db!r})
ingest(store, said("Tech UK lobbied Jo Bloggs.",
                  ("Tech UK", T.LobbyGroup, R.LOBBIES, "Jo Bloggs", T.Person)))
store.trace(lambda sql: os._exit(9) if "INTO merges" in sql else None)
ingest(store, said("TechUK met Sam Jones.", ("TechUK", T.LobbyGroup, R.MEETS, "Sam Jones",
                                            T.Person)))
"""
SECOND = ("TechUK met Sam Jones.", ("TechUK", T.LobbyGroup, R.MEETS, "Sam Jones", T.Person))


def test_a_process_killed_at_an_automatic_merge_makes_it_on_the_next_load(tmp_path):
    """The embedded store commits a document with the automatic merges it leaves to make, then
    makes them: killed while writing the merge, the document is stored with its merges
    pending, and loading it again makes them (and changes nothing else)."""
    import subprocess
    import sys

    from graph.store.sqlite import SQLiteStore

    db = tmp_path / "g.db"
    run = subprocess.run([sys.executable, "-c", CRASH.format(
        tests=str(Path(__file__).parents[1]), db=str(db))], capture_output=True, text=True)
    assert run.returncode == 9, run.stderr
    store = SQLiteStore(str(db))
    assert store.stats()["documents"] == 2 and store.merges() == []
    assert store.pending_merges(said(*SECOND).document.id)
    report = ingest(store, said(*SECOND))
    assert not report.created and len(report.merges) == 1
    assert names(store, "tech", T.LobbyGroup) == ["Tech UK"]
    assert store.pending_merges(said(*SECOND).document.id) == []
    assert ingest(store, said(*SECOND)).merges == ()


def test_merges_left_by_a_failure_are_made_on_the_next_ingest(bolt_store):
    """The Bolt store commits a document, then makes its automatic merges; the document keeps
    them as pending until they are made, so a failure in between is repaired by loading the
    document again (which otherwise changes nothing)."""
    bolt_store.clear()
    ingest(bolt_store, said("Tech UK lobbied Jo Bloggs.",
                           ("Tech UK", T.LobbyGroup, R.LOBBIES, "Jo Bloggs", T.Person)))
    committed = False

    class Crash(Exception):
        pass

    def fail_after_the_commit(statement: str) -> None:
        nonlocal committed
        if committed:
            raise Crash(statement)
        committed = "CREATE (d:Document" in statement

    bolt_store.trace(fail_after_the_commit)
    with pytest.raises(Crash):
        ingest(bolt_store, said(*SECOND))
    bolt_store.trace(None)
    assert bolt_store.stats()["documents"] == 2 and bolt_store.merges() == []
    report = ingest(bolt_store, said(*SECOND))
    assert not report.created and len(report.merges) == 1
    assert names(bolt_store, "tech", T.LobbyGroup) == ["Tech UK"]
    assert ingest(bolt_store, said(*SECOND)).merges == ()
