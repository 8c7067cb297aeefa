"""The GraphQL server under concurrent clients: requests/s and p50/p99 latency, end to end over
HTTP, for `entity`, `search` and `influencePaths` on a large graph.

Uses (or builds) the synthetic SQLite graph of ``bench_export.py``, starts `stakegraph serve`
on 127.0.0.1 as a child process, warms it up (the first path query builds the analytics view),
then runs each query kind with ``--clients`` concurrent httpx clients for ``--requests``
requests, over random entities and random reachable pairs.

    python bench/bench_server.py [--entities 100000] [--clients 8] [--requests 2000]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time

import httpx
from bench_export import graph_file
from bench_paths import pairs

from graph.index import PathIndex
from graph.store import SQLiteStore

QUERIES = {
    "entity": ('query($n: String!) { entity(name: $n) { id type name aliases } }',
               lambda r, names, _: {"n": r.choice(names)}),
    "search": ('query($t: String!) { search(text: $t, first: 10) { id name type } }',
               lambda r, names, _: {"t": r.choice(names).split("-")[0][-4:]}),
    "influencePaths": ('query($s: String!, $t: String!) { influencePaths(source: $s, target: $t,'
                       ' k: 5, maxHops: 6) { strength hops { type evidence { quote } } } }',
                       lambda r, _, chosen: dict(zip("st", r.choice(chosen)))),
}


HOSTILE = {  # each must be refused, quickly, whatever the graph's size
    "1,000 aliases": "{ " + " ".join(f"a{i}: stats {{ entities }}" for i in range(1000)) + " }",
    "k = 10^6": '{ influencePaths(source: "%s", target: "%s", k: 1000000) { strength } }',
    "nesting 20 deep": "{ entity(name: \"%s\") { " + "relations { source { " * 20 + "name"
                       + " } }" * 20 + " } }",
    "maxHops = 10^6": '{ influencers(target: "%s", maxHops: 1000000) { score } }',
}


def refusals(url: str, pair: tuple[str, str], repeat: int = 20) -> None:
    """Time each hostile query's refusal (the worst of ``repeat``), checking it is refused."""
    with httpx.Client(timeout=60) as http:
        for what, query in HOSTILE.items():
            query = query % pair[:query.count("%s")]
            worst = 0.0
            for _ in range(repeat):
                t0 = time.perf_counter()
                reply = http.post(url, json={"query": query}).json()
                worst = max(worst, (time.perf_counter() - t0) * 1000)
                assert reply.get("errors"), reply
            print(f"refused {what:16} worst of {repeat}: {worst:6.1f} ms  "
                  f"({reply['errors'][0]['message'][:60]})", flush=True)


async def drive(url: str, query: str, make, requests: int, clients: int, seed: int):
    rng = random.Random(seed)
    latencies: list[float] = []
    errors = 0
    todo = iter(range(requests))

    async def client() -> None:
        nonlocal errors
        async with httpx.AsyncClient(timeout=60) as http:
            for _ in todo:
                body = {"query": query, "variables": make(rng)}
                t0 = time.perf_counter()
                reply = (await http.post(url, json=body)).json()
                latencies.append((time.perf_counter() - t0) * 1000)
                errors += bool(reply.get("errors"))
    t0 = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return requests / (time.perf_counter() - t0), latencies, errors


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used (Linux /proc)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(db) -> tuple[subprocess.Popen, str]:
    """`stakegraph serve --db DB` on a free port of 127.0.0.1, once it answers; its GraphQL
    URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "stakegraph", "serve", "--db", str(db),
                               "--port", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.1)
    return server, f"http://127.0.0.1:{port}/graphql"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entities", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--path-requests", type=int, default=400)
    ap.add_argument("--db", default=None, help="default /tmp/bench-bolt-<N>.db")
    args = ap.parse_args()
    db = graph_file(args.entities, args.db)
    store = SQLiteStore(str(db))
    g = store.to_networkx()
    names = [d["name"] for _, d in g.nodes(data=True)]
    chosen = [(g.nodes[s]["name"], g.nodes[t]["name"]) for s, t in pairs(PathIndex(g), 200)]
    print(f"graph: {store.stats()}", flush=True)
    store.close()
    server, url = start_server(db)
    try:
        t0 = time.perf_counter()
        while httpx.post(url, timeout=600, json={  # past the time budget the build goes on
                "query": QUERIES["influencePaths"][0],
                "variables": dict(zip("st", chosen[0]))}).json().get("errors"):
            time.sleep(1)
        print(f"warm-up (first path query, builds the analytics view): "
              f"{time.perf_counter() - t0:.1f} s", flush=True)
        for kind, (query, make) in QUERIES.items():
            n = args.path_requests if kind == "influencePaths" else args.requests
            cpu = cpu_seconds(server.pid)
            rate, lat, errors = asyncio.run(drive(
                url, query, lambda r, m=make: m(r, names, chosen), n, args.clients, 7))
            cpu = (cpu_seconds(server.pid) - cpu) / n * 1000
            q = statistics.quantiles(lat, n=100, method="inclusive")
            print(f"{kind:15} {rate:8.1f} req/s  p50 {statistics.median(lat):7.1f} ms  "
                  f"p99 {q[98]:7.1f} ms  server CPU {cpu:5.2f} ms/request  ({n} requests, "
                  f"{args.clients} clients, {errors} errors)", flush=True)
        refusals(url, chosen[0])
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
