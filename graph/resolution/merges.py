"""Merging two entities into one, and splitting them apart again, on any store.

A merge moves everything the merged entity has onto the kept one: its names (resolution keys,
so later documents that name it resolve to the kept entity), its mentions, and its relations
with their evidence. A relation that becomes a relation the kept entity already has adds its
evidence there; one between the two entities would become a loop and is set aside. The merged
entity is then deleted.

Every merge is recorded (``MergeRecord``) with who or what asked for it and why, and with what a
split needs to undo it: the merged entity as it was, the keys, mentions and relations that moved,
and which evidence the kept entity already had. ``split_entity`` brings the merged entity back
with what was moved, leaving the kept entity with what it had and whatever arrived since.

The plan is made here from the store's reads; the store applies it (``Store.rewrite``) in one
transaction, so a merge or a split is stored whole or not at all.

Examples
--------
>>> from graph.extraction import Extraction
>>> from graph.model import Document
>>> from graph.ontology import EntityType, RelationType
>>> from graph.store.sqlite import SQLiteStore
>>> store = SQLiteStore(":memory:")
>>> ex = Extraction(Document.from_text("TheCityUK and The City UK lobby HM Treasury."))
>>> a = ex.add_entity("TheCityUK", EntityType.LobbyGroup, mentions=[(0, 9)])
>>> b = ex.add_entity("The City UK", EntityType.LobbyGroup, mentions=[(14, 25)])
>>> t = ex.add_entity("HM Treasury", EntityType.Agency, mentions=[(32, 43)])
>>> _ = ex.add_relation(b, RelationType.LOBBIES, t, 14, 43, "doctest")
>>> _ = store.ingest(ex)
>>> record = merge_entities(store, "LobbyGroup:thecityuk", "LobbyGroup:city-uk",
...                         reason="the same body, spelt two ways")
>>> [r.source for r in store.relations("Agency:hm-treasury")]
['LobbyGroup:thecityuk']
>>> store.find_entity("The City UK").id
'LobbyGroup:thecityuk'
>>> split_entity(store, "LobbyGroup:thecityuk").merged
'LobbyGroup:city-uk'
>>> [r.source for r in store.relations("Agency:hm-treasury")]
['LobbyGroup:city-uk']
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

from graph.model import relation_attributes, relation_id
from graph.names import name_key


class MergeError(ValueError):
    """A merge or split that cannot be done (unknown entity, different types, nothing to
    split); the message says why."""


@dataclass(frozen=True)
class MergeRecord:
    """One merge: ``merged`` went into ``kept``, by an analyst or automatically, and why.

    ``undone`` is when it was split again (None while it stands); ``detail`` holds what the
    split needs (the merged entity, and the keys, mentions and relations that moved)."""

    id: str
    kept: str
    merged: str
    reason: str
    automatic: bool
    at: str
    undone: str | None = None
    detail: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        """The merged entity's name."""
        return self.detail.get("entity", {}).get("name", self.merged)

    def to_dict(self) -> dict[str, Any]:
        """The record without its undo detail, for display (``name`` is the merged one's)."""
        return {"id": self.id, "kept": self.kept, "merged": self.merged, "name": self.name,
                "reason": self.reason, "automatic": self.automatic, "at": self.at,
                "undone": self.undone}

    def row(self) -> dict[str, Any]:
        """The record as stored: flat, with ``detail`` as JSON."""
        return {**asdict(self), "detail": json.dumps(self.detail, sort_keys=True)}

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "MergeRecord":
        detail = row.get("detail") or "{}"
        return cls(**{**row, "automatic": bool(row["automatic"]),
                      "detail": json.loads(detail) if isinstance(detail, str) else detail})


@dataclass
class Changes:
    """What a merge or a split writes, as rows every store can apply in one transaction, in
    this order: entities created, relations put (created, or their attributes set), evidence
    added then removed, relations deleted, relations pruned (deleted if no evidence is left),
    mentions added then removed, keys added then removed, attributes set, entities deleted,
    record written.

    Relation rows carry ``id``, ``source``, ``target``, ``type`` (and ``attributes`` when put);
    evidence rows add ``rid`` and the span (and its content when added); mention rows carry
    ``entity_id``, ``document_id``, ``start``, ``end`` (and ``text`` when added); key rows
    carry ``type``, ``key``, ``entity_id`` (and ``alias`` when added)."""

    record: MergeRecord
    entities_create: list[dict] = field(default_factory=list)
    relations_put: list[dict] = field(default_factory=list)
    evidence_add: list[dict] = field(default_factory=list)
    evidence_remove: list[dict] = field(default_factory=list)
    relations_delete: list[dict] = field(default_factory=list)
    relations_prune: list[dict] = field(default_factory=list)
    mentions_add: list[dict] = field(default_factory=list)
    mentions_remove: list[dict] = field(default_factory=list)
    keys_add: list[dict] = field(default_factory=list)
    keys_remove: list[dict] = field(default_factory=list)
    entity_attributes: dict[str, dict] = field(default_factory=dict)
    entities_delete: list[str] = field(default_factory=list)


