"""GEXF export of a large graph: time and peak memory of `stakegraph export`.

Builds (once, reused if present) a SQLite store of N entities and about 3N relations through
the real ingest path: synthetic documents of 100 entities and 300 relations each, every
relation with an exact evidence span; then runs `stakegraph export --format gexf` as a child
process and reports its wall time and peak resident memory.

    python bench/bench_export.py [--entities 100000] [--db /tmp/bench-export.db]
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

from graph.extraction import Extraction
from graph.model import Document
from graph.ontology import EntityType, RelationType
from graph.resolution import ingest
from graph.store import SQLiteStore

TYPES = [EntityType.Person, EntityType.LobbyGroup, EntityType.Company, EntityType.Agency,
         EntityType.Initiative, EntityType.Organization]
LINKS = [(EntityType.LobbyGroup, RelationType.LOBBIES, EntityType.Person),
         (EntityType.Person, RelationType.ROLE_AT, EntityType.Agency),
         (EntityType.Agency, RelationType.PARTY_TO, EntityType.Initiative),
         (EntityType.Company, RelationType.RETAINS, EntityType.LobbyGroup),
         (EntityType.Person, RelationType.MEETS, EntityType.Person),
         (EntityType.Company, RelationType.FUNDS, EntityType.Organization)]


def documents(entities: int, seed: int = 3, first: int = 0) -> Iterator[Extraction]:
    """Synthetic extractions of 100 entities and 300 relations each, numbered from ``first``."""
    rng = random.Random(seed)
    per_doc = 100
    for d in range(first, first + entities // per_doc):
        names = [(f"Entity {d}-{i}", TYPES[i % len(TYPES)]) for i in range(per_doc)]
        sentences, spans = [], {}
        offset = 0
        for name, _ in names:
            s = f"{name} is named here."
            spans[name] = (offset, offset + len(name))
            sentences.append(s)
            offset += len(s) + 1
        links = []
        by_type = {t: [n for n, tt in names if tt == t] for t in TYPES}
        for j in range(3 * per_doc):
            a_type, rel, b_type = LINKS[j % len(LINKS)]
            a = rng.choice(by_type[a_type])
            # one relation in ten reaches an entity of an earlier document: a connected graph
            b_doc = rng.randrange(d + 1) if rng.random() < 0.1 else d
            b_index = rng.choice([i for i in range(per_doc) if TYPES[i % 6] == b_type])
            b = f"Entity {b_doc}-{b_index}"
            s = f"{a} {rel.value.lower()} {b} in {2000 + j % 25}."
            links.append((a, a_type, rel, b, b_type, offset, offset + len(s)))
            sentences.append(s)
            offset += len(s) + 1
        text = " ".join(sentences)
        ex = Extraction(Document.from_text(text, title=f"synthetic {d}", source="bench",
                                           published=f"{2000 + d % 25}-06-01"))
        ents = {n: ex.add_entity(n, t, mentions=[spans[n]]) for n, t in names}
        for a, _a_type, rel, b, b_type, s, e in links:
            if b not in ents:
                ents[b] = ex.add_entity(b, b_type, mentions=[(s + text[s:e].index(b),
                                                              s + text[s:e].index(b) + len(b))])
            ex.add_relation(ents[a], rel, ents[b], s, e, "bench", 0.8,
                            {"start": f"{2000 + d % 25}-01-01"} if d % 5 == 0 else None)
        yield ex


def build(db: Path, entities: int, seed: int = 3) -> float:
    """Ingest ``documents(entities)`` into a new SQLite store at ``db``; the seconds taken."""
    store = SQLiteStore(str(db))
    t0 = time.perf_counter()
    for ex in documents(entities, seed):
        ingest(store, ex)
    elapsed = time.perf_counter() - t0
    store.close()
    return elapsed


def graph_file(entities: int, db: str | None = None) -> Path:
    """The synthetic graph of ``entities`` entities as a SQLite file, built if missing (the
    benchmarks of the Bolt store and of the server share it)."""
    path = Path(db or f"/tmp/bench-bolt-{entities}.db")
    if not path.exists():
        print(f"built {path} in {build(path, entities):.1f} s", flush=True)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entities", type=int, default=100_000)
    ap.add_argument("--db", default="/tmp/bench-export.db")
    args = ap.parse_args()
    db = Path(args.db)
    if not db.exists():
        took = build(db, args.entities)
        print(f"built {db} in {took:.1f} s")
    print("store:", SQLiteStore(str(db)).stats())
    out = db.with_suffix(".gexf")
    exe = [sys.executable, "-m", "stakegraph"]
    for mode in ("--static", "--dynamic"):
        t0 = time.perf_counter()
        subprocess.run([*exe, "export", "--format", "gexf", "--out", str(out), "--db", str(db),
                        mode], check=True, capture_output=True)
        elapsed = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"export gexf {mode[2:]}: {elapsed:.1f} s, file {os.path.getsize(out) / 1e6:.0f} MB,"
              f" peak RSS of the largest child so far {peak:.0f} MB")


if __name__ == "__main__":
    main()
