"""Exports: GEXF valid against the official grammar (static and dynamic) and read back with
networkx, GraphML and CSV round trips, the other formats, filters, and the HTTP endpoint."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import httpx
import networkx as nx
import pytest
from conftest import run_cli
from lxml import etree

from graph.store import SQLiteStore
from loaders import extract_path

GRAMMAR = Path(__file__).resolve().parents[1] / "fixtures" / "gexf-1.3" / "gexf.rng"


@pytest.fixture(scope="module")
def rng():
    return etree.RelaxNG(etree.parse(str(GRAMMAR)))


@pytest.fixture(scope="module")
def store(seed_db):
    s = SQLiteStore(str(seed_db))
    yield s
    s.close()


def export(seed_db, tmp_path, fmt: str, *args: str, name: str | None = None) -> Path:
    out = tmp_path / (name or f"graph.{fmt}")
    done = run_cli("export", "--format", fmt, "--out", str(out), "--db", str(seed_db), *args)
    assert done.returncode == 0, done.stderr
    return out


def test_static_gexf_is_valid_and_reads_back_as_the_store(seed_db, tmp_path, rng, store):
    path = export(seed_db, tmp_path, "gexf", "--static")
    rng.assertValid(etree.parse(str(path)))
    g = nx.read_gexf(path)
    relations = store.relations()
    degree = {}
    for r in relations:
        for end in (r.source, r.target):
            degree[end] = degree.get(end, 0) + 1
    assert set(g.nodes) == {e.id for e in store.search("", limit=10_000)}
    for n, data in g.nodes(data=True):
        entity = store.entity(n)
        assert data["label"] == entity.name and data["type"] == entity.type.value
        assert data["degree"] == degree.get(n, 0) and 0 < data["pagerank"] < 1
        assert data["viz"]["color"]  # coloured by type
    symmetric = sum(r.type.symmetric for r in relations)
    assert g.number_of_edges() == len(relations) + symmetric  # mutual edges read both ways
    by_id = {r.id: r for r in relations}
    for _, _, data in g.edges(data=True):
        r = by_id[data["id"]]
        assert data["label"] == data["relation_type"] == r.type.value
        assert data["evidence_count"] == len(r.evidence)
        assert data["quote"] == r.evidence[0].quote
        assert 0 < data["weight"] <= 1
    assert "spells" not in etree.tostring(etree.parse(str(path))).decode()


def test_dynamic_gexf_plays_the_dated_relation(seed_db, tmp_path, rng, store):
    path = export(seed_db, tmp_path, "gexf", name="dynamic.gexf")  # dynamic by default here
    tree = etree.parse(str(path))
    rng.assertValid(tree)
    ns = {"g": "http://gexf.net/1.3"}
    graph = tree.find("g:graph", ns)
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    sunak = store.find_entity("Rishi Sunak").id
    (edge,) = [e for e in tree.iterfind(".//g:edge", ns)
               if e.get("source") == sunak and e.get("label") == "SUPPORTS"]
    (spell,) = edge.iterfind("g:spells/g:spell", ns)
    assert spell.get("start") == "2022-01-01" and spell.get("end") is None
    undated = [e for e in tree.iterfind(".//g:edge", ns) if e.get("label") == "LOBBIES"]
    assert undated and all(e.find("g:spells", ns) is None for e in undated)


def test_graphml_round_trips_with_gephi_types(seed_db, tmp_path, store):
    g = nx.read_graphml(export(seed_db, tmp_path, "graphml"))
    assert g.number_of_nodes() == store.stats()["entities"]
    assert g.number_of_edges() == store.stats()["relations"]
    node = next(iter(g.nodes(data=True)))[1]
    assert isinstance(node["degree"], int) and isinstance(node["pagerank"], float)
    assert all(isinstance(v, (str, int, float, bool)) for _, _, d in g.edges(data=True)
               for v in d.values())


def test_csv_pair_reloads_with_the_same_counts(seed_db, tmp_path, store):
    folder = export(seed_db, tmp_path, "csv", name="csv")
    nodes = list(csv.DictReader(open(folder / "nodes.csv", encoding="utf-8")))
    edges = list(csv.DictReader(open(folder / "edges.csv", encoding="utf-8")))
    assert len(nodes) == store.stats()["entities"] and len(edges) == store.stats()["relations"]
    assert {"Id", "Label", "type"} <= set(nodes[0]) and \
        {"Source", "Target", "Type", "Label", "Weight", "Time Interval"} <= set(edges[0])
    dated = [e for e in edges if e["Time Interval"]]
    assert [e["Time Interval"] for e in dated] == ["<[2022-01-01, 2022-01-01]>"]


def test_json_cypher_and_ftm(seed_db, tmp_path, store):
    data = json.loads(export(seed_db, tmp_path, "json").read_text())
    assert len(data["nodes"]) == store.stats()["entities"]
    assert all(link["evidence"] and "quote" in link["evidence"][0] for link in data["links"])

    script = export(seed_db, tmp_path, "cypher").read_text()
    statements = [line for line in script.splitlines() if line.startswith("UNWIND")]
    assert statements and all("$rows" in s for s in statements)
    labels = {s.split("MERGE (n:Entity:")[1].split(" ")[0] for s in statements if "(n:" in s}
    assert labels <= {"Person", "LobbyGroup", "Company", "Agency", "Initiative",
                      "Organization", "Topic", "Place"}

    lines = [json.loads(line) for line in export(seed_db, tmp_path, "ftm").read_text().splitlines()]
    schemata = {line["schema"] for line in lines}
    assert {"Person", "Organization", "Employment", "UnknownLink"} <= schemata
    ids = {line["id"] for line in lines}
    for line in lines:
        for prop in ("employee", "employer", "subject", "object"):
            for ref in line["properties"].get(prop, []):
                assert ref in ids


def test_filters_select_the_part_asked_for(seed_db, tmp_path):
    g = nx.read_gexf(export(seed_db, tmp_path, "gexf", "--relation-types", "LOBBIES",
                            name="lobbies.gexf"))
    assert {d["relation_type"] for _, _, d in g.edges(data=True)} == {"LOBBIES"}
    g = nx.read_gexf(export(seed_db, tmp_path, "gexf", "--ego", "Lucy Rigby", "--depth", "1",
                            name="ego.gexf"))
    assert {d["label"] for _, d in g.nodes(data=True)} == {
        "Lucy Rigby", "HM Treasury", "UK government", "UK Cryptoasset Business Council",
        "UK Finance", "TheCityUK"}
    g = nx.read_gexf(export(seed_db, tmp_path, "gexf", "--paths", "UK Finance", "HM Treasury",
                            name="paths.gexf"))
    assert {d["label"] for _, d in g.nodes(data=True)} == {"UK Finance", "Lucy Rigby",
                                                           "HM Treasury"}
    g = nx.read_gexf(export(seed_db, tmp_path, "gexf", "--types", "Person,Company",
                            name="types.gexf"))
    assert {d["type"] for _, d in g.nodes(data=True)} == {"Person", "Company"}
    bad = run_cli("export", "--out", str(tmp_path / "x"), "--types", "Spaceship",
                  "--db", str(seed_db))
    assert bad.returncode == 1 and "unknown entity type 'Spaceship'" in bad.stderr


def test_http_export_streams_valid_gexf_with_filters(server, rng):
    r = httpx.get(server.url + "/export/graph.gexf", params={"relation_types": "ROLE_AT"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/gexf+xml")
    tree = etree.fromstring(r.content)
    rng.assertValid(tree)
    assert {e.get("label") for e in tree.iter("{http://gexf.net/1.3}edge")} == {"ROLE_AT"}
    r = httpx.get(server.url + "/export/graph.gexf", params={"ego": "Nobody", "depth": "9"})
    assert r.status_code == 400 and "depth must be between 1 and 3" in r.json()["error"]
    r = httpx.get(server.url + "/export/graph.gexf", params={"ego": "Nobody"})
    assert r.status_code == 400 and "no entity named 'Nobody'" in r.json()["error"]


def test_ftm_export_reads_back_through_the_ftm_loader(seed_db, tmp_path, store):
    """One crosswalk both ways: what the FtM export writes, the FtM loader reads back as the
    same people, organisations and relations (lobby groups coming back as organisations,
    relations FtM has no schema for as ASSOCIATED_WITH)."""
    path = export(seed_db, tmp_path, "ftm", name="graph.ftm.json")
    ex = extract_path(path)
    back = {e.name: e.type.value for e in ex.entities}
    for e in store.search("", limit=1000):
        if e.type.value in ("Person", "Company", "Agency", "Organization"):
            assert back[e.name] == e.type.value
        elif e.type.value == "LobbyGroup":
            assert back[e.name] == "Organization"
    names = {e.id: e.name for e in ex.entities}
    read = {(names[r.source], r.type.value, names[r.target]) for r in ex.relations}
    assert ("Lucy Rigby", "ROLE_AT", "HM Treasury") in read
    assert any(kind == "ASSOCIATED_WITH" for _, kind, _ in read)
