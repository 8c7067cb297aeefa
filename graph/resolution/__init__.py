"""Entity resolution above the stores: which stored entity a name is, and which entities are one.

- ``rules``: the rules every store follows (registry ids first, then names; a second signal
  for people named by two registers; pairs one document names as one).
- ``plan``: one document's resolution as a plan (create, retype, add keys, rename), made from
  a store's batched ``Lookups`` inside its ingest transaction and applied by the store.
- ``merges``: merging two entities and splitting them again, as ``Changes`` a store applies.
- ``fuzzy``: the automatic merges of near-identical names after an ingest.

``ingest`` stores one extraction and makes the automatic merges it leaves; the merges take the
store as an argument, so a store never calls back into this policy.

Examples
--------
>>> from graph.extraction import Extraction
>>> from graph.model import Document
>>> from graph.ontology import EntityType
>>> from graph.store import open_store
>>> store = open_store(":memory:")
>>> for text in ["Tech UK wrote.", "TechUK wrote."]:
...     ex = Extraction(Document.from_text(text))
...     _ = ex.add_entity(text[:-7], EntityType.LobbyGroup, mentions=[(0, len(text) - 7)])
...     report = ingest(store, ex)
>>> len(report.merges), store.stats()["entities"]
(1, 1)
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from graph.extraction import Extraction
from graph.resolution.fuzzy import auto_merge, merge_named_as_one
from graph.store.base import pending_merges_of

if TYPE_CHECKING:
    from graph.store.base import IngestReport, Store


def ingest(store: Store, extraction: Extraction) -> IngestReport:
    """Store one extraction (``store.ingest``, one transaction) and make the automatic merges
    it leaves: the entities the document names as one, then near-identical names of the
    entities it brought in (``graph.resolution.fuzzy``). The merges are recorded with the
    document until made, so a crash in between is made good when the document is loaded
    again (it is then skipped as stored, and its merges are made)."""
    report = store.ingest(extraction)
    if report.created:
        pairs, created = list(report.same), list(report.new_entities)
    else:  # stored before: by an ingest that may have stopped before its merges
        pairs, created = pending_merges_of(store.pending_merges(report.document_id))
    if not pairs and not created:
        return report
    # idempotent: a merged entity is gone, so skipped
    made = merge_named_as_one(store, pairs) + auto_merge(store, created)
    store.drop_pending(report.document_id)
    return replace(report, merges=tuple(m.id for m in made))


__all__ = ["ingest"]
