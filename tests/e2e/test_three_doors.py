"""The same questions through the three front doors (GraphQL over a real server, the CLI, the
notebook API) on the seed graph give the same answers: they call one use-case layer."""
from __future__ import annotations

import json

import pytest
from conftest import run_cli

import stakegraph as sg

QUESTIONS = {
    "rank pagerank": (["rank", "--metric", "pagerank", "--limit", "8"],
                      "rank(metric: PAGERANK, first: 8)",
                      lambda kg: kg.rank("pagerank", limit=8)),
    "rank degree of lobby groups": (
        ["rank", "--metric", "degree", "--types", "LobbyGroup", "--limit", "5"],
        "rank(metric: DEGREE, types: [LobbyGroup], first: 5)",
        lambda kg: kg.rank("degree", types=["LobbyGroup"], limit=5)),
    "influencers of the Tech Bridge": (
        ["influencers", "UK-US Tech Bridge", "--max-hops", "3", "--limit", "10"],
        'influencers(target: "UK-US Tech Bridge", maxHops: 3, first: 10)',
        lambda kg: kg.influencers("UK-US Tech Bridge", max_hops=3, limit=10)),
}


def _key(rows) -> list[tuple]:
    return [(r["id"], round(r["score"], 6), r["hops"], tuple(r["path"])) for r in rows]


@pytest.mark.parametrize("question", list(QUESTIONS))
def test_graphql_cli_and_notebook_answer_alike(question, seed_db, server):
    cli_args, field, notebook = QUESTIONS[question]
    out = run_cli(*cli_args, "--db", str(seed_db), "--format", "json")
    assert out.returncode == 0, out.stderr
    from_cli = json.loads(out.stdout)
    data = server.graphql(f"{{ answer: {field} {{ score hops entity {{ id }} "
                          f"path {{ name }} }} }}")
    assert "errors" not in data, data
    from_graphql = [{"id": r["entity"]["id"], "score": r["score"], "hops": r["hops"],
                     "path": [p["name"] for p in r["path"]]} for r in data["data"]["answer"]]
    kg = sg.open(str(seed_db))
    try:
        from_notebook = notebook(kg).rows
    finally:
        kg.close()
    assert from_cli, "the seed graph answers every question"
    assert _key(from_cli) == _key(from_graphql) == _key(from_notebook)
