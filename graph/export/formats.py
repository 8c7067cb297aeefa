"""The other export formats: GraphML, the Gephi spreadsheet CSV pair, node-link JSON, a Cypher
script and FollowTheMoney JSON lines. All take the graph as ``Store.to_networkx`` gives it."""
from __future__ import annotations

import csv
import json
from dataclasses import asdict
from pathlib import Path
from typing import IO

import networkx as nx

from graph.crosswalk import crosswalk
from graph.export.table import EDGE_COLUMNS, NODE_COLUMNS, edge_rows, node_rows
from graph.ontology import EntityType, RelationType


def write_graphml(g: nx.MultiDiGraph, out: IO[bytes], published=None, titles=None) -> None:
    """GraphML with the table's columns only (strings, integers, doubles: types Gephi reads)."""
    h = nx.MultiDiGraph()
    for row in node_rows(g, published):
        h.add_node(row.id, label=row.label, **row.values)
    for row in edge_rows(g, titles):
        h.add_edge(row.source, row.target, key=row.id, label=row.label, weight=row.weight,
                   directed=row.directed, **row.values)
    nx.write_graphml(h, out, encoding="utf-8", named_key_ids=True)


def write_csv(g: nx.MultiDiGraph, folder: Path, published=None, titles=None) -> list[Path]:
    """``nodes.csv`` and ``edges.csv`` in ``folder``, in Gephi's spreadsheet import layout
    (Id, Label ...; Source, Target, Type, Label, Weight, Time Interval ...)."""
    folder.mkdir(parents=True, exist_ok=True)
    nodes_path, edges_path = folder / "nodes.csv", folder / "edges.csv"
    with open(nodes_path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Id", "Label", *NODE_COLUMNS])
        for row in node_rows(g, published):
            w.writerow([row.id, row.label, *(row.values[c] for c in NODE_COLUMNS)])
    with open(edges_path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Id", "Source", "Target", "Type", "Label", "Weight", "Time Interval",
                    *EDGE_COLUMNS])
        for row in edge_rows(g, titles):
            start, end = row.values["start"], row.values["end"]
            interval = f"<[{start or end}, {end or start}]>" if start or end else ""
            w.writerow([row.id, row.source, row.target,
                        "Directed" if row.directed else "Undirected", row.label, row.weight,
                        interval, *(row.values[c] for c in EDGE_COLUMNS)])
    return [nodes_path, edges_path]


def write_json(g: nx.MultiDiGraph, out: IO[str]) -> None:
    """networkx's node-link JSON, with every piece of evidence of every relation."""
    h = nx.MultiDiGraph()
    h.add_nodes_from(g.nodes(data=True))
    for u, v, key, data in g.edges(keys=True, data=True):
        h.add_edge(u, v, key=key, **{**data, "evidence": [asdict(e) for e in
                                                          data.get("evidence", ())]})
    json.dump(nx.node_link_data(h, edges="links"), out, ensure_ascii=False, indent=1)


def write_cypher(g: nx.MultiDiGraph, out: IO[str], batch: int = 500) -> None:
    """A Cypher script for cypher-shell: ``:param`` batches and parameterised
    ``UNWIND $rows ... MERGE`` statements. Labels and relationship types come from the
    ontology's enums, never from data."""
    out.write("// stakegraph export: run with cypher-shell -f <file>\n")
    out.write("CREATE CONSTRAINT stakegraph_entity_id IF NOT EXISTS "
              "FOR (n:Entity) REQUIRE n.id IS UNIQUE;\n")
    by_type: dict[str, list[dict]] = {}
    for n, data in g.nodes(data=True):
        label = EntityType(data["type"]).value
        by_type.setdefault(label, []).append(
            {"id": n, "name": data.get("name", n), "aliases": list(data.get("aliases", []))})
    for label, rows in sorted(by_type.items()):
        for i in range(0, len(rows), batch):
            out.write(f":param rows => {json.dumps(rows[i:i + batch], ensure_ascii=False)};\n")
            out.write(f"UNWIND $rows AS row MERGE (n:Entity:{label} {{id: row.id}}) "
                      "SET n.name = row.name, n.aliases = row.aliases;\n")
    by_rel: dict[str, list[dict]] = {}
    for u, v, key, data in g.edges(keys=True, data=True):
        rtype = RelationType(data["type"]).value
        evidence = list(data.get("evidence", ()))
        by_rel.setdefault(rtype, []).append({
            "id": key, "source": u, "target": v, "role": data.get("attributes", {}).get("role"),
            "quotes": [e.quote for e in evidence], "documents": [e.document_id for e in evidence],
            "confidence": max((e.confidence for e in evidence), default=0.0)})
    for rtype, rows in sorted(by_rel.items()):
        for i in range(0, len(rows), batch):
            out.write(f":param rows => {json.dumps(rows[i:i + batch], ensure_ascii=False)};\n")
            out.write("UNWIND $rows AS row MATCH (a:Entity {id: row.source}), "
                      "(b:Entity {id: row.target}) "
                      f"MERGE (a)-[r:{rtype} {{id: row.id}}]->(b) SET r.role = row.role, "
                      "r.quotes = row.quotes, r.documents = row.documents, "
                      "r.confidence = row.confidence;\n")


def write_ftm(g: nx.MultiDiGraph, out: IO[str]) -> int:
    """FollowTheMoney entities, one JSON object per line, for Aleph and OpenSanctions tools.

    Through the crosswalk ``graph/data/ftm.toml`` (the one the FtM loader reads): people and
    organisations map to their FtM schemata (lobby groups to Organization, agencies to
    PublicBody); ROLE_AT, MEMBER_OF, FUNDS and RETAINS to Employment, Membership, Payment and
    Representation; every other relation between two mapped entities to an UnknownLink whose
    ``role`` is the relation type. Places, topics and initiatives have no
    FtM counterpart here and are left out, with their relations. Returns the lines written.
    """
    written = 0

    def emit(obj: dict) -> None:
        nonlocal written
        out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        written += 1

    ftm = crosswalk()
    mapped = set()
    for n, data in g.nodes(data=True):
        type = data.get("type")
        schema = ftm.schema_of(EntityType(type)) if type in EntityType.__members__ else None
        if schema is None:
            continue
        mapped.add(n)
        props = {"name": [data.get("name", n)]}
        if data.get("aliases"):
            props["alias"] = list(data["aliases"])
        emit({"id": f"sg-{n}", "schema": schema, "properties": props})
    for u, v, key, data in g.edges(keys=True, data=True):
        if u not in mapped or v not in mapped:
            continue
        link = ftm.link_of(RelationType(data["type"])) or ftm.links["UnknownLink"]
        schema = link.schema
        props = {link.source: [f"sg-{u}"], link.target: [f"sg-{v}"]}
        if schema == "UnknownLink":
            props["role"] = [data["type"]]
        elif data.get("attributes", {}).get("role"):
            props["role"] = [data["attributes"]["role"]]
        quotes = [e.quote for e in data.get("evidence", ())]
        if quotes:
            props["summary"] = quotes[:1]
        emit({"id": f"sg-{key}", "schema": schema, "properties": props})
    return written
