"""The FollowTheMoney crosswalk (``graph/data/ftm.toml``), one file read both ways: FtM
schemata into entity and relation types for the FtM loader, and back out for the FtM export.

>>> ftm = crosswalk()
>>> ftm.entity_type("PublicBody"), ftm.schema_of(EntityType.Agency)
(<EntityType.Agency: 'Agency'>, 'PublicBody')
>>> ftm.links["Directorship"].relation, ftm.link_of(RelationType.ROLE_AT).schema
(<RelationType.ROLE_AT: 'ROLE_AT'>, 'Employment')
>>> ftm.link_of(RelationType.LOBBIES) is None  # goes out as an UnknownLink
True
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from graph.ontology import EntityType, OntologyError, RelationType

FILE = "graph/data/ftm.toml"


@dataclass(frozen=True)
class Link:
    """An FtM link schema: the relation it is, the properties naming its ends, and the role a
    relation gets when the link states none."""

    schema: str
    relation: RelationType
    source: str
    target: str
    role: str | None = None


@dataclass(frozen=True)
class Crosswalk:
    entities: dict[str, EntityType]  # FtM schema -> entity type
    export_entities: dict[EntityType, str]  # entity type -> FtM schema
    links: dict[str, Link]  # FtM link schema -> its link

    def entity_type(self, schema: str) -> EntityType | None:
        """The entity type of an FtM schema; None for one the graph does not keep."""
        return self.entities.get(schema)

    def schema_of(self, type: EntityType) -> str | None:
        """The FtM schema an entity type is exported as; None for one FtM has no place for."""
        return self.export_entities.get(type)

    def link_of(self, relation: RelationType) -> Link | None:
        """The FtM link a relation is exported as (the first listed for it), if any."""
        return next((link for link in self.links.values() if link.relation == relation), None)


@cache
def crosswalk() -> Crosswalk:
    """The crosswalk shipped in ``graph/data/ftm.toml``, checked."""
    text = resources.files("graph").joinpath("data/ftm.toml").read_text(encoding="utf-8")
    return read(tomllib.loads(text))


def read(data: dict, where: str = FILE) -> Crosswalk:
    """A crosswalk from its parsed TOML; an ``OntologyError`` naming ``where`` and the key
    for a type the ontology does not know or a link the ontology does not allow.

    >>> read({"entities": {"Person": "Human"}}, "x.toml")
    Traceback (most recent call last):
    ...
    graph.ontology.OntologyError: x.toml: [entities] Person: 'Human' is not an entity type
    """
    def fail(message: str):
        raise OntologyError(f"{where}: {message}")

    def entity_type(section: str, key: str, value) -> EntityType:
        if value not in EntityType.__members__:
            fail(f"[{section}] {key}: {value!r} is not an entity type")
        return EntityType(value)

    entities = {k: entity_type("entities", k, v) for k, v in data.get("entities", {}).items()}
    export: dict[EntityType, str] = {}
    for schema, type in entities.items():
        export.setdefault(type, schema)
    for type_name, schema in data.get("export_entities", {}).items():
        export[entity_type("export_entities", type_name, type_name)] = schema
    links = {}
    for schema, spec in data.get("links", {}).items():
        unknown = set(spec) - {"relation", "source", "target", "role"}
        if unknown or not {"relation", "source", "target"} <= set(spec):
            fail(f"[links.{schema}] needs relation, source and target (and may have role)")
        if spec["relation"] not in RelationType.__members__:
            fail(f"[links.{schema}] relation: {spec['relation']!r} is not a relation type")
        links[schema] = Link(schema, RelationType(spec["relation"]), spec["source"],
                             spec["target"], spec.get("role"))
    return Crosswalk(entities, export, links)
