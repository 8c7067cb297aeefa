"""What an article's write costs the analytic index, without a store or a server: the
synthetic lobbying graph of ``bench_paths.py`` at ``--entities`` entities as an index, then
``--writes`` times the changes a ~2 KB article makes (``--new`` entities and ``--relations``
relations among new and known entities), each timed as the patch (``PathIndex.patched``,
which patches the influence step graph too), the step graph asked for (built again only when
the patch did not patch it), and the first path query after it.

    python bench/bench_patch.py [--entities 1000000] [--writes 5]
"""
from __future__ import annotations

import argparse
import random
import resource
import time

import numpy as np
from bench_paths import generate, pairs

import graph.index
from graph.index import PathIndex


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entities", type=int, default=1_000_000)
    ap.add_argument("--writes", type=int, default=5)
    ap.add_argument("--new", type=int, default=8)
    ap.add_argument("--relations", type=int, default=15)
    ap.add_argument("--sorts", action="store_true",
                    help="instead, time the influence step graph's build with np.lexsort, "
                         "with graph.index._by sorting by comparison and by counting, "
                         "alternating four times")
    args = ap.parse_args()
    t0 = time.perf_counter()
    g = generate(args.entities)
    index = PathIndex(g)
    index.steps("influence")
    chosen = pairs(index, args.writes)
    print(f"graph: {g.number_of_nodes():,} entities, {g.number_of_edges():,} relations, "
          f"made and indexed in {time.perf_counter() - t0:.0f} s", flush=True)
    if args.sorts:
        compare_sorts(index)
        return
    rng = random.Random(3)
    data = {}
    for w in range(args.writes):
        new = {f"Person:article{w}-{i}": "Person" for i in range(args.new)}
        ends = list(new) + rng.sample(index.nodes, args.new)
        current = []
        for i in range(args.relations):
            key = f"MEETS:article{w}-{i}"
            current.append((key, rng.choice(ends), rng.choice(ends), "MEETS", 0.8))
            data[key] = {"type": "MEETS", "attributes": {}, "evidence": []}
        t0 = time.perf_counter()
        index = index.patched(new, {key: [] for key, *_ in current}, current,
                              lambda want: {k: data.get(k) or g.edges[u, v, k]
                                            for u, v, k in want})
        t1 = time.perf_counter()
        index.steps("influence")
        t2 = time.perf_counter()
        index.paths(*chosen[w], k=5, max_hops=6)
        t3 = time.perf_counter()
        print(f"write {w + 1}: patch {(t1 - t0) * 1000:6.0f} ms, step graph {(t2 - t1) * 1000:6.0f}"
              f" ms, first path query {(t3 - t2) * 1000:5.0f} ms, in all "
              f"{(t3 - t0) * 1000:6.0f} ms", flush=True)
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def compare_sorts(index: PathIndex) -> None:
    """The step graph built with each way of sorting its steps, side by side."""
    by = graph.index._by
    ways = {"lexsort": lambda key, cost, size=None: np.lexsort((cost, key)),
            "runs": lambda key, cost, size=None: by(key, cost),
            "counting": by}
    for _ in range(4):
        for name, way in ways.items():
            graph.index._by = way
            t0 = time.perf_counter()
            index._build("influence", None, None)
            print(f"{name} {(time.perf_counter() - t0) * 1000:6.0f} ms", end="   ")
        print(flush=True)
    graph.index._by = by


if __name__ == "__main__":
    main()
