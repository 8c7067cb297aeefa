"""The use cases every front door calls (``service/``), on a real embedded store."""
from __future__ import annotations

import json
from pathlib import Path

from graph.store import open_store
from graph.view import GraphView
from service import reading
from service.curate import delete_document
from service.export import export_to
from service.ingest import ingest_text, load

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "examples" / "corpus" / "uk-us-tech-bridge.txt"


def test_load_reports_loaded_unchanged_and_failed_and_goes_on(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("not,a,register\n1,2,3\n", encoding="utf-8")
    store = open_store(":memory:")
    report = load(store, [ARTICLE, bad, "Acme Alliance lobbied Jo Bloggs MP."])
    assert report.loaded == 2 and [name for name, _ in report.failed] == [str(bad)]
    assert str(bad) in report.failed[0][1]
    again = load(store, [ARTICLE])
    assert again.loaded == 0 and again.unchanged == 1


def test_ingest_text_then_delete_by_source_leaves_nothing():
    store = open_store(":memory:")
    document, report = ingest_text(store, "The Acme Alliance, a lobby group, lobbied the "
                                   "Treasury.", source="memo-1")
    assert report.created and store.stats()["relations"] == 1
    gone = delete_document(store, "memo-1")
    assert gone is not None and gone.document.id == document.id
    assert store.stats() == {k: 0 for k in store.stats()}
    assert delete_document(store, "memo-1") is None


def test_reading_explains_plans_and_extracts_without_a_store(tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("not,a,register\n1,2,3\n", encoding="utf-8")
    planned = {p.name: (kind, size) for p, kind, size in reading.plan([ARTICLE, bad])}
    assert planned[ARTICLE.name] == ("text", ARTICLE.stat().st_size)
    assert planned["x.csv"][0] == "error" and "x.csv: line 1" in str(planned["x.csv"][1])
    explained = dict(reading.explain([ARTICLE]))
    assert any("text" in line for line in explained[ARTICLE])
    ex = reading.extract(ARTICLE)
    assert ex.entities and all(r.evidence for r in ex.relations)


def test_export_to_a_path_and_to_a_stream(tmp_path):
    store = open_store(":memory:")
    load(store, [ARTICLE])
    view = GraphView(store)
    export_to(view, "json", tmp_path / "g.json")
    data = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    assert data
    export_to(view, "gexf", tmp_path / "g.gexf")
    assert (tmp_path / "g.gexf").read_text(encoding="utf-8").lstrip().startswith("<?xml")
