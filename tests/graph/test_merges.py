"""Merging entities and splitting them again, on both stores: a merge moves names, mentions
and relations with their evidence onto the kept entity and is recorded; a split gives back
exactly what the graph was."""
from __future__ import annotations

import json

import pytest

from graph.extraction import Extraction
from graph.model import Document
from graph.ontology import EntityType as T
from graph.ontology import RelationType as R
from graph.resolution import ingest
from graph.resolution.merges import MergeError, merge_entities, split_entity

ACME, GROUP = "LobbyGroup:acme-alliance", "LobbyGroup:acme-alliance-group"


def document(text: str, *links: tuple[str, T, R, str, T]) -> Extraction:
    ex = Extraction(Document.from_text(text, source=f"{len(text)}.txt"))
    for a, ta, rel, b, tb in links:
        ea = ex.add_entity(a, ta, mentions=[(text.index(a), text.index(a) + len(a))])
        eb = ex.add_entity(b, tb, mentions=[(text.rindex(b), text.rindex(b) + len(b))])
        ex.add_relation(ea, rel, eb, 0, len(text), "test")
    return ex


DOCUMENTS = [
    document("Acme Alliance lobbied Jo Bloggs.",
             ("Acme Alliance", T.LobbyGroup, R.LOBBIES, "Jo Bloggs", T.Person)),
    document("Acme Alliance Group lobbied Jo Bloggs and funds the Beta Institute.",
             ("Acme Alliance Group", T.LobbyGroup, R.LOBBIES, "Jo Bloggs", T.Person),
             ("Acme Alliance Group", T.LobbyGroup, R.FUNDS, "Beta Institute", T.Organization)),
    document("Acme Alliance met Acme Alliance Group.",
             ("Acme Alliance", T.LobbyGroup, R.MEETS, "Acme Alliance Group", T.LobbyGroup)),
]


def loaded(make_store):
    store = make_store()
    for ex in DOCUMENTS:
        ingest(store, ex)
    return store


def snapshot(store) -> dict:
    """Everything the graph holds, in a comparable form."""
    g = store.to_networkx()
    nodes = {n: json.dumps(d, sort_keys=True, default=str) for n, d in g.nodes(data=True)}
    edges = sorted((k, u, v, d["type"], json.dumps(d["attributes"], sort_keys=True),
                    tuple(sorted((e.document_id, e.start, e.end, e.quote, e.extractor)
                                 for e in d["evidence"])))
                   for u, v, k, d in g.edges(keys=True, data=True))
    return {"nodes": nodes, "edges": edges,
            "keys": {n: store.keys_of(n) for n in nodes},
            "mentions": {n: store.mentions_of(n) for n in nodes}, "stats": store.stats()}


def test_a_merge_moves_names_mentions_and_relations_and_a_split_undoes_it(make_store):
    store = loaded(make_store)
    before, revision = snapshot(store), store.revision()
    record = merge_entities(store, ACME, GROUP, reason="one body, two spellings")
    assert store.revision() != revision
    assert store.entity(GROUP) is None
    assert store.find_entity("Acme Alliance Group").id == ACME
    assert "Acme Alliance Group" in store.entity(ACME).aliases
    out = {(r.type, r.target): r for r in store.relations(ACME, "out")}
    assert set(out) == {(R.LOBBIES, "Person:jo-bloggs"), (R.FUNDS, "Organization:beta-institute")}
    # the relation both had holds the evidence of both documents
    assert {e.quote[:20] for e in out[R.LOBBIES, "Person:jo-bloggs"].evidence} == \
        {"Acme Alliance lobbie", "Acme Alliance Group "}
    assert not [r for r in store.relations(ACME) if r.type == R.MEETS]  # no loop
    assert {m["text"] for m in store.mentions_of(ACME)} == {"Acme Alliance",
                                                           "Acme Alliance Group"}
    assert store.stats()["entities"] == before["stats"]["entities"] - 1
    [stored] = store.merges(ACME)
    assert (stored.id, stored.kept, stored.merged, stored.reason, stored.automatic,
            stored.undone) == (record.id, ACME, GROUP, "one body, two spellings", False, None)
    assert stored.name == "Acme Alliance Group"

    undone = split_entity(store, ACME)
    assert undone.id == record.id and undone.undone is not None
    assert snapshot(store) == before
    assert store.merges(GROUP)[0].undone == undone.undone
    with pytest.raises(MergeError, match="no standing merge"):
        split_entity(store, ACME)


