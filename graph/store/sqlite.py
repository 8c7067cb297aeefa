"""The embedded store: one SQLite file in WAL mode, no server.

Each document is ingested, with its automatic merges, in one ``BEGIN IMMEDIATE`` transaction,
so a crash leaves either the
whole document or none of it, and a second writer waits (up to ``busy_timeout``) rather than
interleaving. Entities resolve by type and normalised name or alias (see ``graph.names``).

Examples
--------
>>> from graph.extraction import Extraction
>>> from graph.model import Document
>>> from graph.ontology import EntityType, RelationType
>>> store = SQLiteStore(":memory:")
>>> ex = Extraction(Document.from_text("UK Finance wrote to Peter Kyle."))
>>> a = ex.add_entity("UK Finance", EntityType.LobbyGroup, mentions=[(0, 10)])
>>> b = ex.add_entity("Peter Kyle", EntityType.Person, mentions=[(20, 30)])
>>> _ = ex.add_relation(a, RelationType.LOBBIES, b, 0, 31, "doctest")
>>> store.ingest(ex).created, store.ingest(ex).created
(True, False)
>>> store.find_entity("peter kyle").id
'Person:peter-kyle'
"""
from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator

import networkx as nx

from graph.extraction import Extraction
from graph.model import Document, Entity, Evidence, Relation, relation_attributes, relation_id
from graph.names import name_key
from graph.ontology import ORGANISATIONS, EntityType, RelationType
from graph.resolution.merges import Changes, MergeRecord
from graph.resolution.plan import Plan, resolve
from graph.store.base import Changed, IndexRows, IngestReport, assemble_entities, pending_items
from graph.store.migrations import MIGRATIONS


