"""Finding and typing the names in a text.

Candidates are runs of capitalised tokens (with "of", "for", "and" and hyphens inside where a
name allows them), gazetteer names, topic phrases and "<country> government". Each run is typed
by the strongest evidence the lexicon gives, in this order: the gazetteer; a title inside or
before it ("Business Secretary Peter Kyle"); a context noun ("trade bodies including A, B and
C", "the think tank X"); its head or lead word ("... Authority", "Department for ...");
a bilateral prefix ("UK-US ..."); a possessive before a person ("Nvidia's Jensen Huang");
a person cue after it ("X said"). What no evidence types is dropped, except a surname or an
acronym that resolves to a name typed elsewhere in the document.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from graph.names import LEGAL_FORMS, POST_NOMINALS, name_key
from graph.ontology import ORGANISATIONS, EntityType
from loaders.text.lexicon import (
    PERSON_WORD,
    Lexicon,
    Title,
    countries,
    given_names,
    places,
)

PARTICLES = {"de", "du", "von", "van", "der", "la", "da", "di", "del", "della", "den", "ten",
             "ter", "bin", "ibn"}  # lower-case words inside a person's name
OFFICE_LINKS = {"of", "for"}  # "Commissioner for Energy", "Governor of the Bank of England"
CONNECTORS = {"of", "for", "&"} | {"de", "du", "von", "van", "der", "la"}
ACRONYM = re.compile(r"[A-Z][A-Z0-9&.\-]+")  # "GENIUS", "COVID-19"
HYPHENS = {"-", "\u2013", "\u2010", "\u2011"}
POSSESSIVE = {"'s", "\u2019s", "'", "\u2019"}
DETERMINERS = {"a", "an", "the", "another", "one"}
ROLE_LINKS = {"of", "at", "for", "to"}  # a post and where it is held: "adviser to the Treasury"
MODIFIERS = 5  # words between an appositive's article and its noun ("the EU's anti-fraud")
PERSON_PRONOUNS = {"his", "her"}
ORG_PRONOUNS = {"its", "their"}
COPULAS = {"is", "was", "are", "were"}
OPEN_QUOTES = {"\u201c", "\"", "'", "\u2018"}  # a quotation opens like a sentence
NAMING = {"called", "named", "dubbed", "known"}  # "a data analytics firm called X"


def _legal_form(word: str) -> bool:
    """Whether a word is a company's legal form as written after its name and a comma ("Inc.",
    "S.A.", "GmbH"; not "Co" or "Company", which may begin another name)."""
    key = "".join(c for c in word.lower() if c.isalpha())
    return key in LEGAL_FORMS and key not in ("co", "company", "se", "ev", "lp") \
        and word[:1].isupper()


# How a mention was typed, strongest evidence first (see the module docstring).
STRENGTH = {how: rank for rank, how in enumerate([
    "gazetteer", "places", "government", "title", "post-nominal", "appositive", "context",
    "head", "bilateral", "possessive", "person-cue", "full-name", "surname", "acronym",
    "office", "model", "title-org", "possessive-org", "appositive-org", "topic"])}


@dataclass
class Mention:
    """A typed name at a token span of the document."""

    start: int
    end: int
    type: EntityType
    name: str
    how: str
    role: Title | None = None
    title_start: int | None = None
    org: "Mention | None" = None
    aliases: list[str] = field(default_factory=list)

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


class Tokens:
    """A document's token attributes as plain lists: indexing them is far cheaper than
    creating spaCy Token objects in the inner loops."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.n = len(doc)
        rows = [(t.text, t.lower_, t.whitespace_, bool(t.is_sent_start), t.is_stop, t.is_punct)
                for t in doc]
        self.text, self.lower, self.ws, self.sent_start, self.stop, self.punct = (
            list(col) for col in zip(*rows)) if rows else ([], [], [], [], [], [])
        # a name token starts with a capital letter: "Kyle", "UK", "TheCityUK", "G7"
        self.name = [t[:1].isupper() for t in self.text]

    @cached_property
    def first_line_end(self) -> int:
        """The token that ends the first line, or 0 for a text of one line: the first line
        is a headline when more lines follow."""
        return next((i for i in range(self.n) if "\n" in self.text[i] or "\n" in self.ws[i]),
                    0)

    @cached_property
    def title_case_end(self) -> int:
        """Where a Title Case headline ends (``title_case_headline``), found once a
        document for the rules and the learned layer."""
        return title_case_headline(self)

    def span_text(self, start: int, end: int) -> str:
        """The text of tokens ``start`` to ``end``, as ``doc[start:end].text`` gives it."""
        if end <= start:
            return ""
        inner = zip(self.text[start:end - 1], self.ws[start:end - 1])
        return "".join(t + w for t, w in inner) + self.text[end - 1]


def taken_tokens(mentions: list["Mention"], titles: list[tuple[int, int]]) -> set[int]:
    """The tokens of the names and titles the rules found: no learned candidate takes them."""
    return {k for m in mentions for k in range(m.start, m.end)} | {
        k for s, e in titles for k in range(s, e)}


SMALL_WORDS = frozenset("a an and as at but by for from in into of on or over the to up "
                        "vs with".split())


def shortened(words: list[str], longer: list[str], heads) -> bool:
    """Whether a name of ``words`` is ``longer`` shortened: its end ("Finance Committee" of
    "Senate Finance Committee"), or its start where the rest is ``heads`` words ("Brookings"
    of "Brookings Institution").

    >>> shortened(["Brookings"], ["Brookings", "Institution"], {"Institution"})
    True
    """
    n = len(words)
    return len(longer) > n and (longer[-n:] == words or longer[:n] == words
                                and all(w in heads for w in longer[n:]))


def head_index(words: list[str]) -> int:
    """Where a name's head word stands: before its first inner "of", "for" or "on" ("Plan"
    of "Plan for Change", "Department" of "Department of Health"), else last.

    >>> head_index(["plan", "for", "change"]), head_index(["finance", "committee"])
    (0, 1)
    """
    inner = next((i for i, w in enumerate(words[1:-1], 1) if w in ("of", "for", "on")), None)
    return inner - 1 if inner is not None else len(words) - 1


