"""stakegraph's domain: entities, relations, evidence and documents, the stores that hold them,
and the analytics that read them. Imports nothing from ``loaders``, ``schema`` or ``stakegraph``."""

from graph.extraction import ExtractedEntity, ExtractedRelation, Extraction
from graph.model import Document, Entity, Evidence, Mention, Relation
from graph.ontology import EntityType, RelationType

__all__ = [
    "Document", "Entity", "EntityType", "Evidence", "Extraction", "ExtractedEntity",
    "ExtractedRelation", "Mention", "Relation", "RelationType",
]
