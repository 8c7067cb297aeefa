"""No N+1: a response that names many entities and documents costs a few queries, not one per
relation. The server runs in this process (uvicorn on a localhost socket) so that the test can
count the SQL statements the store runs."""
from __future__ import annotations

import threading
import time

import httpx
import pytest
import uvicorn
from conftest import free_port

from schema.app import create_app

QUERY = """query($types: [EntityType!]) { search(text: "", types: $types, first: 100) {
  name relations { type source { name } target { name }
                   evidence { quote document { title } } } } }"""


@pytest.fixture
def live(seed_db):
    app = create_app(str(seed_db))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app.state.store
    server.should_exit = True
    thread.join(timeout=10)


def count_statements(url: str, store, types: list[str]) -> tuple[int, int]:
    statements: list[str] = []
    store.trace(statements.append)
    try:
        data = httpx.post(url + "/graphql", json={"query": QUERY, "variables": {"types": types}},
                          timeout=30).json()
    finally:
        store.trace(None)
    relations = sum(len(e["relations"]) for e in data["data"]["search"])
    return len(statements), relations


def test_queries_do_not_grow_with_the_relations_returned(live):
    url, store = live
    few, few_relations = count_statements(url, store, ["LobbyGroup"])
    many, many_relations = count_statements(url, store, ["LobbyGroup", "Person", "Agency",
                                                         "Company", "Topic"])
    assert many_relations > 3 * few_relations > 0
    # the entities found, their relations, the relations' ends and the documents quoted are
    # each fetched in one batch, however many there are
    assert many == few <= 12
