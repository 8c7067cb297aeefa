"""The store contract, on the embedded store and on a real Bolt server: transactions,
idempotence, resolution; and the embedded store's migrations."""
from __future__ import annotations

import sqlite3

import pytest

from graph.extraction import Extraction, ExtractionError
from graph.model import Document, Evidence
from graph.ontology import EntityType as T
from graph.ontology import RelationType as R
from graph.resolution import ingest
from graph.store import SQLiteStore


def doc_with(text: str, *links: tuple[str, T, R, str, T]) -> Extraction:
    ex = Extraction(Document.from_text(text, source="test"))
    for a, ta, rel, b, tb in links:
        ea = ex.add_entity(a, ta, mentions=[(text.index(a), text.index(a) + len(a))])
        eb = ex.add_entity(b, tb, mentions=[(text.index(b), text.index(b) + len(b))])
        ex.add_relation(ea, rel, eb, 0, len(text), "test")
    return ex


def test_reingesting_a_document_changes_nothing(make_store):
    store = make_store()
    ex = doc_with("Acme Alliance lobbied Jo Bloggs.",
                  ("Acme Alliance", T.LobbyGroup, R.LOBBIES, "Jo Bloggs", T.Person))
    assert ingest(store, ex).created
    before = (store.stats(), store.revision())
    assert not ingest(store, ex).created
    assert (store.stats(), store.revision()) == before


def test_entities_resolve_across_documents_by_alias(make_store):
    store = make_store()
    one = doc_with("The FCA regulates Acme Bank.",
                   ("FCA", T.Agency, R.REGULATES, "Acme Bank", T.Company))
    one.entities[0].aliases.append("Financial Conduct Authority")
    ingest(store, one)
    two = doc_with("The Financial Conduct Authority fined Beta Bank.",
                   ("Financial Conduct Authority", T.Agency, R.REGULATES, "Beta Bank", T.Company))
    ingest(store, two)
    fca = store.find_entity("financial conduct authority")
    assert fca is not None and fca.id == store.find_entity("FCA").id
    assert {store.entity(r.target).name for r in store.relations(fca.id, "out")} == \
        {"Acme Bank", "Beta Bank"}


def test_same_name_different_type_stays_apart(make_store):
    store = make_store()
    ingest(store, doc_with("Jordan met Jordan.", ("Jordan", T.Person, R.MEETS, "Jordan", T.Place)))
    assert {e.type for e in store.search("jordan")} == {T.Person, T.Place}


def test_registry_ids_are_strong_keys(make_store):
    """The same registry id is one entity whatever its spelling; different ids of the same
    register are two entities, even with the same name, and two "John Smith"s with
    different FollowTheMoney ids stay apart."""
    store = make_store()

    def filing(text: str, firm: str, firm_id: str | None, client: str, client_id: str):
        ex = Extraction(Document.from_text(text, source="lda"))
        a = ex.add_entity(firm, T.LobbyGroup, attributes={"lda_registrant_id": firm_id}
                          if firm_id else {})
        b = ex.add_entity(client, T.Company, attributes={"lda_client_id": client_id})
        ex.add_relation(b, R.RETAINS, a, 0, len(text), "test")
        return ex

    ingest(store, filing("Filing one.", "MCSLARROW CONSULTING L.L.C.", "48703", "Widgets", "1"))
    ingest(store, filing("Filing two.", "McSlarrow Consulting Group", "48703", "Gadgets", "2"))
    ingest(store, filing("Filing three.", "McSlarrow Consulting Group", "99999", "Gizmos", "3"))
    ingest(store, filing("Filing four.", "McSlarrow Consulting Group", None, "Doohickeys", "4"))
    firm = store.find_entity("MCSLARROW CONSULTING L.L.C.")
    assert {store.entity(r.source).name for r in store.relations(firm.id, "in")} == \
        {"Widgets", "Gadgets", "Doohickeys"}  # the id, and then the name without an id
    gizmos = store.find_entity("Gizmos")
    (retains,) = store.relations(gizmos.id, "out")
    other = store.entity(retains.target)
    assert other.id != firm.id and other.attributes["lda_registrant_id"] == "99999"
    assert other.name == "McSlarrow Consulting Group"

    people = Extraction(Document.from_text("John Smith met John Smith.", source="ftm"))
    one = people.add_entity("John Smith", T.Person, attributes={"ftm_id": "p1"})
    people.entities.append(type(one)(id="e9", name="John Smith", type=T.Person,
                                     attributes={"ftm_id": "p2"}))
    people.add_relation(one, R.MEETS, people.entities[-1], 0, 10, "test")
    ingest(store, people)
    assert len({r.source for r in store.relations(types=[R.MEETS])} |
               {r.target for r in store.relations(types=[R.MEETS])}) == 2


