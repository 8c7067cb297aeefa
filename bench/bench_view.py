"""What opening a graph costs the analytics: the index built from the store's rows (what
``GraphView`` does), then, for comparison, the whole networkx graph read and the index built
from it (what it did before, and what questions on networkx still need).

This opens a store file (for example one kept by ``bench_ingest.py --keep``), times the rows'
read (``Store.index_rows``) and the index's build from them with its influence step graph,
then the graph's read (``store.to_networkx`` and setting its objects aside from the garbage
collector) and the index's build from it, and prints the sizes, the time split into CPU time
in the process and in the kernel, and the peak memory after each.

    python bench/bench_ingest.py --records 100000 --only lda --keep /tmp/stores
    python bench/bench_view.py /tmp/stores/lda.db
"""
from __future__ import annotations

import argparse
import json
import resource
import time

from graph.index import PathIndex
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
    parser.add_argument("--rows-only", action="store_true",
                        help="only the index from the rows (a large graph's networkx is slow)")
    args = parser.parse_args()
    store = SQLiteStore(args.store)
    found: dict = {}
    rows = timed(lambda: found.update(rows=store.index_rows()))
    built = timed(lambda: PathIndex.from_rows(found.pop("rows"), lambda want: {}
                                              ).steps("influence"))
    print(json.dumps({  # what a server does now: the index from the store's rows
        "rows_s": round(rows[0], 1), "index_from_rows_s": round(built[0], 1),
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}),
        flush=True)
    if args.rows_only:
        return
    view = GraphView(store)
    graph = timed(view.graph)
    index = timed(lambda: PathIndex(view.graph()).steps("influence"))
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