class SQLiteStore:
    """The embedded graph store. Thread-safe: one connection, guarded by a lock."""

    def __init__(self, path: str, timeout: float = 30.0) -> None:
        self.path = path
        self._closed = False
        self._lock = threading.RLock()
        self._db = sqlite3.connect(path, timeout=timeout, isolation_level=None,
                                   check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._db.create_function("name_key", 1, name_key, deterministic=True)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        # a page cache of up to 256 MB and reads through a memory map: a document's rows land
        # on pages all over the hash-keyed indexes (docs/benchmarks.md, register ingest)
        self._db.execute("PRAGMA cache_size=-262144")
        self._db.execute("PRAGMA mmap_size=1073741824")
        # checkpoint the log into the file every 50,000 pages (200 MB) rather than 1,000: each
        # document's commit rewrites pages all over those indexes, most of them the pages the
        # last documents rewrote, and a checkpoint copies only a page's latest version
        self._db.execute("PRAGMA wal_autocheckpoint=50000")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    # -- schema -----------------------------------------------------------------------------

    @contextmanager
    def _transaction(self):
        """One write transaction, taken at once (``BEGIN IMMEDIATE``): committed when the
        block ends, rolled back whole if anything in it fails. A transaction opened inside
        another (by the same thread, which holds the lock) is part of it: an ingest's
        automatic merges commit with the ingest or not at all."""
        with self._lock:
            if self._db.in_transaction:
                yield self._db
                return
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextmanager
    def _snapshot(self):
        """One read transaction: its connection and the change log's mark in it."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                rows = self._db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'changes'"
                                        ).fetchall()
                yield self._db, rows[0][0] if rows else 0
            finally:
                self._db.execute("COMMIT")

    def _migrate(self) -> None:
        with self._transaction() as db:
            db.execute("CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY "
                       "KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
            done = {r[0] for r in db.execute("SELECT version FROM migrations")}
            for version, name, sql in MIGRATIONS:
                if version in done:
                    continue
                for statement in _statements(sql):
                    db.execute(statement)
                db.execute("INSERT INTO migrations VALUES (?, ?, ?)", (version, name, _now()))

    def trace(self, callback) -> None:
        """Call ``callback(sql)`` for every statement the store runs (None to stop): for
        diagnostics, and for tests that count queries."""
        with self._lock:
            self._db.set_trace_callback(callback)

    @property
    def schema_version(self) -> int:
        return self._db.execute("SELECT max(version) FROM migrations").fetchone()[0]

    # -- writes -----------------------------------------------------------------------------

    def ingest(self, extraction: Extraction) -> IngestReport:
        """Store one extraction in one transaction, with the automatic merges it leaves to
        make (``pending_merges``; ``graph.resolution.ingest`` makes them). A document already
        stored is left as is."""
        extraction.validate()
        doc = extraction.document
        with self._transaction():
            if self._has_document(doc.id):
                return IngestReport(doc.id, created=False)
            return self._ingest(extraction)

    def pending_merges(self, document_id: str) -> list[str]:
        """The automatic merges a document's ingest left to make (``pending_items``)."""
        return [r[0] for r in self._query("SELECT item FROM pending_merges WHERE "
                                          "document_id = ? ORDER BY rowid", (document_id,))]

    def drop_pending(self, document_id: str) -> None:
        """Forget a document's pending merges, once made."""
        with self._transaction() as db:
            db.execute("DELETE FROM pending_merges WHERE document_id = ?", (document_id,))

    def delete_document(self, document_id: str) -> dict[str, int] | None:
        """Remove a document and what only it said, in one transaction: its evidence and
        mentions, the relations left without evidence, and the entities left with neither
        relations nor mentions. Returns what was removed, or None if there is no such
        document. Ingesting the document again restores it."""
        with self._transaction():
            return self._delete_document(document_id)

    def _delete_document(self, document_id: str) -> dict[str, int] | None:
        if not self._has_document(document_id):
            return None
        db = self._db
        touched = [r[0] for r in db.execute(
            "SELECT DISTINCT relation_id FROM evidence WHERE document_id = ?", (document_id,))]
        ends = {e for r in touched for e in db.execute(
            "SELECT source, target FROM relations WHERE id = ?", (r,)).fetchone() or ()}
        ends |= {r[0] for r in db.execute(
            "SELECT DISTINCT entity_id FROM mentions WHERE document_id = ?", (document_id,))}
        evidence = db.execute("DELETE FROM evidence WHERE document_id = ?",
                              (document_id,)).rowcount
        mentions = db.execute("DELETE FROM mentions WHERE document_id = ?",
                              (document_id,)).rowcount
        relations = 0
        for rid in touched:
            relations += db.execute(
                "DELETE FROM relations WHERE id = ? AND NOT EXISTS "
                "(SELECT 1 FROM evidence WHERE relation_id = ?)", (rid, rid)).rowcount
        orphans = [e for e in ends if not db.execute(
            "SELECT 1 FROM relations WHERE source = ? OR target = ? UNION ALL "
            "SELECT 1 FROM mentions WHERE entity_id = ? LIMIT 1", (e, e, e)).fetchone()]
        for e in orphans:
            db.execute("DELETE FROM entity_keys WHERE entity_id = ?", (e,))
            db.execute("DELETE FROM entities WHERE id = ?", (e,))
        db.execute("DELETE FROM pending_merges WHERE document_id = ?", (document_id,))
        db.execute("DELETE FROM documents WHERE id = ?", (document_id,))
        db.execute("UPDATE meta SET value = value + 1 WHERE key = 'revision'")
        return {"documents": 1, "evidence": evidence, "mentions": mentions,
                "relations": relations, "entities": len(orphans)}

    def rewrite(self, plan: Callable[[], Changes]) -> Changes:
        """Make ``plan()``'s changes (a merge or a split, see ``graph.resolution.merges``) in one
        transaction; the plan is made inside it, so no ingest slips in between."""
        with self._transaction() as db:
            ch = plan()
            db.executemany("INSERT INTO entities VALUES (?, ?, ?, ?)", [
                (e["id"], e["type"], e["name"], json.dumps(e["attributes"]))
                for e in ch.entities_create])
            db.executemany("INSERT INTO relations VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) "
                           "DO UPDATE SET attributes = excluded.attributes", [
                               (r["id"], r["source"], r["target"], r["type"],
                                json.dumps(r["attributes"])) for r in ch.relations_put])
            db.executemany("INSERT OR IGNORE INTO evidence VALUES (?, ?, ?, ?, ?, ?)", [
                (v["rid"], v["document_id"], v["start"], v["end"], v["extractor"],
                 v["confidence"]) for v in ch.evidence_add])
            db.executemany("DELETE FROM evidence WHERE relation_id = ? AND document_id = ? "
                           "AND start = ? AND end = ?", [
                               (v["rid"], v["document_id"], v["start"], v["end"])
                               for v in ch.evidence_remove])
            db.executemany("DELETE FROM relations WHERE id = ?",
                           [(r["id"],) for r in ch.relations_delete])
            db.executemany("DELETE FROM relations WHERE id = ? AND NOT EXISTS "
                           "(SELECT 1 FROM evidence WHERE relation_id = ?)",
                           [(r["id"], r["id"]) for r in ch.relations_prune])
            db.executemany("INSERT OR IGNORE INTO mentions VALUES (?, ?, ?, ?, ?)", [
                (m["entity_id"], m["document_id"], m["start"], m["end"], m["text"])
                for m in ch.mentions_add])
            db.executemany("DELETE FROM mentions WHERE entity_id = ? AND document_id = ? "
                           "AND start = ? AND end = ?", [
                               (m["entity_id"], m["document_id"], m["start"], m["end"])
                               for m in ch.mentions_remove])
            db.executemany("INSERT OR IGNORE INTO entity_keys VALUES (?, ?, ?, ?)", [
                (k["type"], k["key"], k["entity_id"], k["alias"]) for k in ch.keys_add])
            db.executemany("DELETE FROM entity_keys WHERE type = ? AND key = ? AND "
                           "entity_id = ?", [(k["type"], k["key"], k["entity_id"])
                                             for k in ch.keys_remove])
            db.executemany("UPDATE entities SET attributes = ? WHERE id = ?",
                           [(json.dumps(a), eid) for eid, a in ch.entity_attributes.items()])
            db.executemany("DELETE FROM entities WHERE id = ?",
                           [(eid,) for eid in ch.entities_delete])
            db.executemany("INSERT INTO changes(kind, id) VALUES ('relation', ?)", [
                (rid,) for rid in dict.fromkeys([r["id"] for r in ch.relations_put]
                                                + [v["rid"] for v in ch.evidence_add])])
            row = ch.record.row()
            db.execute(f"INSERT OR REPLACE INTO merges ({', '.join(row)}) VALUES "
                       f"({', '.join('?' * len(row))})", tuple(row.values()))
            db.execute("UPDATE meta SET value = value + 1 WHERE key = 'revision'")
        return ch

    def merges(self, entity_id: str | None = None) -> list[MergeRecord]:
        """The merges recorded (of which ``entity_id`` was either side), oldest first."""
        where, params = ("WHERE kept = ? OR merged = ?", (entity_id, entity_id)) \
            if entity_id is not None else ("", ())
        return [MergeRecord.from_row(dict(r)) for r in self._query(
            f"SELECT * FROM merges {where} ORDER BY at, rowid", params)]

    def keys_of(self, entity_id: str) -> list[dict]:
        """An entity's resolution keys: ``type``, ``key`` and the ``alias`` it came from."""
        return [dict(r) for r in self._query("SELECT type, key, alias FROM entity_keys WHERE "
                                             "entity_id = ? ORDER BY key", (entity_id,))]

    def mentions_of(self, entity_id: str) -> list[dict]:
        """Where documents name an entity: ``document_id``, ``start``, ``end``, ``text``."""
        return [dict(r) for r in self._query(
            "SELECT document_id, start, end, text FROM mentions WHERE entity_id = ? "
            "ORDER BY document_id, start", (entity_id,))]

    def block_keys(self, type: EntityType, block: str, lengths: tuple[int, int], surname: bool,
                   limit: int) -> list[tuple[str, str]]:
        """``(entity_id, key)`` for keys of this type beginning with ``block`` (a range of the
        keys' primary index) or, with ``surname``, ending with it as a word (the trigram
        index), ``lengths`` (min, max) long."""
        if surname:
            sql = ("SELECT entity_id, key FROM entity_search WHERE key LIKE ? AND type = ? "
                   "AND length(key) BETWEEN ? AND ? LIMIT ?")
            params: tuple = ("% " + block, type.value, *lengths, limit)
        else:
            sql = ("SELECT entity_id, key FROM entity_keys WHERE type = ? AND key >= ? AND "
                   "key < ? AND length(key) BETWEEN ? AND ? LIMIT ?")
            params = (type.value, block, block + "\U0010ffff", *lengths, limit)
        return [tuple(r) for r in self._query(sql, params)]

    def document_entities(self, document_id: str) -> list[str]:
        """The ids of the entities a document names, in order."""
        return [r[0] for r in self._query("SELECT DISTINCT entity_id FROM mentions WHERE "
                                          "document_id = ? ORDER BY entity_id", (document_id,))]

    def share_neighbour(self, a: str, b: str) -> bool:
        """Whether two entities have a relation with one same third entity."""
        ends = ("SELECT target AS n FROM relations WHERE source = ? UNION ALL "
                "SELECT source FROM relations WHERE target = ?")
        return bool(self._query(f"SELECT 1 FROM ({ends}) WHERE n IN ({ends}) AND n NOT IN "
                                "(?, ?) LIMIT 1", (a, a, b, b, a, b)))

    def find_document(self, ref: str) -> Document | None:
        """A document by id or by its source (a file path or URL as loaded)."""
        rows = self._query("SELECT id, '' AS text, title, source, published FROM documents "
                           "WHERE id = ? OR source = ? ORDER BY rowid LIMIT 1", (ref, ref))
        return Document(**dict(rows[0])) if rows else None

    def _has_document(self, document_id: str) -> bool:
        return self._db.execute("SELECT 1 FROM documents WHERE id = ?",
                                (document_id,)).fetchone() is not None

    def _ingest(self, ex: Extraction) -> IngestReport:
        d = ex.document
        db = self._db
        db.execute("UPDATE meta SET value = value + 1 WHERE key = 'revision'")
        db.execute("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?)",
                   (d.id, d.title, d.source, d.published, d.text, _now()))
        db.execute("INSERT INTO changes(kind, id) VALUES ('document', ?)", (d.id,))
        plan = resolve(ex, _Lookups(db))
        self._apply(plan)
        ids = plan.ids
        db.executemany("INSERT OR IGNORE INTO mentions VALUES (?, ?, ?, ?, ?)",
                       [(ids[e.id], d.id, m.start, m.end, m.text)
                        for e in ex.entities for m in e.mentions])
        rows: dict[str, tuple] = {}  # relation id -> (source, target, type, attributes)
        evidence = []
        for r in ex.relations:
            src, dst = ids[r.source], ids[r.target]
            if r.type.symmetric and dst < src:
                src, dst = dst, src
            rid = relation_id(src, r.type, dst)
            attrs = relation_attributes(rows[rid][3], r.attributes) if rid in rows \
                else r.attributes
            rows[rid] = (src, dst, r.type.value, attrs)
            evidence += [(rid, d.id, ev.start, ev.end, ev.extractor, ev.confidence)
                         for ev in r.evidence]
        stored = self._stored_attributes(list(rows))
        db.executemany("INSERT INTO relations VALUES (?, ?, ?, ?, ?)",
                       [(rid, *row[:3], json.dumps(row[3])) for rid, row in rows.items()
                        if rid not in stored])
        updated = []
        for rid, row in rows.items():
            if rid in stored and row[3]:
                before = json.loads(stored[rid])
                after = relation_attributes(before, row[3])
                if after != before:
                    updated.append((json.dumps(after), rid))
        db.executemany("UPDATE relations SET attributes = ? WHERE id = ?", updated)
        n_evidence = db.executemany(
            "INSERT OR IGNORE INTO evidence VALUES (?, ?, ?, ?, ?, ?)", evidence).rowcount
        report = IngestReport(d.id, True, len(set(ids.values())), len(ex.relations), n_evidence,
                              tuple(plan.created), same=tuple(plan.same))
        db.executemany("INSERT INTO pending_merges VALUES (?, ?)",
                       [(d.id, item) for item in pending_items(report)])
        return report

    def _apply(self, plan: Plan) -> None:
        """Write a resolution plan (``graph.resolution.plan``), in its order."""
        db = self._db
        db.executemany("INSERT INTO entities VALUES (?, ?, ?, ?)", [
            (e["id"], e["type"], e["name"], json.dumps(e["attributes"]))
            for e in plan.created.values()])
        for eid, (_, new) in plan.retyped.items():
            db.execute("UPDATE entities SET type = ?, attributes = ? WHERE id = ?",
                       (new, json.dumps(plan.attributes[eid]), eid))
            db.execute("UPDATE OR IGNORE entity_keys SET type = ? WHERE entity_id = ?",
                       (new, eid))
            db.execute("DELETE FROM entity_keys WHERE entity_id = ? AND type != ?",
                       (eid, new))  # those the new type already had
        db.executemany("UPDATE entities SET attributes = ? WHERE id = ?", [
            (json.dumps(a), eid) for eid, a in plan.stored_attributes().items()])
        db.executemany("INSERT OR IGNORE INTO entity_keys VALUES (?, ?, ?, ?)", [
            (k["type"], k["key"], k["entity_id"], k["alias"]) for k in plan.new_keys])
        db.executemany("UPDATE entities SET name = ? WHERE id = ?",
                       [(name, eid) for eid, name in plan.renamed.items()])
        db.executemany("UPDATE entity_keys SET alias = ? WHERE type = ? AND key = ? AND "
                       "entity_id = ?", [(k["alias"], k["type"], k["key"], k["entity_id"])
                                         for k in plan.realiased])

    def _stored_attributes(self, relation_ids: list[str]) -> dict[str, str]:
        """The attributes (JSON) of those of these relations already stored, by id."""
        found = {}
        for part, marks in _in_chunks(relation_ids):
            found.update(self._db.execute(
                f"SELECT id, attributes FROM relations WHERE id IN ({marks})", part).fetchall())
        return found

    # -- reads ------------------------------------------------------------------------------

    def _query(self, sql: str, params: Iterable = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, tuple(params)).fetchall()

    def documents_by_id(self, ids: list[str]) -> list[Document | None]:
        """The documents with these ids (without their text), in that order."""
        found: dict[str, Document] = {}
        for chunk, marks in _in_chunks(list(dict.fromkeys(ids))):
            for r in self._query("SELECT id, '' AS text, title, source, published FROM "
                                 f"documents WHERE id IN ({marks})", chunk):
                found[r["id"]] = Document(**dict(r))
        return [found.get(i) for i in ids]

    def document(self, document_id: str) -> Document | None:
        rows = self._query("SELECT id, text, title, source, published FROM documents "
                           "WHERE id = ?", (document_id,))
        return Document(**dict(rows[0])) if rows else None

    def documents(self, with_text: bool = True) -> list[Document]:
        """Every document, in ingest order; ``with_text=False`` leaves ``text`` empty (cheap)."""
        text = "text" if with_text else "'' AS text"
        rows = self._query(f"SELECT id, {text}, title, source, published FROM documents "
                           "ORDER BY rowid")
        return [Document(**dict(r)) for r in rows]

    def entity(self, entity_id: str) -> Entity | None:
        found = self._entities("WHERE id = ?", (entity_id,))
        return found[0] if found else None

    def entities(self, ids: list[str]) -> list[Entity | None]:
        """The entities with these ids, in that order (None where there is none), in a few
        queries however many ids are asked for."""
        found: dict[str, Entity] = {}
        for chunk, marks in _in_chunks(list(dict.fromkeys(ids))):
            for e in self._entities(f"WHERE id IN ({marks})", chunk):
                found[e.id] = e
        return [found.get(i) for i in ids]

    def _entities(self, where: str, params: Iterable = ()) -> list[Entity]:
        params = list(params)
        rows = self._query(f"SELECT id, type, name, attributes FROM entities {where}", params)
        if not where:
            found = self._query("SELECT entity_id, alias FROM entity_keys ORDER BY alias")
        elif rows:
            marks = ",".join("?" * len(rows))
            found = self._query(f"SELECT entity_id, alias FROM entity_keys WHERE entity_id IN "
                                f"({marks}) ORDER BY alias", [r["id"] for r in rows])
        else:
            found = []
        return assemble_entities(rows, [tuple(pair) for pair in found])

    def find_entity(self, name: str, type: EntityType | None = None) -> Entity | None:
        """The entity whose name or alias has the key of ``name``; entity ids work too."""
        direct = self.entity(name)
        if direct is not None:
            return direct
        sql = "SELECT entity_id FROM entity_keys WHERE key = ?"
        params: list = [name_key(name)]
        if type is not None:
            sql += " AND type = ?"
            params.append(EntityType(type).value)
        rows = self._query(sql + " ORDER BY entity_id LIMIT 1", params)
        return self.entity(rows[0][0]) if rows else None

    def names(self) -> list[tuple[str, str]]:
        """Every (entity id, name or alias) pair, for fuzzy matching."""
        return [tuple(r) for r in self._query("SELECT entity_id, alias FROM entity_keys")]

    def search(self, text: str, types: Iterable[EntityType] | None = None,
               limit: int = 20) -> list[Entity]:
        """Entities with a name or alias containing ``text``; exact, then prefix, then infix.

        A fragment of three characters or more is looked up in the trigram index
        (``entity_search``), checked against the keys themselves; a shorter one, or one holding
        a LIKE wildcard, is matched against every key."""
        key = name_key(text)
        type_list = [EntityType(t).value for t in types or []]
        if len(key) >= 3 and not set(key) & {"%", "_"}:
            sql = ("SELECT s.entity_id, min(CASE WHEN k.key = ? THEN 0 WHEN k.key LIKE ? "
                   "THEN 1 ELSE 2 END) AS rank FROM entity_search s JOIN entity_keys k "
                   "ON k.rowid = s.rowid AND k.key = s.key WHERE s.key LIKE ?")
            params: list = [key, key + "%", "%" + key + "%"]
            column = "k.type"
        else:
            pattern = "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace(
                "_", "\\_") + "%"
            sql = ("SELECT entity_id, min(CASE WHEN key = ? THEN 0 WHEN key LIKE ? ESCAPE '\\' "
                   "THEN 1 ELSE 2 END) AS rank FROM entity_keys WHERE key LIKE ? ESCAPE '\\'")
            params = [key, pattern[1:], pattern]
            column = "type"
        if type_list:
            sql += f" AND {column} IN ({','.join('?' * len(type_list))})"
            params += type_list
        sql += " GROUP BY 1 ORDER BY rank, 1 LIMIT ?"
        params.append(int(limit))
        return [e for e in self.entities([eid for eid, _ in self._query(sql, params)]) if e]

    def relations(self, entity_id: str | None = None, direction: str = "both",
                  types: Iterable[RelationType] | None = None) -> list[Relation]:
        """Relations (with evidence) of one entity, or all of them when ``entity_id`` is None."""
        clauses, params = [], []
        if entity_id is not None:
            ends = {"out": ["source"], "in": ["target"], "both": ["source", "target"]}[direction]
            clauses.append("(" + " OR ".join(f"{c} = ?" for c in ends) + ")")
            params += [entity_id] * len(ends)
        type_list = [RelationType(t).value for t in types or []]
        if type_list:
            clauses.append(f"type IN ({','.join('?' * len(type_list))})")
            params += type_list
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = self._query(f"SELECT id, source, target, type, attributes FROM relations {where} "
                           "ORDER BY id", params)
        return self._with_evidence(rows, every=not where)

    def _with_evidence(self, rows: list[sqlite3.Row], every: bool = False) -> list[Relation]:
        """Relations of ``relations`` rows, with their evidence (``every``: all the store's,
        read in one query)."""
        evidence = self._evidence(None if every else [r["id"] for r in rows])
        return [Relation(r["id"], r["source"], r["target"], RelationType(r["type"]),
                         _attributes(r["attributes"]), evidence.get(r["id"], []))
                for r in rows]

    def relations_for(self, entity_ids: list[str], direction: str = "both",
                      types: Iterable[RelationType] | None = None) -> dict[str, list[Relation]]:
        """The relations of each of these entities at once (a batch of ``relations``)."""
        out: dict[str, list[Relation]] = {i: [] for i in entity_ids}
        ends = {"out": ["source"], "in": ["target"], "both": ["source", "target"]}[direction]
        type_list = [RelationType(t).value for t in types or []]
        for i in range(0, len(entity_ids), 400):
            chunk = list(dict.fromkeys(entity_ids[i:i + 400]))
            marks = ",".join("?" * len(chunk))
            where = "(" + " OR ".join(f"{c} IN ({marks})" for c in ends) + ")"
            params: list = chunk * len(ends)
            if type_list:
                where += f" AND type IN ({','.join('?' * len(type_list))})"
                params += type_list
            rows = self._query(f"SELECT id, source, target, type, attributes FROM relations "
                               f"WHERE {where} ORDER BY id", params)
            wanted = set(chunk)
            for r, rel in zip(rows, self._with_evidence(rows)):
                for end in {r[c] for c in ends} & wanted:
                    out[end].append(rel)
        return out

    def _evidence(self, relation_ids: list[str] | None) -> dict[str, list[Evidence]]:
        """Evidence by relation id, for these relations (None: for all, in one query), each
        quote cut from its document's text (``_Quotes``)."""
        columns = "relation_id, document_id, start, end, extractor, confidence"
        out: dict[str, list[Evidence]] = {}
        if relation_ids is None:
            chunks = [self._query(f"SELECT {columns} FROM evidence ORDER BY document_id, start")]
        else:
            chunks = [self._query(
                f"SELECT {columns} FROM evidence WHERE relation_id IN "
                f"({','.join('?' * len(chunk))}) ORDER BY document_id, start", chunk)
                for chunk in (relation_ids[i:i + 500] for i in range(0, len(relation_ids), 500))]
        quotes = _Quotes(self._db)
        for rows in chunks:
            for rid, doc, start, end, extractor, confidence in rows:
                out.setdefault(rid, []).append(Evidence(doc, quotes.cut(doc, start, end), start,
                                                        end, extractor, confidence))
        return out

    def relations_by_id(self, ids: list[str]) -> list[Relation | None]:
        """The relations with these ids (with evidence), in that order; None where none."""
        found: dict[str, Relation] = {}
        for chunk, marks in _in_chunks(list(dict.fromkeys(ids))):
            rows = self._query("SELECT id, source, target, type, attributes FROM relations "
                               f"WHERE id IN ({marks})", chunk)
            found.update((rel.id, rel) for rel in self._with_evidence(rows))
        return [found.get(i) for i in ids]

    def saved_index(self) -> tuple[Path, str] | None:
        """Where the analytic index of this graph is saved (a folder beside its file) and the
        store's id it is saved for; None for a store in memory."""
        if self.path == ":memory:" or self.path.startswith("file:"):
            return None
        rows = self._query("SELECT value FROM meta WHERE key = 'store'")
        return (Path(self.path + ".index"), str(rows[0][0])) if rows else None

    def index_rows(self) -> IndexRows:
        """What the analytic index is built from, read in one snapshot without the graph,
        entities and relations numbered by their rowids (so that the index maps numbers, not
        strings): see ``IndexRows``."""
        with self._snapshot() as (db, mark):
            entities = db.execute("SELECT id, type, rowid FROM entities ORDER BY id").fetchall()
            relations = db.execute(
                "SELECT r.id, r.rowid, s.rowid, t.rowid, r.type, "
                "json_extract(r.attributes, '$.start'), json_extract(r.attributes, '$.end') "
                "FROM relations r JOIN entities s ON s.id = r.source "
                "JOIN entities t ON t.id = r.target").fetchall()
            evidence = db.execute(
                "SELECT r.rowid, max(v.confidence), count(*) FROM evidence v "
                "JOIN relations r ON r.id = v.relation_id "
                "GROUP BY v.relation_id, v.document_id ORDER BY v.relation_id, v.document_id"
            ).fetchall()
        return IndexRows(entities, relations, evidence, mark)

    def changes(self, since: int | None = None) -> Changed | None:
        """What changed after the mark ``since`` of the change log (migration 10), read in one
        snapshot; None when the log was pruned past it."""
        with self._snapshot() as (db, mark):
            if since is None or since >= mark:
                return Changed(mark)
            first = db.execute("SELECT min(seq) FROM changes").fetchone()[0]
            if first is None or first > since + 1:
                return None
            found = db.execute("SELECT kind, id, source, target FROM changes "
                               "WHERE seq > ? AND seq <= ?", (since, mark)).fetchall()
            documents = list({id_ for kind, id_, _, _ in found if kind == "document"})
            for chunk, marks in _in_chunks(documents):
                found += [("relation", rid, None, None) for (rid,) in db.execute(
                    f"SELECT DISTINCT relation_id FROM evidence WHERE document_id IN "
                    f"({marks})", chunk)]
        entities, relations = set(), {}
        for kind, id_, source, target in found:
            if kind == "all":
                return None
            if kind == "entity":
                entities.add(id_)
            elif kind == "relation":
                ends = relations.setdefault(id_, set())
                if source is not None:
                    ends.add((source, target))
        return Changed(mark, frozenset(entities),
                       {k: frozenset(v) for k, v in relations.items()})

    def revision(self) -> int:
        """A number that changes whenever the graph does (each committed ingest)."""
        return self._query("SELECT value FROM meta WHERE key = 'revision'")[0][0]

    def stats(self) -> dict[str, int]:
        """Counts of documents, entities, relations, evidence and mentions."""
        return {t: self._query(f"SELECT count(*) FROM {t}")[0][0]
                for t in ("documents", "entities", "relations", "evidence", "mentions")}

    def to_networkx(self) -> nx.MultiDiGraph:
        """The whole graph: nodes carry ``type``, ``name``, ``aliases``; edges (keyed by
        relation id) carry ``type``, the relation's attributes and its ``evidence`` list."""
        g = nx.MultiDiGraph()
        g.add_nodes_from((e.id, {**e.attributes, "type": e.type.value, "name": e.name,
                                 "aliases": e.aliases}) for e in self._entities(""))
        g.add_edges_from((r.source, r.target, r.id, {"type": r.type.value,
                                                    "attributes": r.attributes,
                                                    "evidence": r.evidence})
                         for r in self.relations())
        return g

    def dump(self, batch: int = 5000) -> Iterator[tuple[str, list[dict]]]:
        """Every row of the graph as ``(kind, rows)`` batches, in the order ``restore`` needs
        them (see ``graph.store.copy``); evidence rows carry their quotes."""
        quotes = _Quotes(self._db)
        for kind, sql in _DUMP.items():
            with self._lock:
                cursor = self._db.execute(sql)
                rows = [dict(r) for r in cursor.fetchmany(batch)]
            while rows:
                if kind == "evidence":
                    with self._lock:
                        for r in rows:
                            r["quote"] = quotes.cut(r["document_id"], r["start"], r["end"])
                yield kind, rows
                with self._lock:
                    rows = [dict(r) for r in cursor.fetchmany(batch)]

    def restore(self, kind: str, rows: list[dict]) -> None:
        """Write rows of one kind from ``dump`` (this store's or another's), keeping their ids;
        rows already here are left as they are, so a copy can be re-run."""
        columns = _RESTORE[kind]
        with self._transaction() as db:
            db.executemany(f"INSERT OR IGNORE INTO {kind} ({', '.join(columns)}) VALUES "
                           f"({', '.join('?' * len(columns))})",
                           [tuple(r[key] for key in columns.values()) for r in rows])
            db.execute("INSERT INTO changes(kind, id) VALUES ('all', '')")
            db.execute("UPDATE meta SET value = value + 1 WHERE key = 'revision'")

    def close(self) -> None:
        """Write the log back into the file and close: the file alone is then the whole
        graph, to copy or share. Closing twice is harmless."""
        with self._lock:
            if self._closed:
                return
            try:
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass  # another connection is reading: its own close checkpoints
            self._db.close()
            self._closed = True

    def __enter__(self) -> "SQLiteStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# What ``dump`` reads and ``restore`` writes, kind by kind, in an order that satisfies the
