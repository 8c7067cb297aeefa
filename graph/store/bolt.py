"""The Neo4j store: the same graph as the embedded store, in Neo4j 5 (or Aura) over Bolt.

Entities are ``(:Entity:<Type>)`` nodes; relations are relationships typed by the ontology
(``-[:LOBBIES {id, attributes}]->``); evidence, mentions and resolution keys are nodes of their
own (``:Evidence``, ``:Mention``, ``:Key``) indexed by the ids the store looks them up by.
Attributes are JSON strings, as in the embedded store.

One document is one managed write transaction: the driver retries it on transient errors and,
on Neo4j, a failure rolls it back whole. Servers whose Bolt endpoint cannot roll back
(FalkorDB, which the tests run against) get the same guarantee from a journal: an ``:Ingest``
node is written first, every write is an idempotent ``MERGE``, and one statement creates the
``:Document`` and removes the journal. A journal left behind by a crash is undone (what only
that document said is removed) when the store is next opened or the document is ingested
again. See ``docs/neo4j.md``; ``tests/graph/test_bolt.py`` runs it against a real server.
"""
from __future__ import annotations

import json
import os
import socket
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator
from urllib.parse import urlsplit

import networkx as nx
from neo4j import GraphDatabase, Session
from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

from graph.extraction import Extraction
from graph.model import Document, Entity, Evidence, Relation, relation_attributes, relation_id
from graph.names import name_key
from graph.ontology import ORGANISATIONS, EntityType, RelationType
from graph.resolution.merges import Changes, MergeRecord
from graph.resolution.plan import Plan, resolve
from graph.store import cypher as q
from graph.store.base import Changed, IngestReport, assemble_entities, pending_items
from graph.store.errors import BOLT_SCHEMES, StoreError, StoreUnavailable


def credentials() -> tuple[str, str] | None:
    """The Bolt credentials from the environment: ``NEO4J_USERNAME`` (default ``neo4j``) and
    ``NEO4J_PASSWORD``, or the password in the file ``NEO4J_PASSWORD_FILE``; None (no auth)
    when neither is set. Never from the command line, where other users can read it.

    >>> os.environ.pop("NEO4J_PASSWORD", None) and None
    >>> os.environ.pop("NEO4J_PASSWORD_FILE", None) and None
    >>> credentials() is None
    True
    """
    password = os.environ.get("NEO4J_PASSWORD")
    if password is None and os.environ.get("NEO4J_PASSWORD_FILE"):
        password = Path(os.environ["NEO4J_PASSWORD_FILE"]).read_text(encoding="utf-8").strip()
    if password is None:
        return None
    return os.environ.get("NEO4J_USERNAME", "neo4j"), password


class Dialect:
    """What the server at the other end accepts. Neo4j 5 takes large batches and
    ``IF NOT EXISTS``; FalkorDB's Bolt endpoint crashes on parameter payloads of a few KB,
    has no ``dbms.components()`` and no rollback (see ``docs/neo4j.md``)."""

    def __init__(self, name: str, batch_rows: int, query_bytes: int | None = None,
                 inlines_parameters: bool = False, text_slice: int | None = None) -> None:
        self.name, self.batch_rows, self.query_bytes = name, batch_rows, query_bytes
        self.inlines_parameters = inlines_parameters
        self.text_slice = text_slice  # longest string one record may carry, in characters

    def budget(self, query: str) -> int:
        """How many bytes of parameters one statement of ``query`` may carry."""
        if self.query_bytes is None:
            return 4_000_000
        return self.query_bytes - len(query.encode("utf-8"))

    def parameters(self, params: dict) -> dict:
        """The parameters as the server must receive them. FalkorDB's Bolt endpoint pastes
        string parameters into the query between single quotes and then reads escapes, so
        ``King's`` fails and ``a\\b`` arrives as ``a`` and a backspace; for it, quotes and
        backslashes are escaped first. Neo4j gets the values untouched."""
        return _escaped(params) if self.inlines_parameters else params

    def index(self, label: str, prop: str) -> str:
        if self.name == "neo4j":
            return (f"CREATE INDEX stakegraph_{label.lower()}_{prop} IF NOT EXISTS "
                    f"FOR (n:`{label}`) ON (n.`{prop}`)")
        return f"CREATE INDEX FOR (n:`{label}`) ON (n.`{prop}`)"


NEO4J = Dialect("neo4j", batch_rows=5000)
# FalkorDB pastes parameters into the query text, and a query text of 4,090 bytes or more
# crashes it (4,050 passes): statements are kept to 3,600 bytes, parameters included. It never
# answers a record over 64 KB (the Bolt chunk size): long texts are read in slices.
FALKORDB = Dialect("falkordb", batch_rows=200, query_bytes=3600, inlines_parameters=True,
                   text_slice=4000)


