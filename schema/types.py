"""The GraphQL types: entities, relations with their evidence, documents, influence paths.

Resolvers read the store and the analytics view from the request context (see ``schema.app``),
so the types hold ids and values, never a database handle.
"""
from __future__ import annotations

from enum import Enum
from typing import Optional

import strawberry
from starlette.concurrency import run_in_threadpool
from strawberry.scalars import JSON
from strawberry.types import Info

from graph import model, ontology
from graph.paths import Hop
from graph.paths import InfluencePath as DomainPath
from graph.strength import relation_strength, support
from schema.limits import LIMITS, UserError, bounded

EntityType = strawberry.enum(ontology.EntityType, name="EntityType",
                             description="What kind of stakeholder an entity is.")
RelationType = strawberry.enum(ontology.RelationType, name="RelationType",
                               description="How two stakeholders are linked.")

@strawberry.enum(description="Which relations of an entity to list.")
class Direction(Enum):
    OUT = "out"
    IN = "in"
    BOTH = "both"

@strawberry.enum(description="Follow influence direction, or ignore direction.")
class PathMode(Enum):
    INFLUENCE = "influence"
    CONNECTION = "connection"

@strawberry.interface(description="Anything with a stable id: `node(id:)` fetches it again.")
class Node:
    id: strawberry.ID


@strawberry.type(description="A span of a document with the text around it, to read a quote "
                             "where it stands.")
class Passage:
    before: str = strawberry.field(description="Up to `around` characters before the span.")
    text: str = strawberry.field(description="The span itself: the document from `start` to "
                                             "`end`.")
    after: str = strawberry.field(description="Up to `around` characters after the span.")
    start: int
    end: int


@strawberry.type(description="A document that evidence quotes.")
class Document(Node):
    title: str = strawberry.field(description="Its title (an article's headline, a register "
                                              "file's name).")
    source: str = strawberry.field(description="The file or address it was loaded from.")
    published: Optional[str] = strawberry.field(description="When it was published (ISO date), "
                                                            "if known.")

    @strawberry.field(description="The span `start`..`end` of the document's text with up to "
                                  "`around` characters (at most 2,000) either side: a quote "
                                  "in its place.")
    async def passage(self, info: Info, start: int, end: int, around: int = 400) -> Passage:
        if not 0 <= start <= end or end - start > LIMITS.max_passage_chars:
            raise UserError(f"a passage is 0 <= start <= end, at most "
                            f"{LIMITS.max_passage_chars:,} characters")
        if not 0 <= around <= 2000:
            raise UserError("around must be between 0 and 2000")
        doc = await run_in_threadpool(info.context["store"].document, str(self.id))
        text = doc.text if doc is not None else ""
        if end > len(text):
            raise UserError(f"the document has {len(text):,} characters, not {end:,}")
        return Passage(before=text[max(0, start - around):start], text=text[start:end],
                       after=text[end:end + around], start=start, end=end)

    @strawberry.field(description="The source, when it is a web address (else null).")
    def url(self) -> Optional[str]:
        return self.source if self.source.startswith(("http://", "https://")) else None

    @strawberry.field(description="The entities the document names, in id order; `first` and "
                                  "`after` (an entity id) page through them.")
    async def entities(self, info: Info, first: int = 20,
                       after: Optional[strawberry.ID] = None) -> list["Entity"]:
        first = bounded("first", first, LIMITS.max_page_size)
        ids = await run_in_threadpool(info.context["store"].document_entities, str(self.id))
        ids = [i for i in ids if after is None or i > str(after)][:first]
        found = await info.context["entities"].load_many(ids)
        return [Entity.of(e) for e in found if e is not None]

    @classmethod
    def of(cls, d: model.Document) -> "Document":
        return cls(id=strawberry.ID(d.id), title=d.title, source=d.source, published=d.published)

@strawberry.type(description="An exact span of a document that supports a relation: "
                             "`quote` is the document's text from `start` to `end`.")
class Evidence:
    quote: str
    start: int
    end: int
    extractor: str
    confidence: float
    document_id: strawberry.Private[str]

    @strawberry.field(description="The document quoted.")
    async def document(self, info: Info) -> Optional[Document]:
        d = await info.context["documents"].load(self.document_id)
        return Document.of(d) if d else None

    @classmethod
    def of(cls, e: model.Evidence) -> "Evidence":
        return cls(quote=e.quote, start=e.start, end=e.end, extractor=e.extractor,
                   confidence=e.confidence, document_id=e.document_id)

@strawberry.type(description="Where a document names an entity: `text` is the document's text "
                             "from `start` to `end`.")
