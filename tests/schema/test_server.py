"""The walking skeleton end to end: a real server, the seed graph, GraphQL over HTTP."""
from __future__ import annotations

import httpx

PATHS = """
query($s: String!, $t: String!, $k: Int!, $h: Int!) {
  influencePaths(source: $s, target: $t, k: $k, maxHops: $h) {
    length explanation
    nodes { name type }
    hops { type reversed source { name } target { name }
           evidence { quote start end extractor confidence document { id source } } }
  }
}"""


def test_influence_path_from_lobby_group_to_tech_bridge_quotes_the_article(server, seed_text):
    data = server.graphql(PATHS, {"s": "UK Cryptoasset Business Council",
                                  "t": "UK-US Tech Bridge", "k": 5, "h": 4})
    assert "errors" not in data, data
    paths = data["data"]["influencePaths"]
    assert paths, "expected at least one path"
    assert paths[0]["nodes"][0]["name"] == "UK Cryptoasset Business Council"
    assert paths[0]["nodes"][-1]["name"] == "UK-US Tech Bridge"
    # the strongest path runs through a minister the letter was addressed to, as in the
    # ontology's example; the bare "lobbies the Tech Bridge" comes after
    first = paths[0]
    assert [h["type"] for h in first["hops"]] == ["LOBBIES", "ROLE_AT", "PARTY_TO"]
    assert first["nodes"][1]["type"] == "Person"
    assert first["nodes"][1]["name"] in {"Peter Kyle", "Lucy Rigby"}
    assert first["nodes"][2]["name"] == "UK government"
    assert [h["type"] for h in paths[-1]["hops"]] == ["LOBBIES"]
    for path in paths:
        for hop in path["hops"]:
            assert hop["evidence"], f"hop {hop['type']} has no evidence"
            for ev in hop["evidence"]:
                assert ev["quote"] == seed_text[ev["start"]:ev["end"]]
                assert ev["document"]["source"].endswith("uk-us-tech-bridge.txt")


def test_two_hop_path_through_a_minister(server, seed_text):
    data = server.graphql(PATHS, {"s": "UK Finance", "t": "HM Treasury", "k": 3, "h": 3})
    paths = data["data"]["influencePaths"]
    chains = [[n["name"] for n in p["nodes"]] for p in paths]
    assert ["UK Finance", "Lucy Rigby", "HM Treasury"] in chains
    hop = paths[chains.index(["UK Finance", "Lucy Rigby", "HM Treasury"])]["hops"][1]
    assert hop["type"] == "ROLE_AT"
    assert "Treasury Minister Lucy Rigby" in hop["evidence"][0]["quote"]
    assert paths[0]["explanation"].startswith("UK Finance lobbies Lucy Rigby")


def test_entity_lookup_by_name_and_alias_with_relations(server):
    q = """query($n: String!) { entity(name: $n) { id name type aliases
             relations(direction: OUT, types: [LOBBIES]) { type target { name }
               evidence { quote } } } }"""
    e = server.graphql(q, {"n": "theCityUK"})["data"]["entity"]
    assert e["name"] == "TheCityUK" and e["type"] == "LobbyGroup"
    targets = sorted(r["target"]["name"] for r in e["relations"])
    assert targets == ["Lucy Rigby", "Peter Kyle", "UK-US Tech Bridge"]
    trump = server.graphql(q, {"n": "Trump"})["data"]["entity"]
    assert trump["name"] == "Donald Trump"


def test_search_filters_by_type(server):
    q = """query($t: String!, $types: [EntityType!]) {
             search(text: $t, types: $types) { name type } }"""
    found = server.graphql(q, {"t": "uk", "types": ["LobbyGroup"]})["data"]["search"]
    assert {e["type"] for e in found} == {"LobbyGroup"}
    names = {e["name"] for e in found}
    assert {"UK Finance", "UK Cryptoasset Business Council", "TheCityUK"} <= names


def test_unknown_entity_is_a_clear_error_not_a_crash(server):
    data = server.graphql(PATHS, {"s": "Nobody At All", "t": "UK-US Tech Bridge", "k": 3, "h": 3})
    assert data["data"] is None
    assert "no entity named 'Nobody At All'" in data["errors"][0]["message"]