def title_case_headline(tk: Tokens) -> int:
    """Where a Title Case first line ends (the token after it), or 0: a first line of four or
    more words, followed by more text, nine in ten of whose words (small words aside) start
    with a capital."""
    end = tk.first_line_end  # 0 for a text of one line: one word, no headline
    if end + 1 >= tk.n:
        return 0
    words = [w for w in tk.text[:end + 1] if w[:1].isalpha() and w.lower() not in SMALL_WORDS]
    if len(words) < 4 or sum(w[:1].isupper() for w in words) < 0.9 * len(words):
        return 0
    return end + 1


def cased(phrases: Iterable[str]) -> list[str]:
    """Lower-cased phrases as they may be written, for a matcher of lower-cased tokens: the
    tokenizer cuts by case ("Sen." and "A.I." are one token each, "sen." and "a.i." two)."""
    return sorted({v for p in phrases for v in (p, p.capitalize(), p.title(), p.upper())})


class MentionFinder:
    """Finds typed mentions in spaCy Docs, with matchers built once from a Lexicon."""

    def __init__(self, nlp, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self.titles = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.titles.add("TITLE", list(nlp.tokenizer.pipe(cased(lexicon.titles))))
        self.topics = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.topics.add("TOPIC", list(nlp.tokenizer.pipe(cased(lexicon.topics))))
        self.known = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.known.add("KNOWN", list(nlp.tokenizer.pipe(list(lexicon.gazetteer))))
        self.context = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.context.add("CONTEXT", list(nlp.tokenizer.pipe(list(lexicon.context))))
        self.demonyms = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.demonyms.add("DEMONYM", list(nlp.tokenizer.pipe(list(lexicon.demonyms))))
        # words dropped from the front of a run (honorifics too: the name after one is a
        # person's); at a sentence start also stop words and context nouns ("The ...",
        # "Former ...", "Mr. Gallego", "Chipmaker Graphcore")
        self._strip = lexicon.modifiers | {"the"} | {h.lower() for h in lexicon.honorifics}
        self._strip_initial = self._strip | set(lexicon.context) | set(nlp.Defaults.stop_words)
        self.stop_words = set(nlp.Defaults.stop_words)
        self._first_names = given_names()

    # -- the pass over one document -----------------------------------------------------------

    def find(self, tk: Tokens) -> tuple[list[Mention], list[tuple[int, int]]]:
        """Typed mentions, sorted by position, and the token spans of titles (for rules)."""
        doc = tk.doc
        titles = filter_spans([doc[s:e] for _, s, e in self.titles(doc)])
        known = filter_spans([doc[s:e] for _, s, e in self.known(doc)])
        contexts = filter_spans([doc[s:e] for _, s, e in self.context(doc)])
        topics = filter_spans([doc[s:e] for _, s, e in self.topics(doc)])
        runs = self._runs(tk, known)
        context_types = self._context_types(tk, runs, contexts)

        mentions: list[Mention] = []
        untyped: list[tuple[int, int]] = []
        for start, end in runs:
            found = self._type_run(tk, start, end, titles, known, context_types)
            if found:
                mentions.extend(found)
            else:
                untyped.append((start, end))
        mentions += self._governments(tk, mentions)
        mentions += self._possessive_people(tk, mentions, untyped)
        mentions += self._resolve_untyped(tk, mentions, untyped, known)
        mentions += self._model_entities(tk, untyped)
        taken = {k for m in mentions for k in range(m.start, m.end)}
        for span in topics:
            if taken.isdisjoint(range(span.start, span.end)):
                mentions.append(Mention(span.start, span.end, EntityType.Topic,
                                        self.lex.topics[span.text.lower()], "topic"))
        mentions += self._appositive_people(tk, mentions, untyped, titles)
        mentions += self._bracketed_holders(tk, mentions, untyped, titles)
        mentions.sort(key=lambda m: (m.start, m.end))
        self._acronyms(tk, mentions)
        self._title_orgs(tk, mentions)
        self._shared_bodies(tk, mentions)
        mentions += self._named_in_full(tk, mentions, untyped)
        mentions.sort(key=lambda m: (m.start, m.end))
        self._full_names(tk, mentions)
        self._short_names(mentions)
        self._local_first(tk, mentions)
        self._one_type_per_name(mentions)
        mentions = self._confirmed_in_headline(tk, mentions)
        title_spans = [(t.start, t.end) for t in titles]
        return mentions, title_spans

    def _confirmed_in_headline(self, tk: Tokens, mentions: list[Mention]) -> list[Mention]:
        """In a Title Case headline every word is capitalised, so capitals say nothing: a
        name found there stays only if the gazetteer knows it or the text names it again
        ("Elliott Broidy Pleads Guilty for Back-Channel Lobbying Campaign" is no lobby
        group)."""
        end = tk.title_case_end
        if not end:
            return mentions
        body = tk.doc.text[tk.doc[end].idx:] if end < tk.n else ""
        return [m for m in mentions if m.start >= end or m.how == "gazetteer"
                or tk.span_text(m.start, m.end) in body or m.name in body]

    # -- candidates ---------------------------------------------------------------------------


    def _runs(self, tk: Tokens, known: list[Span]) -> list[tuple[int, int]]:
        """Maximal runs of name tokens; gazetteer names that reach further are kept whole."""
        runs: list[tuple[int, int]] = []
        i, n = 0, tk.n
        while i < n:
            if not tk.name[i]:
                i += 1
                continue
            j = self._run_end(tk, i)
            start = i
            while start < j and tk.lower[start] in (
                    self._strip_initial if tk.sent_start[start] or start > 0
                    and tk.text[start - 1] in OPEN_QUOTES else self._strip):
                start += 1
            if start < j:
                runs += self._from_place(tk, start, j)
            i = j
        # a gazetteer name that crosses a run boundary ("Department for Science, Innovation
        # and Technology") replaces the runs it covers
        run_at = {k: r for r in runs for k in range(*r)}
        for span in known:
            covered = {run_at[k] for k in range(span.start, span.end) if k in run_at}
            if covered and (span.start, span.end) not in covered and all(
                    span.start <= r[0] and r[1] <= span.end for r in covered):
                runs = [r for r in runs if r not in covered] + [(span.start, span.end)]
        return sorted(runs)

    def _from_place(self, tk: Tokens, start: int, end: int) -> list[tuple[int, int]]:
        """A run, or a person's name and the place they are from when it ends in "of <place>"
        after a name that opens with a known first name ("Ranking Member Ron Wyden of
        Oregon"; not "Bank of England")."""
        of = next((k for k in range(start + 2, end - 1) if tk.lower[k] == "of"), None)
        if of is None or tk.span_text(of + 1, end) not in places():
            return [(start, end)]
        first = next((k for k in range(start, of - 1) if tk.text[k] in self._first_names), None)
        if first is None or not self._looks_like_person(tk, first, of, max_len=3, min_len=2):
            return [(start, end)]
        return [(start, of), (of + 1, end)]

    def _name_at(self, tk: Tokens, k: int) -> bool:
        return k < tk.n and tk.name[k] and not tk.sent_start[k]

    def _names_from(self, tk: Tokens, k: int) -> int:
        """The end of the name tokens that start at ``k``."""
        while self._name_at(tk, k):
            k += 1
        return k

    def _run_end(self, tk: Tokens, i: int) -> int:
        """Where the name starting at token ``i`` ends. Inside a name may stand "of", "for"
        and the like; "on" after a committee-like word; a hyphen or a plural possessive
        ("Farmers' Union") between words; "and" or ", A and B" once "of"/"for" has been seen
        ("Department for Environment, Food and Rural Affairs"); and "and" before a name that
        ends in a head word ("Planning and Infrastructure Bill"); two connectors before a
        name ("von der Leyen")."""
        j, inner = i + 1, tk.text[i] in self.lex.leads
        while j < tk.n and not tk.sent_start[j]:
            text, lower = tk.text[j], tk.lower[j]
            nxt = self._name_at(tk, j + 1)
            if tk.name[j]:
                j += 1
            elif lower in {"of", "for"} and tk.text[j - 1] in self.lex.heads and j + 1 < tk.n \
                    and tk.lower[j + 1] == "the" and self._name_at(tk, j + 2):
                j += 2  # "Association of the British Pharmaceutical Industry": after a head
            elif nxt and (lower in CONNECTORS or (lower == "on"
                                                  and tk.text[j - 1] in self.lex.on_after)):
                # "... of Iowa and ...": a place after "of" is where someone is from, and
                # opens no list inside a name
                inner |= lower in {"of", "for", "on"} \
                    and tk.span_text(j + 1, self._names_from(tk, j + 1)) not in places()
                j += 1
            elif lower == "the" and tk.lower[j - 1] in {"of", "for", "on"} and nxt:
                j += 1
            elif lower in CONNECTORS and j + 1 < tk.n and tk.lower[j + 1] in CONNECTORS \
                    and self._name_at(tk, j + 2):
                j += 2  # "Ursula von der Leyen", "Maria de la Cruz"
            elif text in HYPHENS and not tk.ws[j - 1] and not tk.ws[j] and nxt:
                j += 1
            elif text in {"'", "\u2019"} and not tk.ws[j - 1] and nxt \
                    and tk.text[j - 1].endswith("s"):
                j += 1
            elif lower == "and" and nxt and (inner or self._ends_in_head(tk, j + 1)):
                j += 1
            elif text == "(" and (k := self._acronym_inside(tk, j)) and self._name_at(tk, k) \
                    and tk.text[self._names_from(tk, k) - 1] in self.lex.heads:
                j = k  # "... for U.S. Stablecoins (GENIUS) Act": the acronym inside the name
            elif text == "," and j + 1 < tk.n and _legal_form(tk.text[j + 1]) \
                    and not self._name_at(tk, j + 2):
                j += 2  # "Petróleos de Venezuela, S.A.", "Meta Platforms, Inc."
            elif text == "," and inner and nxt:
                k = self._names_from(tk, j + 1)
                if k < tk.n and tk.lower[k] == "and" and self._name_at(tk, k + 1):
                    j += 1
                else:
                    break
            else:
                break
        return j

    @staticmethod
    def _acronym_inside(tk: Tokens, j: int) -> int | None:
        """Where the name goes on after an acronym in brackets at token ``j`` ("(GENIUS)",
        "(COVID-19)"): the token after the closing bracket, or None."""
        close = next((k for k in range(j + 1, min(j + 5, tk.n)) if tk.text[k] == ")"), None)
        if close is None or close == j + 1:
            return None
        inner = "".join(tk.text[j + 1:close])
        spaced = any(tk.ws[k] for k in range(j + 1, close - 1))
        return close + 1 if not spaced and ACRONYM.fullmatch(inner) else None

    def _ends_in_head(self, tk: Tokens, k: int) -> bool:
        """Whether the name that starts at ``k`` (as far as a run goes: "Establishing
        National Innovation for U.S. Stablecoins (GENIUS) Act") ends in the head word of an
        initiative or a public body."""
        end = self._run_end(tk, k) if self._name_at(tk, k) else k
        return end > k and tk.text[end - 1] in self.lex.heads and \
            self.lex.heads[tk.text[end - 1]] in (EntityType.Initiative, EntityType.Agency)

    def _context_types(self, tk: Tokens, runs: list[tuple[int, int]],
                       contexts: list[Span]) -> dict[tuple[int, int], EntityType]:
        """Runs typed by a context noun: a list after it, the run right after it (or after
        "called", "named": "a firm called X"), the run after a copula ("the largest lobbying
        firm in Washington is X"), or an appositive ("X, a trade body")."""
        by_start = {r[0]: r for r in runs}
        typed: dict[tuple[int, int], EntityType] = {}
        for span in contexts:
            type = self.lex.context[span.text.lower()]
            # "<noun> [,] including [the] A, B and C" / "<noun> X"
            k = span.end
            while k < tk.n and (tk.lower[k] in self.lex.list_openers or tk.punct[k]
                                    or tk.lower[k] in {"the", "such", "as", "a", "an"}
                                    or tk.lower[k] in NAMING):
                if tk.sent_start[k] or tk.text[k] in {".", ";"}:
                    break
                k += 1
            if k == span.end:  # "... lobbying firms [in Washington] is Patton Boggs"
                j = by_start[k + 1][1] if k + 1 < tk.n and tk.lower[k] in {
                    "in", "at", "of", "on"} and k + 1 in by_start else k
                if j < tk.n and tk.lower[j] in COPULAS:
                    k = j + 1
            if k > span.end and all(w == "," for w in tk.lower[span.end:k]):
                k = span.end  # "According to authorities, Allen lobbied": a comma opens no list
            opened = k > span.end
            while k in by_start:
                run = by_start[k]
                typed.setdefault(run, type)
                k = run[1]
                if not opened:
                    break
                while k < tk.n and tk.lower[k] in {",", "and", "or", "the", "&"}:
                    k += 1
            # appositive: "X, a/the [words] <noun>" ("OLAF, the EU's anti-fraud office", "a
            # small think tank"); a plural noun with no article is no appositive of one name
            # ("Acme Widgets Ltd, officials said")
            k = span.start - 1
            while k >= span.start - MODIFIERS and k > 0 and tk.lower[k] not in DETERMINERS \
                    and not tk.sent_start[k + 1] and (not tk.punct[k] or tk.text[k] in
                                                      POSSESSIVE | HYPHENS):
                k -= 1
            if k < span.start - 1 and (k < 0 or tk.lower[k] not in DETERMINERS):
                continue  # words before the noun, but no article before them
            after = tk.lower[span.end] if span.end < tk.n else ""
            if after and not tk.punct[span.end] and after not in self.stop_words \
                    and not after.endswith(("ed", "ing")):
                continue  # the noun is not the appositive's last ("a watchdog group")
            while k >= 0 and tk.lower[k] in DETERMINERS:
                k -= 1
            if k == span.start - 1 and self._plural(span.text.lower(), type):
                continue
            if k >= 1 and tk.text[k] == ",":
                for run in runs:
                    if run[1] == k:
                        typed.setdefault(run, type)
        return typed

    def _plural(self, noun: str, type: EntityType) -> bool:
        """Whether a context noun names many: the nouns of people are all plural ("officials",
        "ministers"), others are when their singular is a context noun too ("firms")."""
        return type == EntityType.Person or noun.endswith("s") and (
            noun[:-1] in self.lex.context or noun[:-2] in self.lex.context)

    # -- typing one run -----------------------------------------------------------------------

    def _type_run(self, tk: Tokens, start: int, end: int, titles: list[Span],
                  known: list[Span], context_types: dict) -> list[Mention]:
        text = tk.span_text(start, end)
        gaz = self.lex.gazetteer.get(text)
        if gaz is not None:
            return [Mention(start, end, gaz.type, gaz.name, "gazetteer")]
        if end - start >= 3 and tk.lower[end - 1].replace(".", "") in POST_NOMINALS \
                and self._looks_like_person(tk, start, end - 1, max_len=4, min_len=2):
            # "Jo Bloggs MP", "Sir Keir Starmer KC": a post-nominal says a person
            return [Mention(start, end - 1, EntityType.Person, tk.span_text(start, end - 1),
                            "post-nominal")]
        first = bisect_left(titles, start, key=lambda t: t.start)  # titles are sorted
        inside = [t for t in titles[first:first + 1] if t.end <= end]
        if inside:
            holder = inside[0].end  # after titles written one after another ("Committee
            for t in titles[first + 1:]:  # Chair Sen. Tim Scott"): the first says the role
                if t.start != holder or t.end > end:
                    break
                holder = t.end
            return self._titled(tk, start, end, inside[0], holder)
        link = start - 1 - (start > 1 and tk.lower[start - 1] == "the")
        if link > 0 and tk.lower[link] in OFFICE_LINKS:  # "the President of the [European
            k = bisect_left(titles, link, key=lambda t: t.end)  # Commission Jose Barroso]"
            office = [t for t in titles[k:k + 1] if t.end == link]
            found = self._office_holder(tk, start, end, self.lex.titles[office[0].text.lower()],
                                        office[0].start, known=True) if office else []
            if found:
                return found
        k = bisect_left(titles, start, key=lambda t: t.end)
        before = [t for t in titles[k:k + 1] if t.end == start]
        across = [t for t in titles[k:k + 1] if t.start < start < t.end < end]
        if across and self._looks_like_person(tk, across[0].end, end, max_len=4, min_len=2):
            # a title that takes the run's first words: "Governor of the [Bank of England
            # Andrew Bailey]"
            return [Mention(across[0].end, end, EntityType.Person,
                            tk.span_text(across[0].end, end), "title",
                            role=self.lex.titles[across[0].text.lower()],
                            title_start=across[0].start)]
        if before or (start > 0 and tk.text[start - 1] in self.lex.honorifics):
            if self._looks_like_person(tk, start, end, max_len=4):
                title = self.lex.titles[before[0].text.lower()] if before else None
                return [Mention(start, end, EntityType.Person, text, "title",
                                role=title, title_start=before[0].start if before else None)]
        if start > 0 and tk.lower[start - 1] in {"of", "in", "from"} and end + 1 < tk.n \
                and tk.text[end] == "," and tk.text[end + 1] in countries() \
                and (end + 2 == tk.n or not tk.name[end + 2]) and text not in places():
            # "Elliott Broidy, 63, of Beverly Hills, California": a town, then its state
            return [Mention(start, end, EntityType.Place, text, "places")]
        if text in places() and not (end - start == 1 and tk.sent_start[start]
                                     and text not in countries()):
            # a country or state, or a capital or large city not alone at a sentence start,
            # where a capital says nothing ("Male voters")
            return [Mention(start, end, EntityType.Place, text, "places")]
        if len(text) > 3 and text.isupper() and text.title() in places():
            # a dateline ("WASHINGTON -"): the place as it is written elsewhere
            return [Mention(start, end, EntityType.Place, text.title(), "places")]
        if (start, end) in context_types:
            return [Mention(start, end, context_types[(start, end)], text, "context")]
        type = self._by_words(tk, start, end)
        if type is not None:
            return [Mention(start, end, type, text, "head")]
        if self._bilateral(tk, start, end):
            return [Mention(start, end, EntityType.Initiative, text, "bilateral")]
        if self._looks_like_person(tk, start, end, max_len=3, min_len=2) and end < tk.n:
            after = tk.lower[end] if tk.text[end] != "," else (
                tk.lower[end + 1] if end + 1 < tk.n else "")
            if after in self.lex.person_cues_after:
                return [Mention(start, end, EntityType.Person, text, "person-cue")]
        return []

    def _titled(self, tk: Tokens, start: int, end: int, title: Span, holder: int
                ) -> list[Mention]:
        """A run with a title inside: "[Org] [modifier] Title [Person]", the person from
        token ``holder`` on (after the titles that follow the first, if any)."""
        role = self.lex.titles[title.text.lower()]
        out: list[Mention] = []
        org = None
        left = start
        while left < title.start and tk.lower[left] in self.lex.modifiers:
            left += 1
        if left < title.start:
            text = tk.span_text(left, title.start)
            gaz = self.lex.gazetteer.get(text)
            if gaz is not None:
                org = Mention(left, title.start, gaz.type, gaz.name, "gazetteer")
            elif not role.public:
                org = Mention(left, title.start, self._by_words(tk, left, title.start)
                              or EntityType.Company, text, "title-org")
            if org is not None:
                out.append(org)
        of = next((k for k in range(holder + 1, end - 1) if tk.lower[k] == "of"), None)
        if of is not None and tk.span_text(of + 1, end) in places():
            # "Chairman Chuck Grassley of Iowa": the person, then where they are from
            out.append(Mention(of + 1, end, EntityType.Place, tk.span_text(of + 1, end),
                               "places"))
            end = of
        if holder < end and self._looks_like_person(tk, holder, end, max_len=4):
            out.append(Mention(holder, end, EntityType.Person, tk.span_text(holder, end),
                               "title", role=role, title_start=title.start,
                               org=org if org is not None and org.type != EntityType.Place
                               else None))
        elif title.end + 1 < end and tk.lower[title.end] in OFFICE_LINKS:
            # "Commissioner for Energy Kadri Simson": the office's complement, then the holder
            out += self._office_holder(tk, title.end + 1, end, role, title.start, known=False)
        return out

    def _office_holder(self, tk: Tokens, lo: int, end: int, role: Title, title_start: int,
                       known: bool) -> list[Mention]:
        """The holder of an office written with its complement, "<title> of|for
        <complement> <person>", in the run's tokens ``lo:end`` after "of"/"for": the
        complement (a body, or a portfolio such as "Energy") and the person, the longest tail
        of two to four words that looks like a person and opens with a known first name, else
        the last two words. The complement is kept as a body where the gazetteer or its head
        word types it; ``known``: only then ("the President of the European Commission Jose
        Manuel Barroso", where the title stands outside the run)."""
        if lo < end and tk.lower[lo] == "the":
            lo += 1
        tails = [k for k in range(lo + 1, end - 1)
                 if self._looks_like_person(tk, k, end, max_len=4, min_len=2)]
        named = [k for k in tails if tk.text[k] in self._first_names]
        k = named[0] if named else end - 2 if end - 2 in tails else None
        if k is None:
            return []
        gaz = self.lex.gazetteer.get(tk.span_text(lo, k))
        type = gaz.type if gaz else self._by_words(tk, lo, k)
        org = None if type is None else Mention(lo, k, type, gaz.name, "gazetteer") if gaz \
            else Mention(lo, k, type, tk.span_text(lo, k), "head")
        if org is None and known:
            return []
        return [*([org] if org else []),
                Mention(k, end, EntityType.Person, tk.span_text(k, end), "title", role=role,
                        title_start=title_start,
                        org=org if org is not None and org.type != EntityType.Place else None)]

    def _looks_like_person(self, tk: Tokens, start: int, end: int, max_len: int,
                           min_len: int = 1) -> bool:
        words = [(t, low) for t, low in zip(tk.text[start:end], tk.lower[start:end])
                 if t not in HYPHENS]
        if len(words) > 2:  # "Ursula von der Leyen": particles inside a person's name
            words = [words[0], *(w for w in words[1:-1] if w[0] not in PARTICLES), words[-1]]
        if not min_len <= len(words) <= max_len:
            return False
        for t, lower in words:
            if not PERSON_WORD.match(t) or t in self.lex.affiliations \
                    or t in self.lex.gazetteer or lower in self.lex.topics:
                return False
        return words[-1][0] not in self.lex.heads  # "Tech Bridge", not "Bill Hagerty"

    def _by_words(self, tk: Tokens, start: int, end: int) -> EntityType | None:
        """The type a name's head (last words) or lead (first words) gives, if any; in "X
        Subcommittee on Digital Assets" the head is the word before "on"; a legal form after
        a comma makes a company ("Petróleos de Venezuela, S.A.")."""
        if end - start < 2:
            return None
        words = tk.text[start:end]
        if len(words) > 2 and words[-2] == "," and _legal_form(words[-1]):
            return EntityType.Company
        on = next((i for i, w in enumerate(words[:-1], 1)
                   if w in self.lex.on_after and words[i] == "on"), None)
        for k in range(on, 0, -1) if on else ():
            head = " ".join(words[on - k:on])
            if head in self.lex.heads:
                return self.lex.heads[head]
        for k in range(len(words) - 1, 0, -1):
            head = " ".join(words[-k:])
            if head in self.lex.heads:
                return self.lex.heads[head]
        link = next((i for i, w in enumerate(words[1:-1], 1) if w in ("of", "for")), None)
        for k in (2, 1) if link else ():  # "Center for Public Integrity": the head is the
            head = " ".join(words[max(0, link - k):link])  # word before "of" or "for"
            if head in self.lex.heads:
                return self.lex.heads[head]
        for k in range(len(words) - 1, 0, -1):
            lead = " ".join(words[:k])
            if lead in self.lex.leads:
                return self.lex.leads[lead]
        return None

    def _bilateral(self, tk: Tokens, start: int, end: int) -> bool:
        """"UK-US Tech Bridge": two places joined by a hyphen, then a name."""
        if end - start < 4 or tk.text[start + 1] not in HYPHENS:
            return False
        places = [self.lex.gazetteer.get(tk.text[i]) for i in (start, start + 2)]
        return all(p is not None and p.type in (EntityType.Place, EntityType.Organization)
                   for p in places)

    # -- names typed by what surrounds them ---------------------------------------------------

    def _governments(self, tk: Tokens, mentions: list[Mention]) -> list[Mention]:
        """"UK government", "the Qatari government", "US Government", "the government of
        Qatar"; an administration named by its head, "the Trump administration"."""
        out = []

        def replace(s: int, e: int, name: str, aliases: list[str]) -> None:
            for m in [m for m in mentions if m.overlaps(s, e)]:
                mentions.remove(m)
            out.append(Mention(s, e, EntityType.Agency, name, "government", aliases=aliases))

        for _, s, e in self.demonyms(tk.doc):
            if e < tk.n and tk.lower[e] == "government" and not any(
                    m.overlaps(s, e + 1) and m.type != EntityType.Place for m in mentions):
                short = self.lex.demonyms[tk.span_text(s, e)]
                written = tk.span_text(s, e + 1)
                replace(s, e + 1, f"{short} government",
                        [written] if written != f"{short} government" else [])
        for k in range(tk.n - 2):
            if tk.lower[k] != "government" or tk.lower[k + 1] != "of":
                continue
            start = k + 2 + (tk.lower[k + 2] == "the")
            place = next((m for m in mentions if m.start == start and m.type == EntityType.Place
                          and m.name in self.lex.short_names), None)
            if place is not None:  # "the government of Qatar"
                replace(k, place.end, f"{self.lex.short_names[place.name]} government",
                        [tk.span_text(k, place.end)])
        for k in range(1, tk.n):
            if tk.lower[k] != "administration" or not tk.name[k - 1] or tk.stop[k - 1] \
                    or tk.sent_start[k]:
                continue
            start = k - 1
            while start > 0 and (tk.name[start - 1] or tk.text[start - 1] in HYPHENS) \
                    and not tk.stop[start - 1] and not tk.sent_start[start]:
                start -= 1
            if any(m.overlaps(start, k + 1) and m.type != EntityType.Person for m in mentions) \
                    or not PERSON_WORD.match(tk.text[k - 1]):
                continue  # "the Trump administration", not the Small Business Administration
            replace(start, k + 1, tk.span_text(start, k + 1), [])
        return out

    def _possessive_people(self, tk: Tokens, mentions: list[Mention],
                           untyped: list[tuple[int, int]]) -> list[Mention]:
        """"Nvidia's Jensen Huang": a typed organisation's person, found here or typed a
        person already (then the organisation is where the person holds a role)."""
        ends = {m.end: m for m in mentions if m.type not in (
            EntityType.Person, EntityType.Place, EntityType.Topic, EntityType.Initiative)}
        out = []
        for start, end in list(untyped):
            if start < 2 or tk.text[start - 1] not in POSSESSIVE or start - 1 not in ends:
                continue
            if not self._looks_like_person(tk, start, end, max_len=3, min_len=2):
                continue
            untyped.remove((start, end))
            out.append(Mention(start, end, EntityType.Person, tk.span_text(start, end),
                               "possessive", org=ends[start - 1]))
        for m in mentions:
            if m.type == EntityType.Person and m.org is None and m.title_start is None \
                    and m.start >= 2 and tk.text[m.start - 1] in POSSESSIVE \
                    and m.start - 1 in ends:
                m.org = ends[m.start - 1]
        return out

    def _resolve_untyped(self, tk: Tokens, mentions: list[Mention], untyped: list[tuple[int, int]],
                         known: list[Span]) -> list[Mention]:
        """Surnames and first names of people named in full (``_full_names`` then gives them
        the full name), acronyms of names in the text, and gazetteer names inside an untyped
        run ("UK-US" in "UK-US cooperation")."""
        name_words = {tk.text[k] for m in mentions if m.type == EntityType.Person
                      and m.end - m.start > 1 for k in (m.start, m.end - 1)}
        initials = {"".join(t[0] for t in tk.text[m.start:m.end] if t[0].isupper()): m
                    for m in mentions if m.type != EntityType.Person and m.end - m.start > 1}
        out = []
        for start, end in untyped:
            text = tk.span_text(start, end)
            if end - start == 1 and text in name_words:
                out.append(Mention(start, end, EntityType.Person, text, "surname"))
                continue
            if text.isupper() and 2 <= len(text) <= 6 and text in initials:
                out.append(Mention(start, end, initials[text].type, initials[text].name,
                                   "acronym"))
                continue
            inside = [span for span in known if start <= span.start and span.end <= end]
            covered = {k for span in inside for k in range(span.start, span.end)}
            if inside and all(k in covered or tk.text[k] in HYPHENS for k in range(start, end)):
                for span in inside:  # "UK-US", but not "Holland" in "Holland & Knight"
                    gaz = self.lex.gazetteer[span.text]
                    out.append(Mention(span.start, span.end, gaz.type, gaz.name, "gazetteer"))
        return out

    def _appositive_people(self, tk: Tokens, mentions: list[Mention],
                           untyped: list[tuple[int, int]], titles: list[Span]) -> list[Mention]:
        """Roles in apposition: "Mark Carney, the governor of the Bank of Canada",
        "Lena Park, chief executive at Tidal Power Ltd", "Greenpeace's executive director,
        Will McCallum", "the executive vice-president of the Commission, Frans Timmermans".
        The name need not be typed by anything else."""
        by_start = {m.start: m for m in mentions}
        by_end = {m.end: m for m in mentions}
        untyped_at = {r[0]: r for r in untyped}
        title_at = {t.start: t for t in titles}
        title_ending = {t.end: t for t in titles}
        at_span = {(m.start, m.end): m for m in mentions}
        remaining = set(untyped)  # untyped, as a set (both lose what this loop types)
        out = []
        for start, end in list(untyped) + [(m.start, m.end) for m in mentions
                                           if m.type == EntityType.Person and m.org is None]:
            if (start, end) not in remaining and (start, end) not in at_span:
                continue  # taken as another name's organisation in this loop
            if not self._looks_like_person(tk, start, end, max_len=3, min_len=2):
                continue
            role = org = None
            k = end  # after: ", [the] TITLE of|at [the] ORG"
            if k < tk.n and tk.text[k] == ",":
                k += 1 + (k + 1 < tk.n and tk.lower[k + 1] in {"the", "a", "an"})
                while k < tk.n and k not in title_at and tk.lower[k] in self.lex.modifiers:
                    k += 1  # "a former adviser to"
                title = title_at.get(k)
                if title is not None and title.end + 1 < tk.n and tk.lower[title.end] in \
                        ROLE_LINKS:
                    j = title.end + 1 + (tk.lower[title.end + 1] == "the")
                    org, role = by_start.get(j) or by_start.get(title.end + 1), title  # a
                    # gazetteer name may take its "the" ("the Treasury")
                    if org is None and j in untyped_at and untyped_at[j] != (start, end):
                        s2, e2 = untyped_at[j]  # an organisation nothing else types
                        org = Mention(s2, e2, self._by_words(tk, s2, e2)
                                      or EntityType.Organization, tk.span_text(s2, e2),
                                      "appositive-org")
                        untyped.remove((s2, e2))
                        remaining.discard((s2, e2))
                        out.append(org)
            k = start - (start > 0 and tk.text[start - 1] == ",")  # before: "ORG's TITLE, X"
            title = title_ending.get(k)
            if org is None and title is not None and title.start >= 2 \
                    and tk.text[title.start - 1] in POSSESSIVE:
                org, role = by_end.get(title.start - 1), title
            if org is None and start >= 4 and tk.text[start - 1] == ",":
                first = by_end.get(start - 1)  # "the TITLE of [the] ORG, X"
                j = first.start - 1 if first is not None else 0
                j -= j > 0 and tk.lower[j] == "the"
                if j > 0 and tk.lower[j] in ROLE_LINKS and j in title_ending:
                    org, role = first, title_ending[j]
            if org is None or org.type not in ORGANISATIONS:
                continue
            existing = at_span.get((start, end))
            if existing is not None:
                existing.org, existing.role = org, self.lex.titles[role.text.lower()]
                existing.title_start = role.start
            else:
                untyped.remove((start, end))
                remaining.discard((start, end))
                out.append(Mention(start, end, EntityType.Person, tk.span_text(start, end),
                                   "appositive", role=self.lex.titles[role.text.lower()],
                                   title_start=role.start, org=org))
        return out

    def _bracketed_holders(self, tk: Tokens, mentions: list[Mention],
                           untyped: list[tuple[int, int]], titles: list[Span]) -> list[Mention]:
        """A name in brackets after the office it holds, as Hansard writes speakers: "The
        Parliamentary Under-Secretary of State, Department of Health (Lord Warner)" holds the
        office at the body; "the hon. Member for Birmingham, Edgbaston (Preet Kaur Gill)" is a
        person."""
        by_end = {m.end: m for m in mentions}
        title_ending = {t.end: t for t in titles}
        for m in mentions:
            k = (title_ending[m.start].start if m.start in title_ending else m.start) - 1
            if m.type != EntityType.Person or m.org is not None or k < 3 \
                    or tk.text[k] != "(" or m.end >= tk.n or not tk.text[m.end].startswith(")"):
                continue
            org = by_end.get(k)
            title = title_ending.get(org.start - 1) if org is not None and org.start > 0 \
                and tk.text[org.start - 1] == "," else None
            if title is not None and org.type in ORGANISATIONS:
                m.org, m.role = org, self.lex.titles[title.text.lower()]
                m.title_start = title.start
        out = []
        for start, end in list(untyped):
            if start < 4 or tk.text[start - 1] != "(" or end >= tk.n \
                    or not tk.text[end].startswith(")") \
                    or not self._looks_like_person(tk, start, end, max_len=4, min_len=2):
                continue
            k = start - 2  # back over the constituency to "Member for"
            while k > 1 and (tk.name[k] or tk.text[k] == ",") and tk.lower[k] != "member":
                k -= 1
            if tk.lower[k] == "for" and tk.lower[k - 1] == "member":
                untyped.remove((start, end))
                out.append(Mention(start, end, EntityType.Person, tk.span_text(start, end),
                                   "title"))
        return out

    def _named_in_full(self, tk: Tokens, mentions: list[Mention],
                       untyped: list[tuple[int, int]]) -> list[Mention]:
        """"Ruben Gallego met ... Mr. Gallego said": a person-shaped name that nothing typed
        is a person when the text names a person by its last word."""
        words = {tk.text[m.start] for m in mentions
                 if m.type == EntityType.Person and m.end - m.start == 1}
        out = []
        for start, end in list(untyped):
            if tk.text[end - 1] in words and self._looks_like_person(tk, start, end, 3, 2):
                untyped.remove((start, end))
                out.append(Mention(start, end, EntityType.Person, tk.span_text(start, end),
                                   "full-name"))
        return out

    @staticmethod
    def _full_names(tk: Tokens, mentions: list[Mention]) -> None:
        """A one-word person ("Trump", "Mr. Gallego") is the person named in full in the same
        text whose first or last word it is, when exactly one is."""
        full = [m for m in mentions if m.type == EntityType.Person and m.end - m.start > 1]
        for m in mentions:
            if m.type == EntityType.Person and m.end - m.start == 1:
                word = tk.text[m.start]
                match = {p.name for p in full if word in (tk.text[p.end - 1], tk.text[p.start])}
                if len(match) == 1:
                    m.name = match.pop()

    def _short_names(self, mentions: list[Mention]) -> None:
        """An organisation named by the end of its name ("the Finance Committee" after "the
        Senate Finance Committee", "the Doha Center"), or by its start where the rest is head
        words ("Brookings" after "the Brookings Institution"), is the organisation named in
        full in the same text, when exactly one fits."""
        # distinct names, split once: a long text names a few organisations many times
        names = {(m.type, m.name): m.name.split() for m in mentions if m.type in ORGANISATIONS}
        heads = self.lex.heads
        full: dict[tuple, str] = {}  # (type, short name) -> the one name it stands for
        for (type, name), words in names.items():
            fits = {other for (t, other), longer in names.items()
                    if t == type and shortened(words, longer, heads)}
            if len(fits) == 1:
                full[type, name] = fits.pop()
        for m in mentions:
            longer = full.get((m.type, m.name))
            if longer is not None:
                m.aliases.append(m.name)
                m.name = longer

    @staticmethod
    def _local_first(tk: Tokens, mentions: list[Mention]) -> None:
        """A one-word name the gazetteer takes for a body it knows ("Commission": the European
        Commission) is the organisation of the same text whose name it ends, when exactly one
        other does ("the Commission" after "the Electoral Commission")."""
        for m in mentions:
            if m.how != "gazetteer" or m.end - m.start != 1 or tk.text[m.start] == m.name:
                continue
            word = tk.text[m.start]
            fits = {(o.name, o.type) for o in mentions if o.type in ORGANISATIONS
                    and o.end - o.start > 1 and tk.text[o.end - 1] == word}
            if len(fits) == 1 and next(iter(fits))[0] != m.name:
                m.aliases.append(word)
                m.name, m.type = next(iter(fits))

    @staticmethod
    def _one_type_per_name(mentions: list[Mention]) -> None:
        """Within one text a name has one type: the one its strongest evidence gives
        ("DigitalEurope, the trade association" over a default from "director general of
        DigitalEurope")."""
        best: dict[str, Mention] = {}
        for m in mentions:
            if m.type == EntityType.Topic:
                continue
            key = name_key(m.name)
            if key not in best or STRENGTH[m.how] < STRENGTH[best[key].how]:
                best[key] = m
        for m in mentions:
            strongest = best.get(name_key(m.name))
            if strongest is not None and m.type != EntityType.Topic:
                m.type = strongest.type

    @staticmethod
    def _title_orgs(tk: Tokens, mentions: list[Mention]) -> None:
        """"Acme Energy chief executive Maria Lopez", "Patton Boggs, where partner Nicholas
        Allard says": the organisation named right before a private title, or before
        ", where" or ", whose" and the title, is where the person holds it."""
        ends = {m.end: m for m in mentions if m.type in ORGANISATIONS}
        for m in mentions:
            if m.type != EntityType.Person or m.org is not None or m.role is None \
                    or m.role.public or m.title_start is None:
                continue
            k = m.title_start
            if k > 2 and tk.lower[k - 1] in ("where", "whose") and tk.text[k - 2] == ",":
                k -= 2
            if k in ends:
                m.org = ends[k]

    @staticmethod
    def _shared_bodies(tk: Tokens, mentions: list[Mention]) -> None:
        """"Senate Finance Committee Chairman Chuck Grassley of Iowa and Ranking Member Ron
        Wyden": a title that names no body, after "and" or a comma that follows the holder of
        another title with the body written before it, is held there too, when it is a
        public office and the body a public one, or neither is."""
        people = [m for m in mentions if m.type == EntityType.Person]
        by_end = {m.end: m for m in mentions}
        for b in people:
            if b.org is not None or b.role is None or b.role.body or b.title_start is None:
                continue
            k = b.title_start - 1
            if k < 1 or tk.lower[k] not in ("and", ","):
                continue
            if tk.text[k - 1] == ")":  # an aside in brackets after the first holder
                k = next((j for j in range(k - 2, max(k - 8, 0), -1) if tk.text[j] == "("), 0)
            elif k in by_end and by_end[k].type == EntityType.Place \
                    and tk.lower[by_end[k].start - 1] == "of":  # "... of Iowa and"
                k = by_end[k].start - 1
            a = by_end.get(k)
            if a is not None and a.type == EntityType.Person and a.org is not None \
                    and a.org.end <= a.start \
                    and b.role.public == (a.org.type == EntityType.Agency):
                b.org = a.org

    def _model_entities(self, tk: Tokens, untyped: list[tuple[int, int]]) -> list[Mention]:
        """Names a spaCy model recognised (doc.ents) that the rules left untyped."""
        out = []
        labels = {(e.start, e.end): e.label_ for e in tk.doc.ents}
        for start, end in list(untyped):
            label = self.lex.model_labels.get(labels.get((start, end), ""))
            if label is None:
                continue
            type = (self._by_words(tk, start, end) or EntityType.Organization) \
                if label == "org" else EntityType(label)
            untyped.remove((start, end))
            out.append(Mention(start, end, type, tk.span_text(start, end), "model"))
        return out

    def _acronyms(self, tk: Tokens, mentions: list[Mention]) -> None:
        """"Financial Conduct Authority (FCA)": the acronym becomes an alias, and its later
        mentions name the same entity."""
        aliases: dict[str, Mention] = {}
        for m in mentions:
            if m.end + 2 < tk.n and tk.text[m.end] == "(" and tk.text[m.end + 2] == ")":
                acronym = tk.text[m.end + 1]
                known = self.lex.gazetteer.get(acronym)
                if known is not None and known.name != m.name:
                    continue  # "BAE Systems (UK)": a place, not BAE Systems' acronym
                if acronym.isupper() and acronym not in m.aliases:
                    m.aliases.append(acronym)
                    aliases[acronym] = m
        for m in mentions:
            target = aliases.get(tk.span_text(m.start, m.end))
            if target is not None and target is not m:
                m.name, m.type = target.name, target.type