class BoltStore:
    """The graph store in a Bolt server (Neo4j 5, Aura; FalkorDB for the tests).

    Parameters
    ----------
    url : str
        ``bolt://host:7687``, ``neo4j+s://...`` and the other Bolt schemes.
    database : str, optional
        The Neo4j database; the server's default when None.
    auth : (user, password), optional
        Defaults to :func:`credentials` (the environment).
    retry_seconds : float
        How long a transaction is retried on transient errors before the store gives up.
    """

    def __init__(self, url: str, database: str | None = None,
                 auth: tuple[str, str] | None = None, retry_seconds: float = 15.0) -> None:
        self.url, self.database = url, database
        self._trace: Callable[[str], None] | None = None
        self.dialect = NEO4J  # until the server says otherwise
        _reachable(url)
        self._driver = GraphDatabase.driver(
            url, auth=auth if auth is not None else credentials(), connection_timeout=5.0,
            connection_acquisition_timeout=3.0, max_transaction_retry_time=retry_seconds)
        self.dialect = self._dialect()
        self._setup()

    # -- plumbing ---------------------------------------------------------------------------

    def _session(self) -> Session:
        return self._driver.session(database=self.database)

    def _call(self, what: str, work: Callable, write: bool):
        """Run ``work(tx)`` in one managed transaction, read or write, with errors named."""
        try:
            with self._session() as session:
                run = session.execute_write if write else session.execute_read
                return run(work)
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreUnavailable(f"the Bolt server at {self.url} is not answering ({what}): "
                                   f"{exc}") from None
        except Neo4jError as exc:
            raise StoreError(f"the Bolt server at {self.url} failed ({what}): "
                             f"{exc.message or exc}") from None

    def _run(self, tx, query: str, **params) -> list[dict]:
        if self._trace is not None:
            self._trace(query)
        return tx.run(query, self.dialect.parameters(params)).data()

    def _read(self, query: str, **params) -> list[dict]:
        return self._call("reading", lambda tx: self._run(tx, query, **params), write=False)

    def _batches(self, rows: list, budget: int) -> Iterator[list]:
        """Rows in batches the server takes: by count, and by bytes where it needs that (a
        JSON rendering overstates a Cypher literal, so the count errs on the safe side)."""
        batch, size = [], 0
        for row in rows:
            n = len(json.dumps(self.dialect.parameters({"r": row}), default=str))
            if n > budget:
                raise StoreError(f"a row of {n} bytes is more than the {self.dialect.name} "
                                 f"server takes in one statement ({budget}): {str(row)[:120]}")
            if batch and (size + n > budget or len(batch) >= self.dialect.batch_rows):
                yield batch
                batch, size = [], 0
            batch.append(row)
            size += n
        if batch:
            yield batch

    def _each(self, tx, query: str, rows: list, **params) -> list[dict]:
        """Run an ``UNWIND $rows`` statement over every batch of ``rows``; all results."""
        budget = self.dialect.budget(query) - len(json.dumps(params, default=str))
        out: list[dict] = []
        for batch in self._batches(rows, budget):
            out += self._run(tx, query, rows=batch, **params)
        return out

    def _text_chunk(self) -> int:
        """Bytes of text one append may carry: half the budget, as escaping may double it."""
        return min(1 << 20, (self.dialect.budget(q.JOURNAL_TEXT) - 200) // 2)

    def _read_each(self, query: str, rows: list, **params) -> list[dict]:
        return self._call("reading", lambda tx: self._each(tx, query, rows, **params),
                          write=False)

    def _dialect(self) -> Dialect:
        try:
            self._read("CALL dbms.components() YIELD name RETURN name")
            return NEO4J
        except StoreError:
            return FALKORDB
        except StoreUnavailable:
            self._driver.close()
            raise

    def _setup(self) -> None:
        if self.dialect is NEO4J:
            have: set = set()
        else:
            have = {(r["label"], p) for r in self._read("CALL db.indexes()")
                    for p in r["properties"]}
        for label, prop in q.INDEXES:
            if (label, prop) not in have:
                statement = self.dialect.index(label, prop)
                self._call("creating indexes",
                           lambda tx, s=statement: self._run(tx, s), write=True)
        self._call("setting up", lambda tx: self._run(tx, q.META), write=True)
        for row in self._read(q.JOURNAL_FIND):
            self._call("undoing an unfinished ingest",
                       lambda tx, d=row["id"]: self._undo(tx, d), write=True)

    def trace(self, callback: Callable[[str], None] | None) -> None:
        """Call ``callback(cypher)`` before every statement (None to stop): for diagnostics
        and for tests that count statements or stop the server mid-ingest."""
        self._trace = callback

    # -- writes -----------------------------------------------------------------------------

    def ingest(self, extraction: Extraction) -> IngestReport:
        """Store one extraction in one transaction. A document already stored is left as is."""
        extraction.validate()
        doc = extraction.document
        try:
            report = self._call(f"storing {doc.source or doc.id}",
                                lambda tx: self._ingest(tx, extraction), write=True)
        except StoreUnavailable as exc:
            raise StoreUnavailable(f"{exc}; the document was not committed: load it again "
                                   "once the server is back") from None
        except StoreError:
            # a server without rollback keeps what was written: take it out again now
            self._call("undoing a failed ingest", lambda tx: self._undo(tx, doc.id), write=True)
            raise
        return report

    def pending_merges(self, document_id: str) -> list[str]:
        """The automatic merges a document's ingest left to make (``pending_items``)."""
        return [r["item"] for r in self._read(q.PENDING_FIND, id=document_id)]

    def drop_pending(self, document_id: str) -> None:
        """Forget a document's pending merges, once made."""
        self._call("recording merges", lambda tx: self._run(tx, q.PENDING_DROP, id=document_id),
                   write=True)

    def _ingest(self, tx, ex: Extraction) -> IngestReport:
        d = ex.document
        if self._run(tx, q.HAS_DOCUMENT, id=d.id):
            return IngestReport(d.id, created=False)
        if self._run(tx, q.JOURNAL_FOR, id=d.id):
            self._undo(tx, d.id)  # an earlier try that did not commit
        now = _now()
        self._journal(tx, d.id, d.text, now)
        plan = resolve(ex, _Lookups(self, tx))
        self._apply(tx, plan)
        ids = plan.ids
        mentions = [{"uid": _uid(ids[e.id], d.id, m.start, m.end), "entity_id": ids[e.id],
                     "document_id": d.id, "start": m.start, "end": m.end, "text": m.text}
                    for e in ex.entities for m in e.mentions]
        self._each(tx, q.MENTIONS_CREATE, list({m["uid"]: m for m in mentions}.values()))
        evidence = self._write_relations(tx, ex, ids)
        report = IngestReport(d.id, True, len(set(ids.values())), len(ex.relations), evidence,
                              tuple(plan.created), same=tuple(plan.same))
        self._each(tx, q.PENDING_CREATE, [{"document_id": d.id, "item": item}
                                          for item in pending_items(report)])
        self._run(tx, q.COMMIT, id=d.id, title=d.title, source=d.source,
                  published=d.published, now=now)
        return report

    def _apply(self, tx, plan: Plan) -> None:
        """Write a resolution plan (``graph.resolution.plan``), in its order."""
        by_type: dict[str, list[dict]] = defaultdict(list)
        for row in plan.created.values():
            by_type[row["type"]].append({**row, "attributes": json.dumps(row["attributes"])})
        for type, rows in by_type.items():
            self._each(tx, q.ENTITIES_CREATE.format(label=q.label(type)), rows)
        for eid, (old, new) in plan.retyped.items():
            self._run(tx, q.ENTITY_RETYPE.format(old=q.label(old), new=q.label(new)), id=eid,
                      type=new, attributes=json.dumps(plan.attributes[eid]))
            self._run(tx, q.KEYS_RETYPE, id=eid, type=new)
        self._each(tx, q.ENTITY_ATTRIBUTES, [{"id": eid, "attributes": json.dumps(a)}
                                             for eid, a in plan.stored_attributes().items()])
        self._each(tx, q.KEYS_CREATE, [{**k, "tk": _tk(k["type"], k["key"])}
                                       for k in plan.new_keys])
        self._each(tx, q.ENTITY_NAMES, [{"id": eid, "name": name}
                                        for eid, name in plan.renamed.items()])
        self._each(tx, q.KEYS_ALIAS, [{"tk": _tk(k["type"], k["key"]),
                                       "entity_id": k["entity_id"], "alias": k["alias"]}
                                      for k in plan.realiased])

    def _journal(self, tx, document_id: str, text: str, now: str) -> None:
        """Open a document's journal and stage its text there, in pieces the server takes;
        ``q.COMMIT`` turns it into the ``:Document``."""
        self._run(tx, q.JOURNAL_OPEN, id=document_id, now=now)
        for chunk in _chunks(text, self._text_chunk()):
            self._run(tx, q.JOURNAL_TEXT, id=document_id, chunk=chunk)

    def _write_relations(self, tx, ex: Extraction, ids: dict[str, str]) -> int:
        """MERGE the document's relations (attributes merged into stored ones) and their
        evidence; returns the number of evidence spans."""
        rels: dict[str, dict] = {}
        evidence: dict[str, dict] = {}
        for r in ex.relations:
            src, dst = ids[r.source], ids[r.target]
            if r.type.symmetric and dst < src:
                src, dst = dst, src
            rid = relation_id(src, r.type, dst)
            row = rels.setdefault(rid, {"id": rid, "source": src, "target": dst,
                                        "type": r.type.value, "attributes": {}})
            row["attributes"] = relation_attributes(row["attributes"], r.attributes)
            for ev in r.evidence:
                uid = _uid(rid, ev.document_id, ev.start, ev.end)
                evidence.setdefault(uid, {
                    "uid": uid, "rid": rid, "source": src, "target": dst,
                    "type": r.type.value, "document_id": ev.document_id, "quote": ev.quote,
                    "start": ev.start, "end": ev.end, "extractor": ev.extractor,
                    "confidence": ev.confidence})
        by_type: dict[str, list[dict]] = defaultdict(list)
        for row in rels.values():
            by_type[row["type"]].append(row)
        for type, rows in by_type.items():
            stored = {r["id"]: _attributes(r["attributes"]) for r in self._each(
                tx, q.RELATIONS_FIND.format(type=q.rel_type(type)),
                [{k: r[k] for k in ("id", "source", "target")} for r in rows])}
            self._each(tx, q.RELATIONS_MERGE.format(type=q.rel_type(type)), [
                {**r, "attributes": json.dumps(relation_attributes(stored[r["id"]], r["attributes"])
                                               if r["id"] in stored else r["attributes"])}
                for r in rows])
        self._write_evidence(tx, list(evidence.values()))
        return len(evidence)

    def _write_evidence(self, tx, rows: list[dict]) -> None:
        """MERGE evidence rows. A quote longer than the server takes in one statement (a
        register record can be: FalkorDB) goes in afterwards, in appended pieces."""
        budget = self.dialect.budget(q.EVIDENCE_CREATE) // 2
        long = {r["uid"]: r["quote"] for r in rows if len(r["quote"].encode("utf-8")) > budget}
        self._each(tx, q.EVIDENCE_CREATE, [{**r, "quote": ""} if r["uid"] in long else r
                                           for r in rows])
        for uid, quote in long.items():
            for chunk in _chunks(quote, self._text_chunk()):
                self._run(tx, q.EVIDENCE_QUOTE, uid=uid, chunk=chunk)

    def delete_document(self, document_id: str) -> dict[str, int] | None:
        """Remove a document and what only it said: its evidence and mentions, the relations
        left without evidence, the entities left with neither relations nor mentions.
        Returns what was removed, or None if there is no such document."""
        def work(tx):
            if not self._run(tx, q.HAS_DOCUMENT, id=document_id):
                return None
            removed = self._undo(tx, document_id)
            self._run(tx, q.DOCUMENT_DELETE, id=document_id)
            self._run(tx, q.BUMP)
            return {"documents": 1, **removed}
        return self._call(f"deleting {document_id}", work, write=True)

    def _undo(self, tx, document_id: str) -> dict[str, int]:
        """Remove the evidence and mentions of a document, then what they alone held up;
        drop its journal. Re-running it after a failure finishes the job."""
        touched = self._run(tx, q.DOC_EVIDENCE, id=document_id)
        ends = {r[k] for r in touched for k in ("source", "target")}
        ends |= {r["id"] for r in self._run(tx, q.DOC_MENTIONED, id=document_id)}
        evidence = self._run(tx, q.DOC_EVIDENCE_DELETE, id=document_id)[0]["n"]
        mentions = self._run(tx, q.DOC_MENTIONS_DELETE, id=document_id)[0]["n"]
        unbacked = {r["rid"] for r in self._each(tx, q.UNBACKED, [r["rid"] for r in touched])}
        relations = 0
        by_type: dict[str, list[dict]] = defaultdict(list)
        for r in touched:
            if r["rid"] in unbacked:
                by_type[r["type"]].append({k: r[k] for k in ("rid", "source", "target")})
        for type, rows in by_type.items():
            relations += sum(r["n"] for r in self._each(
                tx, q.RELATIONS_DELETE.format(type=q.rel_type(type)), rows))
        orphans = [r["id"] for r in self._each(tx, q.ORPHANS, sorted(ends))]
        self._each(tx, q.KEYS_DELETE, orphans)
        self._each(tx, q.ENTITIES_DELETE, orphans)
        self._run(tx, q.JOURNAL_DROP, id=document_id)
        self._run(tx, q.PENDING_DROP, id=document_id)
        return {"evidence": evidence, "mentions": mentions, "relations": relations,
                "entities": len(orphans)}

    def rewrite(self, plan: Callable[[], Changes]) -> Changes:
        """Make ``plan()``'s changes (a merge or a split, see ``graph.resolution.merges``) in one
        write transaction. Every statement is idempotent (MERGE, or a delete by id), so the
        driver's retry of a transaction that failed halfway on a server without rollback
        finishes the job."""
        ch = plan()
        return self._call(f"recording {ch.record.id}", lambda tx: self._rewrite(tx, ch),
                          write=True)

    def _rewrite(self, tx, ch: Changes) -> Changes:
        def by_type(rows: list[dict]) -> dict[str, list[dict]]:
            out: dict[str, list[dict]] = defaultdict(list)
            for r in rows:
                out[r["type"]].append(r)
            return out

        for type, rows in by_type(ch.entities_create).items():
            self._each(tx, q.ENTITIES_MERGE.format(label=q.label(type)), [
                {**r, "attributes": json.dumps(r["attributes"])} for r in rows])
        for type, rows in by_type(ch.relations_put).items():
            self._each(tx, q.RELATIONS_MERGE.format(type=q.rel_type(type)), [
                {**r, "attributes": json.dumps(r["attributes"])} for r in rows])
        self._write_evidence(tx, [{**v, "uid": _uid(v["rid"], v["document_id"], v["start"],
                                                    v["end"])} for v in ch.evidence_add])
        self._each(tx, q.EVIDENCE_DELETE, [_uid(v["rid"], v["document_id"], v["start"],
                                                v["end"]) for v in ch.evidence_remove])
        unbacked = {r["rid"] for r in self._each(tx, q.UNBACKED, [
            r["id"] for r in ch.relations_prune])}
        gone = ch.relations_delete + [r for r in ch.relations_prune if r["id"] in unbacked]
        for type, rows in by_type(gone).items():
            self._each(tx, q.RELATIONS_DELETE.format(type=q.rel_type(type)), [
                {"rid": r["id"], "source": r["source"], "target": r["target"]} for r in rows])
        self._each(tx, q.MENTIONS_CREATE, [
            {**m, "uid": _uid(m["entity_id"], m["document_id"], m["start"], m["end"])}
            for m in ch.mentions_add])
        self._each(tx, q.MENTIONS_DELETE, [_uid(m["entity_id"], m["document_id"], m["start"],
                                                m["end"]) for m in ch.mentions_remove])
        self._each(tx, q.KEYS_CREATE, [{**k, "tk": _tk(k["type"], k["key"])}
                                       for k in ch.keys_add])
        self._each(tx, q.KEYS_REMOVE, [{"tk": _tk(k["type"], k["key"]),
                                        "entity_id": k["entity_id"]} for k in ch.keys_remove])
        self._each(tx, q.ENTITY_ATTRIBUTES, [{"id": eid, "attributes": json.dumps(a)}
                                             for eid, a in ch.entity_attributes.items()])
        self._each(tx, q.ENTITIES_DELETE, ch.entities_delete)
        row = ch.record.row()
        detail = row.pop("detail")
        self._run(tx, q.MERGE_RECORD, **row)
        for chunk in _chunks(detail, self._text_chunk()):
            self._run(tx, q.MERGE_DETAIL, id=row["id"], chunk=chunk)
        self._run(tx, q.BUMP)
        return ch

    def merges(self, entity_id: str | None = None) -> list[MergeRecord]:
        """The merges recorded (of which ``entity_id`` was either side), oldest first."""
        rows = self._read(q.MERGES_OF, id=entity_id) if entity_id is not None \
            else self._read(q.MERGES_ALL)
        return [MergeRecord.from_row({
            **{k: v for k, v in r.items() if k != "detail_size"},
            "detail": self._slices(q.MERGE_DETAIL_SLICE, 0, r["detail_size"], id=r["id"])})
            for r in rows]

    def keys_of(self, entity_id: str) -> list[dict]:
        """An entity's resolution keys: ``type``, ``key`` and the ``alias`` it came from."""
        return self._read(q.KEYS_OF, id=entity_id)

    def mentions_of(self, entity_id: str) -> list[dict]:
        """Where documents name an entity: ``document_id``, ``start``, ``end``, ``text``."""
        return self._read(q.MENTIONS_OF, id=entity_id)

    def block_keys(self, type: EntityType, block: str, lengths: tuple[int, int], surname: bool,
                   limit: int) -> list[tuple[str, str]]:
        """``(entity_id, key)`` for keys of this type beginning with ``block`` or, with
        ``surname``, ending with it as a word, ``lengths`` (min, max) long."""
        query = q.BLOCK_SURNAME if surname else q.BLOCK_PREFIX
        rows = self._read(query, tk=_tk(type, "" if surname else block), end=" " + block,
                          lo=lengths[0], hi=lengths[1], limit=limit)
        return [(r["id"], r["key"]) for r in rows]

    def document_entities(self, document_id: str) -> list[str]:
        """The ids of the entities a document names, in order."""
        return sorted(r["id"] for r in self._read(q.DOC_MENTIONED, id=document_id))

    def share_neighbour(self, a: str, b: str) -> bool:
        """Whether two entities have a relation with one same third entity."""
        return bool(self._read(q.SHARE_NEIGHBOUR, a=a, b=b))

    def clear(self) -> None:
        """Delete everything in the database (for tests and for ``pull``'s opposite)."""
        self._call("clearing", lambda tx: self._run(tx, q.CLEAR), write=True)
        self._call("setting up", lambda tx: self._run(tx, q.META), write=True)

    # -- reads ------------------------------------------------------------------------------

    def document(self, document_id: str) -> Document | None:
        rows = self._read(q.DOCUMENTS_BY_ID, rows=[document_id])
        return Document(**{**rows[0], "text": self._text(document_id)}) if rows else None

    def _text(self, document_id: str) -> str:
        """A document's text, in slices where the server cannot send it whole."""
        step = self.dialect.text_slice
        if step is None:
            return self._read(q.DOCUMENT_TEXT, id=document_id)[0]["text"]
        size = self._read(q.DOCUMENT_TEXT_SIZE, id=document_id)[0]["n"]
        return self._slices(q.DOCUMENT_TEXT_SLICE, 0, size, id=document_id)

    def _slices(self, query: str, start: int, size: int, **key) -> str:
        """Characters ``start`` to ``size`` of a long string, read ``text_slice`` at a time
        by ``query`` (``$start``, ``$n``). Only characters that exist are asked for: FalkorDB's
        ``substring`` past the end drops one for every multi-byte character."""
        step = self.dialect.text_slice or max(1, size - start)
        return "".join(self._read(query, start=i, n=min(step, size - i), **key)[0]["text"]
                       for i in range(start, size, step))

    def find_document(self, ref: str) -> Document | None:
        """A document by id or by its source (a file path or URL as loaded)."""
        rows = self._read(q.DOCUMENT_FIND, ref=ref)
        return Document(**rows[0]) if rows else None

    def documents(self, with_text: bool = True) -> list[Document]:
        """Every document, in ingest order; ``with_text=False`` leaves ``text`` empty."""
        docs = [Document(**r) for r in self._read(q.DOCUMENTS)]
        if with_text:
            docs = [Document(**{**vars(d), "text": self._text(d.id)}) for d in docs]
        return docs

    def documents_by_id(self, ids: list[str]) -> list[Document | None]:
        found = {r["id"]: Document(**r)
                 for r in self._read_each(q.DOCUMENTS_BY_ID, list(dict.fromkeys(ids)))}
        return [found.get(i) for i in ids]

    def entity(self, entity_id: str) -> Entity | None:
        return self.entities([entity_id])[0]

    def entities(self, ids: list[str]) -> list[Entity | None]:
        """The entities with these ids, in that order (None where there is none)."""
        unique = list(dict.fromkeys(ids))
        found = {e.id: e for e in self._entities(
            self._read_each(q.ENTITIES_BY_ID, unique),
            self._read_each(q.ALIASES_BY_ID, unique))}
        return [found.get(i) for i in ids]

    @staticmethod
    def _entities(rows: list[dict], alias_rows: list[dict]) -> list[Entity]:
        return assemble_entities(rows, [(r["id"], r["alias"]) for r in alias_rows])

    def find_entity(self, name: str, type: EntityType | None = None) -> Entity | None:
        """The entity whose name or alias has the key of ``name``; entity ids work too."""
        direct = self.entity(name)
        if direct is not None:
            return direct
        where = "WHERE k.type = $type" if type is not None else ""
        rows = self._read(q.KEY_LOOKUP.format(where=where), key=name_key(name),
                          type=EntityType(type).value if type is not None else None)
        return self.entity(rows[0]["id"]) if rows else None

    def names(self) -> list[tuple[str, str]]:
        return [(r["id"], r["alias"]) for r in self._read(q.NAMES)]

    def search(self, text: str, types: Iterable[EntityType] | None = None,
               limit: int = 20) -> list[Entity]:
        """Entities with a name or alias containing ``text``; exact, then prefix, then infix."""
        type_list = [EntityType(t).value for t in types or []]
        where = "AND k.type IN $types" if type_list else ""
        rows = self._read(q.SEARCH.format(where=where), key=name_key(text), types=type_list,
                          limit=int(limit))
        return [e for e in self.entities([r["id"] for r in rows]) if e]

    def relations(self, entity_id: str | None = None, direction: str = "both",
                  types: Iterable[RelationType] | None = None) -> list[Relation]:
        """Relations (with evidence) of one entity, or all of them when ``entity_id`` is None."""
        if entity_id is not None:
            found = self.relations_for([entity_id], direction, types)[entity_id]
            return sorted(found, key=lambda r: r.id)
        type_list = [RelationType(t).value for t in types or []]
        where = "WHERE type(x) IN $types" if type_list else ""
        rows = self._read(q.RELATIONS.format(out="-", inn="->", where=where,
                                             columns=q.RELATION_COLUMNS), types=type_list)
        evidence = self._evidence(None if not type_list else [r["id"] for r in rows])
        return [_relation(r, evidence) for r in rows]

    def relations_for(self, entity_ids: list[str], direction: str = "both",
                      types: Iterable[RelationType] | None = None) -> dict[str, list[Relation]]:
        """The relations of each of these entities, in a few statements."""
        out: dict[str, list[Relation]] = {i: [] for i in entity_ids}
        unique = list(dict.fromkeys(entity_ids))
        type_list = [RelationType(t).value for t in types or []]
        where = "WHERE type(x) IN $types" if type_list else ""
        queries = {"out": [q.RELATIONS_OF], "in": [q.RELATIONS_TO],
                   "both": [q.RELATIONS_OF, q.RELATIONS_TO]}[direction]
        rows: dict[str, dict] = {}
        for query in queries:
            for r in self._read_each(query.format(where=where, columns=q.RELATION_COLUMNS),
                                     unique, types=type_list):
                rows[r["id"]] = r
        evidence = self._evidence(list(rows))
        ends = {"out": ("source",), "in": ("target",), "both": ("source", "target")}[direction]
        for rid in sorted(rows):
            rel = _relation(rows[rid], evidence)
            for end in {rows[rid][c] for c in ends} & out.keys():
                out[end].append(rel)
        return out

    def _evidence_rows(self, relation_ids: list[str] | None) -> list[dict]:
        """Evidence rows of these relations (None: all), each quote whole however long."""
        step = self.dialect.text_slice or (1 << 31) - 1
        rows = (self._read(q.EVIDENCE_ALL, slice=step) if relation_ids is None
                else self._read_each(q.EVIDENCE_OF, relation_ids, slice=step))
        for r in rows:
            size = r.pop("quote_size")
            if size > step:  # only a server that cannot send it whole cuts it short
                r["quote"] += self._slices(q.EVIDENCE_QUOTE_SLICE, step, size, uid=r["uid"])
        return rows

    def _evidence(self, relation_ids: list[str] | None) -> dict[str, list[Evidence]]:
        rows = self._evidence_rows(relation_ids)
        rows.sort(key=lambda r: (r["document_id"], r["start"]))
        out: dict[str, list[Evidence]] = defaultdict(list)
        for r in rows:
            out[r["rid"]].append(Evidence(r["document_id"], r["quote"], r["start"], r["end"],
                                          r["extractor"], r["confidence"]))
        return out

    def relations_by_id(self, ids: list[str]) -> list[Relation | None]:
        """The relations with these ids (with evidence), in that order; None where none."""
        unique = list(dict.fromkeys(ids))
        rows = self._read_each(q.RELATIONS_BY_ID.format(columns=q.RELATION_COLUMNS), unique)
        evidence = self._evidence([r["id"] for r in rows])
        found = {r["id"]: _relation(r, evidence) for r in rows}
        return [found.get(i) for i in ids]

    def saved_index(self) -> None:
        """None: the index of this store's graph is not saved."""
        return None

    def index_rows(self) -> None:
        """None: the index of this store's graph is built from ``to_networkx``."""
        return None

    def changes(self, since: int | None = None) -> Changed | None:
        """None but for the current mark: this store keeps no change log (migration 10 of the
        embedded store), so readers of it read the whole graph after a write."""
        return Changed(0) if since is None else None

    def revision(self) -> int:
        """A number that changes whenever the graph does (each committed ingest or delete)."""
        rows = self._read(q.REVISION)
        return rows[0]["value"] if rows else 0

    def stats(self) -> dict[str, int]:
        """Counts of documents, entities, relations, evidence and mentions."""
        return {name: self._read(query)[0]["n"] for name, query in q.COUNT.items()}

    def to_networkx(self) -> nx.MultiDiGraph:
        """The whole graph, in the same shape as the embedded store's ``to_networkx``."""
        g = nx.MultiDiGraph()
        g.add_nodes_from((e.id, {**e.attributes, "type": e.type.value, "name": e.name,
                                 "aliases": e.aliases})
                         for e in self._entities(self._read(q.ENTITIES_ALL),
                                                 self._read(q.ALIASES_ALL)))
        g.add_edges_from((r.source, r.target, r.id, {"type": r.type.value,
                                                    "attributes": r.attributes,
                                                    "evidence": r.evidence})
                         for r in sorted(self.relations(), key=lambda r: r.id))
        return g

    def dump(self, batch: int = 5000) -> Iterator[tuple[str, list[dict]]]:
        """Every row of the graph as ``(kind, rows)`` batches, in the order and shape of
        ``SQLiteStore.dump`` (see ``graph.store.copy``)."""
        documents = self._read(q.DOCUMENTS_ALL)
        for i in range(0, len(documents), 50):
            yield "documents", [{**d, "text": self._text(d["id"])}
                                for d in documents[i:i + 50]]
        queries = [("entities", q.ENTITIES_ALL), ("entity_keys", q.KEYS_ALL),
                   ("relations", q.RELATIONS.format(out="-", inn="->", where="",
                                                    columns=q.RELATION_COLUMNS)),
                   ("evidence", None), ("mentions", q.MENTIONS_ALL)]
        for kind, query in queries:
            rows = self._read(query) if query else self._evidence_rows(None)
            for i in range(0, len(rows), batch):
                yield kind, rows[i:i + batch]

    def restore(self, kind: str, rows: list[dict]) -> None:
        """Write rows of one kind from ``dump`` (this store's or another's), keeping their
        ids, in one transaction; rows already here are merged, so a copy can be re-run."""
        def work(tx) -> None:
            _RESTORE[kind](self, tx, rows)
            self._run(tx, q.BUMP)
        self._call(f"copying {kind}", work, write=True)

    def _restore_documents(self, tx, rows: list[dict]) -> None:
        for d in rows:
            if self._run(tx, q.HAS_DOCUMENT, id=d["id"]):
                continue
            self._journal(tx, d["id"], d["text"], d["ingested_at"])
            self._run(tx, q.COMMIT, id=d["id"], title=d["title"], source=d["source"],
                      published=d["published"], now=d["ingested_at"])

    def _restore_typed(self, tx, query: str, format: Callable, rows: list[dict]) -> None:
        by_type: dict[str, list[dict]] = defaultdict(list)
        for r in rows:
            by_type[r["type"]].append(r)
        for type, group in by_type.items():
            self._each(tx, query.format(**{"label": format(type), "type": format(type)}), group)

    def close(self) -> None:
        self._driver.close()

    def __enter__(self) -> "BoltStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_RESTORE: dict[str, Callable[[BoltStore, object, list[dict]], None]] = {
    "documents": BoltStore._restore_documents,
    "entities": lambda s, tx, rows: s._restore_typed(tx, q.ENTITIES_MERGE, q.label, rows),
    "entity_keys": lambda s, tx, rows: s._each(tx, q.KEYS_CREATE, [
        {**r, "tk": _tk(r["type"], r["key"])} for r in rows]),
    "relations": lambda s, tx, rows: s._restore_typed(tx, q.RELATIONS_MERGE, q.rel_type, rows),
    "evidence": lambda s, tx, rows: s._write_evidence(tx, [
        {**r, "uid": _uid(r["rid"], r["document_id"], r["start"], r["end"])} for r in rows]),
    "mentions": lambda s, tx, rows: s._each(tx, q.MENTIONS_CREATE, [
        {**r, "uid": _uid(r["entity_id"], r["document_id"], r["start"], r["end"])}
        for r in rows]),
}


