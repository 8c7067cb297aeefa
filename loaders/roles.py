"""A register cell that names an organisation with the job title of the person met
("Senior Policy Advisor Eurelectric", "FEFAC Senior Policy & Communication Manager",
"Anthony Doe - Executive Director IMF"): the title, the organisation and the person apart.

The words are those of ``[role_words]`` in ``loaders/data/titles.toml``: a run of them that
holds a head word is a title; what is left of the cell, before or after it, names the
organisation (or, alone in its segment and shaped like one, a person).

>>> split_role("Senior Policy Advisor Eurelectric")
('Senior Policy Advisor', 'Eurelectric')
>>> split_role("FEFAC Senior Policy & Communication Manager")
('Senior Policy & Communication Manager', 'FEFAC')
>>> split_role("Municipality of Kerkrade officials"), split_role("UKREP's Director of Trade")
(('officials', 'Municipality of Kerkrade'), ('Director', 'UKREP'))
>>> split_role("Manager European Affairs"), split_role("European Banking Federation")
(('Manager European Affairs', ''), (None, 'European Banking Federation'))
>>> split_role("Members of the European Parliament"), split_role("EIB Permanent "
...                                                               "Representative in Brussels")
(('Members', 'European Parliament'), ('Permanent Representative', 'EIB'))
"""
from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

EDGE_WORDS = frozenset({"of", "for", "and", "&", "the", "a", "an", "in", "at", "its", "their"})
SEGMENTS = re.compile(r"\s+[-\u2013\u2014]\s+|:\s+|\s+\|\s+")


@cache
def _words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The heads, every role word, and the words a title may end on besides a head."""
    text = resources.files("loaders").joinpath("data/titles.toml").read_text("utf-8")
    data = tomllib.loads(text)["role_words"]
    heads = frozenset(w.lower() for w in data["heads"])
    closers = frozenset(w.lower() for w in data["closers"])
    return heads, heads | closers | frozenset(w.lower() for w in data["words"]), closers


def split_role(text: str) -> tuple[str | None, str]:
    """(the title, the rest) of one segment of a cell; (None, text) when it holds no title.
    The title is the longest run of role words around a head, without connectors at its
    ends; the rest is what stands before it, or else after it."""
    heads, words, closers = _words()
    tokens = text.split()
    lower = [t.lower().strip(",.;()") for t in tokens]
    best: tuple[int, int] | None = None
    for i, w in enumerate(lower):
        if w not in heads:
            continue
        start, end = i, i + 1
        while start > 0 and lower[start - 1] in words:
            start -= 1
        while end < len(lower) and lower[end] in words:
            end += 1
        while start < i and lower[start] in EDGE_WORDS:
            start += 1
        while end > i + 1 and lower[end - 1] not in heads | closers:
            end -= 1
        if best is None or end - start > best[1] - best[0]:
            best = (start, end)
    if best is None:
        return None, text
    start, end = best
    before, after = tokens[:start], tokens[end:]
    while after and lower[end] in EDGE_WORDS | {"from", "with"}:  # "Director of the IMF"
        after, end = after[1:], end + 1
    rest = re.sub(r"['\u2019]s$", "", " ".join(before) or " ".join(after))  # "UKREP's"
    return " ".join(tokens[best[0]:best[1]]), rest.strip(" ,;:-")


def segments(cell: str) -> list[str]:
    """A cell's parts written with a dash, colon or bar between them ("KLM - Manager European
    Affairs", "Dutch Association of Insurers: Expert policy advisor")."""
    return [s.strip() for s in SEGMENTS.split(cell) if s.strip()]
