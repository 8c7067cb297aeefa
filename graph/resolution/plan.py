"""One document's entity resolution as a plan: which stored entity each extracted entity is,
and what to write for it (entities created, retyped, renamed, attributes, keys and aliases).

The resolver reads the store only through ``Lookups``, a few batched reads made inside the
ingest's transaction, and decides in the order of ``resolution_order``, so that two names of
one document that share a key become one entity and a person's neighbours are resolved
before the person. Each store applies the ``Plan`` in its own statements; the decisions are
the same on every store.

Examples
--------
>>> from graph.extraction import Extraction
>>> from graph.model import Document
>>> ex = Extraction(Document.from_text("The FCA (Financial Conduct Authority) met UK Finance."))
>>> fca = ex.add_entity("Financial Conduct Authority", EntityType.Agency, aliases=["FCA"],
...                     mentions=[(4, 7)])
>>> plan = resolve(ex, NoLookups())
>>> plan.ids[fca.id]
'Agency:financial-conduct-authority'
>>> sorted(k["key"] for k in plan.new_keys)
['fca', 'financial conduct authority']
"""
from __future__ import annotations

from bisect import insort
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Protocol

from graph.extraction import ExtractedEntity, Extraction
from graph.model import entity_attributes, entity_id
from graph.names import name_key, name_rank
from graph.ontology import ORGANISATIONS, EntityType
from graph.resolution.rules import (
    choose,
    neighbours,
    other_holders,
    resolution_order,
    strong_keys,
)


class Lookups(Protocol):
    """The reads resolution makes of a store, inside the ingest's transaction."""

    def holders(self, keys: list[tuple[str, str]]) -> Iterable[Mapping[str, Any]]:
        """For each ``(type, key)``, the stored entities holding that key: rows of ``type``,
        ``key``, ``id``, ``name``, ``attributes`` (a dict) and the key's ``alias``."""

    def organisations(self, keys: list[str]) -> Iterable[Mapping[str, Any]]:
        """For each name key, the stored organisations of any type holding it: rows of
        ``key``, ``type``, ``id``, ``name`` and ``attributes``."""

    def entity(self, entity_id: str) -> tuple[str, dict] | None:
        """A stored entity's name and attributes, or None."""

    def keys(self, entity_id: str) -> Iterable[Mapping[str, Any]]:
        """A stored entity's keys: rows of ``type``, ``key`` and ``alias``."""

    def linked(self, entity_id: str, near: list[str]) -> bool:
        """Whether a stored entity has a relation with any of ``near``."""

    def taken(self, entity_id: str) -> bool:
        """Whether an entity with this id is stored."""


class NoLookups:
    """The lookups of an empty store: resolution within one document only."""

    def holders(self, keys: list[tuple[str, str]]) -> list[dict]:
        return []

    def organisations(self, keys: list[str]) -> list[dict]:
        return []

    def entity(self, entity_id: str) -> None:
        return None

    def keys(self, entity_id: str) -> list[dict]:
        return []

    def linked(self, entity_id: str, near: list[str]) -> bool:
        return False

    def taken(self, entity_id: str) -> bool:
        return False


@dataclass
class Plan:
    """What resolving one document writes, in the order a store applies it: entities created
    (rows of ``id``, ``type``, ``name``, ``attributes``), entities retyped (id -> (old type, new
    type)), attributes set on stored entities, keys added (rows of ``type``, ``key``,
    ``entity_id``, ``alias``), names shown changed, key aliases changed (rows as keys).

    ``ids`` maps each extracted entity's local id to its id in the graph; ``same`` holds the
    pairs of stored entities the document names as one, to be merged after the ingest."""

    ids: dict[str, str] = field(default_factory=dict)
    created: dict[str, dict] = field(default_factory=dict)
    retyped: dict[str, tuple[str, str]] = field(default_factory=dict)
    attributes: dict[str, dict] = field(default_factory=dict)
    new_keys: list[dict] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)
    realiased: list[dict] = field(default_factory=list)
    same: list[tuple[str, str]] = field(default_factory=list)

    def stored_attributes(self) -> dict[str, dict]:
        """The attributes to set on entities that were stored before (not created, not
        retyped: those carry theirs)."""
        return {eid: a for eid, a in self.attributes.items()
                if eid not in self.created and eid not in self.retyped}