def merge_entities(store, kept: str, merged: str, reason: str = "",
                   automatic: bool = False) -> MergeRecord:
    """Merge the entity ``merged`` into ``kept`` (both ids) and record it.

    Both must exist, differ and be of the same type: a person is never merged into an
    organisation. ``reason`` is kept with the record (an analyst's note, or the rule that
    merged them automatically). Returns the record; ``split_entity`` undoes it.
    """
    return store.rewrite(lambda: _merge_plan(store, kept, merged, reason, automatic)).record


def split_entity(store, entity_id: str, merge_id: str | None = None) -> MergeRecord:
    """Undo a merge into ``entity_id``: the latest one still standing, or ``merge_id``.

    The merged entity comes back under its old id with its names, its mentions and its
    relations (evidence from documents deleted since stays gone). Returns the record, now
    marked undone. A MergeError refuses the split when documents stored since the merge
    named the merged entity by its own names (so the kept entity holds relations that are
    the merged one's): it names them, to be deleted before the split and loaded again after.
    """
    return store.rewrite(lambda: _split_plan(store, entity_id, merge_id)).record


def _merge_plan(store, kept: str, merged: str, reason: str, automatic: bool) -> Changes:
    a, b = store.entities([kept, merged])
    for eid, found in ((kept, a), (merged, b)):
        if found is None:
            raise MergeError(f"no entity {eid!r}")
    if kept == merged:
        raise MergeError(f"cannot merge {kept!r} into itself")
    if a.type != b.type:
        raise MergeError(f"cannot merge {merged!r} ({b.type.value}) into {kept!r} "
                         f"({a.type.value}): entities of different types are never merged")
    # the id follows from the pair and how often it was merged before: the same on any store
    again = sum(m.kept == kept for m in store.merges(merged))
    digest = hashlib.sha1(f"{kept}|{merged}|{again}".encode()).hexdigest()[:12]
    record = MergeRecord(f"merge:{digest}", kept, merged, reason, automatic, _now())
    ch = Changes(record)
    held = {(k["type"], k["key"]) for k in store.keys_of(kept)}
    keys = [{**k, "shared": (k["type"], k["key"]) in held} for k in store.keys_of(merged)]
    ch.keys_add = [{**k, "entity_id": kept} for k in keys if not k["shared"]]
    ch.keys_remove = [{**k, "entity_id": merged} for k in keys]
    own = {_span(m) for m in store.mentions_of(kept)}
    mentions = [{**m, "shared": _span(m) in own} for m in store.mentions_of(merged)]
    ch.mentions_add = [{**m, "entity_id": kept} for m in mentions if not m["shared"]]
    ch.mentions_remove = [{**m, "entity_id": merged} for m in mentions]
    theirs = {r.id: r for r in store.relations(kept)}
    moved = []
    for r in store.relations(merged):
        evidence = [asdict(ev) for ev in r.evidence]
        ends = {"id": r.id, "source": r.source, "target": r.target, "type": r.type.value}
        ch.evidence_remove += [{**ends, "rid": r.id, **ev} for ev in evidence]
        ch.relations_delete.append(ends)
        entry = {**ends, "attributes": r.attributes, "evidence": evidence, "into": None}
        source, target = (kept if end == merged else end for end in (r.source, r.target))
        if source != target:  # a relation between the two would be a loop: set aside
            if r.type.symmetric and target < source:
                source, target = target, source
            into = relation_id(source, r.type, target)
            there = theirs.get(into)
            had = {_span(asdict(ev)) for ev in there.evidence} if there else set()
            entry.update(into=into, into_source=source, into_target=target,
                         into_attributes=there.attributes if there else None,
                         shared=[list(_span(ev)) for ev in evidence if _span(ev) in had])
            into_ends = {"id": into, "source": source, "target": target, "type": r.type.value}
            ch.relations_put.append({**into_ends, "attributes": relation_attributes(
                there.attributes, r.attributes) if there else r.attributes})
            ch.evidence_add += [{**into_ends, "rid": into, **ev} for ev in evidence]
        moved.append(entry)
    ch.entity_attributes[kept] = {**b.attributes, **a.attributes}
    ch.entities_delete = [merged]
    ch.record = replace(record, detail={
        "entity": {"id": b.id, "type": b.type.value, "name": b.name,
                   "attributes": b.attributes},
        "kept_attributes": a.attributes, "keys": keys, "mentions": mentions,
        "relations": moved})
    return ch


