"""The analytic index after a write is patched from the store's change log, and is the index a
build from the whole graph would make: after random sequences of loads, deletes, merges and
splits of real documents (articles and register returns, where names recur and merge)."""
from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT

import graph.index
from graph import strength
from graph.index import PathIndex
from graph.resolution.merges import merge_entities, split_entity
from graph.store import SQLiteStore
from graph.view import GraphView
from service.curate import delete_document
from service.ingest import load

FIXTURES = ROOT / "tests" / "fixtures"
DOCUMENTS = sorted([*FIXTURES.glob("eval/*.txt"),
                    FIXTURES / "uk-ministerial-meetings" / "PM_meetings_jan_mar_14.csv",
                    FIXTURES / "uk-ministerial-meetings" / "bmmeetingsjanmar2012.csv"])


def relations(index: PathIndex) -> list[tuple]:
    return [(index.nodes[a], index.nodes[b], index.keys[k], int(t), float(f))
            for a, b, k, t, f in zip(index.src, index.dst, index.key_of, index.type,
                                     index.factor)]


def assert_same(patched: PathIndex, built: PathIndex) -> int:
    """Assert two indexes hold the same; the number of step graphs the patched one has
    patched rather than built."""
    assert patched.nodes == built.nodes
    assert list(patched.node_type) == list(built.node_type)
    np.testing.assert_array_equal(patched.kind, built.kind)
    np.testing.assert_array_equal(patched.degree, built.degree)
    assert relations(patched) == relations(built)
    for (mode, wanted, weights), steps in patched._steps.items():
        want = built.steps(mode, wanted, dict(weights) or None)
        for name in ("indptr", "head", "cost", "relation", "reversed", "strength", "live",
                     "rindptr", "rindices", "reid", "rcost", "rlive"):
            np.testing.assert_array_equal(getattr(steps, name), getattr(want, name), name)
    return len(patched._steps) if patched.origin == "patch" else 0


def answers(index: PathIndex, pairs: list[tuple[str, str]]) -> list:
    return [[(p.nodes, [(h.relation_id, h.type, h.attributes, h.evidence) for h in p.hops],
              round(p.strength, 12))
             for p in index.paths(s, t, k=3, max_hops=4, mode="connection")]
            for s, t in pairs]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_patched_index_is_the_index_of_the_graph(tmp_path: Path, seed: int, monkeypatch):
    """... and so are its step graphs, patched too (whatever share of the steps a write
    moves, here: a graph this small is otherwise built again)."""
    monkeypatch.setattr(graph.index, "PATCH_LIMIT", float("inf"))
    rng = random.Random(seed)
    store = SQLiteStore(str(tmp_path / "graph.db"))
    view = GraphView(store)
    todo = DOCUMENTS[:]
    rng.shuffle(todo)
    load(store, todo[:5])
    assert_same(view.index(), PathIndex(store.to_networkx()))  # built from the store's rows
    loaded, patches, steps_patched = todo[:5], 0, 0
    for _ in range(14):
        step = rng.random()
        if step < 0.55 and len(loaded) < len(todo):
            doc = todo[len(loaded)]
            assert not load(store, [doc]).failed
            loaded.append(doc)
        elif step < 0.75 and store.documents(with_text=False):
            delete_document(store, rng.choice(store.documents(with_text=False)).id)
        elif step < 0.9:
            people = [e for e in store.search("", limit=10_000) if e.type.value == "Person"]
            if len(people) >= 2:
                kept, merged = rng.sample(people, 2)
                merge_entities(store, kept.id, merged.id, "test")
        elif standing := [m for m in store.merges() if m.undone is None
                          and store.entity(m.kept) is not None]:
            split_entity(store, rng.choice(standing).kept)
        index = view.index()
        patches += index.origin == "patch"
        built = PathIndex(store.to_networkx())
        steps_patched += assert_same(index, built)
        ids = built.nodes
        pairs = [tuple(rng.sample(ids, 2)) for _ in range(5)] if len(ids) > 1 else []
        assert answers(index, pairs) == answers(built, pairs)
    assert patches >= 10, "the index was built again, not patched"
    assert steps_patched >= 8, "the step graphs were built again, not patched"


def test_a_log_that_no_longer_reaches_back_means_a_build(tmp_path: Path):
    store = SQLiteStore(str(tmp_path / "graph.db"))
    view = GraphView(store)
    load(store, DOCUMENTS[-2:])  # the two register returns
    first = view.index()
    load(store, DOCUMENTS[:1])
    assert view.index().origin == "patch"
    with store._transaction() as db:  # as if 100,000 changes had been made since
        db.execute("DELETE FROM changes")
        db.execute("UPDATE sqlite_sequence SET seq = seq + 100000 WHERE name = 'changes'")
    load(store, DOCUMENTS[1:2])
    index = view.index()
    assert index.origin == "rows" and index is not first
    assert_same(index, PathIndex(store.to_networkx()))


def registers_saved(tmp_path: Path, monkeypatch) -> SQLiteStore:
    """A store of the two register returns, whose index is saved beside its file however
    small."""
    monkeypatch.setattr(GraphView, "SAVE_FROM", 0)
    store = SQLiteStore(str(tmp_path / "graph.db"))
    load(store, DOCUMENTS[-2:])
    return store


def test_an_index_saved_beside_the_file_is_read_and_brought_up_to_date(tmp_path: Path,
                                                                      monkeypatch):
    store = registers_saved(tmp_path, monkeypatch)
    assert GraphView(store).index().origin == "rows"
    assert (tmp_path / "graph.db.index" / "meta.json").exists()
    reopened = GraphView(store).index()  # as a new process would
    assert reopened.origin == "file"
    assert_same(reopened, PathIndex(store.to_networkx()))
    load(store, DOCUMENTS[:3])  # written after it was saved: patched from the change log
    caught_up = GraphView(store).index()
    assert caught_up.origin == "patch"
    assert_same(caught_up, PathIndex(store.to_networkx()))
    pairs = [(a, b) for a, b in zip(caught_up.nodes[::40], caught_up.nodes[7::40])]
    assert answers(caught_up, pairs) == answers(PathIndex(store.to_networkx()), pairs)
    store.close()


def test_a_saved_index_of_another_store_or_damaged_is_built_again(tmp_path: Path,
                                                                  monkeypatch):
    store = registers_saved(tmp_path, monkeypatch)
    GraphView(store).index()
    store.close()
    path = tmp_path / "graph.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    other = SQLiteStore(str(path))  # another graph in the same file name
    load(other, DOCUMENTS[:2])
    index = GraphView(other).index()
    assert index.origin == "rows"
    assert_same(index, PathIndex(other.to_networkx()))
    (tmp_path / "graph.db.index" / "src.npy").write_bytes(b"not an array")
    index = GraphView(other).index()
    assert index.origin == "rows"
    assert_same(index, PathIndex(other.to_networkx()))


def test_a_saved_index_read_on_a_later_day_has_that_days_strengths(tmp_path: Path,
                                                                    monkeypatch):
    store = registers_saved(tmp_path, monkeypatch)  # dated meetings
    saved = GraphView(store).index()

    class Later(date):
        @classmethod
        def today(cls) -> date:
            return date(2031, 1, 1)

    monkeypatch.setattr(strength, "date", Later)
    read = GraphView(store).index()
    assert read.origin == "file"
    built = PathIndex.from_rows(store.index_rows(), lambda want: {})
    assert_same(read, built)
    assert (read.factor < saved.factor).any()
