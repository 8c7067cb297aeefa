"""How fast a real `stakegraph serve` refuses the requests of the hardening issue, and whether
it keeps answering `/health` meanwhile.

Loads examples/corpus into a fresh graph, starts the server on 127.0.0.1, sends each hostile
request ``--repeat`` times (each a new query text, so no cache helps) and prints the worst and
median time to the refusal, and the worst `/health` answer time measured while they run.

    python bench/bench_hostile.py [--repeat 20]
"""
from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def fragment_bomb(n: int, salt: int) -> str:
    fragments = ["fragment F0 on Query { stats { entities } }"] + [
        f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, n)]
    return f"query Q{salt} {{ ...F{n - 1} }} " + " ".join(fragments)


CASES = {  # name -> (request body for a salt, what the answer must say)
    "fragment bomb, 26 fragments (833 bytes)":
        (lambda s: {"query": fragment_bomb(26, s)}, "fields once its fragments are expanded"),
    "fragment bomb, 60 fragments":
        (lambda s: {"query": fragment_bomb(60, s)}, "fields once its fragments are expanded"),
    "search text of 300,000 characters":
        (lambda s: {"query": "query($x: String!) { search(text: $x) { name } }",
                    "variables": {"x": "ab" * 150000 + str(s)}}, "the limit is 200"),
    "search text of 5,000,000 characters":
        (lambda s: {"query": "query($x: String!) { search(text: $x) { name } }",
                    "variables": {"x": "ab" * 2_500_000 + str(s)}}, "the limit is 200"),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    exe = [sys.executable, "-m", "stakegraph"]
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "g.db")
        subprocess.run([*exe, "load", str(ROOT / "examples" / "corpus"), "--db", db],
                       check=True, capture_output=True, cwd=ROOT)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([*exe, "serve", "--db", db, "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        try:
            for _ in range(600):
                try:
                    httpx.get(url + "/health", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            print(f"{'request':42} {'median ms':>10} {'worst ms':>10} {'worst /health ms':>17}")
            for name, (body, expected) in CASES.items():
                times, health, done = [], [], threading.Event()

                def probe() -> None:
                    while not done.is_set():
                        t0 = time.perf_counter()
                        httpx.get(url + "/health", timeout=120)
                        health.append((time.perf_counter() - t0) * 1000)
                        time.sleep(0.01)

                prober = threading.Thread(target=probe)
                prober.start()
                with httpx.Client(timeout=120) as http:
                    for salt in range(args.repeat):
                        t0 = time.perf_counter()
                        reply = http.post(url + "/graphql", json=body(salt)).json()
                        times.append((time.perf_counter() - t0) * 1000)
                        assert any(expected in e["message"] for e in reply["errors"]), reply
                done.set()
                prober.join()
                print(f"{name:42} {statistics.median(times):10.1f} {max(times):10.1f} "
                      f"{max(health):17.1f}")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