def test_documents_after_a_merge_resolve_to_the_kept_entity(make_store):
    store = loaded(make_store)
    merge_entities(store, ACME, GROUP)
    ingest(store, document("Acme Alliance Group lobbied Sam Jones.",
                          ("Acme Alliance Group", T.LobbyGroup, R.LOBBIES, "Sam Jones", T.Person)))
    assert {r.target for r in store.relations(ACME, "out")} >= {"Person:sam-jones"}
    assert store.entity(GROUP) is None


def test_a_split_after_a_document_was_deleted_keeps_the_graph_consistent(make_store):
    store = loaded(make_store)
    merge_entities(store, ACME, GROUP)
    store.delete_document(DOCUMENTS[1].document.id)
    split_entity(store, ACME)
    group = store.relations(GROUP)
    assert [(r.type, r.source, r.target) for r in group] == [(R.MEETS, ACME, GROUP)]
    relations = store.relations()
    assert relations and all(r.evidence for r in relations)
    documents = {d.id for d in store.documents(with_text=False)}
    assert {e.document_id for r in relations for e in r.evidence} <= documents
    assert {m["document_id"] for m in store.mentions_of(GROUP)} <= documents


def test_merges_are_refused_across_types_and_for_unknown_ids(make_store):
    store = loaded(make_store)
    before = snapshot(store)
    with pytest.raises(MergeError, match="different types"):
        merge_entities(store, ACME, "Person:jo-bloggs")
    with pytest.raises(MergeError, match="no entity 'LobbyGroup:nobody'"):
        merge_entities(store, ACME, "LobbyGroup:nobody")
    with pytest.raises(MergeError, match="into itself"):
        merge_entities(store, ACME, ACME)
    with pytest.raises(MergeError, match="no standing merge"):
        split_entity(store, ACME)
    assert snapshot(store) == before and store.merges() == []


def test_merges_chain_and_split_in_any_order(make_store):
    store = loaded(make_store)
    ingest(store, document("Acme Alliance UK lobbied Jo Bloggs.",
                          ("Acme Alliance UK", T.LobbyGroup, R.LOBBIES, "Jo Bloggs", T.Person)))
    before = snapshot(store)
    first = merge_entities(store, ACME, GROUP)
    merge_entities(store, ACME, "LobbyGroup:acme-alliance-uk")
    lobbying = [r for r in store.relations(ACME, "out") if r.type == R.LOBBIES]
    assert len(lobbying) == 1 and len(lobbying[0].evidence) == 3
    split_entity(store, ACME, first.id)  # the older merge first
    split_entity(store, ACME)
    assert snapshot(store) == before


def test_a_split_refuses_when_later_documents_used_the_merged_names(make_store):
    """Merge the FCA into HM Treasury; a later document names "the Financial Conduct
    Authority", which now resolves to HM Treasury. A split cannot tell which of the Treasury's
    relations that document meant for the FCA, so it refuses and names the document; deleted
    and loaded again after the split, the document's relation is the FCA's."""
    store = make_store()
    ingest(store, document("The Financial Conduct Authority wrote to Jo Bloggs.",
                          ("Financial Conduct Authority", T.Agency, R.MEETS, "Jo Bloggs",
                           T.Person)))
    ingest(store, document("HM Treasury met Sam Jones.",
                          ("HM Treasury", T.Agency, R.MEETS, "Sam Jones", T.Person)))
    fca, treasury = "Agency:financial-conduct-authority", "Agency:hm-treasury"
    merge_entities(store, treasury, fca, reason="a mistake")
    later = document("The Financial Conduct Authority met UK Finance.",
                     ("Financial Conduct Authority", T.Agency, R.MEETS, "UK Finance",
                      T.LobbyGroup))
    ingest(store, later)
    with pytest.raises(MergeError, match="documents stored since the merge") as refused:
        split_entity(store, treasury)
    assert later.document.id in str(refused.value)
    assert "names it 'Financial Conduct Authority'" in str(refused.value)
    store.delete_document(later.document.id)
    split_entity(store, treasury)
    ingest(store, later)
    assert {store.entity(r.target).name for r in store.relations(fca, "out")} == \
        {"Jo Bloggs", "UK Finance"}
    assert {store.entity(r.target).name for r in store.relations(treasury, "out")} == \
        {"Sam Jones"}
