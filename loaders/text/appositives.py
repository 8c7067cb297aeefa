"""What the words around a name state of it. Apposition: "Sir Tom Scholar, Permanent
Secretary at the Treasury", "Jane Doe, Acme's chief executive" and "the chief executive of
Acme, Jane Doe" say that the person holds a role at the organisation, whatever the title, as
long as a word of it heads a title of the lexicon (``titles.toml``); so do an organisation
right after the name ("Alex Knott of the Center for Public Integrity") and an office before it
whose word shares its stem with the head of the one body of the document that fits
("Commissioner Jo Bloggs" and the Acme Commission: ``office_roles``). A country in brackets
after an organisation says where it is based ("Leonardo (Italy)": ``bracketed_places``), and so
does a place in what the text says it is ("X, a Washington watchdog group":
``described_places``).

It runs on every name the document holds, the rules' and the learned layer's, and adds a
ROLE_AT where no relation links the two yet.

Examples
--------
>>> from graph.model import Document
>>> from loaders.text.extractor import TextExtractor
>>> text = ("Ms Jane Doe, then chief executive of the Acme Alliance, and now Governor of "
...         "the Bank of England, spoke.")
>>> ex = TextExtractor(model=None).extract(Document.from_text(text))
>>> names = {e.id: e.name for e in ex.entities}
>>> [(names[r.source], r.type.value, names[r.target], r.attributes["role"])
...  for r in ex.relations]  # doctest: +NORMALIZE_WHITESPACE
[('Jane Doe', 'ROLE_AT', 'Acme Alliance', 'chief executive'),
 ('Jane Doe', 'ROLE_AT', 'Bank of England', 'Governor')]
"""
from __future__ import annotations

import os

from graph.extraction import Extraction
from graph.ontology import ORGANISATIONS, EntityType, RelationType
from loaders.text.learned import Named
from loaders.text.lexicon import Lexicon
from loaders.text.mentions import HYPHENS, Tokens, head_index

MAX_TITLE = 8  # words between the comma and the organisation
PREPOSITIONS = frozenset({"of", "at", "for", "to", "with", "in"})
BODIES = ORGANISATIONS
AFFILIATIONS = frozenset({"of", "at", "from"})  # "Alex Knott of the Center for ..."
CONFIDENCE = 0.8
STEM = 5  # letters an office and a body's head share at least
STEM_CONFIDENCE = 0.6


def stated_around(tk: Tokens, named: list[Named], ex: Extraction, lex: Lexicon) -> None:
    """Add what the words around the names say: roles in apposition, after the name and from
    an office before it, and countries in brackets."""
    appositive_roles(tk, named, ex, lex)
    office_roles(tk, named, ex, lex)
    bracketed_places(tk, named, ex)
    described_places(tk, named, ex, lex)
    administrations(tk, named, ex)


def appositive_roles(tk: Tokens, named: list[Named], ex: Extraction, lex: Lexicon) -> None:
    """Add ROLE_AT for each person named with a title of an organisation in apposition."""
    at = {n.start: n for n in named}
    ends = {n.end: n for n in named}
    linked = {frozenset((r.source, r.target)) for r in ex.relations}
    heads = lex.title_heads
    for person in named:
        if person.entity.type != EntityType.Person or person.end >= tk.n:
            continue
        body = _affiliation(tk, person.end, at)
        if body is not None and frozenset((person.entity.id, body.entity.id)) not in linked:
            ex.add_relation(person.entity, RelationType.ROLE_AT, body.entity,
                            tk.doc[person.start].idx,
                            tk.doc[body.end - 1].idx + len(tk.text[body.end - 1]),
                            extractor="rules:role.affiliation", confidence=CONFIDENCE)
            linked.add(frozenset((person.entity.id, body.entity.id)))
        before = _title_before(tk, person.start, ends, heads)
        if before is not None and frozenset((person.entity.id, before[1].entity.id)) \
                not in linked:
            (first, last), body = before
            ex.add_relation(person.entity, RelationType.ROLE_AT, body.entity, tk.doc[first].idx,
                            tk.doc[person.end - 1].idx + len(tk.text[person.end - 1]),
                            extractor="rules:role.appositive", confidence=CONFIDENCE,
                            attributes={"role": tk.span_text(first, last)})
            linked.add(frozenset((person.entity.id, body.entity.id)))
        if tk.text[person.end] != ",":
            continue
        found = _title_and_body(tk, person.end + 1, at, heads)
        while found is not None:
            (first, last), body = found
            words = tk.text[first:last]
            while words and words[0].lower() in lex.past | {"the", "a", "an", "then", "now"}:
                words = words[1:]
            if words and frozenset((person.entity.id, body.entity.id)) not in linked:
                begin = tk.doc[person.start].idx
                tail = max(body.end, last) - 1  # "Jo Doe, Acme chief executive"
                end = tk.doc[tail].idx + len(tk.text[tail])
                ex.add_relation(person.entity, RelationType.ROLE_AT, body.entity, begin, end,
                                extractor="rules:role.appositive", confidence=CONFIDENCE,
                                attributes={"role": " ".join(words)})
                linked.add(frozenset((person.entity.id, body.entity.id)))
            found = _and_then(tk, body.end, at, heads)


