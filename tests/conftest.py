"""Shared fixtures: the seed article, a loaded graph file, and a real `stakegraph serve`
process on a free localhost port."""
from __future__ import annotations

import os
import shutil
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


def run_cli(*args: str, env: dict | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([*stakegraph_cmd(), *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, cwd=ROOT)


from bolt_server import BoltServer, free_port  # noqa: E402 - tests/ is on sys.path


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
        # the log goes to a file: a pipe nobody reads fills up (uvicorn logs every request,
        # strawberry every error) and then blocks the server mid-request
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [*stakegraph_cmd(), "serve", "--db", str(db), "--host", "127.0.0.1",
             "--port", str(port), *extra], stdout=self.log, stderr=subprocess.STDOUT,
            cwd=ROOT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"server exited: {self.log.read().decode()[-2000:]}")
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
