"""schemathesis in GraphQL mode against a real `stakegraph serve`: every query and mutation of
the schema, with generated arguments and selections, a bounded number of examples each; no
answer may be a server error or an unexpected (masked) error, no error may show internals (a
traceback, a source file, the store's path), and the server must keep answering."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import hypothesis
import pytest
import schemathesis
from conftest import Server, free_port


@pytest.fixture(scope="module")
def fuzzed_server(seed_db, tmp_path_factory):
    """A server of its own over a copy of the seed graph: the mutations write to it."""
    db = tmp_path_factory.mktemp("fuzz") / "g.db"
    shutil.copy(seed_db, db)
    s = Server(db, free_port())
    s.db = db
    yield s
    s.stop()


def test_no_query_or_mutation_breaks_the_server(fuzzed_server):
    schema = schemathesis.graphql.from_url(fuzzed_server.url + "/graphql")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {"influencePaths", "entities", "ingestDocument", "deleteDocument"} <= \
        {op.label.split(".")[-1] for op in operations}
    internals = re.compile("|".join(map(re.escape, [
        "Traceback", 'File "', str(Path(__file__).parents[2]), str(fuzzed_server.db.parent)])))
    calls = 0
    for operation in operations:
        @hypothesis.given(case=operation.as_strategy())
        @hypothesis.settings(max_examples=12, deadline=None, derandomize=True, database=None,
                             suppress_health_check=list(hypothesis.HealthCheck))
        def call(case) -> None:
            nonlocal calls
            response = case.call(timeout=30)
            calls += 1
            assert response.status_code < 500, (operation.label, response.text[:500])
            errors = response.json().get("errors") or []
            assert not [e for e in errors if e["message"] == "Unexpected error."], case.body
            assert not [e for e in errors if internals.search(e["message"])], errors
        call()
    assert calls >= 12 * len(operations) // 2
