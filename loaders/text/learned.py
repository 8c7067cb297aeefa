"""The learned layer of the text extractor: names the rules left untyped, lower-case topics
and initiatives, and relations no cue phrase states, decided by three linear models over
general features.

The rules (``mentions``, ``relations``) find what their lexicons and cue phrases know, with
high precision. This layer adds what they miss, and never removes what they found:

- **entities**: every name-shaped span the rules did not type (a run of capitalised words with
  its connectors, CamelCase, an acronym) is a candidate, typed by a model over its own words,
  their shapes and suffixes, the words around it, and what the lexicons say of it (a gazetteer
  or head-word hit, a title or honorific before it, a known first name); a name the document
  already has (a surname, an acronym, an alias, a fuller name) joins that entity instead;
- **phrases**: every run of lower-case content words and its pieces ("drug pricing", "code
  of conduct") is a candidate topic or initiative, judged by a model of its own
  (``loaders.text.phrases``);
- **relations**: every pair of entities named in one sentence that no rule linked is a
  candidate, labelled (a type or none; the ontology gives the direction) by a model over the
  pair's types, the words between and around them, their distance and order, the entities and
  punctuation between them, and the title a person holds; the evidence is the sentence.

The models are fitted from gold annotations (``train``) and ship as one JSON file
(``loaders/data/text_model.json``), rebuilt by ``stakegraph train``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterable

from graph.extraction import ExtractedEntity, Extraction
from graph.names import name_key
from graph.ontology import ORGANISATIONS, EntityType, RelationType
from loaders.text.lexicon import places
from loaders.text.linear import LinearModel
from loaders.text.mentions import (
    CONNECTORS,
    HYPHENS,
    Mention,
    Tokens,
    head_index,
    shortened,
    taken_tokens,
)
from loaders.text.phrases import add_phrases, chosen_phrases, phrase_rows

NONE = "NONE"
MODEL_FILE = "data/text_model.json"
MAX_BETWEEN = 12  # words between two ends that are features one by one
MAX_RUN = 10  # words of a run of names beyond which its ends are not cut
MAX_DISTANCE = 30  # tokens between two names beyond which no relation is looked for
LIST_THRESHOLD = 0.3  # for a name whose list's other names the rules all typed alike
POSSESSIVES = frozenset({"'s", "\u2019s"})
NOT_IN_PERSON = frozenset({"of", "for", "&"})  # connectors of organisations' names only
BODIES = ORGANISATIONS | {EntityType.Agency}


@dataclass
class TextModel:
    """The two models and the probability each decision needs."""

    entities: LinearModel
    relations: LinearModel
    entity_threshold: float = 0.5
    relation_threshold: float = 0.5
    names: dict[str, str] = field(default_factory=dict)  # register names -> their type
    phrases: LinearModel | None = None  # lower-case topics and initiatives (``phrases``)
    phrase_threshold: float = 0.65  # above the names': a phrase has no capital to vouch for it

    def to_dict(self) -> dict:
        out = {"entities": self.entities.to_dict(), "relations": self.relations.to_dict(),
               "entity_threshold": self.entity_threshold,
               "relation_threshold": self.relation_threshold, "names": self.names}
        if self.phrases is not None:
            out["phrases"] = self.phrases.to_dict()
            out["phrase_threshold"] = self.phrase_threshold
        return out

    @classmethod
    def from_dict(cls, data: dict) -> "TextModel":
        phrases = data.get("phrases")
        return cls(LinearModel.from_dict(data["entities"]),
                   LinearModel.from_dict(data["relations"]),
                   data["entity_threshold"], data["relation_threshold"],
                   dict(data.get("names", {})),
                   LinearModel.from_dict(phrases) if phrases else None,
                   data.get("phrase_threshold", 0.65))

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
                              + "\n", encoding="utf-8")

    @classmethod
    def shipped(cls) -> "TextModel | None":
        """The model in the package, if it has one."""
        file = resources.files("loaders").joinpath(MODEL_FILE)
        return cls.from_dict(json.loads(file.read_text("utf-8"))) if file.is_file() else None


MONTHS = frozenset("january february march april may june july august september october "
                   "november december monday tuesday wednesday thursday friday saturday "
                   "sunday".split())


# -- candidates and features ------------------------------------------------------------------

def name_spans(tk: Tokens, blocked: set[int]) -> list[tuple[int, int]]:
    """Candidate names: every run of name-shaped tokens within a sentence, with the connectors
    a name allows between them ("Department of Justice", "Tech UK", "1MDB"), without a
    leading "The", over the tokens not ``blocked`` (those of names and titles the rules
    found); and the pieces of each run between its connectors ("Chuck Grassley of Iowa" gives
    "Chuck Grassley" and "Iowa" too). Overlapping candidates are settled by the model."""
    def namelike(k: int) -> bool:
        return k < tk.n and k not in blocked and (tk.name[k] or tk.text[k][:1].isdigit()
                                                  and any(c.isupper() for c in tk.text[k]))

    def connector(k: int) -> bool:
        """A word a name holds between its words ("of", "von der", "&"), or a hyphen
        written without spaces ("Kollar-Kotelly"; a spaced dash parts a dateline)."""
        return tk.lower[k] in CONNECTORS or tk.text[k] in HYPHENS and not (
            tk.ws[k - 1] and tk.ws[k])

    spans, seen, i = [], set(), 0
    while i < tk.n:
        if not namelike(i):
            i += 1
            continue
        j, pieces, piece, before_word = i + 1, [], i, []
        while j < tk.n and not tk.sent_start[j]:
            if namelike(j):
                j += 1
                continue
            k = j
            while k < tk.n and k - j < 2 and connector(k) and not tk.sent_start[k]:
                k += 1
            if k > j and namelike(k) and not tk.sent_start[k]:
                pieces.append((piece, j))
                if tk.lower[j] in CONNECTORS:  # "... of", not a hyphen inside a name
                    before_word.append((piece, j))
                piece, j = k, k + 1
            else:
                break
        found = [(i, j), *(pieces + [(piece, j)] if pieces else [])]
        if j - i <= MAX_RUN:
            # a run may hold a title or a dateline before the name, or a name before the
            # words that follow it: its ends cut at each word ("Ranking Member Ron Wyden"),
            # and so may each piece ("Ron Wyden" of "Ranking Member Ron Wyden of Oregon")
            found += [(k, j) for k in range(i + 1, j) if namelike(k)]
            found += [(i, k) for k in range(i + 1, j) if namelike(k - 1)]
            found += [(k, e) for s, e in before_word for k in range(s + 1, e) if namelike(k)]
        for start, end in found:
            start += tk.lower[start] == "the" and end > start + 1
            if (start, end) not in seen:
                seen.add((start, end))
                spans.append((start, end))
        i = j
    return spans


def _shape(word: str) -> str:
    if word.isupper() and len(word) > 1:
        return "ACR" if "." not in word else "A.C.R."
    if any(c.isupper() for c in word[1:]) and word[:1].isupper():
        return "CamelCase"
    if word[:1].isupper():
        return "Cap"
    if any(c.isdigit() for c in word):
        return "digit"
    return "low"


def entity_features(tk: Tokens, start: int, end: int, finder, first_names: frozenset[str],
                    headline_end: int, common: set[str], names: dict[str, str],
                    blocked: set[int] = frozenset(), typed: dict[int, str] | None = None
                    ) -> list[str]:
    """What a candidate name is judged by: its words and their shapes, suffixes and length,
    the words around it, and what the lexicons say of it; ``common`` holds the words the
    document also writes in lower case (a capital there is the sentence's, not a name's);
    ``blocked`` the tokens of names and titles the rules found (no run goes through them),
    ``typed`` the type of each token of the names the rules typed."""
    lex = finder.lex
    words = tk.text[start:end]
    lower = [w.lower() for w in words]
    text = tk.span_text(start, end)
    if all(w in common for w in lower):
        return ["common-words"]
    if len(words) == 1 and lower[0] in MONTHS:
        return ["month-or-day"]
    f = [f"w={w}" for w in lower] + [f"shape={_shape(w)}" for w in words]
    f += [f"first={lower[0]}", f"last={lower[-1]}", f"suffix={lower[-1][-3:]}",
          f"len={min(end - start, 5)}", f"shapes={'_'.join(_shape(w) for w in words[:4])}"]
    for k, name in ((1, "prev"), (2, "prev2")):
        f.append(f"{name}={tk.lower[start - k] if start - k >= 0 else '<s>'}")
    for k, name in ((0, "next"), (1, "next2")):
        f.append(f"{name}={tk.lower[end + k] if end + k < tk.n else '</s>'}")
    if start > 0 and tk.name[start - 1] and start - 1 not in blocked \
            and not tk.sent_start[start]:
        f.append("cut-after-name")  # the span starts inside a run of names
        if _has_title(tk.lower[max(start - 3, 0):start], lex, ending=True):
            f.append("cut-after-title")
    if end < tk.n and tk.name[end] and end not in blocked and not tk.sent_start[end]:
        f.append("cut-before-name")
    f += _list_features(tk, start, end, typed or {}, lex.context)
    if tk.sent_start[start]:
        f.append("sentence-start")
    if start < headline_end:
        f.append("headline")
    if text in lex.gazetteer:
        f.append(f"gazetteer={lex.gazetteer[text].type.value}")
    known = names.get(name_key(text))
    if known is not None:
        f.append(f"register={known}")
    head = finder._by_words(tk, start, end)
    if head is not None:
        f.append(f"head={head.value}")
    head = head_index(lower)
    if head < len(words) - 1 and words[head] in lex.heads:
        # the head of "Plan for Change" is the word before its preposition
        f.append(f"inner-head={lex.heads[words[head]].value}")
    if lower[-1] in lex.topics or text.lower() in lex.topics:
        f.append("topic-word")
    if _has_title(tk.lower[max(start - 3, 0):start], lex, ending=True):
        f.append("title-before")
    after = tk.lower[end:end + 3]
    if after and after[0] in lex.title_words and _has_title(after[:1], lex) or any(
            " ".join(after[:size]) in lex.titles for size in (2, 3)):
        f.append("title-after")  # "Japanese Defense | Minister": the words of an office
    if start > 0 and tk.text[start - 1] in lex.honorifics:
        f.append("honorific-before")
    if words[0] in first_names:
        f.append("first-name")
    if text in places() or text.rstrip(".") in places():
        f.append("place-list")
    if any(w in common for w in lower):
        f.append("some-common-word")
    if finder._looks_like_person(tk, start, end, max_len=3, min_len=2):
        f.append("person-shaped")
    if any(w in lex.context for w in lower):
        f.append("context-noun-inside")
    return f


LIST_CUES = frozenset({"including", "includes", "include", "as", ":", "like", "namely"})


def _list_features(tk: Tokens, start: int, end: int, typed: dict[int, str],
                   context: dict) -> list[str]:
    """Whether a name stands in a list of names ("AbbVie, Bristol-Myers Squibb and Sanofi"),
    what introduces the list ("including", "such as", a colon, or the noun before it:
    "companies", "groups", and the type such a noun implies), and the types the rules gave the
    other names of the list ("AstraZeneca" a Company in "AbbVie, AstraZeneca and Sanofi")."""
    def item(k: int) -> bool:
        return tk.name[k] or tk.text[k] in (",", "&") or tk.lower[k] in ("and", "or") \
            or tk.lower[k] in CONNECTORS or tk.text[k] in HYPHENS and not tk.ws[k]

    k, items = start - 1, 0
    while k >= 0 and not tk.sent_start[k + 1] and item(k):
        items += tk.text[k] == ","
        k -= 1
    last = end
    while last < tk.n and not tk.sent_start[last] and item(last):
        last += 1
    after = end < tk.n and (tk.text[end] == "," or tk.lower[end] in ("and", "or")) \
        and end + 1 < tk.n and tk.name[end + 1]
    out = []
    if items or after:
        out.append("in-list")
        if k >= 0 and (items or start - 1 == k or after):
            cue = tk.lower[k]
            out.append(f"list-cue={cue}" if cue in LIST_CUES or not tk.name[k] else "")
        nouns = {context[w] for w in tk.lower[max(k - 3, 0):k + 1] if w in context}
        out += [f"list-noun={t.value}" for t in sorted(nouns)]
        around = [i for i in (*range(k + 1, start), *range(end, last)) if i in typed]
        out += [f"list-sibling={t}" for t in sorted({typed[i] for i in around})]
        if sum(i - 1 not in typed for i in around) >= 2:  # two names or more, not one
            out.append("list-siblings")
    return [f for f in out if f]


def pair_features(tk: Tokens, a: tuple[int, int, str], b: tuple[int, int, str],
                  between_entities: int, title: str | None, lex) -> list[str]:
    """What a pair of names in one sentence is judged by (``a`` before ``b``; each
    ``(start, end, type)``): general signals first (the two types, their distance, what kind
    of words stand between), then the words themselves."""
    tt = f"{a[2]}|{b[2]}"
    words = tk.lower[a[1]:b[0]]
    dist = _bucket(len(words))
    types = "+".join(sorted((a[2], b[2])))
    f = [f"tt={tt}", f"types={types}", f"dist={dist}", f"tt-dist={tt}|{dist}",
         f"ents-between={min(between_entities, 3)}",
         f"tt-ents-between={tt}|{min(between_entities, 2)}"]
    kinds = set()
    if len(words) <= MAX_BETWEEN and _has_title(words, lex):
        kinds.add("title")
    seen = set(words)
    if not lex.reporting.isdisjoint(seen):
        kinds.add("reporting")
    if not POSSESSIVES.isdisjoint(seen):
        kinds.add("possessive")
    if words[-1:] in (["of"], ["at"], ["for"], ["in"]):
        kinds.add("preposition-before-second")
    if "(" in seen:
        kinds.add("bracket")
    f += [f"between-kind={k}" for k in sorted(kinds)] + [f"tt-kind={tt}|{k}"
                                                          for k in sorted(kinds)]
    if len(words) <= MAX_BETWEEN:
        f += [f"between={w}" for w in sorted(seen)]
    else:
        f.append("far")
    if words:
        f += [f"first-between={words[0]}", f"last-between={words[-1]}",
              f"tt-last-between={tt}|{words[-1]}"]
    else:
        f.append("adjacent")
    if "," in seen:
        f.append("comma-between")
    f.append(f"before={tk.lower[a[0] - 1] if a[0] > 0 else '<s>'}")
    f.append(f"after={tk.lower[b[1]] if b[1] < tk.n else '</s>'}")
    if title:
        f += [f"title={title.lower()}", f"tt-title={tt}|titled"]
    return f


def _has_title(words: list[str], lex, ending: bool = False) -> bool:
    """Whether ``words`` (lower case) hold a title of the lexicon (one to three words), or,
    with ``ending``, end in one."""
    if ending:
        return any(" ".join(words[-size:]) in lex.titles for size in (1, 2, 3)
                   if size <= len(words) and words[-size] in lex.title_words)
    return any(" ".join(words[k:k + size]) in lex.titles for k, w in enumerate(words)
               if w in lex.title_words for size in (1, 2, 3) if k + size <= len(words))


def _bucket(n: int) -> str:
    return str(n) if n < 3 else "3-5" if n <= 5 else "6-10" if n <= 10 else "11+"


# -- applying the models ----------------------------------------------------------------------

@dataclass
class Named:
    """An entity named at a token span of the document."""

    start: int
    end: int
    entity: ExtractedEntity
    antecedent: int | None = None  # for "the group", "she": where the entity was named


PERSON_ANAPHORS = frozenset({"he", "she", "him", "his", "her"})
ANAPHOR_REACH = 2  # sentences back (the anaphor's own included) to look for the antecedent
TITLE_REACH = 6  # ... for "the Chancellor", whose holder the text names once and then not


def anaphors(tk: Tokens, named: list[Named], lex) -> list[Named]:
    """Mentions that stand for an entity named before them: "he", "she" for the last person,
    "the group", "the regulator", "the firm" (``[anaphors]`` and ``[context]`` nouns of
    ``organisations.toml`` after "the") for the last entity of the noun's types, within this
    sentence or the one before; "the Chancellor" for the one person the text named with that
    title ("Chancellor Jane Doe"), within five sentences before."""
    sentence, n = [], -1
    for start in tk.sent_start:
        n += bool(start) or n < 0
        sentence.append(n)
    holders: dict[str, set[str]] = {}  # a title's last word -> the people who hold it
    for m in named:
        title = m.entity.attributes.get("title") if m.entity.type == EntityType.Person else None
        if title:
            holders.setdefault(title.split()[-1].lower(), set()).add(m.entity.id)
    out, i = [], 0
    for k in range(tk.n):
        wanted, holder, reach = None, None, ANAPHOR_REACH
        following = tk.lower[k + 1] if k + 1 < tk.n else ""
        if tk.lower[k] in PERSON_ANAPHORS:
            wanted, end = {EntityType.Person}, k + 1
        elif tk.lower[k] == "the" and not (k + 2 < tk.n and tk.name[k + 2]) \
                and len(holders.get(following, ())) == 1:
            # "the Chancellor": the one person the text gave that title
            wanted, end, reach = {EntityType.Person}, k + 2, TITLE_REACH
            holder = next(iter(holders[following]))
        elif tk.lower[k] == "the" and following in lex.anaphors \
                and not (k + 2 < tk.n and tk.name[k + 2]):
            wanted, end = lex.anaphors[following], k + 2
        if wanted is None:
            continue
        while i < len(named) and named[i].end <= k:
            i += 1
        for m in (named[j] for j in range(i - 1, -1, -1)):
            if sentence[k] - sentence[m.start] >= reach:
                break  # names further back are out of reach (and the scan stays short)
            if m.entity.type in wanted and holder in (None, m.entity.id):
                out.append(Named(k, end, m.entity, antecedent=m.start))
                break
    return out


def learned_entities(model: LinearModel | None, threshold: float, tk: Tokens,
                     mentions: list[Mention], titles: list[tuple[int, int]], ex: Extraction,
                     finder, first_names: frozenset[str], names: dict[str, str],
                     training: bool = False
                     ) -> list[tuple[tuple[int, int], list[str], Named | None]]:
    """Type the name-shaped spans the rules left alone and add them to ``ex``; each
    candidate with its features and what it became. For training, every candidate and
    nothing added, and the names the rules typed too, each with the features it would have
    as a candidate: the rules find most people and organisations, and without their names
    the model would see too few of them to learn what names look like."""
    doc = tk.doc
    blocked = taken_tokens(mentions, titles)
    headline_end = tk.first_line_end
    common = {tk.lower[k] for k in range(tk.n) if not tk.name[k]} | finder.stop_words
    spans = name_spans(tk, blocked)
    title_case = tk.title_case_end
    if title_case:  # a Title Case headline's candidates stand only if the body names them
        body = doc.text[doc[title_case].idx:]
        spans = [(s, e) for s, e in spans if s >= title_case or tk.span_text(s, e) in body]
    typed = {k: m.type.value for m in mentions for k in range(m.start, m.end)}
    rows = [entity_features(tk, start, end, finder, first_names, headline_end, common, names,
                            blocked, typed) for start, end in spans]
    if training or model is None:
        ruled = []
        if training:
            title_tokens = {k for s, e in titles for k in range(s, e)}
            ruled = [((m.start, m.end), entity_features(
                tk, m.start, m.end, finder, first_names, headline_end, common, names,
                title_tokens, typed)) for m in mentions]
        return [(span, features, None) for span, features in [*zip(spans, rows), *ruled]
                if features]
    out, scored = [], []
    for (start, end), features, (label, p) in zip(spans, rows, model.best_other(rows, NONE)):
        if p < threshold and not (p >= LIST_THRESHOLD and _as_siblings(features, label)):
            continue  # the likeliest type, if likely enough, even where NONE is likelier
        if label == EntityType.Person.value and not _person_words(tk, start, end, finder.lex):
            continue
        scored.append((p, start, end, label, features))
    chosen: list[tuple[int, int]] = []
    for _, start, end, label, features in sorted(scored, key=lambda c: (-c[0], c[1])):
        if any(s < end and start < e for s, e in chosen):
            continue  # a likelier name overlaps it
        chosen.append((start, end))
        span = doc[start:end]
        name = span.text
        known = finder.lex.gazetteer.get(name)
        # a surname of a person named in full is that person, whatever the model made of it
        entity = _named(ex, name) or _same_as(ex, name) or _shorter(ex, name, EntityType(label)) \
            or _short_org(ex, name, EntityType(label), finder.lex.heads) \
            or (_named(ex, known.name) if known is not None else None)
        if entity is None:
            entity = ex.add_entity(name, EntityType(label),
                                   mentions=[(span.start_char, span.end_char)])
        else:  # a part of its name ("Committee", "Cameron") is a mention, not another name
            part = set(name_key(name).split()) <= set(name_key(entity.name).split())
            ex.add_entity(entity.name, entity.type, aliases=[] if part else [name],
                          mentions=[(span.start_char, span.end_char)])
        out.append(((start, end), features, Named(start, end, entity)))
    surnames = {e.name.split()[-1] for e in ex.entities if e.type == EntityType.Person}
    for (start, end), features in zip(spans, rows):
        # a surname or an acronym alone, where the model saw no name of its own: the person
        # or organisation of the document it stands for ("Grassley and Wyden said")
        if end - start > 1 or not (tk.text[start] in surnames or tk.text[start].isupper()) \
                or any(s < end and start < e for s, e in chosen):
            continue
        entity = _same_as(ex, tk.text[start])
        if entity is not None:
            span = doc[start:end]
            ex.add_entity(entity.name, entity.type, aliases=[span.text],
                          mentions=[(span.start_char, span.end_char)])
            out.append(((start, end), features, Named(start, end, entity)))
    return out


def learned_phrases(model: LinearModel | None, threshold: float, tk: Tokens,
                    mentions: list[Mention], titles: list[tuple[int, int]], ex: Extraction,
                    finder, taken: Iterable[Named], topics: frozenset[str]) -> list[Named]:
    """The lower-case topics and initiatives the phrase model finds (``phrases``), added to
    ``ex``, none overlapping a name already ``taken``."""
    if model is None:
        return []
    rows = phrase_rows(tk, mentions, titles, finder.stop_words, topics)
    chosen = chosen_phrases(rows, model.best_other([f for _, f in rows], NONE),
                            [(n.start, n.end) for n in taken], threshold)
    return [Named(start, end, entity) for (start, end), entity in add_phrases(ex, tk, chosen)]


def _as_siblings(features: list[str], label: str) -> bool:
    """Whether a name stands in a list that something introduces ("including", "such as", a
    colon, a noun such as "companies") and the rules gave two or more other names of it, and
    all they typed, this type: the names of such a list are of one type ("include AbbVie,
    AstraZeneca and Sanofi")."""
    siblings = [f for f in features if f.startswith("list-sibling=")]
    return siblings == [f"list-sibling={label}"] and "list-siblings" in features \
        and any(f.startswith(("list-cue=", "list-noun=")) for f in features)


def _person_words(tk: Tokens, start: int, end: int, lex) -> bool:
    """Whether a span's words may be a person's name: no "of", "for" or "&" ("Chuck Grassley
    of Iowa" is a person and a place), no nationality first ("Japanese Defense Minister"),
    no title last ("White House Chief of Staff"), not an office's complement ("Commissioner
    for the Internal Market")."""
    k = start - 1 - (start > 1 and tk.lower[start - 1] == "the")
    complement = k > 0 and tk.lower[k] in ("of", "for") and tk.lower[k - 1] in lex.title_heads
    return NOT_IN_PERSON.isdisjoint(tk.lower[start:end]) and not complement \
        and tk.text[start] not in lex.demonyms and tk.lower[end - 1] not in lex.title_heads


def _named(ex: Extraction, name: str) -> ExtractedEntity | None:
    """The entity of the document already known by this name or alias, whatever its type
    ("U.S." where the rules named the United States)."""
    key = name_key(name)
    return next((e for e in ex.entities
                 if any(name_key(n) == key for n in (e.name, *e.aliases))), None)


def _shorter(ex: Extraction, name: str, type: EntityType) -> ExtractedEntity | None:
    """A person the rules named by one word that this fuller name ends in ("Cameron" for
    "David Cameron"), renamed to it; only where exactly one fits."""
    words = name.split()
    if type != EntityType.Person or len(words) < 2:
        return None
    fits = [e for e in ex.entities if e.type == EntityType.Person and e.name == words[-1]]
    if len(fits) != 1 or any(e.type == EntityType.Person and e.name.split()[-1] == words[-1]
                             and len(e.name.split()) > 1 for e in ex.entities):
        return None
    return ex.rename(fits[0], name)


def _short_org(ex: Extraction, name: str, type: EntityType, heads) -> ExtractedEntity | None:
    """The organisation of the document this one names by the end of its name ("the
    Committee"), or by its start before head words ("Brookings" for the Brookings
    Institution), whatever type each was given; only where exactly one fits."""
    if type not in BODIES:
        return None
    words = name.split()
    fits = [e for e in ex.entities if e.type in BODIES and shortened(words, e.name.split(), heads)]
    return fits[0] if len(fits) == 1 else None


def _same_as(ex: Extraction, name: str) -> ExtractedEntity | None:
    """The entity of the document a surname or an acronym stands for, whatever type the
    model gave it: a person whose last name it is, or an organisation whose initials it
    spells."""
    for e in ex.entities:
        words = e.name.split()
        if e.type == EntityType.Person and len(words) > 1 \
                and " " not in name and words[-1] == name:
            return e
        if name.isupper() and len(name) > 1 and e.type in ORGANISATIONS | {EntityType.Agency} \
                and "".join(w[0] for w in words if w[:1].isupper()) == name:
            return e
    return None


def named_spans(tk: Tokens, mentions: list[Mention], entities: dict,
                learned: Iterable[Named]) -> list[Named]:
    """Every entity mention of the document, rules' and learned, by position."""
    spans = [Named(m.start, m.end, entities[id(m)]) for m in mentions if id(m) in entities]
    spans += list(learned)
    return sorted(spans, key=lambda n: (n.start, n.end))


def with_anaphors(tk: Tokens, named: list[Named], lex) -> list[Named]:
    """``named`` with the anaphors that refer back to its entities, by position."""
    return sorted(named + anaphors(tk, named, lex), key=lambda n: (n.start, n.end))


def candidate_pairs(tk: Tokens, named: list[Named], ex: Extraction, lex):
    """Pairs of different entities named in one sentence, not already linked by a rule:
    ``(first, second, features)``."""
    linked = {frozenset((r.source, r.target)) for r in ex.relations}
    sentence_of, n = [], -1
    for start in tk.sent_start:
        n += bool(start) or n < 0
        sentence_of.append(n)
    for i, a in enumerate(named):
        for j in range(i + 1, len(named)):
            b = named[j]
            if sentence_of[b.start] != sentence_of[a.start] or b.start - a.end > MAX_DISTANCE:
                break
            if a.entity.id == b.entity.id or b.start < a.end \
                    or frozenset((a.entity.id, b.entity.id)) in linked:
                continue
            title = a.entity.attributes.get("title") or b.entity.attributes.get("title")
            features = pair_features(tk, (a.start, a.end, a.entity.type.value),
                                     (b.start, b.end, b.entity.type.value), j - i - 1, title,
                                     lex)
            if a.antecedent is not None or b.antecedent is not None:
                features.append("anaphor")
            yield a, b, features


def learned_relations(model: LinearModel, threshold: float, tk: Tokens, named: list[Named],
                      ex: Extraction, lex) -> None:
    """Add the relations the model finds between pairs of names in a sentence."""
    found = []
    pairs = list(candidate_pairs(tk, named, ex, lex))
    for (a, b, _), (label, p) in zip(pairs, model.best_other([f for _, _, f in pairs], NONE)):
        if label == NONE or p < threshold:
            continue
        type = RelationType(label)
        ends = [(s, t) for s, t in ((a, b), (b, a)) if type.allows(s.entity.type, t.entity.type)]
        if not ends:
            continue
        if len(ends) == 2 and "by" in tk.lower[a.end:b.start]:
            ends.reverse()  # "X is regulated by Y": the second named acts
        source, target = ends[0]
        found.append((source, type, target, p))
    for source, type, target, p in found:
        sentence = tk.doc[source.start].sent
        text = sentence.text
        start = sentence.start_char + (len(text) - len(text.lstrip()))
        end = sentence.start_char + len(text.rstrip())
        for named_at in (source.antecedent, target.antecedent):
            if named_at is not None:  # the evidence runs from where the entity was named
                start = min(start, tk.doc[named_at].idx)
        ex.add_relation(source.entity, type, target.entity, start, end,
                        extractor="learned:pair", confidence=p)
