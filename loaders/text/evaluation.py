"""Scoring extractions against gold annotations, and scoring by folds.

The rules of matching are those of the team's reference scorer (`eval/score_extraction.py`;
its figures and these agree on the same predictions, a test checks it):

- names compare after Unicode (NFKC) and typographic-punctuation folding, dropping dots, case
  folding, collapsing spaces, and dropping a leading "the", a trailing "'s" and stray
  punctuation at the ends;
- a predicted entity matches the gold entity whose name equals one of its names (its name
  first, then its aliases), else one whose alias does; matched to an optional gold entity it
  counts for nothing; with a type the gold does not allow, or matching a gold entity already
  claimed, it is a false positive; unmatched, a false positive; every gold entity not claimed
  and not optional is a false negative;
- a predicted relation matches a gold relation of an allowed type between the gold entities
  its ends matched (either direction for symmetric types), preferring one not optional and not
  yet claimed; a relation whose ends match no gold entity, or that matches none, is a false
  positive; one matching only an optional or already claimed gold relation counts for nothing;
- a relation is grounded when one of its evidence spans has a non-empty quote equal to the
  text at its offsets.

Counts are summed over documents (micro averages). With folds, the articles are split into K
folds by their sorted names (article i in fold i mod K); whatever is learned is fitted on the
other folds' gold and scored on the held-out fold; the held-out mean is the mean of the folds'
figures.

Examples
--------
>>> gold = {"entities": [{"name": "HM Treasury", "type": "Agency", "aliases": ["Treasury"]},
...                      {"name": "UK Finance", "type": ["LobbyGroup", "Organization"]}],
...         "relations": [{"source": "UK Finance", "target": "HM Treasury",
...                        "type": "LOBBIES"}]}
>>> pred = {"entities": [{"id": "e1", "name": "the Treasury", "type": "Agency"},
...                      {"id": "e2", "name": "UK Finance", "type": "Company"}],
...         "relations": [{"source": "e2", "target": "e1", "type": "LOBBIES",
...                        "evidence": [{"quote": "UK", "start": 0, "end": 2}]}]}
>>> s = score_document(gold, pred, "UK Finance wrote to the Treasury.")
>>> (s.entities.tp, s.entities.fp, s.entities.fn), (s.relations.tp, s.grounded)
((1, 1, 1), (1, 1))
>>> s.kinds["entity: wrong type"]
1
"""
from __future__ import annotations

import json
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

SYMMETRIC = {"COLLABORATES_WITH", "ASSOCIATED_WITH", "MEETS"}
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                       "\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-", ".": ""})


def norm(name: str) -> str:
    """A name as the scorer compares it.

    >>> norm("The U.K.’s  Treasury")
    "uk's treasury"
    >>> norm("Justice Department's")
    'justice department'
    """
    s = " ".join(unicodedata.normalize("NFKC", name).translate(_FOLD).casefold().split())
    if s.startswith("the "):
        s = s[4:]
    if s.endswith("'s"):
        s = s[:-2]
    return s.strip(" ,;:'\"")


def allowed(value) -> list[str]:
    """A gold type, or list of types, as a list."""
    return list(value) if isinstance(value, list) else [value]


@dataclass
class Counts:
    """True positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __iadd__(self, other: "Counts") -> "Counts":
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn
        return self

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return p, r, 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class DocumentScore:
    """One article's counts, its grounded relations, and its errors by kind with notes."""

    name: str = ""
    entities: Counts = field(default_factory=Counts)
    relations: Counts = field(default_factory=Counts)
    grounded: int = 0
    predicted_relations: int = 0
    kinds: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def __iadd__(self, other: "DocumentScore") -> "DocumentScore":
        self.entities += other.entities
        self.relations += other.relations
        self.grounded += other.grounded
        self.predicted_relations += other.predicted_relations
        self.kinds.update(other.kinds)
        return self

    def figures(self) -> dict[str, float]:
        ep, er, ef = self.entities.prf()
        rp, rr, rf = self.relations.prf()
        grounded = 100.0 * self.grounded / self.predicted_relations \
            if self.predicted_relations else 100.0
        return {"entity_p": ep, "entity_r": er, "entity_f1": ef, "relation_p": rp,
                "relation_r": rr, "relation_f1": rf, "grounded_pct": grounded}

    def note(self, kind: str, text: str) -> None:
        self.kinds[kind] += 1
        self.notes.append(f"  {text}")


