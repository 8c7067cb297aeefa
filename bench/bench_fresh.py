"""What a write costs a served graph: an `ingestDocument` of a ~2 KB article, then the first
`influencePaths` answer after it, each timed end to end over HTTP, and the server's resident
memory after each round.

Copies the synthetic SQLite graph of ``bench_export.py`` (built if missing) to a scratch file,
starts `stakegraph serve` on it on 127.0.0.1, warms it up (the first path query builds the
analytics view), then runs ``--writes`` rounds of one ingest and one path query between a pair
of entities the graph holds.

    python bench/bench_fresh.py [--entities 100000] [--writes 10]
"""
from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from bench_export import graph_file
from bench_extract import make_articles
from bench_paths import pairs
from bench_server import QUERIES

from graph.index import PathIndex
from graph.store import SQLiteStore

INGEST = ("mutation($text: String!, $title: String!) { ingestDocument(input: {text: $text, "
          "title: $title}) { ... on IngestResult { created entities relations } "
          "... on InvalidInput { message } } }")


def resident_mb(pid: int) -> float:
    """A process's resident memory (Linux /proc), in MB."""
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
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
    g = store.to_networkx()
    chosen = [(g.nodes[s]["name"], g.nodes[t]["name"]) for s, t in pairs(PathIndex(g), 20)]
    print(f"graph: {store.stats()}", flush=True)
    del g
    store.close()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "stakegraph", "serve", "--db", str(db),
                               "--port", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/graphql"
    path_query = QUERIES["influencePaths"][0]
    try:
        with httpx.Client(timeout=600) as http:
            for _ in range(600):
                try:
                    http.get(f"http://127.0.0.1:{port}/health", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            t0 = time.perf_counter()
            while http.post(url, json={"query": path_query, "variables": dict(
                    zip("st", chosen[0]))}).json().get("errors"):
                time.sleep(1)  # past the time budget the build goes on
            print(f"warm-up (first path query): {time.perf_counter() - t0:.1f} s, "
                  f"server {resident_mb(server.pid):.0f} MB", flush=True)
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
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
