"""Deleting a document removes what only it said, in one transaction, and nothing else."""
from __future__ import annotations

import json

from conftest import SEED, run_cli

from graph.store import SQLiteStore

OTHER = ("In a letter to Treasury Minister Lucy Rigby, trade bodies including UK Finance and "
         "the Solar Trade Association urged support for stablecoins.")


def test_delete_keeps_what_other_documents_back_and_reloading_restores(tmp_path):
    other = tmp_path / "other.txt"
    other.write_text(OTHER)
    db = str(tmp_path / "g.db")
    assert run_cli("load", str(SEED), "--db", db).returncode == 0
    seed_only = json.loads(run_cli("stats", "--db", db, "--format", "json").stdout)
    assert run_cli("load", str(other), "--db", db).returncode == 0
    both = json.loads(run_cli("stats", "--db", db, "--format", "json").stdout)

    out = run_cli("delete", str(SEED), "--db", db)
    assert out.returncode == 0 and out.stdout.startswith(f"removed {SEED}: ")
    store = SQLiteStore(db)
    shared = [r for r in store.relations(store.find_entity("UK Finance").id, "out")
              if store.entity(r.target).name == "Lucy Rigby"]
    assert len(shared) == 1 and {e.document_id for e in shared[0].evidence} == \
        {store.documents()[0].id}  # the other document still backs it
    assert store.find_entity("Peter Kyle") is None  # only the seed named him
    assert store.find_entity("Solar Trade Association") is not None
    assert all(store.entity(r.source) and store.entity(r.target) for r in store.relations())
    store.close()

    assert run_cli("load", str(SEED), "--db", db).returncode == 0
    assert json.loads(run_cli("stats", "--db", db, "--format", "json").stdout) == both
    assert seed_only["documents"] == 1
    missing = run_cli("delete", "nope.txt", "--db", db)
    assert missing.returncode == 1 and "no document 'nope.txt'" in missing.stderr
