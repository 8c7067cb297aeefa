"""The notebook API: one object that loads documents into a store and asks it questions.

Examples
--------
>>> import stakegraph as sg, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.txt").write_text(
...     "In a letter to Business Secretary Jane Doe, trade bodies including Acme Alliance "
...     "urged support for stablecoins.")
>>> kg = sg.open(":memory:")
>>> kg.load([folder]).loaded
1
>>> [p.explain(kg.view.graph()) for p in kg.paths("Acme Alliance", "Department for Business and Trade")]
['Acme Alliance lobbies Jane Doe, who holds a role at Department for Business and Trade.']
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from graph.model import Entity
from graph.paths import InfluencePath
from graph.store import Store, open_store
from graph.view import GraphView
from loaders import LoaderError, extract_path, iter_paths


@dataclass
class LoadReport:
    """What a batch load did: documents stored, already present, and failed (with why)."""

    loaded: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


class KnowledgeGraph:
    """A stakeholder graph: documents in, questions answered with evidence."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.view = GraphView(store)

    def load(self, paths: Iterable[str | Path],
             progress: Callable[[Path, str], None] | None = None,
             extractor=None) -> LoadReport:
        """Extract and store each document, one transaction each.

        A bad document is reported (``LoadReport.failed``) and the batch goes on; what was
        stored before it stays stored. ``progress(path, outcome)`` is called per document.
        ``extractor`` defaults to the rule-based text extractor (see ``loaders.make_extractor``).
        """
        report = LoadReport()
        for path in iter_paths(paths):
            try:
                result = self.store.ingest(extract_path(path, extractor))
            except LoaderError as exc:
                report.failed.append((str(path), str(exc)))
                outcome = "failed"
            else:
                if result.created:
                    report.loaded += 1
                else:
                    report.unchanged += 1
                outcome = "loaded" if result.created else "unchanged"
            if progress is not None:
                progress(path, outcome)
        return report

    def entity(self, name: str) -> Entity:
        """The entity with this id, name or alias."""
        return self.view.resolve(name)

    def search(self, text: str, types=None, limit: int = 20) -> list[Entity]:
        return self.store.search(text, types=types, limit=limit)

    def paths(self, source: str, target: str, k: int = 3, max_hops: int = 4,
              mode: str = "influence", **filters) -> list[InfluencePath]:
        """The k strongest influence paths from ``source`` to ``target``; ``filters`` as in
        ``graph.paths.influence_paths`` (relation_types, entity_types, as_of, min_confidence,
        hub_penalty, weights)."""
        return self.view.paths(source, target, k=k, max_hops=max_hops, mode=mode, **filters)

    def influencers(self, target: str, max_hops: int = 3, limit: int = 50, **filters):
        """Who can influence ``target``, ranked by the strength of their best path to it."""
        return self.view.influencers(target, max_hops=max_hops, limit=limit, **filters)

    def rank(self, metric: str = "pagerank", types=None, personalize=None, limit: int = 50):
        """Entities ranked by pagerank, personalized_pagerank, degree or betweenness."""
        return self.view.rank(metric, types=types, personalize=personalize, limit=limit)

    def stats(self) -> dict[str, int]:
        return self.store.stats()

    def close(self) -> None:
        self.store.close()


def open(location: str = "stakegraph.db") -> KnowledgeGraph:  # noqa: A001 - like sg.open(...)
    """Open (or create) the graph at ``location``: a SQLite file path or ``:memory:``."""
    return KnowledgeGraph(open_store(location))
