"""Fitting the learned layer (``loaders.text.learned``) from gold annotations.

Rows come from running the rules on each article: every name-shaped span they left untyped,
labelled with the type of the gold entity it names (the first type the gold allows), or NONE;
every candidate phrase (``loaders.text.phrases``), labelled Topic, Initiative or NONE; then,
with the entity and phrase models fitted, every pair of names in a sentence that no rule linked,
labelled with the type of the gold relation between their gold entities, either way (the
direction is the ontology's, see ``learned_relations``), or NONE. What the gold marks optional
is left out of the rows. The same articles in the same order give the same model.
"""
from __future__ import annotations

from graph.model import Document
from graph.names import name_key
from loaders.text.appositives import stated_around
from loaders.text.evaluation import Article, allowed, norm
from loaders.text.learned import (
    NONE,
    TextModel,
    candidate_pairs,
    learned_entities,
    learned_phrases,
    named_spans,
    with_anaphors,
)
from loaders.text.linear import LinearModel
from loaders.text.phrases import TYPES as PHRASE_TYPES
from loaders.text.phrases import phrase_rows, topic_words


def _gold_index(gold: dict) -> tuple[dict[str, int], dict[str, int]]:
    by_name = {norm(g["name"]): i for i, g in enumerate(gold["entities"])}
    by_any: dict[str, int] = {}
    for i, g in enumerate(gold["entities"]):
        for n in [g["name"], *g.get("aliases", [])]:
            by_any.setdefault(norm(n), i)
    return by_name, by_any


def _match(names: list[str], index: tuple[dict[str, int], dict[str, int]]) -> int | None:
    by_name, by_any = index
    keys = [norm(n) for n in names if n]
    return next((by_name[k] for k in keys if k in by_name),
                next((by_any[k] for k in keys if k in by_any), None))


def entity_rows(extractor, articles: list[Article],
                names: dict[str, str]) -> tuple[list[list[str]], list[str]]:
    rows, labels = [], []
    for a in articles:
        reading = extractor.read(Document.from_text(a.text))
        index = _gold_index(a.gold)
        tk = reading.tokens
        for (start, end), features, _ in learned_entities(
                None, 0.0, tk, reading.mentions, reading.titles, reading.ex,
                extractor.mentions, extractor.first_names, names, training=True):
            gi = _match([tk.span_text(start, end)], index)
            if gi is not None and a.gold["entities"][gi].get("optional"):
                continue
            rows.append(features)
            labels.append(NONE if gi is None else allowed(a.gold["entities"][gi]["type"])[0])
    return rows, labels


def phrase_label_rows(extractor, articles: list[Article], topics: frozenset[str]
                      ) -> tuple[list[list[str]], list[str]]:
    """The candidate phrases of every article (``loaders.text.phrases``) and the lower-case
    topics the rules found, labelled Topic, Initiative or NONE by the gold (names the gold
    gives another type, or marks optional, are left out)."""
    rows, labels = [], []
    for a in articles:
        reading = extractor.read(Document.from_text(a.text))
        index = _gold_index(a.gold)
        tk = reading.tokens
        for (start, end), features in phrase_rows(
                tk, reading.mentions, reading.titles, extractor.mentions.stop_words,
                topics, training=True):
            gi = _match([tk.span_text(start, end)], index)
            label = NONE
            if gi is not None:
                gold = a.gold["entities"][gi]
                label = next((t for t in allowed(gold["type"]) if t in PHRASE_TYPES), "")
                if gold.get("optional") or not label:
                    continue
            rows.append(features)
            labels.append(label)
    return rows, labels


def relation_rows(extractor, articles: list[Article], entities: LinearModel, threshold: float,
                  names: dict[str, str], phrases: LinearModel | None = None,
                  topics: frozenset[str] = frozenset(), phrase_threshold: float = 0.65
                  ) -> tuple[list[list[str]], list[str]]:
    rows, labels = [], []
    for a in articles:
        reading = extractor.read(Document.from_text(a.text))
        tk = reading.tokens
        added = learned_entities(entities, threshold, tk, reading.mentions, reading.titles,
                                 reading.ex, extractor.mentions, extractor.first_names, names)
        learned = [n for _, _, n in added if n is not None]
        learned += learned_phrases(phrases, phrase_threshold, tk, reading.mentions, reading.titles,
                                   reading.ex, extractor.mentions, learned, topics)
        named = named_spans(tk, reading.mentions, reading.entities, learned)
        stated_around(tk, named, reading.ex, extractor.lexicon)
        index = _gold_index(a.gold)
        golds = a.gold["entities"]
        for first, second, features in candidate_pairs(
                tk, with_anaphors(tk, named, extractor.lexicon), reading.ex, extractor.lexicon):
            ga = _match([first.entity.name, *first.entity.aliases], index)
            gb = _match([second.entity.name, *second.entity.aliases], index)
            label, optional = NONE, False
            if ga is not None and gb is not None:
                na, nb = golds[ga]["name"], golds[gb]["name"]
                for g in a.gold["relations"]:
                    if {g["source"], g["target"]} == {na, nb}:
                        label, optional = allowed(g["type"])[0], bool(g.get("optional"))
                        break
            if optional:
                continue
            rows.append(features)
            labels.append(label)
    return rows, labels


def train(articles: list[Article], names: dict[str, str] | None = None,
          entity_threshold: float = 0.5, relation_threshold: float = 0.5,
          phrase_threshold: float = 0.65) -> TextModel:
    """The learned layer fitted on ``articles``, with ``names`` (``register_names``) as a
    feature of candidate names."""
    from loaders.text.extractor import TextExtractor

    names = names or {}
    rules = TextExtractor(model=None)
    entities = LinearModel.fit(*entity_rows(rules, articles, names))
    topics = topic_words(rules.lexicon.topics, names)
    phrases = LinearModel.fit(*phrase_label_rows(rules, articles, topics))
    relations = LinearModel.fit(*relation_rows(rules, articles, entities, entity_threshold,
                                               names, phrases, topics, phrase_threshold))
    return TextModel(entities, relations, entity_threshold, relation_threshold, names, phrases,
                     phrase_threshold)


def register_names(paths: list[str]) -> dict[str, str]:
    """The names register files give (by ``graph.names.name_key``), with the type their
    loaders give each (the commonest, then the first in type order): what the registers know
    of who is who, for the name model. The same files give the same names."""
    from collections import Counter

    from loaders import LoaderError, extract_path, iter_paths

    seen: dict[str, Counter] = {}
    for path in iter_paths(sorted(paths)):
        if path.suffix.lower() in (".txt", ".md", ".html", ".htm"):
            continue
        try:
            entities = extract_path(path).entities
        except LoaderError:  # a register the loaders cannot read yet gives no names
            continue
        for e in entities:
            key = name_key(e.name)
            if 2 < len(key) <= 80 and not e.attributes.get("implied"):
                seen.setdefault(key, Counter())[e.type.value] += 1
    return {name: min(types, key=lambda t: (-types[t], t)) for name, types in sorted(seen.items())}