def test_search_by_any_part_of_a_name_follows_deletes(make_store):
    """Fragments of every length, ranked exact, prefix, infix, with type filters; a deleted
    document's entities are no longer found (the embedded store's trigram index is kept in
    step with its keys)."""
    store = make_store()
    one = doc_with("Acme Alliance lobbied Jo Bloggs.",
                   ("Acme Alliance", T.LobbyGroup, R.LOBBIES, "Jo Bloggs", T.Person))
    two = doc_with("Alliance for Acme met Acme.",
                   ("Alliance for Acme", T.Organization, R.MEETS, "Acme", T.Company))
    ingest(store, one)
    ingest(store, two)
    assert [e.name for e in store.search("acme")] == ["Acme", "Acme Alliance", "Alliance for Acme"]
    assert [e.name for e in store.search("ALLIANCE", types=[T.Organization])] == \
        ["Alliance for Acme"]
    assert [e.name for e in store.search("jo")] == ["Jo Bloggs"]  # under three characters
    assert store.search("50%") == [] and store.search("a_b") == []
    store.delete_document(one.document.id)
    assert [e.name for e in store.search("acme")] == ["Acme", "Alliance for Acme"]
    assert store.search("bloggs") == []


def test_a_bad_extraction_writes_nothing(make_store):
    store = make_store()
    ex = doc_with("Acme Alliance lobbied Jo Bloggs.",
                  ("Acme Alliance", T.LobbyGroup, R.LOBBIES, "Jo Bloggs", T.Person))
    ex.relations[0].evidence.append(Evidence(ex.document.id, "not the text", 0, 5, "test"))
    with pytest.raises(ExtractionError):
        ingest(store, ex)
    assert store.stats() == {"documents": 0, "entities": 0, "relations": 0, "evidence": 0,
                             "mentions": 0}


def test_file_is_wal_and_versioned(tmp_path):
    path = tmp_path / "g.db"
    SQLiteStore(str(path)).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("SELECT max(version) FROM migrations").fetchone()[0] >= 1
    SQLiteStore(str(path)).close()  # reopening applies nothing twice
    assert db.execute("SELECT count(*) FROM migrations").fetchone()[0] == \
        db.execute("SELECT max(version) FROM migrations").fetchone()[0]


def test_honorifics_leave_keys_and_an_old_file_is_re_keyed(tmp_path):
    """A file written before keys dropped honorifics (migration 6) is re-keyed when opened:
    "The Rt Hon Francis Maude MP" stored then is found, and resolved into, as Francis
    Maude."""
    path = tmp_path / "old.db"
    store = SQLiteStore(str(path))
    ingest(store, doc_with("The Rt Hon Francis Maude MP met UK Finance.",
                          ("The Rt Hon Francis Maude MP", T.Person, R.MEETS, "UK Finance",
                           T.LobbyGroup)))
    store.close()
    db = sqlite3.connect(path)  # as the file was: the old key, and no migration 6
    with db:
        db.execute("UPDATE entity_keys SET key = 'rt hon francis maude mp' "
                   "WHERE key = 'francis maude'")
        db.execute("DELETE FROM migrations WHERE version = 6")
    db.close()
    store = SQLiteStore(str(path))
    assert [k["key"] for k in store.keys_of(store.find_entity("Francis Maude").id)] == \
        ["francis maude"]
    ingest(store, doc_with("Francis Maude met techUK.",
                          ("Francis Maude", T.Person, R.MEETS, "techUK", T.LobbyGroup)))
    assert store.stats()["entities"] == 3


