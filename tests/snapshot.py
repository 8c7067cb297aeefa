"""A graph file's content, for comparing two loads of the same documents.

An entity's id is given when it is first stored, from the name it then had ("Person:trump" if
an article naming only "Trump" came first, "Person:donald-trump" otherwise), so two loads in
different orders may give one entity two ids. Everything else must agree. A snapshot therefore
names each entity by what it is, its type and the set of its resolution keys, and holds every
row of the graph (documents, entities with their shown names and attributes, keys with their
aliases, mentions, relations, evidence, merges) in those terms, without the times at which
rows were written."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from graph.ontology import RelationType


def snapshot(db: str | Path) -> dict[str, set[tuple]]:
    """The rows of each table of the graph at ``db``, as sets, entities named by
    ``(type, keys)`` instead of their ids."""
    with sqlite3.connect(db) as c:
        keys: dict[str, set[str]] = {}
        for key, eid in c.execute("SELECT key, entity_id FROM entity_keys"):
            keys.setdefault(eid, set()).add(key)
        types = dict(c.execute("SELECT id, type FROM entities"))

        def label(eid: str) -> tuple:
            return (types.get(eid, "?"), tuple(sorted(keys.get(eid, {eid}))))

        ends = {rid: _ends(label(s), t, label(d)) for rid, s, d, t in
                c.execute("SELECT id, source, target, type FROM relations")}
        return {
            "documents": set(c.execute(
                "SELECT id, title, source, published, text FROM documents")),
            "entities": {(label(i), n, _canonical(a)) for i, n, a in
                         c.execute("SELECT id, name, attributes FROM entities")},
            "entity_keys": {(label(i), t, k, a) for t, k, i, a in
                            c.execute("SELECT type, key, entity_id, alias FROM entity_keys")},
            "mentions": {(label(i), *rest) for i, *rest in c.execute(
                "SELECT entity_id, document_id, start, end, text FROM mentions")},
            "relations": {(*ends[i], _canonical(a)) for i, a in
                          c.execute("SELECT id, attributes FROM relations")},
            "evidence": {(*ends[i], *rest) for i, *rest in c.execute(
                "SELECT relation_id, document_id, start, end, extractor, confidence "
                "FROM evidence")},
            "merges": {(label(k), r, a, u) for k, r, a, u in c.execute(
                "SELECT kept, reason, automatic, undone IS NOT NULL FROM merges")},
        }


def differences(a: dict[str, set[tuple]], b: dict[str, set[tuple]], shown: int = 3) -> dict:
    """Per table, a few rows only ``a`` has and a few only ``b`` has (empty if equal)."""
    diff = {}
    for table in a:
        only_a, only_b = a[table] - b[table], b[table] - a[table]
        if only_a or only_b:
            diff[table] = {"counts": (len(only_a), len(only_b)),
                           "only first": sorted(only_a, key=str)[:shown],
                           "only second": sorted(only_b, key=str)[:shown]}
    return diff


def _ends(source: tuple, type: str, target: tuple) -> tuple:
    """A relation's ends; a symmetric relation's in a fixed order (the store orders them by
    id, and ids may differ)."""
    if RelationType(type).symmetric and target < source:
        source, target = target, source
    return source, type, target


def _canonical(value: str) -> str:
    """A JSON object's text with its keys sorted."""
    return json.dumps(json.loads(value), sort_keys=True)
