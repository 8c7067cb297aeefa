"""Small extractions for store tests, written as the sentences they stand for."""
from __future__ import annotations

from graph.extraction import Extraction
from graph.model import Document


def said(text: str, *links: tuple, register: str | None = None) -> Extraction:
    """The extraction of ``text`` stating each link ``(name, type, relation, name, type)``
    with the whole text as evidence (the first name's first mention, the second name's last,
    so "John Smith met John Smith" names two); its people marked as named by ``register``,
    if given."""
    ex = Extraction(Document.from_text(text, source=text[:24]))
    for a, ta, rel, b, tb in links:
        ea = ex.add_entity(a, ta, mentions=[(text.index(a), text.index(a) + len(a))])
        eb = ex.add_entity(b, tb, mentions=[(text.rindex(b), text.rindex(b) + len(b))])
        ex.add_relation(ea, rel, eb, 0, len(text), "test")
    return ex.from_register(register) if register else ex