def test_evidence_is_stored_by_reference_and_an_old_file_loses_its_quotes(tmp_path):
    """Evidence rows hold their document and span, and the quote is cut from the document's
    text when read (migration 9): a file written with a quote on every row is rewritten
    without them, and answers as it did."""
    path = tmp_path / "old.db"
    store = SQLiteStore(str(path))
    ingest(store, doc_with("Acme Alliance lobbied Jo Bloggs.",
                          ("Acme Alliance", T.LobbyGroup, R.LOBBIES, "Jo Bloggs", T.Person)))
    before = store.relations()
    store.close()
    db = sqlite3.connect(path)  # as the file was before migration 9: a quote on each row
    with db:
        db.execute("ALTER TABLE evidence ADD COLUMN quote TEXT NOT NULL DEFAULT ''")
        db.execute("UPDATE evidence SET quote = (SELECT substr(text, evidence.start + 1, "
                   "evidence.end - evidence.start) FROM documents "
                   "WHERE documents.id = evidence.document_id)")
        db.execute("DELETE FROM migrations WHERE version = 9")
    db.close()
    store = SQLiteStore(str(path))
    assert store.relations() == before
    assert [e.quote for r in before for e in r.evidence] == ["Acme Alliance lobbied Jo Bloggs."]
    db = sqlite3.connect(path)
    assert "quote" not in [c[1] for c in db.execute("PRAGMA table_info(evidence)")]


def test_the_entities_a_document_names_and_shared_neighbours(make_store):
    store = make_store()
    one = doc_with("Acme Alliance lobbied Jo Bloggs.",
                   ("Acme Alliance", T.LobbyGroup, R.LOBBIES, "Jo Bloggs", T.Person))
    for ex in [one, doc_with("Zed Group lobbied Jo Bloggs.",
                             ("Zed Group", T.LobbyGroup, R.LOBBIES, "Jo Bloggs", T.Person))]:
        ingest(store, ex)
    assert store.document_entities(one.document.id) == ["LobbyGroup:acme-alliance",
                                                        "Person:jo-bloggs"]
    assert store.document_entities("doc:none") == []
    assert store.share_neighbour("LobbyGroup:acme-alliance", "LobbyGroup:zed-group")
    assert not store.share_neighbour("LobbyGroup:acme-alliance", "Person:jo-bloggs")


def test_symmetric_relations_are_one_relation(make_store):
    store = make_store()
    ingest(store, doc_with("Ann Lee met Bo Chan.",
                          ("Ann Lee", T.Person, R.MEETS, "Bo Chan", T.Person)))
    ingest(store, doc_with("Bo Chan met Ann Lee.",
                          ("Bo Chan", T.Person, R.MEETS, "Ann Lee", T.Person)))
    rels = store.relations(types=[R.MEETS])
    assert len(rels) == 1 and len(rels[0].evidence) == 2


def test_relations_by_id_and_the_change_log(make_store):
    """Both stores give relations by id; the embedded store's log names what a write changed
    (the Bolt store keeps none: a reader of it reads the whole graph again)."""
    store = make_store()
    mark = store.changes().mark
    ex = doc_with("Acme Alliance lobbied Jo Bloggs.",
                  ("Acme Alliance", T.LobbyGroup, R.LOBBIES, "Jo Bloggs", T.Person))
    ingest(store, ex)
    [stored] = store.relations()
    found = store.relations_by_id(["nothing", stored.id])
    assert found[0] is None and found[1] == stored
    changed = store.changes(mark)
    if isinstance(store, SQLiteStore):
        assert changed.mark > mark
        assert set(changed.relations) == {stored.id}
        assert changed.entities == {stored.source, stored.target}
        assert store.changes(changed.mark).relations == {}
        store.delete_document(ex.document.id)
        assert store.changes(changed.mark).relations == {
            stored.id: {(stored.source, stored.target)}}
    else:
        assert changed is None
