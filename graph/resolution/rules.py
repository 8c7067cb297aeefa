"""The rules of entity resolution, the same on every store: which stored entity an extracted
one is (``choose``), which keys it is looked up by (registry ids first, then its names), when a
name alone is too little (``needs_second_signal``), and which stored entities one document names
as one (``other_holders``). The thresholds and id lists are data, in
``graph/data/resolution.toml``."""
from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any, Callable, Iterable, Mapping

from graph.extraction import REGISTER, ExtractedEntity, Extraction
from graph.names import name_key
from graph.ontology import EntityType

STRONG = "ID "  # starts a registry-id key; name keys are case-folded, so never a name's key


@cache
def resolution_rules() -> dict[str, Any]:
    """The rules of entity resolution, from ``graph/data/resolution.toml``."""
    text = resources.files("graph").joinpath("data/resolution.toml").read_text("utf-8")
    return tomllib.loads(text)


def registry_ids() -> tuple[str, ...]:
    """The attributes that are registry ids (``graph/data/resolution.toml``)."""
    return tuple(resolution_rules()["registry_ids"])


def exclusive_ids() -> tuple[str, ...]:
    """The registry ids that name one entity across their whole register, so that two
    different values are two entities (``graph/data/resolution.toml``)."""
    return tuple(resolution_rules()["exclusive_ids"])


def needs_second_signal(type: EntityType, incoming: Mapping[str, Any],
                        stored: Mapping[str, Any]) -> bool:
    """Whether a name alone is too little to make two entities one: for people both named by
    registers (``graph/data/resolution.toml``, ``[second_signal]``).

    >>> needs_second_signal(EntityType.Person, {"register": "us-lda"}, {"register": "ftm"})
    True
    >>> needs_second_signal(EntityType.Person, {"register": "us-lda"}, {})  # named in the news
    False
    """
    return EntityType(type).value in resolution_rules()["second_signal"]["types"] and bool(
        incoming.get(REGISTER)) and bool(stored.get(REGISTER))


def resolution_order(ex: Extraction) -> list[ExtractedEntity]:
    """The entities of an extraction in the order a store resolves them: those that may need a
    second signal last, so that their neighbours are resolved by then."""
    later = set(resolution_rules()["second_signal"]["types"])
    return sorted(ex.entities, key=lambda e: e.type.value in later)


def neighbours(ex: Extraction) -> dict[str, set[str]]:
    """Local entity id -> the local ids it has a relation with, in one extraction."""
    out: dict[str, set[str]] = {e.id: set() for e in ex.entities}
    for r in ex.relations:
        out[r.source].add(r.target)
        out[r.target].add(r.source)
    return out


def choose(e: ExtractedEntity, candidates: Iterable[tuple[str, str, Mapping[str, Any]]],
           linked: Callable[[str], bool]) -> str | None:
    """The stored entity an extracted one resolves to, or None for a new one: the same rules
    on every store.

    ``candidates`` are ``(key, entity id, stored attributes)`` for the entity's keys in the
    order they are tried (registry ids, its name, its aliases), and for each key the entities
    that hold it by id. A registry id decides at once; a different id of the same registry
    rules a candidate out; where a name alone is too little (``needs_second_signal``)
    ``linked(id)`` must say the candidate shares a neighbour with the entity.

    >>> from graph.extraction import ExtractedEntity
    >>> smith = ExtractedEntity("e1", "John Smith", EntityType.Person,
    ...                         attributes={"register": "us-lda"})
    >>> choose(smith, [("john smith", "Person:john-smith", {"register": "eu"})],
    ...        linked=lambda eid: False) is None
    True
    """
    strong = set(strong_keys(e.attributes))
    for key, eid, stored in candidates:
        if key in strong:
            return eid
        if strong and different_registry_ids(e.attributes, stored):
            continue
        if needs_second_signal(e.type, e.attributes, stored) and not linked(eid):
            continue
        return eid
    return None


def strong_keys(attributes: Mapping[str, Any]) -> list[str]:
    """The resolution keys of an entity's registry ids: resolution tries them before its names.

    >>> strong_keys({"lda_registrant_id": 48703, "role": "lobbyist"})
    ['ID lda_registrant_id=48703']
    """
    return [f"{STRONG}{k}={attributes[k]}" for k in registry_ids()
            if attributes.get(k) not in (None, "")]


def different_registry_ids(incoming: Mapping[str, Any], stored: Mapping[str, Any]) -> bool:
    """Whether two entities carry different values of the same exclusive registry id: then
    they are two entities, however alike their names. Ids that are not exclusive (an LDA
    client id, a registrant's own numbering; an FtM id, unique only within its dataset) never
    keep two entities apart.

    >>> different_registry_ids({"lda_registrant_id": "1"}, {"lda_registrant_id": "2"})
    True
    >>> different_registry_ids({"lda_client_id": "1/7"}, {"lda_client_id": "2/7"})
    False
    """
    return any(str(incoming[k]) != str(stored[k]) for k in exclusive_ids()
               if incoming.get(k) not in (None, "") and stored.get(k) not in (None, ""))


def other_names(e: ExtractedEntity) -> list[str]:
    """The keys of an extracted entity's name and of those of its aliases that are another
    name for it rather than a part of its name: a document that calls one entity by two names
    says that the entities stored under each are one ("Meta", formerly "Facebook"; the FCA and
    the Financial Conduct Authority), whichever was stored first. A surname or a shortened
    name ("Trump" of "Donald Trump") says no such thing: several entities may hold it.

    >>> other_names(ExtractedEntity("e1", "Meta", EntityType.Company, aliases=["Facebook"]))
    ['meta', 'facebook']
    >>> other_names(ExtractedEntity("e2", "Donald Trump", EntityType.Person, aliases=["Trump"]))
    ['donald trump']
    """
    own = name_key(e.name)
    words = set(own.split())
    keys = [own]
    for alias in e.aliases:
        key = name_key(alias)
        if key and key not in keys and not set(key.split()) <= words:
            keys.append(key)
    return keys


def other_holders(e: ExtractedEntity, found: str, holders: Callable[[str], Iterable[str]],
                  attributes: Callable[[str], Mapping[str, Any]],
                  linked: Callable[[str], bool]) -> list[tuple[str, str]]:
    """Pairs ``(found, other)`` of the entity ``e`` resolved to and the one other stored
    entity holding one of ``e``'s ``other_names`` that ``found`` does not hold yet
    (``holders(key)``: the holders of a key of ``e``'s type, before ``e``'s keys are added),
    where ``choose`` would have taken it for ``e`` too and no registry id sets it apart: the
    entities a document names as one, to be merged after its ingest. A key with several
    holders is a name several entities share ("John Smith"), and ``found`` holding it already
    says nothing new: neither makes a pair.

    >>> meta = ExtractedEntity("e1", "Meta", EntityType.Company, aliases=["Facebook"])
    >>> held = {"meta": ["Company:meta"], "facebook": ["Company:facebook"]}
    >>> other_holders(meta, "Company:meta", lambda k: held.get(k, []), lambda i: {},
    ...               lambda i: False)
    [('Company:meta', 'Company:facebook')]
    """
    pairs = []
    for key in other_names(e):
        held = list(holders(key))
        if found in held or len(held) != 1:
            continue
        other = held[0]
        if (found, other) not in pairs and choose(
                e, [(key, other, attributes(other))], linked) == other \
                and not different_registry_ids(attributes(found), attributes(other)):
            pairs.append((found, other))
    return pairs
