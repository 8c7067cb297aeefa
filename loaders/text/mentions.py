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

from dataclasses import dataclass, field

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from graph.ontology import ORGANISATIONS, EntityType
from loaders.text.lexicon import Lexicon, Title

CONNECTORS = {"of", "for", "de", "du", "von", "van", "der", "la", "&"}
HYPHENS = {"-", "\u2013", "\u2010", "\u2011"}
POSSESSIVE = {"'s", "\u2019s", "'", "\u2019"}
PERSON_PRONOUNS = {"his", "her"}
ORG_PRONOUNS = {"its", "their"}


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


class MentionFinder:
    """Finds typed mentions in spaCy Docs, with matchers built once from a Lexicon."""

    def __init__(self, nlp, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self.titles = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.titles.add("TITLE", list(nlp.tokenizer.pipe(list(lexicon.titles))))
        self.topics = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.topics.add("TOPIC", list(nlp.tokenizer.pipe(list(lexicon.topics))))
        self.known = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.known.add("KNOWN", list(nlp.tokenizer.pipe(list(lexicon.gazetteer))))
        self.context = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.context.add("CONTEXT", list(nlp.tokenizer.pipe(list(lexicon.context))))
        self.demonyms = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.demonyms.add("DEMONYM", list(nlp.tokenizer.pipe(list(lexicon.demonyms))))
        self.honorifics = {h.lower() for h in lexicon.honorifics}
        self._stop = set(nlp.Defaults.stop_words)

    # -- the pass over one document -----------------------------------------------------------

    def find(self, doc: Doc) -> tuple[list[Mention], list[tuple[int, int]]]:
        """Typed mentions, sorted by position, and the token spans of titles (for rules)."""
        titles = filter_spans([doc[s:e] for _, s, e in self.titles(doc)])
        known = filter_spans([doc[s:e] for _, s, e in self.known(doc)])
        contexts = filter_spans([doc[s:e] for _, s, e in self.context(doc)])
        topics = filter_spans([doc[s:e] for _, s, e in self.topics(doc)])
        runs = self._runs(doc, known)
        context_types = self._context_types(doc, runs, contexts)

        mentions: list[Mention] = []
        untyped: list[tuple[int, int]] = []
        for start, end in runs:
            found = self._type_run(doc, start, end, titles, known, context_types)
            if found:
                mentions.extend(found)
            else:
                untyped.append((start, end))
        mentions += self._governments(doc, mentions)
        mentions += self._possessive_people(doc, mentions, untyped)
        mentions += self._resolve_untyped(doc, mentions, untyped, known)
        taken = [m for m in mentions]
        for span in topics:
            if not any(m.overlaps(span.start, span.end) for m in taken):
                mentions.append(Mention(span.start, span.end, EntityType.Topic,
                                        self.lex.topics[span.text.lower()], "topic"))
        mentions.sort(key=lambda m: (m.start, m.end))
        self._acronyms(doc, mentions)
        self._title_orgs(mentions)
        title_spans = [(t.start, t.end) for t in titles]
        return mentions, title_spans

    # -- candidates ---------------------------------------------------------------------------

    @staticmethod
    def _is_name(tok) -> bool:
        t = tok.text
        return bool(t) and t[0].isupper() and any(c.isalpha() for c in t)

    def _runs(self, doc: Doc, known: list[Span]) -> list[tuple[int, int]]:
        """Maximal runs of name tokens; gazetteer names that reach further are kept whole."""
        runs: list[tuple[int, int]] = []
        i, n = 0, len(doc)
        while i < n:
            if not self._is_name(doc[i]):
                i += 1
                continue
            j = self._run_end(doc, i)
            start = i
            while start < j and doc[start].lower_ in self.lex.modifiers | {"the"} | (
                    set(self.lex.context) | self._stop if doc[start].is_sent_start else set()):
                start += 1
            if start < j:
                runs.append((start, j))
            i = j
        # a gazetteer name that crosses a run boundary ("Department for Science, Innovation
        # and Technology") replaces the runs it covers
        for span in known:
            covered = [r for r in runs if r[0] < span.end and span.start < r[1]]
            if covered and all(span.start <= r[0] and r[1] <= span.end for r in covered) \
                    and (span.start, span.end) not in covered:
                runs = [r for r in runs if r not in covered] + [(span.start, span.end)]
        return sorted(runs)

    def _name_at(self, doc: Doc, k: int) -> bool:
        return k < len(doc) and self._is_name(doc[k]) and not doc[k].is_sent_start

    def _names_from(self, doc: Doc, k: int) -> int:
        """The end of the name tokens that start at ``k``."""
        while self._name_at(doc, k):
            k += 1
        return k

    def _run_end(self, doc: Doc, i: int) -> int:
        """Where the name starting at token ``i`` ends. Inside a name may stand "of", "for"
        and the like; "on" after a committee-like word; a hyphen or a plural possessive
        ("Farmers' Union") between words; "and" or ", A and B" once "of"/"for" has been seen
        ("Department for Environment, Food and Rural Affairs"); and "and" before a name that
        ends in a head word ("Planning and Infrastructure Bill")."""
        j, inner = i + 1, doc[i].text in self.lex.leads
        while j < len(doc) and not doc[j].is_sent_start:
            t = doc[j]
            nxt = self._name_at(doc, j + 1)
            if self._is_name(t):
                j += 1
            elif nxt and (t.lower_ in CONNECTORS or (t.lower_ == "on"
                                                     and doc[j - 1].text in self.lex.on_after)):
                inner |= t.lower_ in {"of", "for", "on"}
                j += 1
            elif t.lower_ == "the" and doc[j - 1].lower_ in {"of", "for", "on"} and nxt:
                j += 1
            elif t.text in HYPHENS and not doc[j - 1].whitespace_ and not t.whitespace_ and nxt:
                j += 1
            elif t.text in {"'", "\u2019"} and not doc[j - 1].whitespace_ and nxt \
                    and doc[j - 1].text.endswith("s"):
                j += 1
            elif t.lower_ == "and" and nxt and (inner or self._ends_in_head(doc, j + 1)):
                j += 1
            elif t.text == "," and inner and nxt:
                k = self._names_from(doc, j + 1)
                if k < len(doc) and doc[k].lower_ == "and" and self._name_at(doc, k + 1):
                    j += 1
                else:
                    break
            else:
                break
        return j

    def _ends_in_head(self, doc: Doc, k: int) -> bool:
        end = self._names_from(doc, k)
        return end > k and doc[end - 1].text in self.lex.heads and \
            self.lex.heads[doc[end - 1].text] in (EntityType.Initiative, EntityType.Agency)

    def _context_types(self, doc: Doc, runs: list[tuple[int, int]],
                       contexts: list[Span]) -> dict[tuple[int, int], EntityType]:
        """Runs typed by a context noun: a list after it, the run right after it, or an
        appositive ("X, a trade body")."""
        by_start = {r[0]: r for r in runs}
        typed: dict[tuple[int, int], EntityType] = {}
        for span in contexts:
            type = self.lex.context[span.text.lower()]
            # "<noun> [,] including [the] A, B and C" / "<noun> X"
            k = span.end
            while k < len(doc) and (doc[k].lower_ in self.lex.list_openers or doc[k].is_punct
                                    or doc[k].lower_ in {"the", "such", "as", "a", "an"}):
                if doc[k].is_sent_start or doc[k].text in {".", ";"}:
                    break
                k += 1
            opened = k > span.end
            while k in by_start:
                run = by_start[k]
                typed.setdefault(run, type)
                k = run[1]
                if not opened:
                    break
                while k < len(doc) and doc[k].lower_ in {",", "and", "or", "the", "&"}:
                    k += 1
            # appositive: "X, a/the <noun>"
            k = span.start - 1
            while k >= 0 and doc[k].lower_ in {"a", "an", "the", "another", "one"}:
                k -= 1
            if k >= 1 and doc[k].text == ",":
                for run in runs:
                    if run[1] == k:
                        typed.setdefault(run, type)
        return typed

    # -- typing one run -----------------------------------------------------------------------

    def _type_run(self, doc: Doc, start: int, end: int, titles: list[Span],
                  known: list[Span], context_types: dict) -> list[Mention]:
        text = doc[start:end].text
        gaz = self.lex.gazetteer.get(text)
        if gaz is not None:
            return [Mention(start, end, gaz.type, gaz.name, "gazetteer")]
        inside = [t for t in titles if start <= t.start and t.end <= end]
        if inside:
            return self._titled(doc, start, end, inside[0])
        before = [t for t in titles if t.end == start]
        if before or (start > 0 and doc[start - 1].text in self.lex.honorifics):
            if self._looks_like_person(doc, start, end, max_len=4):
                title = self.lex.titles[before[0].text.lower()] if before else None
                return [Mention(start, end, EntityType.Person, text, "title",
                                role=title, title_start=before[0].start if before else None)]
        if (start, end) in context_types:
            return [Mention(start, end, context_types[(start, end)], text, "context")]
        type = self._by_words(doc, start, end)
        if type is not None:
            return [Mention(start, end, type, text, "head")]
        if self._bilateral(doc, start, end):
            return [Mention(start, end, EntityType.Initiative, text, "bilateral")]
        if self._looks_like_person(doc, start, end, max_len=3, min_len=2) and end < len(doc):
            after = doc[end].lower_ if doc[end].text != "," else (
                doc[end + 1].lower_ if end + 1 < len(doc) else "")
            if after in self.lex.person_cues_after:
                return [Mention(start, end, EntityType.Person, text, "person-cue")]
        return []

    def _titled(self, doc: Doc, start: int, end: int, title: Span) -> list[Mention]:
        """A run with a title inside: "[Org] [modifier] Title [Person]"."""
        role = self.lex.titles[title.text.lower()]
        out: list[Mention] = []
        org = None
        left = start
        while left < title.start and doc[left].lower_ in self.lex.modifiers:
            left += 1
        if left < title.start:
            text = doc[left:title.start].text
            gaz = self.lex.gazetteer.get(text)
            if gaz is not None:
                org = Mention(left, title.start, gaz.type, gaz.name, "gazetteer")
            elif not role.public:
                org = Mention(left, title.start, self._by_words(doc, left, title.start)
                              or EntityType.Company, text, "title-org")
            if org is not None:
                out.append(org)
        if title.end < end and self._looks_like_person(doc, title.end, end, max_len=4):
            out.append(Mention(title.end, end, EntityType.Person, doc[title.end:end].text,
                               "title", role=role, title_start=title.start,
                               org=org if org is not None and org.type != EntityType.Place
                               else None))
        return out

    def _looks_like_person(self, doc: Doc, start: int, end: int, max_len: int,
                           min_len: int = 1) -> bool:
        if not min_len <= end - start <= max_len:
            return False
        for tok in doc[start:end]:
            t = tok.text
            if not (t[0].isupper() and (t[1:].islower() or "-" in t or "'" in t or len(t) == 1
                                        or t[1:].replace("c", "", 1).islower())):
                return False
            if t in self.lex.heads or t in self.lex.gazetteer or tok.lower_ in self.lex.topics:
                return False
        return True

    def _by_words(self, doc: Doc, start: int, end: int) -> EntityType | None:
        """The type a name's head (last words) or lead (first words) gives, if any."""
        if end - start < 2:
            return None
        words = [t.text for t in doc[start:end]]
        for k in range(len(words) - 1, 0, -1):
            head = " ".join(words[-k:])
            if head in self.lex.heads:
                return self.lex.heads[head]
        for k in range(len(words) - 1, 0, -1):
            lead = " ".join(words[:k])
            if lead in self.lex.leads:
                return self.lex.leads[lead]
        return None

    def _bilateral(self, doc: Doc, start: int, end: int) -> bool:
        """"UK-US Tech Bridge": two places joined by a hyphen, then a name."""
        if end - start < 4 or doc[start + 1].text not in HYPHENS:
            return False
        places = [self.lex.gazetteer.get(doc[i].text) for i in (start, start + 2)]
        return all(p is not None and p.type in (EntityType.Place, EntityType.Organization)
                   for p in places)

    # -- names typed by what surrounds them ---------------------------------------------------

    def _governments(self, doc: Doc, mentions: list[Mention]) -> list[Mention]:
        """"UK government", "the British government", "US Government"."""
        out = []
        for _, s, e in self.demonyms(doc):
            if e < len(doc) and doc[e].lower_ == "government" and not any(
                    m.overlaps(s, e + 1) and m.type != EntityType.Place for m in mentions):
                short = self.lex.demonyms[doc[s:e].text]
                for m in [m for m in mentions if m.overlaps(s, e + 1)]:
                    mentions.remove(m)
                out.append(Mention(s, e + 1, EntityType.Agency, f"{short} government",
                                   "government"))
        return out

    def _possessive_people(self, doc: Doc, mentions: list[Mention],
                           untyped: list[tuple[int, int]]) -> list[Mention]:
        """"Nvidia's Jensen Huang": a typed organisation's person."""
        out = []
        for start, end in list(untyped):
            if start < 2 or doc[start - 1].text not in POSSESSIVE:
                continue
            if not self._looks_like_person(doc, start, end, max_len=3, min_len=2):
                continue
            owner = next((m for m in mentions if m.end == start - 1), None)
            if owner is None:
                continue
            if owner.type in (EntityType.Person, EntityType.Place, EntityType.Topic,
                              EntityType.Initiative):
                continue
            untyped.remove((start, end))
            out.append(Mention(start, end, EntityType.Person, doc[start:end].text,
                               "possessive", org=owner))
        return out

    def _resolve_untyped(self, doc: Doc, mentions: list[Mention], untyped: list[tuple[int, int]],
                         known: list[Span]) -> list[Mention]:
        """Surnames and first names of people named in full, acronyms of names in the text,
        and gazetteer names inside an untyped run ("UK-US" in "UK-US cooperation")."""
        people = [m for m in mentions if m.type == EntityType.Person and m.end - m.start > 1]
        out = []
        for start, end in untyped:
            text = doc[start:end].text
            if end - start == 1 or (end - start == 2 and doc[start].lower_ in self.honorifics):
                word = doc[end - 1].text
                match = {p.name for p in people
                         if word in (doc[p.end - 1].text, doc[p.start].text)}
                if len(match) == 1:
                    out.append(Mention(start, end, EntityType.Person, match.pop(), "surname"))
                    continue
            if text.isupper() and 2 <= len(text) <= 6:
                match = [m for m in mentions if m.type != EntityType.Person and m.end - m.start > 1
                         and "".join(t.text[0] for t in doc[m.start:m.end]
                                     if t.text[0].isupper()) == text]
                if match:
                    out.append(Mention(start, end, match[0].type, match[0].name, "acronym"))
                    continue
            for span in known:
                if start <= span.start and span.end <= end:
                    gaz = self.lex.gazetteer[span.text]
                    out.append(Mention(span.start, span.end, gaz.type, gaz.name, "gazetteer"))
        return out

    @staticmethod
    def _title_orgs(mentions: list[Mention]) -> None:
        """"Acme Energy chief executive Maria Lopez": the organisation named right before a
        private title is where the person holds it."""
        ends = {m.end: m for m in mentions if m.type in ORGANISATIONS}
        for m in mentions:
            if m.type == EntityType.Person and m.org is None and m.role is not None \
                    and not m.role.public and m.title_start in ends:
                m.org = ends[m.title_start]

    def _acronyms(self, doc: Doc, mentions: list[Mention]) -> None:
        """"Financial Conduct Authority (FCA)": the acronym becomes an alias, and its later
        mentions name the same entity."""
        aliases: dict[str, Mention] = {}
        for m in mentions:
            if m.end + 2 < len(doc) and doc[m.end].text == "(" and doc[m.end + 2].text == ")":
                acronym = doc[m.end + 1].text
                if acronym.isupper() and acronym not in m.aliases:
                    m.aliases.append(acronym)
                    aliases[acronym] = m
        for m in mentions:
            target = aliases.get(doc[m.start:m.end].text)
            if target is not None and target is not m:
                m.name, m.type = target.name, target.type