class Mention:
    text: str
    start: int
    end: int
    document_id: strawberry.Private[str]

    @strawberry.field(description="Where this mention is, for `after` in `Entity.mentions`.")
    def cursor(self) -> str:
        return f"{self.document_id}:{self.start}:{self.end}"

    @strawberry.field(description="The document that names the entity.")
    async def document(self, info: Info) -> Optional[Document]:
        d = await info.context["documents"].load(self.document_id)
        return Document.of(d) if d else None

@strawberry.type(description="A stakeholder: person, organisation, initiative, topic or place.")
class Entity(Node):
    type: EntityType
    name: str
    aliases: list[str]
    attributes: JSON

    @strawberry.field(description="The entity's relations, with their evidence; `first` and "
                                  "`after` (a relation id) page through them.")
    async def relations(self, info: Info, direction: Direction = Direction.BOTH,
                        types: Optional[list[RelationType]] = None,
                        first: Optional[int] = None,
                        after: Optional[strawberry.ID] = None) -> list["Relation"]:
        key = (str(self.id), direction.value, tuple(sorted(t.value for t in types or [])))
        found = await info.context["relations"].load(key)
        if after is not None:
            ids = [r.id for r in found]
            found = found[ids.index(str(after)) + 1:] if str(after) in ids else []
        if first is not None:
            found = found[:bounded("first", first, LIMITS.max_page_size)]
        return [Relation.of(r) for r in found]

    @strawberry.field(description="How many relations the entity has, in both directions.")
    async def degree(self, info: Info) -> int:
        return len(await info.context["relations"].load((str(self.id), "both", ())))

    @strawberry.field(description="The entity's PageRank in the whole graph: influence flowing "
                                  "along relations, weighted by their strength (as `rank` "
                                  "orders entities). Computed for every entity once per change "
                                  "of the graph, so the first ask after a change waits for it.")
    async def pagerank(self, info: Info) -> float:
        view = info.context["view"]
        return await run_in_threadpool(view.pagerank, str(self.id))

    @strawberry.field(description="Where documents name the entity, by document and position; "
                                  "`first` and `after` (a mention's `cursor`) page through "
                                  "them.")
    async def mentions(self, info: Info, first: int = 20,
                       after: Optional[str] = None) -> list[Mention]:
        first = bounded("first", first, LIMITS.max_page_size)
        found = [Mention(text=m["text"], start=m["start"], end=m["end"],
                         document_id=m["document_id"])
                 for m in await run_in_threadpool(info.context["store"].mentions_of,
                                                  str(self.id))]
        cursors = [m.cursor() for m in found]
        if after is not None:
            found = found[cursors.index(after) + 1:] if after in cursors else []
        return found[:first]

    @classmethod
    def of(cls, e: model.Entity) -> "Entity":
        return cls(id=strawberry.ID(e.id), type=e.type, name=e.name, aliases=e.aliases,
                   attributes=e.attributes)

async def _entity(info: Info, entity_id: str) -> Entity:
    """An entity through the request's DataLoader: one query for all the entities a response
    names, however many relations and paths name them."""
    e = await info.context["entities"].load(entity_id)
    if e is None:  # a relation's end always exists; this guards a concurrent delete
        raise ValueError(f"entity {entity_id!r} no longer exists")
    return Entity.of(e)

@strawberry.type(description="A typed link between two entities, backed by evidence.")
class Relation:
    id: strawberry.ID
    type: RelationType
    attributes: JSON
    evidence: list[Evidence]
    source_id: strawberry.Private[str]
    target_id: strawberry.Private[str]

    @strawberry.field
    async def source(self, info: Info) -> Entity:
        return await _entity(info, self.source_id)

    @strawberry.field
    async def target(self, info: Info) -> Entity:
        return await _entity(info, self.target_id)

    @strawberry.field(description="The position held, for ROLE_AT (e.g. 'Business Secretary').")
    def role(self) -> Optional[str]:
        return self.attributes.get("role")

    @strawberry.field(description="When the relation began (ISO date), if known.")
    def start(self) -> Optional[str]:
        return self.attributes.get("start")

    @strawberry.field(description="When the relation ended (ISO date), if known.")
    def end(self) -> Optional[str]:
        return self.attributes.get("end")

    @strawberry.field(description="How well the evidence supports the relation (0-1): "
                                  "1 - prod(1 - c) over the best confidence per document, so "
                                  "independent documents add up.")
    def confidence(self) -> float:
        return support(self.evidence)

    @strawberry.field(description="How strongly the relation carries influence (0-1): its "
                                  "type's default weight (for the type of entity it is aimed "
                                  "at) x `confidence` x its age (halving every half-life since "
                                  "its latest date), as influence paths weigh it before "
                                  "per-query overrides.")
    async def strength(self, info: Info) -> float:
        aim = (await _entity(info, self.target_id)).type.value
        return relation_strength(self.type, self.evidence, self.attributes, aim)

    @classmethod
    def of(cls, r: model.Relation) -> "Relation":
        return cls(id=strawberry.ID(r.id), type=r.type, attributes=r.attributes,
                   evidence=[Evidence.of(e) for e in r.evidence], source_id=r.source,
                   target_id=r.target)

