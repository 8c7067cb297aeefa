"""The endpoint's bounds: sizes, depth, aliases, and masked internal errors."""
from __future__ import annotations


def test_k_and_max_hops_are_bounded(server):
    q = '{ influencePaths(source: "UK Finance", target: "HM Treasury", k: 500) { length } }'
    err = server.graphql(q)["errors"][0]["message"]
    assert err == "k must be between 1 and 20, not 500"
    q = '{ influencePaths(source: "UK Finance", target: "HM Treasury", maxHops: 60) { length } }'
    assert "maxHops must be between 1 and 6" in server.graphql(q)["errors"][0]["message"]


def test_page_size_is_bounded(server):
    err = server.graphql('{ search(text: "uk", first: 100000) { name } }')["errors"][0]
    assert "first must be between 1 and 100" in err["message"]


def test_deep_queries_are_refused(server):
    """Refused every time: validation is cached per query text, its verdict with it."""
    inner = "name"
    for _ in range(12):
        inner = f"relations {{ source {{ {inner} }} }}"
    for _ in range(2):
        data = server.graphql(f'{{ entity(name: "UK Finance") {{ {inner} }} }}')
        assert "exceeds maximum operation depth" in data["errors"][0]["message"]
        assert data["data"] is None


def test_too_many_aliases_are_refused(server):
    fields = " ".join(f"a{i}: stats {{ entities }}" for i in range(40))
    data = server.graphql(f"{{ {fields} }}")
    assert "aliases found" in data["errors"][0]["message"].lower()


def test_entity_needs_exactly_one_of_id_or_name(server):
    data = server.graphql('{ entity { name } }')
    assert data["errors"][0]["message"] == "give exactly one of id or name"


def test_hostile_queries_get_a_plain_graphql_error(server):
    """Each is refused with an error that names the limit and shows no internals."""
    hostile = [
        ("{ " + " ".join(f"a{i}: stats {{ entities }}" for i in range(1000)) + " }",
         "more than 2000 tokens"),
        ('{ influencePaths(source: "UK Finance", target: "HM Treasury", k: 1000000) '
         '{ length } }', "k must be between 1 and 20"),
        ('{ influencers(target: "HM Treasury", maxHops: 1000000) { score } }',
         "maxHops must be between 1 and 6"),
        ('{ entity(name: "UK Finance") { ' + "relations { source { " * 20 + "name"
         + " } }" * 20 + " } }", "exceeds maximum operation depth of 10"),
        ('{ search(text: "a", first: 1000000000) { name } }', "first must be between 1 and 100"),
        ('{ neighbourhood(entity: "UK Finance", depth: 1000000) { entities { name } } }',
         "depth must be between 1 and 3"),
        ("query { ...F25 } fragment F0 on Query { stats { entities } } " + " ".join(
            f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, 26)),
         "selects 67108864 fields once its fragments are expanded"),
        ('{ search(text: "' + "ab" * 150000 + '") { name } }',
         "text is 300,000 characters long; the limit is 200"),
    ]
    for query, expected in hostile:
        message = server.graphql(query)["errors"][0]["message"]
        assert expected in message and "Traceback" not in message, message


def test_analytics_queries_have_a_time_budget(seed_db):
    from conftest import Server, free_port

    tight = Server(seed_db, free_port(), "--time-budget", "0.000001")
    try:
        out = tight.graphql('{ influencePaths(source: "UK Finance", target: "HM Treasury") '
                            '{ length } }')
        assert "took longer than its 1e-06 s budget" in out["errors"][0]["message"]
        assert tight.graphql("{ stats { documents } }")["data"]["stats"]["documents"] == 1
    finally:
        tight.stop()
