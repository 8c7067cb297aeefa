"""The store interface every backend implements, so that loaders, analytics, the GraphQL
schema and the CLI never depend on one database."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Protocol

import networkx as nx

from graph.extraction import Extraction
from graph.model import Document, Entity, Relation
from graph.names import name_key
from graph.ontology import EntityType, RelationType

if TYPE_CHECKING:
    from graph.resolution.merges import Changes, MergeRecord


def assemble_entities(rows: Iterable[Mapping[str, Any]],
                      alias_pairs: Iterable[tuple[str, str]]) -> list[Entity]:
    """Entities from stored rows (``id``, ``type``, ``name``, JSON ``attributes``) and their
    (entity id, alias) pairs, as every store returns them: aliases sorted, without the
    entity's own name or a name with the same key.

    >>> assemble_entities([{"id": "Agency:fca", "type": "Agency", "name": "FCA",
    ...                     "attributes": "{}"}],
    ...                   [("Agency:fca", "Financial Conduct Authority"), ("Agency:fca", "FCA")])
    [Entity(id='Agency:fca', type=<EntityType.Agency: 'Agency'>, name='FCA', \
aliases=['Financial Conduct Authority'], attributes={})]
    """
    aliases: dict[str, list[str]] = {}
    for eid, alias in sorted(alias_pairs, key=lambda pair: pair[1]):
        aliases.setdefault(eid, []).append(alias)
    out = []
    for r in rows:
        own = name_key(r["name"])
        names = [a for a in aliases.get(r["id"], []) if name_key(a) != own]
        attributes = r["attributes"]
        out.append(Entity(r["id"], EntityType(r["type"]), r["name"], list(dict.fromkeys(names)),
                          {} if not attributes or attributes == "{}" else json.loads(attributes)))
    return out


@dataclass(frozen=True)
class Changed:
    """What the writes after a mark of a store's change log changed (``Store.changes``):
    the entities created, retyped or deleted, and the relations created, updated, deleted or
    given other evidence, each with the ends it had before the change (or was created with)."""

    mark: int
    entities: frozenset[str] = frozenset()
    relations: Mapping[str, frozenset[tuple[str, str]]] = field(default_factory=dict)


@dataclass(frozen=True)
class IndexRows:
    """The rows the analytic index is built from (``Store.index_rows``): entities as (id,
    type, number) in order of id; relations as (id, number, source number, target number,
    type, start, end); evidence as (relation number, best confidence in one document, pieces
    of evidence there), a row per relation and document in order of document id; and the
    change log's mark they were read at. Numbers are the store's own (any distinct integers
    from 0 up)."""

    entities: list[tuple[str, str, int]]
    relations: list[tuple[str, int, int, int, str, Any, Any]]
    evidence: list[tuple[int, float, int]]
    mark: int


@dataclass(frozen=True)
class IngestReport:
    """What one ingest did. ``created`` is False when the document was already stored;
    ``new_entities`` are the ids of the entities it brought into the graph; ``same`` the pairs
    of stored entities it names as one (``graph.resolution.rules.other_holders``); ``merges``
    the automatic merges that followed (``graph.resolution.ingest``)."""

    document_id: str
    created: bool
    entities: int = 0
    relations: int = 0
    evidence: int = 0
    new_entities: tuple[str, ...] = ()
    merges: tuple[str, ...] = ()
    same: tuple[tuple[str, str], ...] = ()


def pending_items(report: IngestReport) -> list[str]:
    """The automatic merges an ingest leaves to make, as a store keeps them until they are
    made: the new entities' ids, and the pairs named as one (``a<TAB>b``).

    >>> pending_items(IngestReport("d1", True, new_entities=("Company:meta",),
    ...                            same=(("Company:meta", "Company:facebook"),)))
    ['Company:meta', 'Company:meta\\tCompany:facebook']
    """
    return [*report.new_entities, *("\t".join(pair) for pair in report.same)]


def pending_merges_of(items: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """The pairs named as one and the new entities, from a document's pending items (the
    inverse of ``pending_items``).

    >>> pending_merges_of(['Company:meta', 'Company:meta\\tCompany:facebook'])
    ([('Company:meta', 'Company:facebook')], ['Company:meta'])
    """
    pairs = [tuple(item.split("\t", 1)) for item in items if "\t" in item]
    return pairs, [item for item in items if "\t" not in item]


class Store(Protocol):
    """A graph of entities and evidence-backed relations, ingested one document at a time."""

    def ingest(self, extraction: Extraction) -> IngestReport:
        """Store one document's extraction in one transaction; a stored document is skipped."""

    def document(self, document_id: str) -> Document | None: ...

    def find_document(self, ref: str) -> Document | None:
        """A document by id or by its source (path or URL)."""

    def delete_document(self, document_id: str) -> dict[str, int] | None:
        """Remove a document and what only it said, in one transaction."""

    def documents(self, with_text: bool = True) -> list[Document]:
        """Every document, in ingest order; ``with_text=False`` leaves ``text`` empty."""

    def entity(self, entity_id: str) -> Entity | None: ...

    def entities(self, ids: list[str]) -> list[Entity | None]:
        """The entities with these ids, in that order (None where there is none)."""

    def documents_by_id(self, ids: list[str]) -> list[Document | None]:
        """The documents with these ids (text left empty), in that order."""

    def find_entity(self, name: str, type: EntityType | None = None) -> Entity | None:
        """The entity whose name or alias resolves to ``name``, or None."""

    def names(self) -> list[tuple[str, str]]:
        """Every (entity id, name or alias) pair, for fuzzy matching."""

    def search(self, text: str, types: Iterable[EntityType] | None = None,
               limit: int = 20) -> list[Entity]:
        """Entities whose name or an alias contains ``text``, best matches first."""

    def relations(self, entity_id: str | None = None, direction: str = "both",
                  types: Iterable[RelationType] | None = None) -> list[Relation]:
        """Relations with their evidence, of one entity (``out``, ``in`` or ``both``) or all."""

    def revision(self) -> int:
        """A number that changes whenever the graph does, so derived views know to refresh."""

    def relations_for(self, entity_ids: list[str], direction: str = "both",
                      types: Iterable[RelationType] | None = None) -> dict[str, list[Relation]]:
        """The relations of each of these entities, in one batch."""

    def relations_by_id(self, ids: list[str]) -> list[Relation | None]:
        """The relations with these ids (with evidence), in that order; None where none."""

    def saved_index(self) -> tuple[Path, str] | None:
        """Where the analytic index of this graph is saved and the store's id it is saved
        for (``graph.index_files``), or None where it is not saved."""

    def index_rows(self) -> IndexRows | None:
        """The rows the analytic index is built from without the whole graph, or None when
        the store cannot give them (the index is then built from ``to_networkx``)."""

    def changes(self, since: int | None = None) -> Changed | None:
        """What changed after the mark ``since`` of the store's change log (None: nothing, the
        current mark only); None when the log no longer reaches back that far or the store
        keeps none, and a reader must read the whole graph again."""

    def stats(self) -> dict[str, int]: ...

    def to_networkx(self) -> nx.MultiDiGraph:
        """The whole graph for analytics: nodes are entity ids, edge keys relation ids."""

    def dump(self, batch: int = 5000) -> Iterator[tuple[str, list[dict]]]:
        """Every row, as ``(kind, rows)`` batches, for copying to another store."""

    def restore(self, kind: str, rows: list[dict]) -> None:
        """Merge rows of one kind from some store's ``dump``, keeping their ids."""

    def keys_of(self, entity_id: str) -> list[dict]:
        """An entity's resolution keys: ``type``, ``key`` and the ``alias`` it came from."""

    def mentions_of(self, entity_id: str) -> list[dict]:
        """Where documents name an entity: ``document_id``, ``start``, ``end``, ``text``."""

    def block_keys(self, type: EntityType, block: str, lengths: tuple[int, int], surname: bool,
                   limit: int) -> list[tuple[str, str]]:
        """``(entity_id, key)`` for keys of this type beginning with ``block`` (or, with
        ``surname``, whose last word it is), ``lengths`` (min, max) long: the candidates for
        fuzzy matching (``graph.resolution.fuzzy``)."""

    def document_entities(self, document_id: str) -> list[str]:
        """The ids of the entities a document names, in order."""

    def share_neighbour(self, a: str, b: str) -> bool:
        """Whether two entities have a relation with one same third entity (a second signal
        that two people of one name are one person)."""

    def rewrite(self, plan: Callable[[], Changes]) -> Changes:
        """Apply ``plan()``'s changes (a merge or split, ``graph.resolution.merges``) at once."""

    def merges(self, entity_id: str | None = None) -> list[MergeRecord]:
        """The merges recorded (of which ``entity_id`` was either side), oldest first."""

    def close(self) -> None: ...