def resolve(ex: Extraction, lookups: Lookups) -> Plan:
    """The plan that stores ``ex``'s entities: each resolved to a stored entity by the rules
    of ``graph.resolution.rules`` or created, with the ``Lookups`` of the store it goes to."""
    return _Resolver(ex, lookups).plan()


class _Resolver:
    def __init__(self, ex: Extraction, lookups: Lookups) -> None:
        self.ex, self.lookups = ex, lookups
        wanted = sorted({(e.type.value, k) for e in ex.entities
                         for k in [*strong_keys(e.attributes),
                                   *map(name_key, [e.name, *e.aliases])]})
        self.keys: dict[tuple[str, str], list[str]] = {}  # each list sorted by id
        self.stored: dict[str, dict] = {}
        self.names: dict[str, str] = {}  # the name each entity is shown by
        self.aliases: dict[tuple[str, str, str], str] = {}  # (type, key, id) -> its alias
        self.new_keys: dict[tuple[str, str, str], dict] = {}
        self.realiased: dict[tuple[str, str, str], str] = {}
        for r in lookups.holders(wanted):
            insort(self.keys.setdefault((r["type"], r["key"]), []), r["id"])
            self.stored[r["id"]] = r["attributes"]
            self.names[r["id"]] = r["name"]
            self.aliases[r["type"], r["key"], r["id"]] = r["alias"]
        org_names = sorted({name_key(e.name) for e in ex.entities if e.type in ORGANISATIONS})
        self.orgs: dict[str, list[dict]] = {}
        for r in lookups.organisations(org_names):
            self.orgs.setdefault(r["key"], []).append(dict(r))
            self.names.setdefault(r["id"], r["name"])
        self.out = Plan()

    def plan(self) -> Plan:
        near = neighbours(self.ex)
        ids = self.out.ids
        for e in resolution_order(self.ex):
            ids[e.id] = self._resolve(e, {ids[n] for n in near[e.id] if n in ids})
        self.out.new_keys = list(self.new_keys.values())
        self.out.realiased = [{"type": t, "key": k, "entity_id": eid, "alias": alias}
                              for (t, k, eid), alias in self.realiased.items()]
        return self.out

    def _resolve(self, e: ExtractedEntity, near: set[str]) -> str:
        names = [e.name, *e.aliases]
        keys = [name_key(n) for n in names]
        strong = strong_keys(e.attributes)
        candidates = ((k, eid, self._attributes(eid)) for k in strong + keys
                      for eid in list(self.keys.get((e.type.value, k), ())))
        found = choose(e, candidates, lambda eid: self._linked(eid, near))
        type = e.type
        if found is None and e.type in ORGANISATIONS:
            across = self._across_a_guess(e, keys[0])
            if across is not None:
                found, type = across
                self._hold_keys(found, type)
        out = self.out
        if found is None:
            found = self._new_id(e)
            out.created[found] = {"id": found, "type": e.type.value, "name": e.name,
                                  "attributes": dict(e.attributes)}
            out.attributes[found] = out.created[found]["attributes"]
            self.names[found] = e.name
        else:
            self._rename(found, e.name)
            self._add_attributes(found, e.attributes)
        out.same += other_holders(e, found, lambda k: self.keys.get((type.value, k), ()),
                                  self._attributes, lambda eid: self._linked(eid, near))
        for k, n in [*zip(keys, names), *((k, e.name) for k in strong)]:
            tk = (type.value, k, found)
            if tk in self.new_keys:
                if name_rank(n) < name_rank(self.new_keys[tk]["alias"]):
                    self.new_keys[tk]["alias"] = n
            elif tk in self.aliases:
                if name_rank(n) < name_rank(self.aliases[tk]):
                    self.aliases[tk] = self.realiased[tk] = n
            elif found not in self.keys.get(tk[:2], ()):
                insort(self.keys.setdefault(tk[:2], []), found)
                self.new_keys[tk] = {"type": type.value, "key": k, "entity_id": found,
                                     "alias": n}
                if type in ORGANISATIONS:  # later names of this document see it too
                    self.orgs.setdefault(k, []).append(
                        {"key": k, "type": type.value, "id": found,
                         "attributes": self._attributes(found)})
        return found

    def _hold_keys(self, found: str, type: EntityType) -> None:
        """Know every key ``found`` holds, as keys of ``type`` (the type it has now), so that
        its aliases are kept or bettered rather than written again."""
        if found in self.out.created:
            return
        for r in self.lookups.keys(found):
            tk = (type.value, r["key"], found)
            self.aliases.setdefault(tk, r["alias"])
            holders = self.keys.setdefault(tk[:2], [])
            if found not in holders:
                insort(holders, found)

    def _add_attributes(self, found: str, attributes: dict) -> None:
        stored = self._attributes(found)
        merged = entity_attributes(stored, attributes)
        if merged == stored:
            return
        self.out.attributes[found] = merged
        if found in self.out.created:
            self.out.created[found]["attributes"] = merged

    def _attributes(self, eid: str) -> dict:
        if eid in self.out.attributes:
            return self.out.attributes[eid]
        if eid not in self.stored:
            self._fetch(eid)
        return self.stored[eid]

    def _fetch(self, eid: str) -> None:
        row = self.lookups.entity(eid)
        self.names[eid], self.stored[eid] = row if row is not None else ("", {})

    def _rename(self, eid: str, name: str) -> None:
        """Show ``eid`` by ``name`` if it ranks before its name (``graph.names.name_rank``):
        the name shown is the best, not the first."""
        if eid not in self.names:
            self._fetch(eid)
        if name_rank(name) < name_rank(self.names[eid]):
            self.names[eid] = name
            if eid in self.out.created:
                self.out.created[eid]["name"] = name
            else:
                self.out.renamed[eid] = name

    def _linked(self, eid: str, near: set[str]) -> bool:
        """Whether the stored entity ``eid`` has a relation with any of ``near`` (an entity
        created by this document has none yet)."""
        return bool(near) and eid not in self.out.created and \
            self.lookups.linked(eid, sorted(near))

    def _across_a_guess(self, e: ExtractedEntity, key: str) -> tuple[str, EntityType] | None:
        """An organisation of another type with the same name, when one of the two types is
        only a loader's guess (``type_guessed``), with the type it has now: "UK Finance" from
        a meetings register (Organization, by default) is the LobbyGroup "UK Finance" of the
        news. A guessed stored entity takes the incoming type; a guessed incoming one takes
        the stored type; types backed by evidence never merge."""
        others = [r for r in self.orgs.get(key, []) if r["type"] != e.type.value]
        if not others:
            return None
        row = min(others, key=lambda r: r["id"])
        if e.attributes.get("type_guessed"):
            return row["id"], EntityType(row["type"])
        stored = self._attributes(row["id"]) if row["id"] in self.out.attributes \
            else row["attributes"]
        if not stored.get("type_guessed"):
            return None
        attrs = {k: v for k, v in stored.items() if k != "type_guessed"}
        self.out.attributes[row["id"]] = attrs
        if row["id"] in self.out.created:
            self.out.created[row["id"]].update(type=e.type.value, attributes=attrs)
            for t, k, eid in [tk for tk in self.new_keys if tk[2] == row["id"]]:
                moved = self.new_keys.pop((t, k, eid))
                self.new_keys.setdefault((e.type.value, k, eid), {**moved, "type": e.type.value})
        else:
            self.out.retyped[row["id"]] = (row["type"], e.type.value)
        for rows in self.orgs.values():
            for r in rows:
                if r["id"] == row["id"]:
                    r["type"] = e.type.value
                    ids = self.keys.setdefault((e.type.value, r["key"]), [])
                    if row["id"] not in ids:
                        insort(ids, row["id"])
        return row["id"], e.type

    def _new_id(self, e: ExtractedEntity) -> str:
        base = entity_id(e.type, e.name)
        n, found = 1, base
        while found in self.out.created or self.lookups.taken(found):
            n += 1
            found = f"{base}-{n}"
        return found
