"""The Bolt store against a real Bolt server (FalkorDB, started by the ``bolt_server``
fixture): the same graph, the same answers and the same guarantees as the embedded store."""
from __future__ import annotations

import json
import socket

import httpx
import pytest
from conftest import EVAL, ROOT, SEED, BoltServer, Server, free_port, run_cli
from neo4j import GraphDatabase

from graph.extraction import Extraction
from graph.model import Document
from graph.ontology import EntityType as T
from graph.ontology import RelationType as R
from graph.resolution import ingest
from graph.store import BoltStore, SQLiteStore, StoreUnavailable
from graph.view import GraphView
from loaders import extract_path

MEETINGS = ROOT / "tests" / "fixtures" / "uk-ministerial-meetings"
DOCS = [SEED, EVAL / "tech-prosperity-deal.txt", MEETINGS / "CO_meetings_jan_mar_14.csv",
        MEETINGS / "co_hospitality_jan_mar_14.csv"]


def edges(g) -> list:
    return sorted((u, v, k, json.dumps(d, sort_keys=True, default=str))
                  for u, v, k, d in g.edges(keys=True, data=True))


@pytest.fixture(scope="module")
def both(bolt_store, tmp_path_factory):
    """The same documents (two articles and two registers) in both stores."""
    sqlite = SQLiteStore(str(tmp_path_factory.mktemp("both") / "g.db"))
    bolt_store.clear()
    for path in DOCS:
        ex = extract_path(path)
        assert ingest(sqlite, ex) == ingest(bolt_store, ex)
    assert [(m.id, m.reason) for m in sqlite.merges()] == [
        (m.id, m.reason) for m in bolt_store.merges()]
    yield sqlite, bolt_store
    sqlite.close()


def test_both_stores_hold_the_same_graph(both):
    sqlite, bolt = both
    assert bolt.stats() == sqlite.stats() and sqlite.stats()["entities"] > 300
    g, h = sqlite.to_networkx(), bolt.to_networkx()
    assert sorted(g.nodes(data=True)) == sorted(h.nodes(data=True))
    assert edges(g) == edges(h)
    assert [d.text for d in bolt.documents()] == [d.text for d in sqlite.documents()]
    assert bolt.revision() > 0


@pytest.mark.parametrize("name", ["UK Finance", "peter kyle", "HM Treasury", "uk", "Maude"])
def test_lookups_and_search_agree(both, name):
    sqlite, bolt = both
    assert bolt.find_entity(name) == sqlite.find_entity(name)
    assert bolt.search(name, limit=8) == sqlite.search(name, limit=8)
    assert bolt.search(name, types=[T.Person]) == sqlite.search(name, types=[T.Person])
    e = sqlite.find_entity(name) or sqlite.search(name)[0]
    for direction in ("out", "in", "both"):
        assert bolt.relations(e.id, direction) == sqlite.relations(e.id, direction)
    assert bolt.relations(e.id, types=[R.MEETS]) == sqlite.relations(e.id, types=[R.MEETS])


def test_influence_paths_on_the_seed_are_identical(both):
    sqlite, bolt = both
    for source, target, mode in [("UK Cryptoasset Business Council", "UK-US Tech Bridge",
                                  "influence"), ("UK Finance", "HM Treasury", "connection")]:
        here, there = GraphView(sqlite), GraphView(bolt)
        ours = here.paths(source, target, k=5, max_hops=4, mode=mode)
        theirs = there.paths(source, target, k=5, max_hops=4, mode=mode)
        assert ours and [p.explain(there.graph()) for p in theirs] == \
            [p.explain(here.graph()) for p in ours]
        assert [(p.nodes, p.strength) for p in theirs] == [(p.nodes, p.strength) for p in ours]
        assert [[e for h in p.hops for e in h.evidence] for p in theirs] == \
            [[e for h in p.hops for e in h.evidence] for p in ours]


