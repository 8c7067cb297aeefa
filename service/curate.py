"""Curating the graph: removing a document and what only it said. Merging and splitting
entities are ``graph.resolution.merges.merge_entities`` and ``split_entity``, called as they are.

>>> from graph.store import open_store
>>> from service.ingest import load
>>> store = open_store(":memory:")
>>> _ = load(store, ["Acme Alliance lobbied Jo Bloggs MP."])
>>> delete_document(store, "no such document") is None
True
>>> gone = delete_document(store, store.documents()[0].id)
>>> gone.removed["entities"], store.stats()["entities"]
(2, 0)
"""
from __future__ import annotations

from dataclasses import dataclass

from graph.model import Document
from graph.store import Store


@dataclass(frozen=True)
class Deleted:
    """The document removed and how many of each thing went with it (``evidence``,
    ``mentions``, ``relations``, ``entities``)."""

    document: Document
    removed: dict[str, int]


def delete_document(store: Store, reference: str) -> Deleted | None:
    """Remove the document ``reference`` names (its id, or the path or URL it was loaded from)
    with its evidence, the relations no other document backs and the entities nothing else
    names; None when no document has that reference."""
    found = store.find_document(reference)
    if found is None:
        return None
    return Deleted(found, store.delete_document(found.id))
