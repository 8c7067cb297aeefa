"""What a query waits for after a write: the analytics view of a store rebuilt from scratch.

``GraphView`` (``graph/view.py``) keeps the store's networkx graph and its analytic index per
store revision, so the first query after any write rebuilds both. This opens a store file
(for example one kept by ``bench_ingest.py --keep``), times the graph's read
(``store.to_networkx`` and setting its objects aside from the garbage collector) and the index's
build with its influence step graph, and prints the sizes, the time split into CPU time in
the process and in the kernel, and the peak memory.

    python bench/bench_ingest.py --records 100000 --only lda --keep /tmp/stores
    python bench/bench_view.py /tmp/stores/lda.db
"""
from __future__ import annotations

import argparse
import json
import resource
import time

from graph.store import SQLiteStore
from graph.view import GraphView


def timed(step) -> tuple[float, float, float]:
    """Wall, CPU and kernel seconds of ``step()``."""
    before = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    step()
    after = resource.getrusage(resource.RUSAGE_SELF)
    return (time.perf_counter() - t0, after.ru_utime - before.ru_utime,
            after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", help="an embedded store file")
    args = parser.parse_args()
    view = GraphView(SQLiteStore(args.store))
    graph = timed(view.graph)
    index = timed(lambda: view.index().steps("influence"))
    g = view.graph()
    evidence = sum(len(d.get("evidence", ())) for _, _, d in g.edges(data=True))
    print(json.dumps({
        "entities": g.number_of_nodes(), "relations": g.number_of_edges(),
        "evidence": evidence,
        "graph_s": round(graph[0], 1), "graph_cpu_s": round(graph[1], 1),
        "graph_kernel_s": round(graph[2], 1),
        "index_s": round(index[0], 1), "index_cpu_s": round(index[1], 1),
        "index_kernel_s": round(index[2], 1),
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))


if __name__ == "__main__":
    main()
