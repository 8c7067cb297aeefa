"""stakegraph: documents in, a graph of who influences whom out, every link backed by the
sentence that shows it. ``import stakegraph as sg; kg = sg.open("stakegraph.db")``, or
``kg = sg.connect("http://127.0.0.1:8000/graphql")`` for a running server."""
from stakegraph.api import KnowledgeGraph, LoadReport, RemoteGraph, connect, open

__all__ = ["KnowledgeGraph", "LoadReport", "RemoteGraph", "connect", "open"]
