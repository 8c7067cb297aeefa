"""What a write costs a served graph: an `ingestDocument` of a ~2 KB article, then the first
`influencePaths` answer after it, each timed end to end over HTTP, and the server's resident
memory after each round.

Copies the synthetic SQLite graph of ``bench_export.py`` (built if missing) to a scratch file,
starts `stakegraph serve` on it on 127.0.0.1 and times its first path answer (the index built
from the store's rows, and saved beside the file), then runs ``--writes`` rounds of one ingest
and one path query between a pair of entities the graph holds; then starts the server again
and times its first answer once more (the saved index read and patched with the writes).

    python bench/bench_fresh.py [--entities 100000] [--writes 10]
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
from bench_export import graph_file
from bench_extract import make_articles
from bench_paths import pairs
from bench_server import QUERIES, start_server

from graph.index import PathIndex
from graph.store import SQLiteStore

INGEST = ("mutation($text: String!, $title: String!) { ingestDocument(input: {text: $text, "
          "title: $title}) { ... on IngestResult { created entities relations } "
          "... on InvalidInput { message } } }")


def resident_mb(pid: int, field: str = "VmRSS") -> float:
    """A process's resident memory (Linux /proc), in MB: all of it (``VmRSS``), or only its
    own (``RssAnon``: not the pages of files it maps, such as the store's, which the kernel
    can drop and other processes share)."""
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entities", type=int, default=100_000)
    ap.add_argument("--writes", type=int, default=10)
    args = ap.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench-fresh-"))
    db = scratch / "graph.db"
    shutil.copy(graph_file(args.entities), db)
    store = SQLiteStore(str(db))
    ends = pairs(PathIndex.from_rows(store.index_rows(), lambda want: {}), 20)
    names = {e.id: e.name for e in store.entities([x for pair in ends for x in pair]) if e}
    chosen = [(names[s], names[t]) for s, t in ends]
    print(f"graph: {store.stats()}", flush=True)
    store.close()
    path_query = QUERIES["influencePaths"][0]
    server, url = serve(db, chosen[0])
    try:
        with httpx.Client(timeout=600) as http:
            ingests, answers = [], []
            for i, text in enumerate(make_articles(args.writes, seed=1000)):
                t0 = time.perf_counter()
                reply = http.post(url, json={"query": INGEST, "variables": {
                    "text": text, "title": f"bench article {i}"}}).json()
                ingests.append(time.perf_counter() - t0)
                assert not reply.get("errors"), reply
                t0 = time.perf_counter()
                reply = http.post(url, json={"query": path_query, "variables": dict(
                    zip("st", chosen[i % len(chosen)]))}).json()
                answers.append(time.perf_counter() - t0)
                print(f"write {i + 1}: {len(text):,} chars, ingest {ingests[-1] * 1000:7.1f} ms"
                      f" ({reply.get('errors', [{}])[0].get('message', 'answered')[:40]}), "
                      f"first path after {answers[-1] * 1000:7.1f} ms, "
                      f"server {resident_mb(server.pid):.0f} MB", flush=True)
            print(f"median of {args.writes}: ingest {statistics.median(ingests) * 1000:.1f} ms,"
                  f" first path after {statistics.median(answers) * 1000:.1f} ms", flush=True)
        server.terminate()
        server.wait(timeout=30)
        print("restarted:", end=" ", flush=True)
        server, url = serve(db, chosen[0])  # reads the index saved beside the file
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(scratch, ignore_errors=True)


def serve(db: Path, pair: tuple[str, str]) -> tuple[subprocess.Popen, str]:
    """`stakegraph serve` on ``db``, once it has answered a first path query (timed)."""
    t0 = time.perf_counter()
    server, url = start_server(db)
    with httpx.Client(timeout=600) as http:
        while http.post(url, json={"query": QUERIES["influencePaths"][0],
                                   "variables": dict(zip("st", pair))}).json().get("errors"):
            time.sleep(0.2)  # past the time budget the build goes on
    print(f"start to first path answer {time.perf_counter() - t0:.1f} s, "
          f"server {resident_mb(server.pid):.0f} MB "
          f"({resident_mb(server.pid, 'RssAnon'):.0f} MB its own)", flush=True)
    return server, url


if __name__ == "__main__":
    main()