def bracketed_places(tk: Tokens, named: list[Named], ex: Extraction) -> None:
    """Add BASED_IN for an organisation with its country in brackets after it, as press
    releases write them: "BAE Systems (UK), Leonardo (Italy)"."""
    at = {n.start: n for n in named}
    for org in named:
        k = org.end
        if org.entity.type not in ORGANISATIONS or k + 2 >= tk.n or tk.text[k] != "(":
            continue
        place = at.get(k + 1)
        if place is None or place.entity.type != EntityType.Place or place.end >= tk.n \
                or tk.text[place.end] != ")":
            continue
        ex.add_relation(org.entity, RelationType.BASED_IN, place.entity,
                        tk.doc[org.start].idx, tk.doc[place.end].idx + 1,
                        extractor="rules:based_in.bracket", confidence=CONFIDENCE)


def described_places(tk: Tokens, named: list[Named], ex: Extraction, lex: Lexicon) -> None:
    """Add BASED_IN for an organisation described by a place and what it is: "the Center for
    Public Integrity, a Washington watchdog group", "X, a London-based think tank", "the most
    prominent lobbying firms in Washington is Patton Boggs"."""
    at = {n.start: n for n in named}
    ends = {n.end: n for n in named}
    for org in named:
        if org.entity.type not in ORGANISATIONS:
            continue
        place = None
        k = org.end
        if k + 3 < tk.n and tk.text[k] == "," and tk.lower[k + 1] in {"a", "an", "the"}:
            place = next((at[j] for j in range(k + 2, min(k + 5, tk.n)) if j in at
                          and at[j].entity.type == EntityType.Place
                          and _context_after(tk, at[j].end, lex)), None)
        k = org.start - 1
        if place is None and k > 2 and tk.lower[k] in {"is", "was", "are", "were"}:
            before = ends.get(k)
            if before is not None and before.entity.type == EntityType.Place \
                    and before.start > 1 and tk.lower[before.start - 1] in {"in", "of"} \
                    and _context_before(tk, before.start - 1, lex):
                place = before
        if place is None:
            continue
        first, last = min(org.start, place.start), max(org.end, place.end)
        ex.add_relation(org.entity, RelationType.BASED_IN, place.entity, tk.doc[first].idx,
                        tk.doc[last - 1].idx + len(tk.text[last - 1]),
                        extractor="rules:based_in.described", confidence=CONFIDENCE)


def administrations(tk: Tokens, named: list[Named], ex: Extraction) -> None:
    """Add ROLE_AT (inferred) for the people an administration is named after, where the
    text names them in full: "the Biden-Harris Administration" and Joe Biden, Kamala
    Harris. The evidence is the administration's name."""
    people: dict[str, list] = {}
    for e in ex.entities:
        if e.type == EntityType.Person and " " in e.name:
            people.setdefault(e.name.split()[-1], []).append(e)
    for body in named:
        words = tk.text[body.start:body.end]
        if body.entity.type != EntityType.Agency or words[-1].lower() != "administration":
            continue
        for word in words[:-1]:
            for person in people.get(word, []) if len(people.get(word, [])) == 1 else []:
                ex.add_relation(person, RelationType.ROLE_AT, body.entity,
                                tk.doc[body.start].idx,
                                tk.doc[body.end - 1].idx + len(tk.text[body.end - 1]),
                                extractor="rules:role.administration",
                                confidence=STEM_CONFIDENCE, attributes={"inferred": True})


