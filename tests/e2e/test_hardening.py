"""Hostile and unlucky requests against a real `stakegraph serve` on 127.0.0.1: each defect of
the hardening issue reproduced, and refused or survived. Numbers in the test names follow the
issue's list (1: fragment bombs, 2: long strings, 7: DNS rebinding, 9: the lesser ones)."""
from __future__ import annotations

import json
import shutil
import socket
import threading
import time

import httpx
import pytest
from conftest import SEED, Server, free_port

INGEST = """mutation($input: DocumentInput!) { ingestDocument(input: $input) {
  __typename ... on IngestResult { created } ... on InvalidInput { message field } } }"""


def fragment_bomb(n: int) -> str:
    """n fragments, each spreading the one before twice: 2^(n-1) fields once expanded."""
    fragments = ["fragment F0 on Query { stats { entities } }"] + [
        f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, n)]
    return f"query {{ ...F{n - 1} }} " + " ".join(fragments)


@pytest.fixture(scope="module")
def own(seed_db, tmp_path_factory):
    """A server of this module's own over a copy of the seed graph (the tests write to it),
    with a short read timeout."""
    db = tmp_path_factory.mktemp("hardening") / "g.db"
    shutil.copy(seed_db, db)
    s = Server(db, free_port(), "--read-timeout", "1")
    yield s
    s.stop()


def test_1_a_fragment_bomb_is_refused_at_once_and_the_server_keeps_answering(own):
    answers: dict[str, dict] = {}

    def bomb(n: int) -> None:
        answers[f"bomb{n}"] = own.graphql(fragment_bomb(n))

    threads = [threading.Thread(target=bomb, args=(n,)) for n in (26, 40, 60)]
    for t in threads:
        t.start()
    health = httpx.get(own.url + "/health", timeout=30)
    for t in threads:
        t.join(timeout=60)
    assert health.status_code == 200
    for n in (26, 40, 60):
        message = answers[f"bomb{n}"]["errors"][0]["message"]
        assert "fields once its fragments are expanded; the limit is 2000" in message
    # one character changed is a new query text: refused just the same
    assert "errors" in own.graphql(fragment_bomb(26).replace("entities", "documents"))


def test_1_aliases_and_depth_count_through_fragments(own):
    aliased = ("query { ...F1 } fragment F0 on Query { " + " ".join(
        f"a{i}: stats {{ entities }}" for i in range(8)) + " } fragment F1 on Query { ...F0 "
        "...F0 }")
    assert "16 aliases found. Allowed: 15" in own.graphql(aliased)["errors"][0]["message"]
    deep = "fragment D on Entity { relations { source { name } } } query { entity(name: " \
           "\"UK Finance\") { " + "relations { source { " * 5 + "...D" + " } }" * 5 + " } }"
    assert "exceeds maximum operation depth of 10" in own.graphql(deep)["errors"][0]["message"]


def test_2_long_strings_are_refused_before_the_store_sees_them(own):
    out = own.graphql("query($x: String!) { search(text: $x) { name } }", {"x": "ab" * 150000})
    assert out["errors"][0]["message"] == \
        "text is 300,000 characters long; the limit is 200"
    out = own.graphql("query($x: String!) { entity(name: $x) { name } }", {"x": "x" * 501})
    assert "name is 501 characters long; the limit is 500" in out["errors"][0]["message"]
    out = own.graphql("query($x: String!) { influencePaths(source: $x, target: \"UK Finance\") "
                      "{ length } }", {"x": "y" * 10_000})
    assert "source is 10,000 characters long" in out["errors"][0]["message"]
    assert own.graphql("{ stats { documents } }")["data"]["stats"]["documents"] >= 1


def test_6_a_text_longer_than_the_extractor_reads_is_invalid_input(own):
    out = own.graphql(INGEST, {"input": {"text": "Acme lobbied. " * 80_000}})
    assert out["data"]["ingestDocument"] == {
        "__typename": "InvalidInput", "field": "text",
        "message": "the text is 1,120,000 characters long; articles are read up to 1,000,000"}