class _Lookups:
    """The reads entity resolution makes (``graph.resolution.plan.Lookups``), inside the
    ingest's transaction, batched."""

    def __init__(self, store: BoltStore, tx) -> None:
        self.store, self.tx = store, tx

    def holders(self, keys: list[tuple[str, str]]) -> Iterator[dict]:
        for r in self.store._each(self.tx, q.KEYS_FIND, [_tk(t, k) for t, k in keys]):
            t, k = r["tk"].split("\t", 1)
            yield {"type": t, "key": k, "id": r["id"], "name": r["name"], "alias": r["alias"],
                   "attributes": _attributes(r["attributes"])}

    def organisations(self, keys: list[str]) -> Iterator[dict]:
        for r in self.store._each(self.tx, q.ORG_KEYS_FIND, keys,
                                  types=[t.value for t in ORGANISATIONS]):
            yield {**r, "attributes": _attributes(r["attributes"])}

    def entity(self, entity_id: str) -> tuple[str, dict] | None:
        rows = self.store._run(self.tx, q.ATTRS_FIND, rows=[entity_id])
        return (rows[0]["name"], _attributes(rows[0]["attributes"])) if rows else None

    def keys(self, entity_id: str) -> list[dict]:
        return self.store._run(self.tx, q.KEYS_OF, id=entity_id)

    def linked(self, entity_id: str, near: list[str]) -> bool:
        return self.store._run(self.tx, q.LINKED, id=entity_id, near=near)[0]["n"] > 0

    def taken(self, entity_id: str) -> bool:
        return bool(self.store._run(self.tx, q.IDS_FIND, rows=[entity_id]))


