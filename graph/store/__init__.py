"""Where the graph lives. ``open_store`` picks the backend from the location it is given.

Examples
--------
>>> store = open_store(":memory:")
>>> store.stats()["entities"]
0
"""
from __future__ import annotations

from graph.store.base import IngestReport, Store
from graph.store.bolt import BOLT_SCHEMES, BoltStore, StoreError, StoreUnavailable
from graph.store.sqlite import SQLiteStore


def open_store(location: str, database: str | None = None) -> Store:
    """Open the store at ``location``: a Bolt URL (``bolt://host:7687``, ``neo4j+s://...``;
    ``database`` names the Neo4j database, credentials come from the environment, see
    ``graph.store.bolt.credentials``), or a SQLite file path (created if missing) or
    ``:memory:``."""
    if location.startswith(BOLT_SCHEMES):
        return BoltStore(location, database=database)
    return SQLiteStore(location)


__all__ = ["BoltStore", "IngestReport", "SQLiteStore", "Store", "StoreError", "StoreUnavailable",
           "open_store"]
