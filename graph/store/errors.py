"""What a store raises when its server fails, and the locations that name a server: kept apart
from the Bolt store so that catching them, or telling a Bolt URL from a file, does not import
the Neo4j driver."""
from __future__ import annotations

BOLT_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


class StoreUnavailable(ConnectionError):
    """The Bolt server could not be reached, or stopped answering; nothing half-done stays."""


class StoreError(RuntimeError):
    """The Bolt server refused or failed a statement."""
