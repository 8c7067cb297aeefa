"""The same documents give the same graph: in any order, after a crash and a re-run, and after
deleting documents and loading them again (the hardening issue, defects 3 and 4).

The corpus is every article and register sample under tests/fixtures (51 documents, where
names recur across outlets and registers: "Meta" and "Facebook", ministers by title and by
name, companies spelt several ways). Graphs are compared with ``snapshot.snapshot``: every row
of every table, entities named by their type and keys, since an entity's id comes from the name
it was first stored under."""
from __future__ import annotations

import random
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, stakegraph_cmd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from snapshot import differences, snapshot

import stakegraph as sg

FIXTURES = ROOT / "tests" / "fixtures"
CORPUS = sorted([*FIXTURES.glob("eval/*.txt"), *FIXTURES.glob("uk-ministerial-meetings/*.csv"),
                 *FIXTURES.glob("eu-mep-meetings/*.csv"),
                 FIXTURES / "us-lda/lda_api_v1_filings_18.json", *FIXTURES.glob("ftm/*.ijson")])


def load(db: Path, files: list[Path]) -> dict:
    kg = sg.open(str(db))
    report = kg.load(files)
    kg.close()
    assert not report.failed, report.failed
    return snapshot(db)


def without_merges(snap: dict) -> dict:
    """The graph without the log of merges: which merges a load makes depends on which names
    were stored apart before a document named them as one, so the log is history; the
    graph it leaves is not."""
    return {k: v for k, v in snap.items() if k != "merges"}


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> dict:
    """The graph of one clean load of the corpus, in file-name order."""
    return load(tmp_path_factory.mktemp("clean") / "clean.db", CORPUS)


def test_the_corpus_has_names_that_meet(clean):
    """The comparison means something: the corpus holds automatic merges and entities named
    by several documents."""
    assert len(CORPUS) == 51
    assert clean["merges"], "no merge in the corpus"
    assert len(clean["entities"]) > 1000


@settings(max_examples=4, deadline=None, database=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
@given(seed=st.integers(0, 2 ** 32))
def test_any_order_gives_the_same_graph(clean, tmp_path_factory, seed):
    order = CORPUS[:]
    random.Random(seed).shuffle(order)
    shuffled = load(tmp_path_factory.mktemp("order") / "g.db", order)
    assert differences(without_merges(clean), without_merges(shuffled)) == {}


def test_a_load_killed_anywhere_and_run_again_gives_the_clean_graph(clean, tmp_path):
    """SIGKILL `stakegraph load` at a random point (document, merges and all in flight), then
    run it again: the graph, merges included, is the clean load's."""
    rng = random.Random(20261207)
    killed_mid_load = 0
    for trial in range(4):
        db = tmp_path / f"kill{trial}.db"
        log = tmp_path / f"kill{trial}.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen([*stakegraph_cmd(), "load", *map(str, CORPUS), "--db",
                                     str(db)], stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
            deadline = time.monotonic() + 120
            wanted = rng.randint(1, len(CORPUS) - 4)  # then anywhere within the next document
            while log.read_bytes().count(b"loaded ") < wanted and proc.poll() is None \
                    and time.monotonic() < deadline:
                time.sleep(0.005)
            time.sleep(rng.uniform(0.0, 0.1))
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        stored = log.read_bytes().count(b"loaded ")
        killed_mid_load += 0 < stored < len(CORPUS)
        rerun = run_cli("load", *map(str, CORPUS), "--db", str(db), timeout=600)
        assert rerun.returncode == 0, rerun.stderr
        assert differences(clean, snapshot(db)) == {}
    assert killed_mid_load >= 2


def test_deleting_documents_and_loading_them_again_restores_the_graph(clean, tmp_path):
    db = tmp_path / "g.db"
    load(db, CORPUS)
    kg = sg.open(str(db))
    gone = CORPUS[::7]  # articles and registers alike
    for path in gone:
        kg.store.delete_document(kg.store.find_document(str(path)).id)
    kg.load(gone)
    kg.close()
    assert differences(without_merges(clean), without_merges(snapshot(db))) == {}


def test_extraction_does_not_depend_on_what_the_graph_holds(tmp_path):
    """The seed article, then a copy with one more line: the copy says everything the seed
    said (once the graph knew the seed's names, the copy used to lose three relations)."""
    seed = ROOT / "examples/corpus/uk-us-tech-bridge.txt"
    copy = tmp_path / "copy.txt"
    copy.write_text(seed.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    alone = sg.open(str(tmp_path / "alone.db"))
    alone.load([copy])
    after = sg.open(str(tmp_path / "after.db"))
    after.load([seed, copy])
    (doc,) = [d for d in after.store.documents() if d.source == str(copy)]
    (only,) = alone.store.documents()
    assert doc.id == only.id
    evidence = {db: sum(1 for r in kg.store.relations() for e in r.evidence
                        if e.document_id == doc.id) for db, kg in (("alone", alone),
                                                                  ("after", after))}
    assert evidence["alone"] == evidence["after"] > 0
    alone.close(), after.close()

