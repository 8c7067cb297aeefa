"""The domain model: documents, the entities found in them, the relations between entities,
and the evidence (an exact span of a document) that backs every relation.

Examples
--------
>>> doc = Document.from_text("Acme Ltd lobbied the Treasury.", title="note")
>>> doc.id.startswith("doc:")
True
>>> ev = Evidence(document_id=doc.id, quote="Acme Ltd lobbied the Treasury", start=0, end=29,
...               extractor="rule:lobbies", confidence=0.8)
>>> doc.text[ev.start:ev.end] == ev.quote
True
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from graph.names import name_key, slug
from graph.ontology import EntityType, RelationType


def entity_id(type: EntityType, name: str) -> str:
    """The stable id an entity of this type and name receives when first stored.

    >>> entity_id(EntityType.Person, "Peter Kyle")
    'Person:peter-kyle'
    """
    return f"{EntityType(type).value}:{slug(name)}"


def relation_id(source: str, type: RelationType, target: str) -> str:
    """The id of the one relation of this type between two entities.

    Symmetric types give the same id whichever end is named first.

    >>> rt = RelationType.MEETS
    >>> relation_id("Person:a", rt, "Person:b") == relation_id("Person:b", rt, "Person:a")
    True
    """
    type = RelationType(type)
    if type.symmetric and target < source:
        source, target = target, source
    digest = hashlib.sha1(f"{source}|{type.value}|{target}".encode()).hexdigest()[:16]
    return f"rel:{digest}"


def entity_attributes(stored: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
    """What an entity holds once a document says ``incoming`` of it, given ``stored``: the
    same whichever came first. Lists are joined (a minister's offices over several returns),
    a value only one side has is kept, and of two different values the first in a fixed
    order is (JSON text order; the loaders' values rarely conflict). ``type_guessed`` stays
    only if both sides only guessed the type.

    >>> entity_attributes({"offices": ["Chancellor"], "type_guessed": True},
    ...                   {"offices": ["Minister for Women"], "register": "uk-meetings"})
    {'offices': ['Chancellor', 'Minister for Women'], 'register': 'uk-meetings'}
    """
    out = {}
    for key in sorted({*stored, *incoming}):
        if key == "type_guessed":
            if stored.get(key) and incoming.get(key):
                out[key] = True
        elif key not in incoming or key not in stored or stored[key] == incoming[key]:
            out[key] = stored[key] if key in stored else incoming[key]
        elif isinstance(stored[key], list) and isinstance(incoming[key], list):
            out[key] = sorted({json.dumps(v, sort_keys=True): v for v in
                               [*stored[key], *incoming[key]]}.values(),
                              key=lambda v: json.dumps(v, sort_keys=True))
        else:
            out[key] = min(stored[key], incoming[key], key=lambda v: json.dumps(v, sort_keys=True))
    return out


def relation_attributes(stored: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
    """What a relation holds once another document backs it with ``incoming``, given
    ``stored``: the same whichever came first. A relation's attributes describe one record
    (a meeting's date, purpose and row), so they are not mixed: those of the latest record
    (by ``start``, then JSON text) are kept whole, with what only the other has added.

    >>> relation_attributes({"start": "2014-01-01", "purpose": "Housing"},
    ...                     {"start": "2013-09-01", "purpose": "Planning", "income": "10000"})
    {'start': '2014-01-01', 'purpose': 'Housing', 'income': '10000'}
    """
    if not incoming or incoming == stored:
        return dict(stored)
    if not stored:
        return dict(incoming)
    a, b = str(stored.get("start") or ""), str(incoming.get("start") or "")
    if a == b:  # the same date: the JSON text decides, the same whichever came first
        a, b = json.dumps(stored, sort_keys=True), json.dumps(incoming, sort_keys=True)
    first, second = (stored, incoming) if a > b else (incoming, stored)
    return {**second, **first}


@dataclass(frozen=True)
class Document:
    """One input document. Its id is a hash of its text, so the same text is the same document."""

    id: str
    text: str
    title: str = ""
    source: str = ""
    published: str | None = None

    @classmethod
    def from_text(cls, text: str, title: str = "", source: str = "",
                  published: str | None = None) -> "Document":
        """Make a document whose id is ``doc:`` and the SHA-256 of ``text``."""
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
        return cls(id=f"doc:{digest}", text=text, title=title, source=source, published=published)


@dataclass(frozen=True)
class Evidence:
    """An exact span of a document that supports a relation: ``quote == text[start:end]``."""

    document_id: str
    quote: str
    start: int
    end: int
    extractor: str
    confidence: float = 1.0


@dataclass(frozen=True)
class Mention:
    """Where a document names an entity."""

    document_id: str
    start: int
    end: int
    text: str


@dataclass
class Entity:
    """A stakeholder: a person, organisation, initiative, topic or place."""

    id: str
    type: EntityType
    name: str
    aliases: list[str] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)

    @property
    def keys(self) -> set[str]:
        """Every resolution key of the entity: its name's and its aliases'."""
        return {name_key(n) for n in [self.name, *self.aliases]}

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["type"] = self.type.value
        return d


@dataclass
class Relation:
    """A typed link between two entities, with the evidence that backs it.

    ``attributes`` holds details such as ``role``, ``start`` and ``end`` (ISO dates).
    """

    id: str
    source: str
    target: str
    type: RelationType
    attributes: dict[str, Any] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["type"] = self.type.value
        return d
