"""Where the graph lives. ``open_store`` picks the backend from the location it is given.

Examples
--------
>>> store = open_store(":memory:")
>>> store.stats()["entities"]
0
"""
from __future__ import annotations

from typing import Any

from graph.store.base import IngestReport, Store
from graph.store.errors import BOLT_SCHEMES, StoreError, StoreUnavailable
from graph.store.sqlite import SQLiteStore


def open_store(location: str, database: str | None = None) -> Store:
    """Open the store at ``location``: a Bolt URL (``bolt://host:7687``, ``neo4j+s://...``;
    ``database`` names the Neo4j database, credentials come from the environment, see
    ``graph.store.bolt.credentials``), or a SQLite file path (created if missing) or
    ``:memory:``."""
    if location.startswith(BOLT_SCHEMES):
        from graph.store.bolt import BoltStore
        return BoltStore(location, database=database)
    return SQLiteStore(location)


def __getattr__(name: str) -> Any:
    """``BoltStore``, imported on first use: the Neo4j driver costs half a second to import,
    which a command on the embedded store need not pay."""
    if name == "BoltStore":
        from graph.store.bolt import BoltStore
        return BoltStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["BoltStore", "IngestReport", "SQLiteStore", "Store", "StoreError", "StoreUnavailable",
           "open_store"]