def test_delete_removes_the_same_on_both(bolt_store, tmp_path):
    sqlite = SQLiteStore(str(tmp_path / "g.db"))
    bolt_store.clear()
    for path in DOCS[:2]:
        ex = extract_path(path)
        ingest(sqlite, ex), ingest(bolt_store, ex)
    seed = sqlite.find_document(str(SEED))
    assert bolt_store.find_document(str(SEED)) == seed
    assert bolt_store.delete_document(seed.id) == sqlite.delete_document(seed.id)
    assert bolt_store.delete_document(seed.id) is None
    assert bolt_store.stats() == sqlite.stats()
    assert edges(bolt_store.to_networkx()) == edges(sqlite.to_networkx())


def test_long_text_and_hostile_names_are_stored_as_data(bolt_store):
    """Text far beyond FalkorDB's parameter limit, and names that look like Cypher, arrive
    intact: everything is a parameter, in batches the server takes."""
    bolt_store.clear()
    names = ["Robert'); MATCH (n) DETACH DELETE n //", "Acme `Person` {id: 1}", "Ünïcödé Grüppe",
             "King's \\ Back\\slash Fund", "Tab\tand \\' quote Group"]
    text = " ".join(names) + " " + "Lorem ipsum é dolor. " * 3000
    ex = Extraction(Document.from_text(text, title="long"))
    found, start = [], 0
    for name in names:
        found.append(ex.add_entity(name, T.LobbyGroup, mentions=[(start, start + len(name))]))
        start += len(name) + 1
    ex.add_relation(found[0], R.COLLABORATES_WITH, found[1], 0, start - 1, "test")
    assert ingest(bolt_store, ex).created
    assert bolt_store.document(ex.document.id).text == text
    assert sorted(e.name for e in bolt_store.search("", limit=10)) == sorted(names)
    assert bolt_store.stats()["relations"] == 1


def test_bolt_ignores_the_redis_password_so_it_is_local_only(bolt_server):
    """What docs/neo4j.md reports: redis refuses commands without ``--requirepass``, but
    FalkorDB's Bolt listener answers a driver that sends no credentials at all. This fails
    the day Bolt enforces the password, and the note gets updated."""
    with socket.create_connection(("127.0.0.1", bolt_server.port), timeout=5) as redis:
        redis.sendall(b"PING\r\n")
        assert redis.recv(100).startswith(b"-NOAUTH")
    with GraphDatabase.driver(bolt_server.url, auth=None) as driver:
        records, _, _ = driver.execute_query("RETURN 1 AS one")
        assert records[0]["one"] == 1


def test_server_stopped_mid_ingest_then_retry_completes(tmp_path):
    """The server stops (and snapshots) in the middle of a document: the ingest fails with a
    clear error, the reopened store holds no part of that document, and loading it again
    gives exactly the graph a clean load gives."""
    server = BoltServer(persist_dir=tmp_path)
    try:
        first, second = extract_path(DOCS[0]), extract_path(DOCS[2])
        store = BoltStore(server.url, retry_seconds=1)
        ingest(store, first)
        before = store.stats()
        seen: list[str] = []

        def stop_after_a_few(cypher: str) -> None:
            seen.append(cypher)
            if len(seen) == 12:
                server.stop()  # a clean shutdown: redis snapshots the half-written document
        store.trace(stop_after_a_few)
        with pytest.raises(StoreUnavailable, match="not committed: load it again"):
            ingest(store, second)
        store.close()
        server.start()
        reopened = BoltStore(server.url, retry_seconds=5)
        assert reopened.stats() == before and reopened.document(second.document.id) is None
        assert ingest(reopened, second).created
        clean = SQLiteStore(":memory:")
        ingest(clean, first), ingest(clean, second)
        assert reopened.stats() == clean.stats()
        assert edges(reopened.to_networkx()) == edges(clean.to_networkx())
        reopened.close()
    finally:
        server.stop()


def test_unreachable_server_is_a_clear_cli_error():
    out = run_cli("stats", "--store", "bolt://127.0.0.1:9")
    assert out.returncode == 1 and "bolt://127.0.0.1:9 is not answering" in out.stderr
    assert "Traceback" not in out.stderr


