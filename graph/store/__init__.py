"""Where the graph lives. ``open_store`` picks the backend from the location it is given.

Examples
--------
>>> store = open_store(":memory:")
>>> store.stats()["entities"]
0
"""
from __future__ import annotations

from graph.store.base import IngestReport, Store
from graph.store.sqlite import SQLiteStore


def open_store(location: str) -> Store:
    """Open the store at ``location``: a SQLite file path (created if missing) or ``:memory:``."""
    if location.startswith(("bolt://", "neo4j://", "bolt+s://", "neo4j+s://")):
        raise NotImplementedError("the Bolt store is not part of this release yet")
    return SQLiteStore(location)


__all__ = ["IngestReport", "SQLiteStore", "Store", "open_store"]
