"""Copying a whole graph between stores: ``stakegraph push`` (an embedded graph into Neo4j)
and ``stakegraph pull`` (the reverse).

Rows keep their ids, so the copy is the same graph, not a re-extraction; every kind is merged,
so running a copy again (after an interruption, or after more loading) adds only what is
missing. Each batch is one transaction.

Examples
--------
>>> from graph.store import SQLiteStore
>>> from graph.extraction import Extraction
>>> from graph.model import Document
>>> from graph.ontology import EntityType, RelationType
>>> a, b = SQLiteStore(":memory:"), SQLiteStore(":memory:")
>>> ex = Extraction(Document.from_text("UK Finance wrote to Peter Kyle."))
>>> x = ex.add_entity("UK Finance", EntityType.LobbyGroup, mentions=[(0, 10)])
>>> y = ex.add_entity("Peter Kyle", EntityType.Person, mentions=[(20, 30)])
>>> _ = ex.add_relation(x, RelationType.LOBBIES, y, 0, 31, "doctest")
>>> _ = a.ingest(ex)
>>> copy_graph(a, b)["relations"], b.stats() == a.stats()
(1, True)
>>> copy_graph(a, b)["relations"], b.stats() == a.stats()  # again: nothing new
(1, True)
"""
from __future__ import annotations

from typing import Callable

from graph.store.base import Store


def copy_graph(source: Store, target: Store,
               progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Copy every document, entity, key, relation, evidence span and mention of ``source``
    into ``target``, batch by batch; ``progress(kind, rows)`` is called after each batch.
    Returns the number of rows read of each kind."""
    counts: dict[str, int] = {}
    for kind, rows in source.dump():
        target.restore(kind, rows)
        counts[kind] = counts.get(kind, 0) + len(rows)
        if progress is not None:
            progress(kind, len(rows))
    return counts