def _split_plan(store, entity_id: str, merge_id: str | None) -> Changes:
    standing = [m for m in store.merges(entity_id) if m.kept == entity_id and m.undone is None]
    if merge_id is not None:
        standing = [m for m in standing if m.id == merge_id]
    if not standing:
        what = f"merge {merge_id!r} into" if merge_id else "merge into"
        raise MergeError(f"no standing {what} {entity_id!r} to split")
    record = standing[-1]
    if store.entity(record.kept) is None:
        raise MergeError(f"no entity {record.kept!r}")
    if store.entity(record.merged) is not None:
        raise MergeError(f"{record.merged!r} exists again (a later document named it); "
                         f"merge it into {record.kept!r} first, or leave them apart")
    detail = record.detail
    later = _named_since(store, record)
    if later:
        shown = "; ".join(f"{d.title or d.source or d.id!r} ({d.id}) names it "
                          f"{', '.join(repr(n) for n in sorted(names))}"
                          for d, names in later[:5])
        raise MergeError(
            f"documents stored since the merge name {detail['entity']['name']!r} by names the "
            f"merge gave {record.kept!r}, so what they say cannot be told apart: {shown}"
            f"{f' and {len(later) - 5} more' if len(later) > 5 else ''}. Delete them "
            "(stakegraph delete), split, then load them again")
    ch = Changes(replace(record, undone=_now()))
    entity = detail["entity"]
    ch.entities_create = [entity]
    ch.entity_attributes[record.kept] = detail["kept_attributes"]
    ch.keys_add = [{**k, "entity_id": record.merged} for k in detail["keys"]]
    ch.keys_remove = [{**k, "entity_id": record.kept} for k in detail["keys"]
                      if not k["shared"]]
    referred = {m["document_id"] for m in detail["mentions"]} | {
        ev["document_id"] for r in detail["relations"] for ev in r["evidence"]}
    documents = {d.id for d in store.documents_by_id(sorted(referred)) if d is not None}
    for m in detail["mentions"]:
        if m["document_id"] in documents:
            ch.mentions_add.append({**m, "entity_id": record.merged})
            if not m["shared"]:
                ch.mentions_remove.append({**m, "entity_id": record.kept})
    others = {end for r in detail["relations"] for end in (r["source"], r["target"])}
    others -= {record.merged, record.kept}
    alive = {e.id for e in store.entities(sorted(others)) if e is not None} | {
        record.merged, record.kept}
    now = {r.id: r for r in store.relations(record.kept)}
    for r in detail["relations"]:
        ends = {k: r[k] for k in ("id", "source", "target", "type")}
        evidence = [ev for ev in r["evidence"] if ev["document_id"] in documents]
        if evidence and {r["source"], r["target"]} <= alive:
            ch.relations_put.append({**ends, "attributes": r["attributes"]})
            ch.evidence_add += [{**ends, "rid": r["id"], **ev} for ev in evidence]
        if r["into"] in now:
            into = {"id": r["into"], "source": r["into_source"], "target": r["into_target"],
                    "type": r["type"]}
            shared = {tuple(s) for s in r["shared"]}
            ch.evidence_remove += [{**into, "rid": r["into"], **ev} for ev in r["evidence"]
                                   if _span(ev) not in shared]
            if r["into_attributes"] is not None:
                ch.relations_put.append({**into, "attributes": r["into_attributes"]})
            ch.relations_prune.append(into)
    return ch


def _named_since(store, record: MergeRecord) -> list[tuple[Any, set[str]]]:
    """The documents whose mentions of the kept entity use a name that only the merged entity
    had (a key the merge moved) and that the merge did not move: documents stored since the
    merge that resolved that name to the kept entity, with the names they use."""
    moved_keys = {k["key"] for k in record.detail["keys"] if not k["shared"]}
    moved = {_span(m) for m in record.detail["mentions"]}
    found: dict[str, set[str]] = {}
    for m in store.mentions_of(record.kept):
        if _span(m) not in moved and name_key(m["text"]) in moved_keys:
            found.setdefault(m["document_id"], set()).add(m["text"])
    docs = store.documents_by_id(sorted(found))
    return [(d, found[d.id]) for d in docs if d is not None]


def _span(row: dict) -> tuple[str, int, int]:
    return (row["document_id"], row["start"], row["end"])


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")