# foreign keys: documents and entities before what refers to them.
_DUMP = {
    "documents": "SELECT id, title, source, published, text, ingested_at FROM documents "
                 "ORDER BY rowid",
    "entities": "SELECT id, type, name, attributes FROM entities",
    "entity_keys": "SELECT type, key, entity_id, alias FROM entity_keys",
    "relations": "SELECT id, source, target, type, attributes FROM relations",
    "evidence": "SELECT e.relation_id AS rid, r.source, r.target, r.type, e.document_id, "
                "e.start, e.end, e.extractor, e.confidence FROM evidence e "
                "JOIN relations r ON r.id = e.relation_id ORDER BY e.document_id",
    "mentions": "SELECT entity_id, document_id, start, end, text FROM mentions",
}
# table column -> row key, per kind
_RESTORE = {kind: {c: c for c in columns} for kind, columns in {
    "documents": ["id", "title", "source", "published", "text", "ingested_at"],
    "entities": ["id", "type", "name", "attributes"],
    "entity_keys": ["type", "key", "entity_id", "alias"],
    "relations": ["id", "source", "target", "type", "attributes"],
    "evidence": ["document_id", "start", "end", "extractor", "confidence"],
    "mentions": ["entity_id", "document_id", "start", "end", "text"],
}.items()}
_RESTORE["evidence"]["relation_id"] = "rid"


