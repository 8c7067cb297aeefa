"""GraphQL mutations against real `stakegraph serve` processes: ingest and delete, typed
errors, and the API key that guards them when the server listens beyond localhost."""
from __future__ import annotations

import shutil

import httpx
import pytest
from conftest import Server, free_port

INGEST = """mutation($input: DocumentInput!) { ingestDocument(input: $input) {
  __typename
  ... on IngestResult { created entities relations document { id title source published } }
  ... on InvalidInput { message field } } }"""
DELETE = """mutation($id: ID!) { deleteDocument(id: $id) {
  __typename ... on DeleteResult { documentId relations entities }
  ... on NotFound { message } } }"""
ARTICLE = ("Digital rights group Open Wires Alliance lobbied Culture Secretary Dana Frost over "
           "the Online Safety Bill in a letter sent on 3 March 2025.")
HTML = ("<html><head><title>Wires and bills</title></head><body><nav>Home | About</nav>"
        f"<article><h1>Wires and bills</h1><p>{ARTICLE}</p><p>The letter was published on "
        "the group's site the same day, and the department said it would reply.</p>"
        "</article><footer>Copyright</footer></body></html>")


@pytest.fixture
def local(seed_db, tmp_path):
    """A server on 127.0.0.1 over a copy of the seed graph (mutations change it)."""
    db = tmp_path / "g.db"
    shutil.copy(seed_db, db)
    s = Server(db, free_port())
    yield s
    s.stop()


def test_ingest_then_query_then_delete(local):
    before = local.graphql("{ stats { documents relations } }")["data"]["stats"]
    out = local.graphql(INGEST, {"input": {"text": ARTICLE, "url": "https://example.org/a",
                                           "publishedAt": "2025-03-04"}})
    result = out["data"]["ingestDocument"]
    assert result["__typename"] == "IngestResult" and result["created"]
    assert result["document"]["source"] == "https://example.org/a"
    assert result["document"]["published"] == "2025-03-04" and result["relations"] >= 1
    again = local.graphql(INGEST, {"input": {"text": ARTICLE}})["data"]["ingestDocument"]
    assert again["created"] is False

    raw = local.graphql('{ entity(name: "Open Wires Alliance") { type relations '
                          '{ type target { name } evidence { quote } } } }')
    assert raw.get("data"), raw
    found = raw["data"]["entity"]
    assert found["type"] == "LobbyGroup"
    assert {"LOBBIES", "Dana Frost"} <= {x for r in found["relations"]
                                          for x in (r["type"], r["target"]["name"])}

    gone = local.graphql(DELETE, {"id": result["document"]["id"]})["data"]["deleteDocument"]
    assert gone["__typename"] == "DeleteResult" and gone["relations"] >= 1
    assert local.graphql("{ stats { documents relations } }")["data"]["stats"] == before
    missing = local.graphql(DELETE, {"id": "doc:nope"})["data"]["deleteDocument"]
    assert missing == {"__typename": "NotFound", "message": "no document 'doc:nope'"}


def test_html_input_and_typed_errors(local):
    out = local.graphql(INGEST, {"input": {"html": HTML}})["data"]["ingestDocument"]
    assert out["__typename"] == "IngestResult" and out["document"]["title"] == "Wires and bills"
    both = local.graphql(INGEST, {"input": {"text": "a", "html": "<p>b</p>"}})
    assert both["data"]["ingestDocument"] == {"__typename": "InvalidInput",
                                              "message": "give exactly one of text or html",
                                              "field": "text"}
    empty = local.graphql(INGEST, {"input": {"html": "<html><body></body></html>"}})
    assert empty["data"]["ingestDocument"]["message"] == "no article text found in the HTML"
    huge = local.graphql(INGEST, {"input": {"text": "x " * 3_000_000}})
    assert "larger than 5,000,000 bytes" in huge["data"]["ingestDocument"]["message"]


MERGE = """mutation($kept: ID!, $merged: ID!, $reason: String!) {
  mergeEntities(kept: $kept, merged: $merged, reason: $reason) { __typename
    ... on MergeResult { merge { id keptId mergedId mergedName reason automatic undone }
                         entity { id aliases relations { type } } }
    ... on NotFound { message } ... on InvalidInput { message field } } }"""
SPLIT = """mutation($id: ID!, $mergeId: ID) { splitEntity(id: $id, mergeId: $mergeId) {
  __typename ... on SplitResult { merge { id undone } kept { id } restored { id name
    relations { type } } }
  ... on NotFound { message } ... on InvalidInput { message field } } }"""
RELATIONS = '{ entity(id: "%s") { relations { id type evidence { quote } } } }'


