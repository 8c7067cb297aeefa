"""spaCy's blank English pipeline with rule-based sentences: no statistical model is needed.

Sentences split at terminal punctuation (spaCy's sentencizer) and at every line break, so a
headline or a list item never runs into the next paragraph.

>>> nlp = make_nlp()
>>> [s.text for s in nlp("Tech Bridge talks\\nMinisters met. They agreed.").sents]
['Tech Bridge talks\\n', 'Ministers met.', 'They agreed.']
>>> [s.text for s in nlp("He met the Bank of England.167 Mr Cameron wrote.").sents]
['He met the Bank of England.', '167 Mr Cameron wrote.']
"""
from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

FOOTNOTE = r"(?<=[a-z]{2})\.(?=\d{1,4}(?:\s|$))"


@Language.component("line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every token that holds a line break."""
    for tok in doc[:-1]:
        if "\n" in tok.text or "\n" in tok.whitespace_:
            doc[tok.i + 1].is_sent_start = True
    return doc


@cache
def make_nlp(model: str | None = None, abbreviations: tuple[str, ...] = ()) -> Language:
    """The shared pipeline: tokenizer, line breaks, sentencizer.

    ``model`` names a spaCy pipeline (an installed package or a path) to use instead of the
    blank one; its entity recogniser then proposes names too. Line breaks still end sentences,
    and a sentencizer is added if the model has nothing that sets sentences.
    ``abbreviations`` ("Amb.", "Lt.") are each one token, their full stop ending no sentence.

    >>> [s.text for s in make_nlp(abbreviations=("Amb.",))("He met Amb. Jo Bloggs.").sents]
    ['He met Amb. Jo Bloggs.']
    """
    nlp = spacy.load(model) if model else spacy.blank("en")
    for word in abbreviations:
        nlp.tokenizer.add_special_case(word, [{ORTH: word}])
    # a footnote number after a sentence's full stop ("the Bank of England.167 Mr Cameron")
    # is a token of its own, so the sentence ends there
    infixes = [*nlp.Defaults.infixes, FOOTNOTE]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    nlp.add_pipe("line_breaks", first=True)
    if not any(name in nlp.pipe_names for name in ("parser", "senter", "sentencizer")):
        nlp.add_pipe("sentencizer")
    return nlp