def _in_chunks(values: list, size: int = 500) -> Iterator[tuple[list, str]]:
    """``values`` in pieces small enough for one ``IN (...)``, each with its placeholders."""
    for i in range(0, len(values), size):
        part = values[i:i + size]
        yield part, ",".join("?" * len(part))


class _Quotes:
    """Evidence quotes cut from their documents' texts, each text read once while its
    document's evidence is read (rows come in document order), and each span's quote made
    once, so that the relations one register record backs share one string."""

    KEEP = 8  # texts held at once

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.texts: dict[str, str] = {}
        self.quotes: dict[tuple[str, int, int], str] = {}

    def cut(self, document_id: str, start: int, end: int) -> str:
        span = (document_id, start, end)
        quote = self.quotes.get(span)
        if quote is None:
            text = self.texts.get(document_id)
            if text is None:
                if len(self.texts) >= self.KEEP:
                    self.texts.clear()
                row = self.db.execute("SELECT text FROM documents WHERE id = ?",
                                      (document_id,)).fetchone()
                text = self.texts[document_id] = row[0] if row else ""
            quote = self.quotes[span] = text[start:end]
        return quote


class _Lookups:
    """The reads entity resolution makes (``graph.resolution.plan.Lookups``), inside the
    ingest's transaction, a few statements per document rather than one per name."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def holders(self, keys: list[tuple[str, str]]) -> Iterator[dict]:
        wanted = set(keys)
        for part, marks in _in_chunks(sorted({k for _, k in keys})):
            for t, k, eid, attributes, name, alias in self.db.execute(
                    "SELECT k.type, k.key, k.entity_id, e.attributes, e.name, k.alias FROM "
                    "entity_keys k JOIN entities e ON e.id = k.entity_id WHERE k.key IN "
                    f"({marks}) ORDER BY k.entity_id", part):
                if (t, k) in wanted:
                    yield {"type": t, "key": k, "id": eid, "name": name, "alias": alias,
                           "attributes": _attributes(attributes)}

    def organisations(self, keys: list[str]) -> Iterator[dict]:
        types = [t.value for t in ORGANISATIONS]
        for part, marks in _in_chunks(keys):
            for k, t, eid, attributes, name in self.db.execute(
                    "SELECT k.key, k.type, k.entity_id, e.attributes, e.name FROM entity_keys k "
                    f"JOIN entities e ON e.id = k.entity_id WHERE k.key IN ({marks}) AND "
                    f"k.type IN ({','.join('?' * len(types))}) ORDER BY k.entity_id",
                    (*part, *types)):
                yield {"key": k, "type": t, "id": eid, "name": name,
                       "attributes": _attributes(attributes)}

    def entity(self, entity_id: str) -> tuple[str, dict] | None:
        row = self.db.execute("SELECT name, attributes FROM entities WHERE id = ?",
                              (entity_id,)).fetchone()
        return None if row is None else (row[0], _attributes(row[1]))

    def keys(self, entity_id: str) -> list[dict]:
        return [dict(r) for r in self.db.execute(
            "SELECT type, key, alias FROM entity_keys WHERE entity_id = ? ORDER BY key",
            (entity_id,))]

    def linked(self, entity_id: str, near: list[str]) -> bool:
        marks = ",".join("?" * len(near))
        return self.db.execute(
            f"SELECT 1 FROM relations WHERE source = ? AND target IN ({marks}) UNION ALL "
            f"SELECT 1 FROM relations WHERE target = ? AND source IN ({marks}) LIMIT 1",
            (entity_id, *near, entity_id, *near)).fetchone() is not None

    def taken(self, entity_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM entities WHERE id = ?",
                               (entity_id,)).fetchone() is not None


def _statements(script: str) -> Iterator[str]:
    """The statements of an SQL script, one at a time (a trigger's body holds semicolons, so
    the script is cut where SQLite says a statement is complete).

    >>> list(_statements("CREATE TABLE t(x); CREATE TRIGGER r AFTER INSERT ON t BEGIN "
    ...                  "DELETE FROM t; END;"))  # doctest: +NORMALIZE_WHITESPACE
    ['CREATE TABLE t(x);', ' CREATE TRIGGER r AFTER INSERT ON t BEGIN DELETE FROM t; END;']
    """
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                yield pending
            pending = ""


def _attributes(text: str) -> dict:
    """Stored JSON attributes; most are empty, and parsing "{}" 100,000 times adds up."""
    return {} if text == "{}" else json.loads(text)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