def test_health_and_graphiql(server):
    health = httpx.get(server.url + "/health").json()
    assert health["status"] == "ok" and health["documents"] == 1
    page = httpx.get(server.url + "/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()


def test_paths_are_ranked_by_strength_and_filters_apply(server):
    q = """query($f: [RelationType!]) { influencePaths(source: "UK Finance",
             target: "HM Treasury", k: 5, maxHops: 4, mode: CONNECTION, relationTypes: $f) {
             strength chain hops { type strength reversed } } }"""
    paths = server.graphql(q, {"f": None})["data"]["influencePaths"]
    strengths = [p["strength"] for p in paths]
    assert strengths == sorted(strengths, reverse=True) and len(paths) > 1
    for p in paths:
        product = 1.0
        for hop in p["hops"]:
            product *= hop["strength"]
        assert abs(product - p["strength"]) < 1e-9
    assert paths[0]["chain"] == "UK Finance -LOBBIES-> Lucy Rigby -ROLE_AT-> HM Treasury"
    only = server.graphql(q, {"f": ["LOBBIES"]})["data"]["influencePaths"]
    assert only == []  # HM Treasury is reached only through ROLE_AT


def test_influencers_and_rank(server):
    data = server.graphql("""{ influencers(target: "HM Treasury", maxHops: 3, first: 10) {
                                 score hops entity { name } path { name } }
                               rank(metric: PAGERANK, types: [LobbyGroup], first: 3) {
                                 score entity { name type } } }""")["data"]
    first = data["influencers"][0]
    assert first["entity"]["name"] in {"Lucy Rigby", "Rachel Reeves"} and first["hops"] == 1
    lobby = [r for r in data["influencers"] if r["entity"]["name"] == "UK Finance"][0]
    assert [n["name"] for n in lobby["path"]] == ["UK Finance", "Lucy Rigby", "HM Treasury"]
    assert {r["entity"]["type"] for r in data["rank"]} == {"LobbyGroup"}
    err = server.graphql('{ influencePaths(source: "UK Finance", target: "HM Treasury", '
                         'hubPenalty: 99) { strength } }')["errors"][0]["message"]
    assert err == "hubPenalty must be between 0 and 10.0"


def test_documents_relations_neighbourhood_common_connections_and_brokers(server):
    data = server.graphql("""{
      documents { title source }
      relations(types: [SUPPORTS], since: "2020-01-01", until: "2023-12-31") {
        type source { name } target { name } start }
      neighbourhood(entity: "Lucy Rigby", depth: 1) { entities { name } relations { type } }
      commonConnections(a: "UK Finance", b: "TheCityUK") { entity { name } withA withB }
      brokers(first: 3) { score entity { name } }
    }""")["data"]
    assert [d["source"].endswith("uk-us-tech-bridge.txt") for d in data["documents"]] == [True]
    assert data["relations"] == [{"type": "SUPPORTS", "source": {"name": "Rishi Sunak"},
                                  "target": {"name": "cryptoassets"}, "start": "2022-01-01"}]
    names = {e["name"] for e in data["neighbourhood"]["entities"]}
    assert names == {"Lucy Rigby", "HM Treasury", "UK government",
                     "UK Cryptoasset Business Council", "UK Finance", "TheCityUK"}
    shared = {c["entity"]["name"]: (c["withA"], c["withB"]) for c in data["commonConnections"]}
    assert shared["Peter Kyle"] == (["LOBBIES"], ["LOBBIES"])
    assert {"blockchain", "UK-US Tech Bridge", "Lucy Rigby"} <= set(shared)
    assert len(data["brokers"]) == 3


def test_introspection_can_be_switched_off(seed_db):
    from conftest import Server, free_port
    closed = Server(seed_db, free_port(), "--no-introspection", "--no-ide")
    try:
        data = closed.graphql("{ __schema { types { name } } }")
        assert "introspection" in data["errors"][0]["message"].lower()
        assert closed.graphql('{ entity(name: "UK Finance") { name } }')["data"]["entity"]
        page = httpx.get(closed.url + "/graphql", headers={"accept": "text/html"})
        assert "graphiql" not in page.text.lower()
    finally:
        closed.stop()


def test_entities_page_through_the_whole_graph_with_cursors(server):
    query = """query($after: String) { entities(first: 7, after: $after) {
      edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }"""
    seen, after, pages = [], None, 0
    while True:
        page = server.graphql(query, {"after": after})["data"]["entities"]
        seen += [e["node"]["id"] for e in page["edges"]]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    total = server.graphql("{ stats { entities } }")["data"]["stats"]["entities"]
    assert len(seen) == len(set(seen)) == total and pages == -(-total // 7)
    bad = server.graphql('{ entities(after: "nonsense") { edges { cursor } } }')
    assert bad["errors"][0]["message"] == "not a cursor: 'nonsense'"


def test_node_fetches_entities_and_documents_and_relations_page(server):
    uk = server.graphql('{ entity(name: "UK Finance") { id relations { id } '
                        'firstTwo: relations(first: 2) { id } } }')["data"]["entity"]
    ids = [r["id"] for r in uk["relations"]]
    assert [r["id"] for r in uk["firstTwo"]] == ids[:2]
    rest = server.graphql('query($id: String!, $after: ID!) { entity(name: $id) '
                          '{ relations(after: $after) { id } } }',
                          {"id": "UK Finance", "after": ids[1]})["data"]["entity"]["relations"]
    assert [r["id"] for r in rest] == ids[2:]
    node = server.graphql('query($id: ID!) { node(id: $id) { __typename id '
                          '... on Entity { name } } }', {"id": uk["id"]})["data"]["node"]
    assert node == {"__typename": "Entity", "id": uk["id"], "name": "UK Finance"}
    doc_id = server.graphql("{ documents { id } }")["data"]["documents"][0]["id"]
    doc = server.graphql('query($id: ID!) { node(id: $id) { __typename ... on Document '
                         '{ title } } }', {"id": doc_id})["data"]["node"]
    assert doc["__typename"] == "Document" and doc["title"]
    assert server.graphql('{ node(id: "Person:nobody") { id } }')["data"]["node"] is None


MENTIONS = """query($after: String, $afterEntity: ID) {
  entity(name: "cryptoassets") { degree pagerank relations { id type strength confidence
                                                             evidence { confidence } }
    mentions(first: 2, after: $after) { cursor text start end document { id url } } }
  documents { id entities(first: 3, after: $afterEntity) { id } } }"""


def test_mentions_degree_and_the_entities_of_a_document_page(server, seed_text):
    """An entity's mentions quote the document exactly and page by cursor; its degree counts
    its relations; a document lists the entities it names, paged by id."""
    first = server.graphql(MENTIONS)["data"]
    topic = first["entity"]  # four mentions in the seed
    assert topic["degree"] == len(topic["relations"]) > 0
    ranked = server.graphql("{ rank(first: 100) { score entity { id pagerank } } }")["data"]
    assert all(r["score"] == r["entity"]["pagerank"] for r in ranked["rank"])
    assert 0 < topic["pagerank"] < 1
    for r in topic["relations"]:  # undated, one document each: weight x its confidence
        assert r["confidence"] == max(e["confidence"] for e in r["evidence"])
        assert 0 < r["strength"] <= r["confidence"]
    assert len(topic["mentions"]) == 2
    for m in topic["mentions"]:
        assert m["text"] == seed_text[m["start"]:m["end"]] and "crypto" in m["text"].lower()
        assert m["document"]["url"] is None  # loaded from a file, not a web address
    second = server.graphql(MENTIONS, {"after": topic["mentions"][-1]["cursor"]})["data"]
    assert second["entity"]["mentions"] and all(
        m["start"] > topic["mentions"][-1]["start"] for m in second["entity"]["mentions"]
        if m["document"]["id"] == topic["mentions"][-1]["document"]["id"])
    doc = next(d for d in first["documents"] if len(d["entities"]) == 3)
    ids = [e["id"] for e in doc["entities"]]
    assert ids == sorted(ids)
    after = server.graphql(MENTIONS, {"afterEntity": ids[-1]})["data"]["documents"]
    page = next(d for d in after if d["id"] == doc["id"])["entities"]
    assert page and page[0]["id"] > ids[-1]


def test_graphiql_loads_nothing_from_another_host(server):
    """The IDE page names only assets the server itself serves (offline machines see the IDE),
    and opens on an influence-paths question about the graph served."""
    import re

    page = httpx.get(server.url + "/graphql", headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200
    assets = [a for a in re.findall(r'(?:src|href)="([^"]+)"', page.text)
              if not a.startswith("data:")]  # an inline icon loads nothing
    assert assets and all(a.startswith("/static/graphiql/") for a in assets), assets
    assert "unpkg.com" not in page.text and "://" not in "".join(assets)
    for asset in assets:
        served = httpx.get(server.url + asset, timeout=30)
        assert served.status_code == 200 and len(served.content) > 500, asset
    assert "influencePaths(source: " in page.text and "evidence { quote document" in page.text


def test_a_quote_can_be_read_where_it_stands(server):
    q = ('{ influencePaths(source: "UK Finance", target: "HM Treasury") { hops { evidence { '
         'quote start end document { passage(start: 0, end: 1) { text } } } } } }')
    ev = server.graphql(q)["data"]["influencePaths"][0]["hops"][1]["evidence"][0]
    q = ('query($s: Int!, $e: Int!) { influencePaths(source: "UK Finance", target: '
         '"HM Treasury") { hops { evidence { document { passage(start: $s, end: $e, '
         'around: 30) { before text after } } } } } }')
    out = server.graphql(q, {"s": ev["start"], "e": ev["end"]})
    passage = out["data"]["influencePaths"][0]["hops"][1]["evidence"][0]["document"]["passage"]
    assert passage["text"] == ev["quote"] and len(passage["before"]) == 30
    bad = server.graphql('{ node(id: "doc:x") { id } influencePaths(source: "UK Finance", '
                         'target: "HM Treasury") { hops { evidence { document { '
                         'passage(start: 5, end: 1) { text } } } } } }')
    assert "a passage is 0 <= start <= end" in bad["errors"][0]["message"]