def _escaped(value):
    r"""``value`` with every string in it escaped for a single-quoted Cypher literal.

    >>> print(_escaped({"rows": ["King's", "a\\b"]})["rows"])
    ["King\\'s", 'a\\\\b']
    """
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("'", "\\'")
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_escaped(v) for v in value]
    return value


def _reachable(url: str, timeout: float = 5.0) -> None:
    """Fail at once, not after the driver's retries, when nothing listens at ``url``."""
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port or 7687), timeout=timeout).close()
    except OSError as exc:
        raise StoreUnavailable(f"the Bolt server at {url} is not answering: {exc}") from None


def _uid(owner: str, document_id: str, start: int, end: int) -> str:
    """The id of an evidence span (owner: its relation) or a mention (owner: its entity)."""
    return f"{owner}|{document_id}|{start}|{end}"


def _tk(type: EntityType | str, key: str) -> str:
    return f"{EntityType(type).value}\t{key}"


def _relation(row: dict, evidence: dict[str, list[Evidence]]) -> Relation:
    return Relation(row["id"], row["source"], row["target"], RelationType(row["type"]),
                    _attributes(row["attributes"]), evidence.get(row["id"], []))


def _chunks(text: str, size: int) -> Iterator[str]:
    """``text`` in pieces of at most ``size`` UTF-8 bytes (whole characters)."""
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        while len(text[start:end].encode("utf-8")) > size:
            end = start + max(1, (end - start) * 3 // 4)
        yield text[start:end]
        start = end


def _attributes(text: str | None) -> dict:
    return {} if not text or text == "{}" else json.loads(text)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


__all__ = ["BOLT_SCHEMES", "BoltStore", "StoreError", "StoreUnavailable", "credentials"]