def score_document(gold: dict, pred: dict, text: str | None, name: str = "") -> DocumentScore:
    """Score one article's predictions (``{"entities": [...], "relations": [...]}``, as
    ``Extraction.to_dict`` gives them) against its gold annotation."""
    out = DocumentScore(name)
    golds = gold["entities"]
    by_name = {norm(g["name"]): i for i, g in enumerate(golds)}
    by_any: dict[str, int] = {}
    for i, g in enumerate(golds):
        for n in [g["name"], *g.get("aliases", [])]:
            by_any.setdefault(norm(n), i)
    to_gold: dict[str, int] = {}
    claimed: set[int] = set()
    for e in pred.get("entities", []):
        keys = [norm(n) for n in [e.get("name", ""), *e.get("aliases", [])] if n]
        gi = next((by_name[k] for k in keys if k in by_name),
                  next((by_any[k] for k in keys if k in by_any), None))
        if gi is None:
            out.entities.fp += 1
            out.note(f"entity: spurious {e.get('type')}", f"+ spurious entity "
                     f"{e.get('name')!r} ({e.get('type')})")
            continue
        g = golds[gi]
        for ref in (e.get("id"), e.get("name")):
            if ref:
                to_gold.setdefault(str(ref), gi)
        if g.get("optional"):
            continue
        if e.get("type") not in allowed(g["type"]):
            out.entities.fp += 1
            out.note("entity: wrong type", f"~ {e.get('name')!r} typed {e.get('type')}, "
                     f"gold {g['type']}")
        elif gi in claimed:
            out.entities.fp += 1
            out.note("entity: duplicate", f"= duplicate of {g['name']!r}: {e.get('name')!r}")
        else:
            claimed.add(gi)
            out.entities.tp += 1
    _missed(out.entities, out, golds, claimed, "entity",
            lambda g: f"{g['name']!r} ({g['type']})")

    rels = gold["relations"]
    taken: set[int] = set()
    for r in pred.get("relations", []):
        out.predicted_relations += 1
        if text is not None and any(
                isinstance(ev.get("start"), int) and isinstance(ev.get("end"), int)
                and ev.get("quote") and text[ev["start"]:ev["end"]] == ev["quote"]
                for ev in r.get("evidence", [])):
            out.grounded += 1
        s, t = to_gold.get(str(r.get("source"))), to_gold.get(str(r.get("target")))
        if s is None or t is None:
            out.relations.fp += 1
            out.note("relation: spurious (an end not in gold)",
                     f"+ spurious relation {r.get('source')} -{r.get('type')}-> "
                     f"{r.get('target')} (endpoint not in gold)")
            continue
        pair = golds[s]["name"], golds[t]["name"]
        hit = None
        for j, g in enumerate(rels):
            if r.get("type") not in allowed(g["type"]):
                continue
            if (g["source"], g["target"]) == pair or (
                    r.get("type") in SYMMETRIC and (g["target"], g["source"]) == pair):
                hit = j
                if not g.get("optional") and j not in taken:
                    break
        if hit is None:
            out.relations.fp += 1
            out.note(f"relation: spurious {r.get('type')}",
                     f"+ spurious relation {pair[0]} -{r.get('type')}-> {pair[1]}")
        elif not rels[hit].get("optional") and hit not in taken:
            taken.add(hit)
            out.relations.tp += 1
    _missed(out.relations, out, rels, taken, "relation",
            lambda g: f"{g['source']} -{g['type']}-> {g['target']}")
    return out


def _missed(counts: Counts, out: DocumentScore, golds: list[dict], claimed: set[int],
            what: str, shown: Callable[[dict], str]) -> None:
    """Count and note every gold item neither optional nor claimed as a false negative."""
    for i, g in enumerate(golds):
        if not g.get("optional") and i not in claimed:
            counts.fn += 1
            out.note(f"{what}: missed {allowed(g['type'])[0]}", f"- missed {what} {shown(g)}")


@dataclass(frozen=True)
class Article:
    """One gold article: its name, text and annotation."""

    name: str
    path: Path
    text: str
    gold: dict


def articles(gold_dir: str | Path) -> list[Article]:
    """The articles of a gold folder (``<name>.txt`` beside ``<name>.gold.json``), sorted."""
    found = []
    for p in sorted(Path(gold_dir).glob("*.txt")):
        gold = p.with_suffix(".gold.json")
        if gold.exists():
            found.append(Article(p.name, p, p.read_text(encoding="utf-8"),
                                 json.loads(gold.read_text(encoding="utf-8"))))
    return found


@dataclass
class Report:
    """Scores per article (held out where folds were used), totals, and fold figures."""

    rows: list[DocumentScore]
    total: DocumentScore
    folds: list[dict[str, float]] = field(default_factory=list)

    def held_out_mean(self) -> dict[str, float]:
        """The mean over folds of each figure (the totals' figures without folds)."""
        if not self.folds:
            return self.total.figures()
        return {k: sum(f[k] for f in self.folds) / len(self.folds) for k in self.folds[0]}


def score(items: Iterable[tuple[Article, dict]]) -> Report:
    """Score (article, predictions) pairs."""
    rows = [score_document(a.gold, pred, a.text, a.name) for a, pred in items]
    total = DocumentScore("all")
    for row in rows:
        total += row
    return Report(rows, total)


def fold_of(index: int, k: int) -> int:
    """The fold of the article at ``index`` of the sorted list, of ``k``."""
    return index % k


def evaluate(found: list[Article], extractor_for: Callable[[list[Article]], object],
             folds: int | None = None) -> Report:
    """Score the extractor that ``extractor_for(training articles)`` gives (an object with
    ``extract(Document)``). Without ``folds``, one extractor trained on every article scores
    every article (the fit); with ``folds``, each fold is scored by an extractor trained on
    the others (held out)."""
    from graph.model import Document

    def predict(extractor, a: Article) -> dict:
        return extractor.extract(Document.from_text(a.text, source=str(a.path))).to_dict()

    if not folds:
        extractor = extractor_for(found)
        return score((a, predict(extractor, a)) for a in found)
    pairs: dict[str, tuple[Article, dict]] = {}
    fold_figures = []
    for k in range(folds):
        held = [a for i, a in enumerate(found) if fold_of(i, folds) == k]
        extractor = extractor_for([a for i, a in enumerate(found) if fold_of(i, folds) != k])
        part = [(a, predict(extractor, a)) for a in held]
        pairs.update({a.name: p for a, p in zip(held, part)})
        fold_figures.append(score(part).total.figures())
    report = score(pairs[a.name] for a in found)
    report.folds = fold_figures
    return report
