"""The one shape every loader returns: what one document says, before it is stored.

Entities carry document-local ids (``e1``, ``e2`` ...) that relations refer to; the store maps
them onto graph entities when it ingests the extraction. The JSON form is the contract of the
extraction scorer: ``{"document": {...}, "entities": [...], "relations": [...]}``.

Examples
--------
>>> from graph.model import Document
>>> doc = Document.from_text("UK Finance wrote to Peter Kyle.")
>>> ex = Extraction(document=doc)
>>> a = ex.add_entity("UK Finance", EntityType.LobbyGroup, mentions=[(0, 10)])
>>> b = ex.add_entity("Peter Kyle", EntityType.Person, mentions=[(20, 30)])
>>> r = ex.add_relation(a, RelationType.LOBBIES, b, start=0, end=31, extractor="doctest")
>>> Extraction.from_json(ex.to_json()).relations[0].evidence[0].quote
'UK Finance wrote to Peter Kyle.'
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from graph.model import Document, Evidence, Mention
from graph.names import name_key
from graph.ontology import EntityType, RelationType

REGISTER = "register"  # the attribute naming the register that named a person


class ExtractionError(ValueError):
    """An extraction that breaks the contract (a bad span, an unknown entity, a bad type)."""


@dataclass
class ExtractedEntity:
    """An entity as one document names it."""

    id: str
    name: str
    type: EntityType
    aliases: list[str] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class ExtractedRelation:
    """A relation one document states, between two of its extracted entities."""

    source: str
    target: str
    type: RelationType
    attributes: dict[str, Any] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Extraction:
    """Entities (with mentions) and relations (with evidence) from one document."""

    document: Document
    entities: list[ExtractedEntity] = field(default_factory=list)
    relations: list[ExtractedRelation] = field(default_factory=list)
    _index: dict = field(default_factory=dict, repr=False, compare=False)
    # (ends, type) -> (relation, the spans of its evidence): so that stating a relation again
    # costs the same however many relations and pieces of evidence came before
    _relation_index: dict = field(default_factory=dict, repr=False, compare=False)
    _mention_spans: dict = field(default_factory=dict, repr=False, compare=False)  # id -> spans
    _quoted: tuple = field(default=((-1, -1), ""), repr=False, compare=False)

    def entity(self, local_id: str) -> ExtractedEntity:
        for e in self.entities:
            if e.id == local_id:
                return e
        raise ExtractionError(f"no entity {local_id!r} in the extraction")

    def from_register(self, name: str) -> "Extraction":
        """Mark the people this extraction names as named by the register ``name`` (the
        ``register`` attribute): a store then wants a second signal, such as an employer in
        common, before it makes one of them the same-named person of another register
        (``graph/data/resolution.toml``). Returns the extraction."""
        for e in self.entities:
            if e.type == EntityType.Person:
                e.attributes.setdefault(REGISTER, name)
        return self

    def add_entity(self, name: str, type: EntityType, aliases: list[str] | None = None,
                   mentions: list[tuple[int, int]] | None = None,
                   attributes: dict[str, Any] | None = None) -> ExtractedEntity:
        """Add an entity, or merge into the one of the same type and name already added."""
        if type.__class__ is not EntityType:
            type = EntityType(type)
        key = name_key(name)
        index = {(e.type, name_key(e.name)): e for e in self.entities} \
            if len(self._index) != len(self.entities) else self._index
        self._index = index
        found = index.get((type, key))
        if found is None:
            found = ExtractedEntity(id=f"e{len(self.entities) + 1}", name=name, type=type)
            self.entities.append(found)
            index[(type, key)] = found
        for alias in aliases or []:
            if name_key(alias) != key and alias not in found.aliases:
                found.aliases.append(alias)
        if mentions:
            spans = self._mention_spans.get(found.id)
            if spans is None or len(spans) != len(found.mentions):
                spans = self._mention_spans[found.id] = {(m.start, m.end)
                                                         for m in found.mentions}
            for start, end in mentions:
                if (start, end) not in spans:  # a set: an entity named 10,000 times is cheap
                    spans.add((start, end))
                    found.mentions.append(Mention(self.document.id, start, end,
                                                  self.document.text[start:end]))
        found.attributes.update(attributes or {})
        return found

    def rename(self, entity: ExtractedEntity, name: str) -> ExtractedEntity:
        """Give ``entity`` a fuller ``name`` ("Cameron" once the text names "David Cameron");
        its mentions and relations stay, and its old name, a part of the new one, is no
        other name for it. Returns the entity."""
        self._index.pop((entity.type, name_key(entity.name)), None)
        entity.name = name
        self._index[(entity.type, name_key(name))] = entity
        entity.aliases = [a for a in entity.aliases if name_key(a) != name_key(name)]
        return entity

    def add_relation(self, source: ExtractedEntity, type: RelationType, target: ExtractedEntity,
                     start: int, end: int, extractor: str, confidence: float = 1.0,
                     attributes: dict[str, Any] | None = None) -> ExtractedRelation:
        """Add a relation with one piece of evidence, ``text[start:end]``.

        The same relation stated twice gathers both pieces of evidence.
        """
        if type.__class__ is not RelationType:
            type = RelationType(type)
        index = self._relation_index
        if len(index) != len(self.relations):
            index = self._relation_index = {_relation_key(r.source, r.type, r.target):
                                            (r, {(e.start, e.end) for e in r.evidence})
                                            for r in self.relations}
        s, t = source.id, target.id
        key = (t, s, type) if s > t and type in SYMMETRIC else (s, t, type)
        found = index.get(key)
        if found is not None:
            r, spans = found
            if (start, end) not in spans:
                r.evidence.append(self._evidence(start, end, extractor, confidence))
                spans.add((start, end))
            if attributes:
                r.attributes.update(attributes)
            return r
        rel = ExtractedRelation(s, t, type, dict(attributes) if attributes else {},
                                [self._evidence(start, end, extractor, confidence)])
        self.relations.append(rel)
        index[key] = (rel, {(start, end)})
        return rel

    def _evidence(self, start: int, end: int, extractor: str, confidence: float) -> Evidence:
        """The evidence ``text[start:end]``; a register states many relations with one record,
        so the last quote made is made once."""
        if self._quoted[0] != (start, end):
            self._quoted = ((start, end), self.document.text[start:end])
        return Evidence(self.document.id, self._quoted[1], start, end, extractor,
                        round(confidence, 3))

    def validate(self) -> None:
        """Raise ExtractionError unless every span is exact and every reference resolves."""
        text = self.document.text
        ids = {e.id for e in self.entities}
        for e in self.entities:
            for m in e.mentions:
                if not (0 <= m.start <= m.end <= len(text)) or text[m.start:m.end] != m.text:
                    raise ExtractionError(f"entity {e.name!r}: mention {m.start}-{m.end} "
                                          "is not the text at that span")
        for r in self.relations:
            if r.source not in ids or r.target not in ids:
                raise ExtractionError(f"relation {r.type.value} names an unknown entity")
            if not r.evidence:
                raise ExtractionError(f"relation {r.type.value} {r.source}->{r.target} "
                                      "has no evidence")
            for ev in r.evidence:
                if ev.end <= ev.start or not ev.quote.strip():
                    raise ExtractionError(f"relation {r.type.value}: evidence {ev.start}-{ev.end}"
                                          " is empty")
                if text[ev.start:ev.end] != ev.quote:
                    raise ExtractionError(f"relation {r.type.value}: evidence {ev.start}-{ev.end}"
                                          " is not the text at that span")

    def to_dict(self) -> dict[str, Any]:
        d = self.document
        return {
            "document": {"id": d.id, "title": d.title, "source": d.source,
                         "published": d.published, "text": d.text},
            "entities": [
                {"id": e.id, "name": e.name, "type": e.type.value, "aliases": e.aliases,
                 "attributes": e.attributes,
                 "mentions": [{"start": m.start, "end": m.end, "text": m.text}
                              for m in e.mentions]}
                for e in self.entities
            ],
            "relations": [
                {"source": r.source, "target": r.target, "type": r.type.value,
                 "attributes": r.attributes,
                 "evidence": [{"quote": ev.quote, "start": ev.start, "end": ev.end,
                               "extractor": ev.extractor, "confidence": ev.confidence}
                              for ev in r.evidence]}
                for r in self.relations
            ],
        }

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Extraction":
        """Rebuild an extraction from its JSON form (as ``to_dict`` writes it)."""
        d = data["document"]
        doc = Document(id=d["id"], text=d["text"], title=d.get("title", ""),
                       source=d.get("source", ""), published=d.get("published"))
        ex = cls(document=doc)
        for e in data.get("entities", []):
            ex.entities.append(ExtractedEntity(
                id=e["id"], name=e["name"], type=EntityType(e["type"]),
                aliases=list(e.get("aliases", [])), attributes=dict(e.get("attributes", {})),
                mentions=[Mention(doc.id, m["start"], m["end"], m["text"])
                          for m in e.get("mentions", [])]))
        for r in data.get("relations", []):
            ex.relations.append(ExtractedRelation(
                source=r["source"], target=r["target"], type=RelationType(r["type"]),
                attributes=dict(r.get("attributes", {})),
                evidence=[Evidence(doc.id, ev["quote"], ev["start"], ev["end"],
                                   ev.get("extractor", ""), ev.get("confidence", 1.0))
                          for ev in r.get("evidence", [])]))
        return ex

    @classmethod
    def from_json(cls, text: str) -> "Extraction":
        return cls.from_dict(json.loads(text))


def _relation_key(source: str, type: RelationType, target: str) -> tuple:
    """What makes two stated relations one: their ends (in either order for a symmetric
    type) and their type."""
    if source <= target or type not in SYMMETRIC:
        return source, target, type
    return target, source, type


SYMMETRIC = frozenset(t for t in RelationType if t.symmetric)
