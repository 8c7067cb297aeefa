"""The embedded store's floor: how many relations/s SQLite itself takes with the store's
schema and settings when nothing else runs, so what `stakegraph load` can reach on this
machine however fast the loaders and entity resolution become.

It opens a fresh ``SQLiteStore`` (its migrations, indexes, triggers and pragmas), adds the
entities, then writes ``--documents`` documents shaped like the meetings corpus of
``bench_ingest.py`` (a document's text, and per relation its row, one evidence row and one
mention), the rows prepared in advance and written with one ``executemany`` per table. It
times the writes two ways: one transaction per document (the store's rule: a document is
stored whole or not at all), and every document in one transaction (what grouping documents
would buy). ``--ids sequential`` replaces the hashed relation ids with ones that sort by
insertion, to show what the hashing costs.

    python bench/bench_store_floor.py [--documents 100] [--relations 1277]
        [--entities 20000] [--ids hash|sequential]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import platform
import random
import tempfile
import time
from pathlib import Path

from graph.store import SQLiteStore


def documents(count: int, relations: int, entities: list[str], ids: str,
              seed: int = 1) -> list[tuple[tuple, list, list, list]]:
    """Each document's row and its relation, evidence and mention rows. Sources are drawn
    from a heavy-tailed law (a few ministers meet most), targets uniformly."""
    rng = random.Random(seed)
    out = []
    for d in range(count):
        doc = "doc:" + hashlib.sha1(str(d).encode()).hexdigest()[:16]
        rels, evidence, mentions = [], [], []
        for j in range(relations):
            a = entities[min(int(rng.paretovariate(1.2)) - 1, len(entities) - 1)]
            b = entities[rng.randrange(len(entities))]
            key = f"{a}|MEETS|{b}|{d}|{j}"
            rid = f"rel:{d * relations + j:016d}" if ids == "sequential" else \
                "rel:" + hashlib.sha1(key.encode()).hexdigest()[:16]
            rels.append((rid, a, b, "MEETS", json.dumps({"date": "2014-01-01"})))
            evidence.append((rid, doc, 84 * j, 84 * j + 83, "x" * 83, "uk_meetings", 1.0))
            mentions.append((b, doc, 84 * j + 40, 84 * j + 60, b))
        out.append(((doc, "", "", None, "x" * 84 * relations, "2026-12-06T00:00:00+00:00"),
                    rels, evidence, mentions))
    return out


def measure(docs: list, entities: list[str], grouped: bool) -> dict:
    """Write ``docs`` into a fresh store: one transaction each, or all in one."""
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(str(Path(tmp) / "floor.db"))
        db = store._db  # the store's own connection: its schema and pragmas are the point
        db.executemany("INSERT INTO entities VALUES (?, 'Organization', ?, '{}')",
                       [(e, e) for e in entities])
        relations, committing = 0, 0.0
        t0 = time.perf_counter()
        for i, (doc, rels, evidence, mentions) in enumerate(docs):
            if not grouped or i == 0:
                db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?)", doc)
            db.executemany("INSERT INTO relations VALUES (?, ?, ?, ?, ?)", rels)
            db.executemany("INSERT OR IGNORE INTO evidence VALUES (?, ?, ?, ?, ?, ?, ?)",
                           evidence)
            db.executemany("INSERT OR IGNORE INTO mentions VALUES (?, ?, ?, ?, ?)", mentions)
            relations += len(rels)
            if not grouped or i == len(docs) - 1:
                t1 = time.perf_counter()
                db.execute("COMMIT")
                committing += time.perf_counter() - t1
        elapsed = time.perf_counter() - t0
        store.close()
    return {"transactions": "one" if grouped else "per document", "documents": len(docs),
            "relations": relations, "seconds": round(elapsed, 2),
            "committing_s": round(committing, 2), "relations_per_s": round(relations / elapsed)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--relations", type=int, default=1277, help="per document")
    parser.add_argument("--entities", type=int, default=20_000)
    parser.add_argument("--ids", choices=["hash", "sequential"], default="hash")
    args = parser.parse_args()
    entities = [f"Organization:org-{i}" for i in range(args.entities)]
    docs = documents(args.documents, args.relations, entities, args.ids)
    print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"{args.ids} relation ids")
    for grouped in (False, True):
        print(json.dumps(measure(docs, entities, grouped)))


if __name__ == "__main__":
    main()
