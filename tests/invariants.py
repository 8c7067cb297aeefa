"""What must hold of an embedded store after anything (a crash, a fuzzed file, two writers):
the checks shared by the reliability and fuzzing tests."""
from __future__ import annotations

import sqlite3
from pathlib import Path


def check_store(db: Path) -> set[str]:
    """Assert the store's invariants; returns the sources of its documents.

    SQLite's integrity and foreign-key checks pass; no evidence or mention points at a missing
    document (no part of a document that is not there); every relation has evidence; every
    evidence span is a non-blank part of its document's text (the quote is cut from it)."""
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert c.execute("PRAGMA foreign_key_check").fetchall() == []
        for table in ("evidence", "mentions"):
            assert c.execute(f"SELECT count(*) FROM {table} WHERE document_id NOT IN "
                             "(SELECT id FROM documents)").fetchone()[0] == 0
        assert c.execute("SELECT count(*) FROM relations WHERE id NOT IN "
                         "(SELECT relation_id FROM evidence)").fetchone()[0] == 0
        bad = c.execute("SELECT count(*) FROM evidence e JOIN documents d ON d.id = "
                        "e.document_id WHERE e.start < 0 OR e.end <= e.start OR "
                        "e.end > length(d.text) OR trim(substr(d.text, e.start + 1, "
                        "e.end - e.start)) = ''").fetchone()[0]
        assert bad == 0, f"{bad} evidence spans are not a part of their document's text"
        return {s for (s,) in c.execute("SELECT source FROM documents")}
