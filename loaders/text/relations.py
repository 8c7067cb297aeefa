"""Relations from cue phrases within a sentence, and roles from titles.

Every rule is data (``loaders/data/cues.toml``): a relation type, a kind that says where its
two ends are found around the cue, the cue phrases, and a confidence. The ontology decides which
entity types may stand at each end, so a rule never links, say, a Topic to a Person by LOBBIES.
A list distributes: "A, B and C wrote to X and Y" gives six relations. A relation whose
sentence states one date ("vowed in 2022 to ...") takes it as its ``start``.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from graph.ontology import EntityType, RelationType
from loaders.text.dates import sentence_date
from loaders.text.lexicon import Lexicon, Rule
from loaders.text.mentions import (
    COPULAS,
    ORG_PRONOUNS,
    PERSON_PRONOUNS,
    POSSESSIVE,
    Mention,
    Tokens,
)

SEPARATORS = {",", "and", "or", "&", "as", "well", "plus", "both", "also", "the", "as well as"}
WINDOW = 30  # tokens between a cue and the first end it takes
GAP = 4  # words that "..." in a cue may stand for


@dataclass(frozen=True)
class Found:
    """One relation found: its ends, where its evidence is, and which rule found it."""

    source: Mention
    type: RelationType
    target: Mention
    start: int  # character offsets of the evidence
    end: int
    rule: str
    confidence: float
    attributes: tuple[tuple[str, object], ...] = ()


class RelationFinder:
    """Applies the lexicon's relation rules to the sentences of a Doc."""

    def __init__(self, nlp, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self.cues = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.rules_by_cue: dict[str, list[Rule]] = {}
        for rule in lexicon.rules:
            for cue in rule.cues:
                self.rules_by_cue.setdefault(cue, []).append(rule)
        self.gap_heads = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.gap_tails: dict[str, list[str]] = {}
        for cue in self.rules_by_cue:
            if "..." in cue:
                head, tail = (part.strip() for part in cue.split("...", 1))
                self.gap_heads.add(cue, [nlp.tokenizer(head)])
                self.gap_tails[cue] = [t.lower_ for t in nlp.tokenizer(tail)]
            else:
                self.cues.add(cue, [nlp.tokenizer(cue)])
        self._filler_words = (SEPARATORS | lexicon.modifiers | lexicon.list_fillers
                              | set(lexicon.context))
        self.reporting = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.reporting.add("REPORTING", list(nlp.tokenizer.pipe(sorted(lexicon.reporting))))

    def find(self, tk: Tokens, mentions: list[Mention],
             titles: list[tuple[int, int]]) -> list[Found]:
        doc = tk.doc
        found = list(self._roles(doc, mentions))
        filler = self._filler(tk, mentions, titles)
        reported = set(self._reported(doc, mentions))
        # "JPMorgan" in "JPMorgan chief executive Jamie Dimon" says where he works; the cue
        # rules link the person, not the organisation
        title_orgs = {id(m.org) for m in mentions
                      if m.type == EntityType.Person and m.org is not None and m.role is not None
                      and m.org.end <= m.start}
        sents = list(doc.sents)
        starts = [s.start for s in sents]
        by_sent: dict[int, list[Mention]] = {}
        for m in mentions:
            by_sent.setdefault(bisect_right(starts, m.start) - 1, []).append(m)
        cues_by_sent: dict[int, list[tuple[str, int, int]]] = {}
        matches = [(doc.vocab.strings[mid], s, e) for mid, s, e in self.cues(doc)]
        matches += self._gapped(tk)
        for cue, s, e in matches:
            cues_by_sent.setdefault(bisect_right(starts, s) - 1, []).append((cue, s, e))
        for i, cues in cues_by_sent.items():
            sent, in_sent = sents[i], [m for m in by_sent.get(i, []) if m.end <= sents[i].end]
            if not in_sent:
                continue
            text = sent.text.rstrip()
            evidence = (sent.start_char, sent.start_char + len(text))
            stated = sentence_date(text)
            dated = (("start", stated[0]), ("date_precision", stated[1])) if stated else ()
            longest = {(s, e): cue for cue, s, e in cues  # the longest cue at each place
                       if not any(s2 <= s and e <= e2 and (s2, e2) != (s, e)
                                  for _, s2, e2 in cues)}
            for (s, e), cue in sorted(longest.items()):
                for rule in self.rules_by_cue[cue]:
                    found += [replace(f, attributes=f.attributes + dated) for f in self._apply(
                        tk, sent.start, evidence, rule, s, e, in_sent, mentions, filler,
                        reported, title_orgs)]
        return found

    def _gapped(self, tk: Tokens) -> list[tuple[str, int, int]]:
        """Cues with a gap ("vowed ... to"): the tail within GAP words that are not
        punctuation after the head."""
        out = []
        for mid, s, e in self.gap_heads(tk.doc):
            cue = tk.doc.vocab.strings[mid]
            tail = self.gap_tails[cue]
            for k in range(e, min(e + GAP + 1, tk.n)):
                if tk.lower[k:k + len(tail)] == tail:
                    out.append((cue, s, k + len(tail)))
                    break
                if tk.punct[k]:
                    break
        return out

    # -- roles from titles and possessives ----------------------------------------------------

    def _roles(self, doc: Doc, mentions: list[Mention]):
        for m in mentions:
            if m.type != EntityType.Person or m.org is None:
                continue
            title = m.title_start if m.title_start is not None else m.start
            # the person, title and organisation in whatever order the text has them
            span = doc[min(m.org.start, title, m.start):max(m.org.end, m.end)]
            attrs = (("role", m.role.name),) if m.role else ()
            yield Found(m, RelationType.ROLE_AT, m.org, span.start_char, span.end_char,
                        "role." + ("title" if m.role else "possessive"),
                        0.9 if m.role else 0.75, attrs)

    # -- helpers ------------------------------------------------------------------------------

    def _filler(self, tk: Tokens, mentions: list[Mention], titles: list[tuple[int, int]]) -> set:
        """Token positions that may stand between two coordinated names."""
        out = set()
        for m in mentions:  # a name, and the office written before it ("Commissioner for
            # Energy Kadri Simson")
            before = m.title_start is not None and m.title_start < m.start
            out.update(range(m.title_start if before else m.start, m.end))
        for s, e in titles:
            out.update(range(s, e))
        words = self._filler_words
        out.update(i for i, (t, low) in enumerate(zip(tk.text, tk.lower))
                   if low in words or t in POSSESSIVE or t in self.lex.demonyms)
        starts = {m.start for m in mentions}
        for i, t in enumerate(tk.text):  # a short aside in brackets that names no one, after
            if t == "(":  # a name: "Sen. Bill Hagerty (R-TN), ..."
                close = next((k for k in range(i + 1, min(i + 6, tk.n)) if tk.text[k] == ")"),
                             None)
                if close is not None and not starts.intersection(range(i, close)):
                    out.update(range(i, close + 1))
        return out

    def _reported(self, doc: Doc, mentions: list[Mention]):
        """Mentions that are a reporting source ("according to the FT"), never an actor."""
        for *_, e in self.reporting(doc):
            for m in mentions:
                if e <= m.start <= e + 2:
                    yield id(m)
                    break

    @staticmethod
    def _coordinated(chain: list[Mention], first: int, step: int, filler: set,
                     ok) -> list[Mention]:
        """``chain[first]`` and the admitted names joined to it by commas and "and"."""
        group = [chain[first]]
        i = first
        while 0 <= i + step < len(chain):
            a, b = (chain[i], chain[i + step]) if step > 0 else (chain[i + step], chain[i])
            if not all(k in filler for k in range(a.end, b.start)):
                break
            i += step
            if ok(chain[i]):
                group.append(chain[i])
        return group

    # -- one rule at one cue ------------------------------------------------------------------

    def _apply(self, tk: Tokens, sent_start: int, evidence: tuple[int, int], rule: Rule,
               cs: int, ce: int, in_sent: list[Mention], all_mentions: list[Mention],
               filler: set, reported: set, title_orgs: set) -> list[Found]:
        """The relations one rule gives at one cue (token span ``cs:ce``) of a sentence whose
        evidence span (characters) is ``evidence``."""
        rel = rule.relation

        def ok_source(m: Mention) -> bool:
            return (m.type in rel.source_types and id(m) not in reported
                    and (rule.source_types is None or m.type in rule.source_types))

        def ok_target(m: Mention) -> bool:
            return m.type in rel.target_types and (rule.target_types is None
                                                   or m.type in rule.target_types)

        ends = [m for m in in_sent if id(m) not in title_orgs]
        before = [m for m in ends if m.end <= cs]
        limit = next((k for k in range(ce, min(ce + WINDOW, tk.n))
                      if tk.lower[k] in self.lex.clause_breaks), ce + WINDOW)
        after = [m for m in ends if ce <= m.start < limit]
        inferred = False
        if rule.kind == "address":
            first = next((i for i, m in enumerate(after) if ok_target(m)), None)
            if first is None:
                return []
            targets = self._coordinated(after, first, 1, filler, ok_target)
            targets += [m for m in ends if m.type == EntityType.Initiative
                        and ok_target(m) and m not in targets]
            # names between the cue and its addressees ("lobbying EU institutions") are
            # part of what is addressed, never senders
            sources = [m for m in ends if ok_source(m) and m not in targets
                       and not ce <= m.start < targets[0].start]
        elif rule.kind in ("forward", "group", "passive"):
            near_ok, far_ok = (ok_source, ok_target) if rule.kind != "passive" else \
                (ok_target, ok_source)
            near = next((i for i in range(len(before) - 1, -1, -1) if near_ok(before[i])), None)
            far = next((i for i, m in enumerate(after) if far_ok(m)), None)
            if far is None:
                return []
            pronoun = tk.lower[cs - 1] if cs > sent_start else ""
            if rule.kind == "group" and pronoun in PERSON_PRONOUNS | ORG_PRONOUNS:
                antecedent = self._antecedent(all_mentions, cs - 1, pronoun, ok_source)
                if antecedent is None:
                    return []
                near_group, inferred = [antecedent], True
            elif near is None:
                return []
            else:
                near_group = self._coordinated(before, near, -1, filler, near_ok)
                if rule.kind == "forward":
                    near_group += self._joined(tk, cs, before, near_group, near_ok)
            far_group = self._coordinated(after, far, 1, filler, far_ok)
            sources, targets = (near_group, far_group) if rule.kind != "passive" else \
                (far_group, near_group)
        elif rule.kind == "between":
            first = next((i for i, m in enumerate(after) if ok_source(m)), None)
            if first is None:
                return []
            group = self._coordinated(after, first, 1, filler, ok_target)
            sources, targets = group[:1], group[1:]
        elif rule.kind == "parties":
            first = next((i for i, m in enumerate(after) if ok_source(m)), None)
            if first is None:
                return []
            sources = self._coordinated(after, first, 1, filler, ok_source)
            named = [m for m in before if ok_target(m)][-1:]  # "X is a new agreement between"
            if not (named and COPULAS.intersection(tk.lower[named[0].end:cs])
                    and cs - named[0].end <= 5):
                named = [m for m in after if ok_target(m) and m.start >= sources[-1].end][:1]
            targets = named
        elif rule.kind == "mutual":
            last = next((i for i in range(len(before) - 1, -1, -1) if ok_source(before[i])),
                        None)
            if last is None or before[last].end < cs - 3:
                return []
            group = self._coordinated(before, last, -1, filler, ok_source)[::-1]
            sources, targets = group[:1], group[1:]
        else:
            raise ValueError(f"rule {rule.id}: unknown kind {rule.kind!r}")
        confidence = rule.confidence * (0.7 if inferred else 1.0)
        attrs = (("inferred", True),) if inferred else ()
        start_char, end_char = evidence
        out = []
        for s in sources:
            for t in targets:
                if s.name == t.name and s.type == t.type:
                    continue
                if rel.allows(s.type, t.type):
                    out.append(Found(s, rel, t, start_char, end_char, rule.id, confidence, attrs))
        return out

    @staticmethod
    def _joined(tk: Tokens, cs: int, before: list[Mention], group: list[Mention], ok
                ) -> list[Mention]:
        """The one who "joined" the group in the act the cue names: "Lummis joined Senator
        Hagerty and Senator Scott in introducing the act" has three sponsors."""
        first = min(m.start if m.title_start is None else min(m.start, m.title_start)
                    for m in group)
        if cs < 2 or tk.lower[cs - 1] != "in" or first < 2 \
                or tk.lower[first - 1] not in ("joined", "joins", "joining"):
            return []
        end = first - 1  # where the one who joined ends: before "joined" and any aside
        if tk.text[end - 1] == ")":  # in brackets ("Lummis (R-WY) joined")
            end = next((k for k in range(end - 2, max(end - 8, 0), -1) if tk.text[k] == "("),
                       end)
        return [m for m in before if m.end == end and ok(m)]

    @staticmethod
    def _antecedent(mentions: list[Mention], position: int, pronoun: str, ok) -> Mention | None:
        """The last admitted person (his, her) or organisation (its, their) before a pronoun."""
        want_person = pronoun in PERSON_PRONOUNS
        for m in reversed([m for m in mentions if m.end <= position]):
            if (m.type == EntityType.Person) == want_person and ok(m):
                return m
        return None