@strawberry.type(description="One step of an influence path.")
class PathHop:
    relation_id: strawberry.ID
    type: RelationType
    reversed: bool = strawberry.field(
        description="True when the step walks a relation against its stored direction.")
    strength: float = strawberry.field(
        description="The influence this step carries (0-1): type weight x evidence support "
                    "x recency.")
    attributes: JSON
    evidence: list[Evidence]
    source_id: strawberry.Private[str]
    target_id: strawberry.Private[str]

    @strawberry.field
    async def source(self, info: Info) -> Entity:
        return await _entity(info, self.source_id)

    @strawberry.field
    async def target(self, info: Info) -> Entity:
        return await _entity(info, self.target_id)

    @classmethod
    def of(cls, h: Hop) -> "PathHop":
        return cls(relation_id=strawberry.ID(h.relation_id), type=h.type, reversed=h.reversed,
                   strength=h.strength, attributes=h.attributes,
                   evidence=[Evidence.of(e) for e in h.evidence], source_id=h.source,
                   target_id=h.target)

@strawberry.type(description="A chain of relations by which one entity reaches another.")
class InfluencePath:
    length: int = strawberry.field(description="Number of hops.")
    strength: float = strawberry.field(
        description="The product of the hops' strengths: how strong the chain is (0-1).")
    chain: str = strawberry.field(
        description="The path as arrows; a reversed arrow walks a relation backwards.")
    explanation: str = strawberry.field(description="The path in one plain-English sentence.")
    hops: list[PathHop]
    node_ids: strawberry.Private[list[str]]

    @strawberry.field(description="The entities along the path, source first.")
    async def nodes(self, info: Info) -> list[Entity]:
        return [await _entity(info, n) for n in self.node_ids]

    @classmethod
    def of(cls, p: DomainPath, nodes) -> "InfluencePath":
        return cls(length=p.length, strength=p.strength, chain=p.chain(nodes),
                   explanation=p.explain(nodes), hops=[PathHop.of(h) for h in p.hops],
                   node_ids=list(p.nodes))


@strawberry.type(description="An entity with a score: a centrality, or the strength of its "
                             "best path to (or from) another entity.")
class RankedEntity:
    score: float
    hops: int = strawberry.field(description="Hops of the best path (0 for centralities).")
    entity_id: strawberry.Private[str]
    path_ids: strawberry.Private[list[str]]

    @strawberry.field
    async def entity(self, info: Info) -> Entity:
        return await _entity(info, self.entity_id)

    @strawberry.field(description="The best path's entities, if any.")
    async def path(self, info: Info) -> list[Entity]:
        return [await _entity(info, n) for n in self.path_ids]

    @classmethod
    def of(cls, r) -> "RankedEntity":
        return cls(score=r.score, hops=r.hops, entity_id=r.entity, path_ids=list(r.path))


@strawberry.type(description="An entity linked to both of two others, with the relation "
                             "types on each side.")
class SharedConnection:
    score: float
    with_a: list[str] = strawberry.field(description="Relation types linking it to `a`.")
    with_b: list[str] = strawberry.field(description="Relation types linking it to `b`.")
    entity_id: strawberry.Private[str]

    @strawberry.field
    async def entity(self, info: Info) -> Entity:
        return await _entity(info, self.entity_id)


@strawberry.type(description="A part of the graph: entities and the relations among them.")
class Subgraph:
    relations: list[Relation]
    entity_ids: strawberry.Private[list[str]]

    @strawberry.field
    async def entities(self, info: Info) -> list[Entity]:
        return [await _entity(info, n) for n in self.entity_ids]


@strawberry.enum(description="What to rank entities by.")
class Metric(Enum):
    PAGERANK = "pagerank"
    PERSONALIZED_PAGERANK = "personalized_pagerank"
    DEGREE = "degree"
    BETWEENNESS = "betweenness"

@strawberry.type(description="How big the graph is.")
class GraphStats:
    documents: int
    entities: int
    relations: int
    evidence: int
    mentions: int


@strawberry.type(description="Where a page ends, and whether there is more.")
class PageInfo:
    has_next_page: bool
    end_cursor: Optional[str]


@strawberry.type
class EntityEdge:
    cursor: str
    node: Entity


@strawberry.type(description="A page of entities (Relay connection).")
class EntityConnection:
    edges: list[EntityEdge]
    page_info: PageInfo