def _context_after(tk: Tokens, k: int, lex: Lexicon) -> bool:
    """Whether a context noun of an organisation ("watchdog group", "think tank") follows
    ``k`` within a few words ("-based" between)."""
    while k < tk.n and (tk.text[k] in HYPHENS or tk.lower[k] == "based"):
        k += 1
    return any(" ".join(tk.lower[k:j]) in lex.context for j in range(k + 1, min(k + 5, tk.n)))


def _context_before(tk: Tokens, k: int, lex: Lexicon) -> bool:
    """Whether a context noun of an organisation ends right before ``k`` ("lobbying firms
    [in]")."""
    return any(" ".join(tk.lower[j:k]) in lex.context for j in range(max(0, k - 3), k))


def office_roles(tk: Tokens, named: list[Named], ex: Extraction, lex: Lexicon) -> None:
    """Add ROLE_AT for a person whose title before the name is the office of a body the
    document names, by the stem the two share: "Commissioner for Energy Kadri Simson" and the
    European Commission, "Treasurer Jim Chalmers" and the Treasury, "Commission President
    Ursula von der Leyen". Only where exactly one body of the document fits, and not for an
    office whose body the lexicon knows ("Treasury Secretary": the US Treasury, which the
    rules link, not the HM Treasury a British article names)."""
    heads: dict[str, dict] = {}
    for e in ex.entities:
        words = e.name.lower().split()
        head = words[head_index(words)]
        # named in the text, or implied by an office that names it by its head ("Commission
        # President"), not by one that only implies it ("Chancellor")
        if e.type in BODIES and (not e.attributes.get("implied") or any(
                head in m.text.lower().split() for m in e.mentions)):
            heads.setdefault(head, {})[e.id] = e
    stems: dict[str, list[str]] = {}  # the heads by their first letters, to compare few
    for head in heads:
        stems.setdefault(head[:STEM], []).append(head)
    linked = {frozenset((r.source, r.target)) for r in ex.relations}
    for person in named:
        title = lex.titles.get(person.entity.attributes.get("title", "").lower())
        if person.entity.type != EntityType.Person or person.antecedent is not None \
                or title is not None and title.body is not None:
            continue
        k = person.start - 1
        while k >= 0 and not tk.punct[k] and person.start - k <= MAX_TITLE \
                and not tk.sent_start[k + 1] and (tk.name[k] or tk.lower[k] in PREPOSITIONS
                                                  or tk.lower[k] in ("the", "and")
                                                  and k > 0 and tk.lower[k - 1] != ","
                                                  and tk.name[k + 1]):
            k -= 1  # "Commissioner for the Internal Market and Services Charlie McCreevy"
        words = tk.lower[k + 1:person.start]
        if "and" in words and PREPOSITIONS.isdisjoint(words[:words.index("and")]):
            k += words.index("and") + 1  # "Vote Leave and Jo Bloggs": a list, not a title
        while k + 1 < person.start and not tk.name[k + 1]:
            k += 1  # the title starts at a capital
        bodies = {b.id: b for word in tk.lower[k + 1:person.start]
                  for head in stems.get(word[:STEM], [word]) if _same_stem(word, head)
                  for b in heads.get(head, {}).values()}
        if len(bodies) != 1:
            continue
        body = next(iter(bodies.values()))
        if frozenset((person.entity.id, body.id)) in linked:
            continue
        ex.add_relation(person.entity, RelationType.ROLE_AT, body, tk.doc[k + 1].idx,
                        tk.doc[person.end - 1].idx + len(tk.text[person.end - 1]),
                        extractor="rules:role.office_stem", confidence=STEM_CONFIDENCE,
                        attributes={"inferred": True})
        linked.add(frozenset((person.entity.id, body.id)))


