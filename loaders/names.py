"""Typing a bare name from a register cell ("Crest Nicholson", "Jim Leng", "Bank of England")
with the same lexicons as the text extractor, plus a first-names list.

>>> typer = NameTyper.default()
>>> [typer.type_of(n).value for n in ["Jim Leng", "Bank of England", "Big Society Capital",
...                                   "Institute for Fiscal Studies", "Crest Nicholson"]]
['Person', 'Agency', 'Company', 'Organization', 'Organization']
"""
from __future__ import annotations

import re
from functools import cache

from graph.names import is_titled
from graph.ontology import EntityType
from loaders.text.lexicon import PERSON_WORD, Lexicon, first_names


class NameTyper:
    """The entity type a name alone suggests: gazetteer, then a person's shape (a known first
    name or an honorific), then head and lead words; Organization when nothing says more."""

    def __init__(self, lexicon: Lexicon, first_names: set[str]) -> None:
        self.lex, self.first_names = lexicon, first_names
        self._fallback = False

    @classmethod
    @cache
    def default(cls) -> "NameTyper":
        return cls(Lexicon.default(), set(first_names()))

    def is_person(self, name: str) -> bool:
        words = name.split()
        if is_titled(name):
            return True
        return 2 <= len(words) <= 4 and words[0] in self.first_names and all(
            PERSON_WORD.match(w) for w in words) and words[-1] not in self.lex.heads

    def typed(self, name: str) -> tuple[EntityType, dict]:
        """The type of ``name`` and the attributes that record a guess: ``{"type_guessed":
        True}`` when nothing but the fallback typed it, so the store may let evidence of
        another organisation type win (see ``graph.store``)."""
        type = self.type_of(name)
        guessed = type == EntityType.Organization and self._fallback
        return type, ({"type_guessed": True} if guessed else {})

    def type_of(self, name: str) -> EntityType:
        self._fallback = False
        known = self.lex.gazetteer.get(name) or self.lex.gazetteer.get(
            re.sub(r"^The\s+", "", name))
        if known is not None:
            return known.type
        if self.is_person(name):
            return EntityType.Person
        words = name.split()
        for k in range(len(words), 0, -1):
            head = " ".join(words[-k:])
            if head in self.lex.heads and k < len(words):
                return self.lex.heads[head]
        for k in range(len(words) - 1, 0, -1):
            if " ".join(words[:k]) in self.lex.leads:
                return self.lex.leads[" ".join(words[:k])]
        self._fallback = True
        return EntityType.Organization