def test_merge_then_split_entities(local):
    kept, merged = "Topic:cryptoassets", "Topic:digital-assets"
    before = {e: local.graphql(RELATIONS % e)["data"]["entity"] for e in (kept, merged)}
    out = local.graphql(MERGE, {"kept": kept, "merged": merged, "reason": "one topic"})
    result = out["data"]["mergeEntities"]
    assert result["__typename"] == "MergeResult", out
    assert result["merge"] | {"id": None} == {
        "id": None, "keptId": kept, "mergedId": merged, "mergedName": "digital assets",
        "reason": "one topic", "automatic": False, "undone": None}
    assert "digital assets" in result["entity"]["aliases"]
    assert len(result["entity"]["relations"]) == len(before[kept]["relations"]) + len(
        before[merged]["relations"])
    assert local.graphql(RELATIONS % merged)["data"]["entity"] is None
    listed = local.graphql('{ merges(id: "%s") { id undone } }' % kept)["data"]["merges"]
    assert listed == [{"id": result["merge"]["id"], "undone": None}]

    split = local.graphql(SPLIT, {"id": kept})["data"]["splitEntity"]
    assert split["__typename"] == "SplitResult" and split["merge"]["undone"]
    assert split["restored"]["id"] == merged and split["restored"]["name"] == "digital assets"
    assert {e: local.graphql(RELATIONS % e)["data"]["entity"] for e in (kept, merged)} == before

    again = local.graphql(SPLIT, {"id": kept})["data"]["splitEntity"]
    assert again == {"__typename": "InvalidInput", "field": "id",
                     "message": f"no standing merge into {kept!r} to split"}
    across = local.graphql(MERGE, {"kept": kept, "merged": "Agency:hm-treasury",
                                   "reason": ""})["data"]["mergeEntities"]
    assert across["__typename"] == "InvalidInput" and "different types" in across["message"]
    missing = local.graphql(MERGE, {"kept": kept, "merged": "Topic:nope", "reason": ""})
    assert missing["data"]["mergeEntities"] == {"__typename": "NotFound",
                                                "message": "no entity 'Topic:nope' (merged)"}


@pytest.fixture
def public(seed_db, tmp_path):
    """Servers bound to 0.0.0.0 (reached on 127.0.0.1): one with an API key, one without."""
    db = tmp_path / "public.db"
    shutil.copy(seed_db, db)
    key = tmp_path / "key"
    key.write_text("s3cret-key\n")
    keyed = Server(db, free_port(), "--host", "0.0.0.0", "--api-key-file", str(key))
    open_ = Server(db, free_port(), "--host", "0.0.0.0")
    yield keyed, open_
    keyed.stop(), open_.stop()


def test_mutations_need_the_key_beyond_localhost(public):
    keyed, keyless = public
    variables = {"input": {"text": ARTICLE}}
    refused = keyless.graphql(INGEST, variables)
    assert refused["data"] is None
    assert "mutations are disabled" in refused["errors"][0]["message"]
    assert keyless.graphql("{ stats { documents } }")["data"]["stats"]["documents"] == 1
    merge = keyless.graphql(MERGE, {"kept": "Topic:cryptoassets", "merged": "Topic:stablecoins",
                                    "reason": ""})
    assert merge["data"] is None and "mutations are disabled" in merge["errors"][0]["message"]

    for headers in ({}, {"authorization": "Bearer wrong"}, {"authorization": "s3cret-key"}):
        out = keyed.graphql(INGEST, variables, headers=headers)
        assert "Authorization: Bearer" in out["errors"][0]["message"]
    out = keyed.graphql(INGEST, variables, headers={"authorization": "Bearer s3cret-key"})
    assert out["data"]["ingestDocument"]["created"] is True
    assert keyed.graphql("{ stats { documents } }")["data"]["stats"]["documents"] == 2


def test_cors_allows_only_the_configured_origin(seed_db):
    s = Server(seed_db, free_port(), "--cors-origin", "https://notebook.example")
    try:
        def preflight(origin: str) -> httpx.Response:
            return httpx.options(s.url + "/graphql", timeout=10, headers={
                "origin": origin, "access-control-request-method": "POST",
                "access-control-request-headers": "content-type"})
        ok = preflight("https://notebook.example")
        assert ok.headers["access-control-allow-origin"] == "https://notebook.example"
        assert "access-control-allow-origin" not in preflight("https://evil.example").headers
    finally:
        s.stop()


def test_notebook_loads_through_the_server(local, public, tmp_path):
    import stakegraph as sg

    page = tmp_path / "page.html"
    page.write_text(HTML)
    empty = tmp_path / "empty.txt"
    empty.write_text("   ")
    remote = sg.connect(local.url + "/graphql")
    report = remote.load([ARTICLE, page, empty])
    assert (report.loaded, report.unchanged) == (2, 0)
    assert report.failed == [(str(empty), f"{empty}: the text is empty")]
    assert (remote.load(ARTICLE).loaded, remote.load(ARTICLE).unchanged) == (0, 1)
    assert sg.connect(local.url + "/graphql").entity("Open Wires Alliance").to_pandas() \
        .relation.tolist().count("LOBBIES") >= 1

    keyed, _ = public
    refused = sg.connect(keyed.url + "/graphql").load([ARTICLE])
    assert "Authorization: Bearer" in refused.failed[0][1]
    assert sg.connect(keyed.url + "/graphql", api_key="s3cret-key").load([ARTICLE]).loaded == 1
