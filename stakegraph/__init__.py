"""stakegraph: documents in, a graph of who influences whom out, every link backed by the
sentence that shows it. ``import stakegraph as sg; kg = sg.open("stakegraph.db")``."""
from stakegraph.api import KnowledgeGraph, LoadReport, open

__all__ = ["KnowledgeGraph", "LoadReport", "open"]