def _same_stem(word: str, head: str) -> bool:
    """Whether an office's word and a body's head share their stem: "commissioner(s)" and
    "commission", "senator" and "senate", "minister" and "ministry"."""
    if word == head:
        return True
    shared = len(os.path.commonprefix((word, head)))
    return shared >= STEM and shared >= min(len(word), len(head)) - 2


def _title_before(tk: Tokens, start: int, ends: dict[int, Named], heads: frozenset[str]
                  ) -> tuple[tuple[int, int], Named] | None:
    """Before "<name>": "the chief executive of Acme Energy, <name>", the title's span and
    the organisation; None otherwise."""
    if start < 4 or tk.text[start - 1] != ",":
        return None
    body = ends.get(start - 1)
    if body is None or body.entity.type not in BODIES:
        return None
    k = body.start - 1 - (tk.lower[body.start - 1] == "the")
    if k < 1 or tk.lower[k] not in ("of", "at"):
        return None
    first = k
    while first > 0 and k - first < MAX_TITLE and not tk.punct[first - 1] \
            and tk.lower[first - 1] not in ("the", "a", "an") and not tk.sent_start[first]:
        first -= 1
    return ((first, k), body) if any(w in heads for w in tk.lower[first:k]) else None


def _affiliation(tk: Tokens, k: int, at: dict[int, Named]) -> Named | None:
    """The organisation right after a person's name, as in "Alex Knott of the Center for
    Public Integrity" or "Jo Bloggs from Acme": the last of a possessive chain ("of the
    Justice Department's Criminal Division")."""
    if tk.lower[k] not in AFFILIATIONS:
        return None
    body = at.get(k + 1 + (k + 1 < tk.n and tk.lower[k + 1] == "the"))
    while body is not None and body.end + 1 < tk.n and tk.lower[body.end] in ("'s", "\u2019s") \
            and at.get(body.end + 1) is not None \
            and at[body.end + 1].entity.type in BODIES:
        body = at[body.end + 1]
    return body if body is not None and body.entity.type in BODIES else None


def _and_then(tk: Tokens, k: int, at: dict[int, Named], heads: frozenset[str]
              ) -> tuple[tuple[int, int], Named] | None:
    """A further role after the first: "..., then CEO of the FCA, and now Governor of the
    Bank of England"."""
    start = k
    while k < tk.n and k - start < 3 and tk.lower[k] in (",", "and", "later", "now",
                                                         "previously", "formerly"):
        k += 1
    return _title_and_body(tk, k, at, heads) if k > start and "and" in tk.lower[start:k] \
        else None


def _title_and_body(tk: Tokens, k: int, at: dict[int, Named], heads: frozenset[str]
                    ) -> tuple[tuple[int, int], Named] | None:
    """After "Name,": the title's token span and the organisation named with it, as "<title>
    of|at [the] <organisation>" or "[the] <organisation>['s] <title>"; None otherwise."""
    j = k + (k < tk.n and tk.lower[k] == "the")
    body = at.get(j)
    if body is not None and body.entity.type in BODIES and body.end + 1 < tk.n:
        # "Acme's chief executive", or without the possessive: "EESC vice-president"
        start = end = body.end + (tk.lower[body.end] in ("'s", "\u2019s"))
        while end < tk.n and end - body.end <= MAX_TITLE and end not in at \
                and not tk.sent_start[end] and (not tk.punct[end] or tk.text[end] in HYPHENS
                                                and not tk.ws[end - 1]):
            end += 1
        if end > start and any(w in heads for w in tk.lower[start:end]):
            return (start, end), body
        return None
    j = k
    while j < tk.n and j - k <= MAX_TITLE and not tk.sent_start[j] and j not in at:
        if tk.lower[j] in PREPOSITIONS and j > k:
            o = j + 1 + (j + 1 < tk.n and tk.lower[j + 1] == "the")
            body = at.get(o)
            if body is not None and body.entity.type in BODIES \
                    and any(w in heads for w in tk.lower[k:j]):
                return (k, j), body
        if tk.punct[j] and tk.text[j] not in HYPHENS and tk.text[j] != "&":
            return None
        j += 1
    return None
