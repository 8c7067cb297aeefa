"""Influence paths on synthetic lobbying graphs: latency of `influence_paths(k=5, max_hops=6)`
on the compiled index (`graph.index.PathIndex`) against networkx `shortest_simple_paths` on the
same graph, in the same run, with the index's build time and bytes per relation.

The generator makes registrants (lobbying firms), clients, lobbyists, officials, agencies and
initiatives, about five relations per entity, with heavy-tailed degrees (targets drawn from a
Zipf-like law, so a few agencies and firms are hubs): clients RETAIN registrants, lobbyists hold
roles at registrants, registrants LOBBY officials, agencies and initiatives, officials hold
roles at agencies, agencies are PARTY_TO initiatives, lobbyists MEET officials.

    python bench/bench_paths.py --entities 10000 100000 1000000 [--pairs 200]
        [--reference-pairs 50] [--floor]

The build's time is split into CPU time in the process and in the kernel (the kernel's share
is mostly handing the process fresh memory). ``--floor`` first times the least any build from
a networkx graph has to do: the entities' positions, and one visit to every relation for its
type and its first evidence's confidence.
"""
from __future__ import annotations

import argparse
import random
import resource
import statistics
import time
from itertools import islice

import networkx as nx
import numpy as np

from graph.index import PathIndex
from graph.model import Evidence
from graph.paths import step_graph

SHARES = {"LobbyGroup": 0.05, "Company": 0.25, "Person": 0.55, "Agency": 0.02,
          "Initiative": 0.13}