def test_7_a_foreign_host_or_origin_cannot_reach_a_local_server(own):
    """DNS rebinding: a page on attacker.example whose name resolves to 127.0.0.1."""
    r = httpx.post(own.url + "/graphql", json={"query": "{ stats { documents } }"},
                   headers={"Host": "attacker.example"}, timeout=10)
    assert r.status_code == 400
    before = own.graphql("{ stats { documents } }")["data"]["stats"]["documents"]
    text = "Acme Alliance lobbied Jo Bloggs about stablecoins."
    out = own.graphql(INGEST, {"input": {"text": text}},
                      headers={"Origin": "https://attacker.example"})
    assert "mutations from pages of other sites are refused" in out["errors"][0]["message"]
    assert own.graphql("{ stats { documents } }")["data"]["stats"]["documents"] == before
    out = own.graphql(INGEST, {"input": {"text": text}}, headers={"Origin": own.url})
    assert out["data"]["ingestDocument"]["__typename"] == "IngestResult"


def test_9_malformed_bodies_are_answered_400(own):
    for body in [b"[" * 100_000 + b"]" * 100_000, b'"just a string"', b"[{}]", b"{nope",
                 b"\xff\xfe\x00"]:
        r = httpx.post(own.url + "/graphql", content=body, timeout=10,
                       headers={"content-type": "application/json"})
        assert r.status_code == 400, (body[:20], r.status_code, r.text[:200])
        assert "request body" in r.json()["errors"][0]["message"]


def test_9_a_half_sent_request_is_cut_off(own):
    """A client that sends half its headers (or half its body) and waits is disconnected
    after the read timeout (1 s here) instead of holding a connection for ever."""
    port = int(own.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as head:
        head.sendall(b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        assert head.recv(1024) == b""  # closed by the server
    with socket.create_connection(("127.0.0.1", port), timeout=30) as body:
        body.sendall(b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: "
                     b"application/json\r\ncontent-length: 100\r\n\r\n{\"query\":")
        assert b" 408 " in body.recv(4096).split(b"\r\n")[0] + b" "


def test_9_export_checks_its_parameters_before_it_streams(own):
    r = httpx.get(own.url + "/export/graph.gexf", params={"size_by": "bogus"}, timeout=30)
    assert r.status_code == 400 and "size_by must be one of pagerank, degree" in r.text


def test_9_an_ingest_past_the_time_budget_stores_nothing(seed_db, tmp_path):
    db = tmp_path / "g.db"
    shutil.copy(seed_db, db)
    tight = Server(db, free_port(), "--time-budget", "0.2")
    try:
        before = tight.graphql("{ stats { documents } }")["data"]["stats"]["documents"]
        text = (SEED.read_text(encoding="utf-8") + "\n\n") * 120
        out = tight.graphql(INGEST, {"input": {"text": text}})["data"]["ingestDocument"]
        assert out["__typename"] == "InvalidInput"
        assert "took longer than the server's 0.2 s budget; nothing was stored" in out["message"]
        time.sleep(8)  # the reading goes on in its thread, and then must not write
        assert tight.graphql("{ stats { documents } }")["data"]["stats"]["documents"] == before
    finally:
        tight.stop()


def test_9_keys_and_suggestions_on_a_closed_server(seed_db, tmp_path):
    """With an API key, the whole-graph export needs it (a part of the graph does not);
    without introspection, errors do not suggest field names."""
    key = tmp_path / "key"
    key.write_text("s3cret")
    closed = Server(seed_db, free_port(), "--api-key-file", str(key), "--no-introspection")
    try:
        whole = httpx.get(closed.url + "/export/graph.gexf", timeout=30)
        assert whole.status_code == 401 and "API key" in whole.json()["error"]
        keyed = httpx.get(closed.url + "/export/graph.gexf", timeout=30,
                          headers={"Authorization": "Bearer s3cret"})
        assert keyed.status_code == 200 and "<gexf" in keyed.text
        part = httpx.get(closed.url + "/export/graph.gexf", params={"ego": "UK Finance"},
                         timeout=30)
        assert part.status_code == 200
        message = closed.graphql("{ entitie { name } }")["errors"][0]["message"]
        assert "Cannot query field 'entitie'" in message and "Did you mean" not in message
    finally:
        closed.stop()


def test_9_the_body_limit_is_stated(own):
    big = json.dumps({"query": "{ stats { documents } }", "pad": "x" * 11_000_000})
    r = httpx.post(own.url + "/graphql", content=big, timeout=60,
                   headers={"content-type": "application/json"})
    assert r.status_code == 413 and "larger than" in r.json()["errors"][0]["message"]
