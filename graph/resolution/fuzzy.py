"""Automatic merges of near-identical names, recorded and undoable.

Keys catch names that differ in case, punctuation, "The" or a legal form; they miss "TechUK"
and "Tech UK", or a misspelt surname. After each ingest, every entity the document brought in
is compared with stored entities of its type that begin the same way (a person: with the same
surname), by rapidfuzz's ``ratio`` on the keys. The best at or above the threshold in
``graph/data/resolution.toml`` (``[fuzzy]``) takes the new entity in, as an automatic merge
whose reason gives the score: ``stakegraph merges`` lists it, ``stakegraph split`` undoes it.
People both named by registers also need a neighbour in common, as for an exact name
(``graph.resolution.rules.needs_second_signal``), and entities with different ids in the same
register never merge.

Examples
--------
>>> from graph.extraction import Extraction
>>> from graph.model import Document
>>> from graph.ontology import EntityType
>>> from graph.resolution import ingest
>>> from graph.store.sqlite import SQLiteStore
>>> store = SQLiteStore(":memory:")
>>> for name in ["Tech UK", "TechUK"]:
...     ex = Extraction(Document.from_text(f"{name} wrote."))
...     _ = ex.add_entity(name, EntityType.LobbyGroup, mentions=[(0, len(name))])
...     _ = ingest(store, ex)
>>> [e.name for e in store.search("tech")]
['Tech UK']
>>> store.merges()[0].reason
"rapidfuzz ratio 92 between 'techuk' and 'tech uk'"
"""
from __future__ import annotations

import math
import re
from typing import Iterable

from rapidfuzz import fuzz, process

from graph.model import Entity
from graph.names import name_key, name_rank
from graph.ontology import EntityType
from graph.resolution.merges import MergeRecord, merge_entities
from graph.resolution.rules import different_registry_ids, needs_second_signal, resolution_rules

_NUMBERS = re.compile(r"\d+")


def similar(store, entity: Entity) -> tuple[Entity, float] | None:
    """The stored entity most like ``entity`` by name, with its score, if one clears the
    threshold (and, for people both named by registers, shares a neighbour with it); None
    otherwise, or when the rules leave its type out.

    Candidates come from the store's key index (``block_keys``): keys of the same type that
    begin like this one (people: that end in the same surname), no longer or shorter than a
    ratio at the threshold allows, so a look-up stays a short index range however large the
    graph."""
    rule = resolution_rules()["fuzzy"]
    key = name_key(entity.name)
    if entity.type.value not in rule["types"] or not key:
        return None
    person = entity.type == EntityType.Person
    block = key.split()[-1] if person else key[:rule["prefix"]]
    if len(block) < 3 or person and block == key:
        return None
    rows = [(eid, k) for eid, k in store.block_keys(
        entity.type, block, _lengths(len(key), rule["threshold"]), person, rule["candidates"])
        if eid != entity.id and _comparable(key, k, person)]
    seen = set()
    for _, score, i in process.extract(key, [k for _, k in rows], scorer=fuzz.ratio,
                                       limit=None, score_cutoff=rule["threshold"]):
        eid = rows[i][0]
        other = store.entity(eid) if eid not in seen else None
        seen.add(eid)
        if other is None or different_registry_ids(entity.attributes, other.attributes):
            continue
        if not needs_second_signal(entity.type, entity.attributes, other.attributes) or \
                store.share_neighbour(entity.id, other.id):
            return other, score
    return None


def auto_merge(store, created: Iterable[str]) -> list[MergeRecord]:
    """Merge each of the entities ``created`` (ids) with the stored entity most like it, where
    one is alike enough (``similar``); the records of the merges made. Of the two, the one
    with the better name (``graph.names.name_rank``) is kept, whichever came first, so the
    same documents make the same merges in any order."""
    made = []
    for eid in created:
        entity = store.entity(eid)
        hit = similar(store, entity) if entity is not None else None
        if hit is not None:
            other, score = hit
            kept, merged = sorted((entity, other), key=lambda e: (name_rank(e.name), e.id))
            reason = (f"rapidfuzz ratio {score:.0f} between {name_key(merged.name)!r} and "
                      f"{name_key(kept.name)!r}")
            made.append(merge_entities(store, kept.id, merged.id, reason, automatic=True))
    return made


def merge_named_as_one(store, pairs: Iterable[tuple[str, str]]) -> list[MergeRecord]:
    """Merge each pair of stored entities that one document named as one entity (its name and
    another name for it: ``graph.resolution.rules.other_names``); of the two, the one with the
    better name is kept. The records of the merges made (a pair merged already is skipped)."""
    made, into = [], {}

    def now(eid: str) -> str:  # where an entity went, after the merges made here
        while eid in into:
            eid = into[eid]
        return eid

    for a, b in pairs:
        found = [e for e in store.entities([now(a), now(b)]) if e is not None]
        if len(found) < 2 or found[0].id == found[1].id or found[0].type != found[1].type \
                or different_registry_ids(found[0].attributes, found[1].attributes):
            continue
        kept, merged = sorted(found, key=lambda e: (name_rank(e.name), e.id))
        reason = f"one document names {merged.name!r} and {kept.name!r} as one"
        made.append(merge_entities(store, kept.id, merged.id, reason, automatic=True))
        into[merged.id] = kept.id
    return made


def _lengths(n: int, threshold: float) -> tuple[int, int]:
    """The key lengths that can score ``threshold`` against a key of ``n`` characters: the
    ratio 2M / (a + b) is at most 2 min(a, b) / (a + b)."""
    r = threshold / 100
    return math.floor(n * r / (2 - r)), math.ceil(n * (2 - r) / r)  # a character to spare


def _comparable(a: str, b: str, person: bool) -> bool:
    """Numbers agree, and people share a surname."""
    return _NUMBERS.findall(a) == _NUMBERS.findall(b) and (
        not person or a.split()[-1] == b.split()[-1])
