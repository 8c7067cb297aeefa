"""The notebook API: the example notebook runs from a clean kernel, and every result type
shows itself as HTML and converts to pandas, networkx and GEXF, locally and through a server."""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, SEED
from lxml import etree
from nbclient import NotebookClient

import stakegraph as sg

GRAMMAR = Path(__file__).resolve().parents[1] / "fixtures" / "gexf-1.3" / "gexf.rng"


def outputs(cell) -> str:
    return "\n".join(str(o.get("data", {}).get("text/plain") or o.get("text", ""))
                     + str(o.get("data", {}).get("text/html", "")) for o in cell.outputs)


def test_the_example_notebook_runs_from_a_clean_kernel(tmp_path):
    work = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", work,
                    ignore=shutil.ignore_patterns("*.db", "*.db-*", "*.gexf"))
    nb = nbformat.read(work / "tech-bridge.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(work)}}).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "loaded=8, unchanged=0, failed=[]" in outputs(code[0])
    assert "1. UK Cryptoasset Business Council -LOBBIES-&gt; Lucy Rigby -ROLE_AT-&gt; " \
        "UK government -PARTY_TO-&gt; UK-US Tech Bridge" in outputs(code[2]).replace("->", "-&gt;")
    assert "<q>In a letter addressed to Business Secretary Peter Kyle" in outputs(code[2])
    assert all(g in outputs(code[5]) for g in ("TheCityUK", "UK Finance",
                                              "UK Cryptoasset Business Council"))
    assert "MEETS" in outputs(code[8])
    grammar = etree.RelaxNG(etree.parse(str(GRAMMAR)))
    for name in ("tech-bridge-paths.gexf", "tech-bridge.gexf"):
        grammar.assertValid(etree.parse(str(work / name)))


@pytest.fixture(scope="module")
def local():
    kg = sg.open(":memory:")
    kg.load([SEED])
    return kg


@pytest.fixture(scope="module")
def remote(server):
    return sg.connect(server.url + "/graphql")


@pytest.mark.parametrize("which", ["local", "remote"])
def test_every_result_type_as_html_pandas_networkx_and_gexf(which, request, tmp_path):
    kg = request.getfixturevalue(which)
    paths = kg.paths("UK Finance", "HM Treasury", k=2)
    assert "UK Finance lobbies Lucy Rigby, who holds a role at HM Treasury." in \
        paths._repr_html_()
    assert "<q>Treasury Minister Lucy Rigby</q>" in paths._repr_html_()
    frame = paths.to_pandas()
    assert list(frame.columns) == ["path", "hop", "source", "relation", "target", "strength",
                                   "path_strength", "quote", "start", "end", "title",
                                   "source_document", "published", "document"]
    assert str(frame["start"].dtype) == "Int64" and frame["title"].notna().all()
    assert frame["source_document"].str.endswith("uk-us-tech-bridge.txt").all()
    assert "uk-us-tech-bridge.txt" in paths._repr_html_()  # every quote cites its document
    assert set(paths.to_networkx().nodes) == {"LobbyGroup:uk-finance", "Person:lucy-rigby",
                                              "Agency:hm-treasury"}
    grammar = etree.RelaxNG(etree.parse(str(GRAMMAR)))
    grammar.assertValid(etree.parse(str(paths.to_gexf(tmp_path / "p.gexf"))))

    entity = kg.entity("Lucy Rigby")
    assert "<b>Lucy Rigby</b>" in entity._repr_html_()
    frame = entity.to_pandas()
    assert list(frame.columns) == ["source", "relation", "target", "role", "start", "purpose",
                                   "evidence", "quote", "title", "source_document",
                                   "published"]
    assert frame["title"].notna().all()
    assert len(entity.to_pandas()) == 5

    found = kg.search("uk", types=["LobbyGroup"])
    assert list(found.to_pandas().columns) == ["id", "name", "type", "aliases"]
    assert "UK Finance" in found._repr_html_()

    ranking = kg.influencers("HM Treasury")
    frame = ranking.to_pandas()
    assert list(frame.columns) == ["rank", "id", "name", "type", "strength", "hops", "via"]
    assert frame.iloc[0]["name"] in {"Lucy Rigby", "Rachel Reeves"}
    assert "<table>" in ranking._repr_html_()
    assert list(kg.rank("degree", limit=3).to_pandas().columns) == [
        "rank", "id", "name", "type", "degree", "hops", "via"]

    around = kg.neighbourhood("Lucy Rigby")
    assert around.to_networkx().number_of_nodes() == 6  # with her department and government
    assert list(around.to_pandas().columns) == ["source", "relation", "target", "evidence",
                                                "quote"]
    assert "Around Lucy Rigby" in around._repr_html_()


def test_local_and_remote_give_the_same_paths(local, remote):
    for a, b in [("UK Finance", "HM Treasury"), ("TheCityUK", "UK-US Tech Bridge")]:
        assert [p["chain"] for p in local.paths(a, b, k=3)] == \
            [p["chain"] for p in remote.paths(a, b, k=3)]


def test_show_draws_with_ipysigma(local):
    widget = local.neighbourhood("Lucy Rigby").show()
    assert type(widget).__name__ == "Sigma"


def test_texts_load_as_documents_and_errors_are_reported(tmp_path):
    kg = sg.open(":memory:")
    report = kg.load(["Trade bodies including Acme Alliance wrote to Business Secretary "
                      "Jo Bloggs.", tmp_path / "missing.txt"])
    assert report.loaded == 1 and report.failed == [
        (str(tmp_path / "missing.txt"), f"{tmp_path / 'missing.txt'}: no such file")]
    assert kg.entity("Jo Bloggs").entity["type"] == "Person"