def test_cli_loads_and_answers_over_bolt(bolt_server, bolt_store):
    bolt_store.clear()
    store = ["--store", bolt_server.url]
    out = run_cli("load", str(SEED), *store)
    assert out.returncode == 0, out.stderr
    stats = json.loads(run_cli("stats", *store, "--format", "json").stdout)
    assert stats["documents"] == 1 and stats["relations"] > 20
    paths = run_cli("paths", "UK Cryptoasset Business Council", "UK-US Tech Bridge", *store,
                    "--format", "json")
    assert paths.returncode == 0 and json.loads(paths.stdout)[0]["hops"]


def test_push_then_pull_round_trips_and_is_idempotent(bolt_server, bolt_store, seed_db,
                                                      tmp_path):
    bolt_store.clear()
    pushed = run_cli("push", "--to", bolt_server.url, "--db", str(seed_db))
    assert pushed.returncode == 0, pushed.stderr
    assert "mentions copied to" in pushed.stdout and "relations/s" in pushed.stdout
    seed = SQLiteStore(str(seed_db))
    assert bolt_store.stats() == seed.stats()
    revision = bolt_store.revision()
    assert run_cli("push", "--to", bolt_server.url, "--db", str(seed_db)).returncode == 0
    assert bolt_store.stats() == seed.stats()  # again: nothing added
    assert bolt_store.revision() > revision  # but a copy counts as a change

    back = tmp_path / "back.db"
    pulled = run_cli("pull", "--from", bolt_server.url, "--db", str(back))
    assert pulled.returncode == 0, pulled.stderr
    copy = SQLiteStore(str(back))
    assert copy.stats() == seed.stats()
    assert edges(copy.to_networkx()) == edges(seed.to_networkx())
    assert [d.text for d in copy.documents()] == [d.text for d in seed.documents()]
    assert sorted(copy.to_networkx().nodes(data=True)) == \
        sorted(seed.to_networkx().nodes(data=True))


def test_graphql_server_over_bolt_answers_like_the_embedded_one(bolt_server, bolt_store,
                                                                  seed_db, server):
    bolt_store.clear()
    assert run_cli("push", "--to", bolt_server.url, "--db", str(seed_db)).returncode == 0
    remote = Server(seed_db, free_port(), "--store", bolt_server.url)
    try:
        query = ('{ influencePaths(source: "UK Finance", target: "HM Treasury", k: 3) '
                 '{ explanation hops { type evidence { quote start end } } } }')
        assert remote.graphql(query) == server.graphql(query)
        assert remote.graphql(query)["data"]["influencePaths"]
        health = httpx.get(remote.url + "/health", timeout=10).json()
        assert health["relations"] == SQLiteStore(str(seed_db)).stats()["relations"]
    finally:
        remote.stop()


def test_every_register_sample_loads_the_same_on_both(bolt_store):
    """The real register samples (long records, quotes, apostrophes, 77 KB evidence quotes in
    the LDA JSON) give the same graph in both stores."""
    sqlite = SQLiteStore(":memory:")
    bolt_store.clear()
    for path in sorted((ROOT / "tests" / "fixtures").glob("*/*")):
        if path.parent.name in ("eval", "gexf-1.3", "uk-electoral-commission-donations"):
            continue  # articles, a grammar, a register read through a mapping
        ex = extract_path(path)
        assert ingest(bolt_store, ex) == ingest(sqlite, ex), path
    assert bolt_store.stats() == sqlite.stats()
    g, h = sqlite.to_networkx(), bolt_store.to_networkx()
    assert sorted(g.nodes(data=True)) == sorted(h.nodes(data=True))
    assert edges(g) == edges(h)
    longest = max((e for _, _, d in h.edges(data=True) for e in d["evidence"]),
                  key=lambda e: len(e.quote))
    assert len(longest.quote) > 70_000
    assert longest.quote == bolt_store.document(longest.document_id).text[
        longest.start:longest.end]
