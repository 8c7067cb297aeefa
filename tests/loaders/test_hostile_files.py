"""Files that used to crash, hang or fool a load (the hardening issue, defect 6): each is
refused with an error naming it, the batch goes on, and nothing the user named is read as
markup. Run through the real CLI."""
from __future__ import annotations

import os
import sqlite3

import pytest
from conftest import SEED, run_cli

ARTICLE = "Trade bodies including Acme Alliance urged support for stablecoins.\n"


def stored_sources(db) -> set[str]:
    with sqlite3.connect(db) as c:
        return {s for (s,) in c.execute("SELECT source FROM documents")}


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(ARTICLE, encoding="utf-8")
    return d


def test_hostile_files_are_refused_by_name_and_the_batch_goes_on(folder, tmp_path):
    lda = '{"next": "https://lda.senate.gov/api/v1/filings/", "results": %s}'
    cases = {
        "deep.json": (lda % ("[" * 100_000 + "]" * 100_000)).encode(),
        "long-number.json": (lda % ('[{"id": ' + "9" * 5000 + "}]")).encode(),
        "long-text.txt": ("Acme lobbied the Treasury. " * 40_000).encode(),
        "bom-only.txt": b"\xef\xbb\xbf",
        "utf16-bom-only.txt": b"\xff\xfe\r\x00\n\x00",
        "deep.ijson": b"[" * 100_000 + b"]" * 100_000 + b"\n",
    }
    for name, data in cases.items():
        (folder / name).write_bytes(data)
    db = tmp_path / "g.db"
    out = run_cli("load", str(folder), "--db", str(db), timeout=300)
    assert out.returncode == 1  # some failed
    errors = [line for line in out.stderr.splitlines() if line.startswith("error: ")]
    expected = {
        "deep.json": "JSON nested too deep to read",
        "long-number.json": "a number of 5,000 digits (the limit is 100)",
        "long-text.txt": "the text is 1,080,000 characters long; articles are read up to "
                         "1,000,000",
        "bom-only.txt": "empty file",
        "utf16-bom-only.txt": "empty file",
        "deep.ijson": "",
    }
    for name, message in expected.items():
        [line] = [e for e in errors if f"{folder / name}:" in e]
        assert message in line, line
    assert "Traceback" not in out.stderr
    assert stored_sources(db) == {str(folder / "good.txt")}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_only_regular_files_are_read(folder, tmp_path):
    """A FIFO would wait for ever and /dev/zero reads without end: named, both are refused
    up front; in a folder, a FIFO is passed over."""
    fifo = folder / "pipe.txt"
    os.mkfifo(fifo)
    db = tmp_path / "g.db"
    out = run_cli("load", str(folder), str(fifo), "/dev/zero", "--db", str(db), timeout=60)
    assert out.returncode == 1
    assert f"error: {fifo}: not a regular file" in out.stderr
    assert "error: /dev/zero: not a regular file" in out.stderr
    assert stored_sources(db) == {str(folder / "good.txt")}


def test_links_out_of_a_folder_are_followed_only_when_asked(folder, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("A private note about Jo Bloggs and HM Treasury.\n", encoding="utf-8")
    (folder / "link.txt").symlink_to(outside)
    (folder / "sub").mkdir()
    (folder / "sub" / "inside.txt").symlink_to(folder / "good.txt")  # inside: a duplicate
    db = tmp_path / "g.db"
    out = run_cli("load", str(folder), "--db", str(db))
    assert out.returncode == 0, out.stderr
    assert stored_sources(db) == {str(folder / "good.txt")}
    assert "1 loaded, 1 unchanged, 0 failed" in out.stdout
    out = run_cli("load", str(folder), "--db", str(db), "--follow-symlinks")
    assert str(folder / "link.txt") in stored_sources(db)


def test_names_that_look_like_markup_are_printed_as_they_are(tmp_path):
    odd = tmp_path / "a[" / "]b[bold]c.txt"  # the path holds "[/]" and "[bold]"
    odd.parent.mkdir()
    odd.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    db = tmp_path / "g.db"
    out = run_cli("load", str(odd), "--db", str(db), env={"COLUMNS": "400"})
    assert out.returncode == 0, out.stderr
    assert f"loaded    {odd}" in out.stderr
    assert stored_sources(db) == {str(odd)}