def generate(n: int, seed: int = 1) -> nx.MultiDiGraph:
    rng = np.random.default_rng(seed)
    g = nx.MultiDiGraph()
    ids: dict[str, list[str]] = {}
    start = 0
    for t, share in SHARES.items():
        count = max(2, int(n * share))
        ids[t] = [f"{t}:{i}" for i in range(start, start + count)]
        start += count
        g.add_nodes_from((x, {"type": t, "name": x}) for x in ids[t])
    people = ids["Person"]
    lobbyists, officials = people[: len(people) // 2], people[len(people) // 2:]
    evidence = [Evidence(f"doc{i}", "q", 0, 1, "bench", c)
                for i, c in enumerate([0.5, 0.6, 0.7, 0.8, 0.9])]

    def zipf_pick(pool: list[str], size: int) -> list[str]:
        ranks = np.minimum(rng.zipf(1.6, size) - 1, len(pool) - 1)
        return [pool[r] for r in ranks]

    def link(sources: list[str], rel: str, pool: list[str], per: float) -> None:
        count = int(len(sources) * per)
        src = [sources[i] for i in rng.integers(0, len(sources), count)]
        for j, (a, b) in enumerate(zip(src, zipf_pick(pool, count))):
            if a != b:
                g.add_edge(a, b, key=f"{rel}:{a}:{b}:{j}", type=rel, attributes={},
                           evidence=[evidence[j % 5]])

    link(ids["Company"], "RETAINS", ids["LobbyGroup"], 2.0)
    link(lobbyists, "ROLE_AT", ids["LobbyGroup"], 1.0)
    link(ids["LobbyGroup"], "LOBBIES", officials, 12.0)
    link(ids["LobbyGroup"], "LOBBIES", ids["Agency"], 6.0)
    link(ids["LobbyGroup"], "LOBBIES", ids["Initiative"], 6.0)
    link(officials, "ROLE_AT", ids["Agency"], 1.0)
    link(ids["Agency"], "PARTY_TO", ids["Initiative"], 20.0)
    link(lobbyists, "MEETS", officials, 2.0)
    link(ids["Company"], "FUNDS", ids["LobbyGroup"], 0.5)
    return g


def pairs(index: PathIndex, count: int, seed: int = 2) -> list[tuple[str, str]]:
    """Random (company, initiative or official) pairs that have a path of at most 6 hops."""
    rng = random.Random(seed)
    kinds = index.node_type
    sources = [index.nodes[i] for i in np.flatnonzero(kinds == "Company")]
    targets = np.flatnonzero((kinds == "Initiative") | (kinds == "Person"))
    steps = index.steps()
    out = []
    while len(out) < count:
        s = rng.choice(sources)
        seen = np.zeros(len(index.nodes), bool)
        frontier = np.array([index.position[s]])
        seen[frontier] = True
        for _ in range(6):  # breadth-first, six hops, over the index's arrays
            ends = [steps.head[steps.indptr[u]:steps.indptr[u + 1]] for u in frontier]
            nxt = np.unique(np.concatenate(ends)) if ends else np.array([], np.int32)
            frontier = nxt[~seen[nxt]]
            seen[frontier] = True
        reachable = targets[seen[targets]]
        if len(reachable):
            out.append((s, index.nodes[rng.choice(list(reachable))]))
    return out


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def floor(g: nx.MultiDiGraph) -> float:
    """Seconds for the entities' positions and one read of each relation's type and first
    evidence's confidence, in the order and the way the index's build reads them."""
    t0 = time.perf_counter()
    position = dict(zip(sorted(g), range(len(g))))
    seen = 0.0
    for u, neighbours in g.adjacency():
        seen += position[u]
        for v, relations in neighbours.items():
            seen += position[v]
            for data in relations.values():
                evidence = data.get("evidence")
                seen += len(data["type"]) + (evidence[0].confidence if evidence else 0.0)
    return time.perf_counter() - t0


def cpu() -> tuple[float, float]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime, usage.ru_stime


def percentiles(values: list[float]) -> str:
    q = statistics.quantiles(values, n=100, method="inclusive")
    return f"p50 {statistics.median(values):8.1f} ms  p99 {q[98]:8.1f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entities", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--pairs", type=int, default=200)
    ap.add_argument("--reference-pairs", type=int, default=50)
    ap.add_argument("--floor", action="store_true", help="time the build's floor first")
    args = ap.parse_args()
    small = generate(100)
    PathIndex(small).paths(*list(small.nodes)[:2])  # load the compiled kernel
    for n in args.entities:
        t0 = time.perf_counter()
        g = generate(n)
        m = g.number_of_edges()
        print(f"\n{n:,} entities, {m:,} relations: networkx graph generated in "
              f"{time.perf_counter() - t0:.1f} s", flush=True)
        if args.floor:
            print(f"  build floor (positions, one read of each relation) {floor(g):.1f} s",
                  flush=True)
        (user, system), t0 = cpu(), time.perf_counter()
        index = PathIndex(g)
        index.steps("influence")
        build = time.perf_counter() - t0
        user, system = (after - before for after, before in zip(cpu(), (user, system)))
        print(f"  index built in {build:.1f} s (CPU {user:.1f} s, kernel {system:.1f} s), "
              f"{index.nbytes / m:.0f} bytes per relation (relation arrays, relation ids, "
              f"the influence step graph)", flush=True)
        chosen = pairs(index, args.pairs)
        ours = [timed(lambda: index.paths(s, t, k=5, max_hops=6)) for s, t in chosen]
        print(f"  index influence_paths     {percentiles(ours)}  over {len(chosen)} pairs",
              flush=True)
        if not args.reference_pairs:
            continue  # nor its step graph: at 5M entities memory is the limit
        t0 = time.perf_counter()
        h = step_graph(g)
        print(f"  (networkx step graph for the reference built in "
              f"{time.perf_counter() - t0:.1f} s)", flush=True)
        ref = []
        for s, t in chosen[: args.reference_pairs]:
            ref.append(timed(lambda: list(islice(
                nx.shortest_simple_paths(h, s, t, weight="cost"), 5))))
        ratio = statistics.median(ref) / statistics.median(ours[: len(ref)])
        print(f"  networkx reference        {percentiles(ref)}  over {len(ref)} pairs"
              f"  (the index is {ratio:.0f}x faster at p50 on these pairs)", flush=True)


if __name__ == "__main__":
    main()
