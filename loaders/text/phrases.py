"""Lower-case phrases that name a topic or an initiative: "drug pricing", "animal welfare",
"a voluntary code of conduct", "the voluntary commitments". No capital marks them, so every
run of content words in a sentence is a candidate (with "of", "for" or "on" inside: "code of
conduct"), and each piece of it up to ``MAX_WORDS`` words; a model of their own decides which
name something, over their words, the words around them, how often the document writes them,
and whether the headline does.

Examples
--------
>>> from loaders.text.pipeline import make_nlp
>>> nlp = make_nlp()
>>> tk = Tokens(nlp("They signed a voluntary code of conduct."))
>>> spans = [tk.span_text(s, e) for s, e in phrase_spans(tk, set(), nlp.Defaults.stop_words)]
>>> "voluntary code of conduct" in spans, "code of conduct" in spans, "of conduct" in spans
(True, True, False)
"""
from __future__ import annotations

import re
from collections import Counter

from graph.extraction import Extraction
from graph.ontology import EntityType
from loaders.text.mentions import HYPHENS, Mention, Tokens, taken_tokens

INNER = frozenset({"of", "for", "on"})  # words a phrase holds between its words
MAX_WORDS = 5  # tokens of a candidate, its inner words and hyphens counted
TYPES = (EntityType.Topic.value, EntityType.Initiative.value)
LENGTH = [f"len={k}" for k in range(5)]
TIMES = [f"times={k}" for k in range(4)]
LAST_TIMES = [f"last-times={k}" for k in range(5)]


def phrase_spans(tk: Tokens, blocked: set[int], stop_words: set[str]) -> list[tuple[int, int]]:
    """Every piece of every run of lower-case content words within a sentence, neither
    starting nor ending with an inner word or a hyphen, over the tokens not ``blocked``."""
    word = [k not in blocked and not name and text.isalpha() and low not in stop_words
            for k, (name, text, low) in enumerate(zip(tk.name, tk.text, tk.lower))] + [False]

    def joint(k: int) -> bool:  # "smoke-free", "code of conduct"
        return (tk.text[k] in HYPHENS and not tk.ws[k - 1] or tk.lower[k] in INNER) \
            and not tk.sent_start[k] and word[k + 1] and not tk.sent_start[k + 1]

    spans, i = [], 0
    while i < tk.n:
        if not word[i]:
            i += 1
            continue
        j = i + 1
        while j < tk.n and not tk.sent_start[j] and (word[j] or joint(j)):
            j += 1 + (not word[j])
        for s in range(i, j):
            if word[s]:
                spans += [(s, e) for e in range(s + 1, min(j, s + MAX_WORDS) + 1) if word[e - 1]]
        i = j
    return spans


class _Context:
    """A document's per-token feature strings, made once: each word, and the words before
    and after each position."""

    def __init__(self, tk: Tokens, counts: Counter, headline: str) -> None:
        low = tk.lower
        pad = ["<s>", "<s>", *low, "</s>", "</s>"]  # pad[k + 2] is token k
        self.word = [f"w={w}" for w in low]
        self.ends = [(f"first={w}", f"last={w}", f"suffix={w[-3:]}") for w in low]
        self.before = [(f"prev={pad[k + 1]}", f"prev2={pad[k]}") for k in range(tk.n + 1)]
        self.after = [(f"next={pad[k + 2]}", f"next2={pad[k + 3]}") for k in range(tk.n + 1)]
        self.counts, self.headline = counts, f" {headline} "


def phrase_features(tk: Tokens, start: int, end: int, context: _Context,
                    topics: frozenset[str]) -> list[str]:
    """What a candidate phrase is judged by: its words, its ends, the words around it, how
    often the document writes it and its last word, whether the headline names it."""
    words = tk.lower[start:end]
    text, last = " ".join(words), words[-1]
    counts = context.counts
    f = [context.word[k] for k in range(start, end) if tk.lower[k] not in INNER]
    f += [context.ends[start][0], *context.ends[end - 1][1:], LENGTH[min(end - start, 4)],
          TIMES[min(counts[text], 3)], LAST_TIMES[min(counts[last], 4)],
          *context.before[start], *context.after[end]]
    if f" {text} " in context.headline:
        f.append("in-headline")
    if last in topics or text in topics:
        f.append("topic-word")
    if end - start > 1 and not INNER.isdisjoint(words):
        f.append("inner-word")
    return f


def topic_words(topics: dict[str, str], names: dict[str, str]) -> frozenset[str]:
    """The lexicon's topics and the parts of the topics the registers name ("fuel/gas/oil",
    the LDA's issue areas), lower-cased."""
    parts = set(topics)
    for name, type_ in names.items():
        if type_ == EntityType.Topic.value:
            parts.update(p.strip() for p in re.split(r"[/(),]| and ", name) if p.strip())
    return frozenset(parts)


def _counts(tk: Tokens, spans: list[tuple[int, int]]) -> Counter:
    counts = Counter(" ".join(tk.lower[s:e]) for s, e in spans)
    counts.update(tk.lower[k] for k in range(tk.n))
    return counts


def phrase_rows(tk: Tokens, mentions: list[Mention], titles: list[tuple[int, int]],
                stop_words: set[str], topics: frozenset[str], training: bool = False
                ) -> list[tuple[tuple[int, int], list[str]]]:
    """Each candidate phrase with its features; for training, the lower-case topics the rules
    found too, with the features they would have as candidates."""
    spans = phrase_spans(tk, taken_tokens(mentions, titles), stop_words)
    context = _Context(tk, _counts(tk, spans), " ".join(tk.lower[:tk.first_line_end + 1]))
    if training:
        spans += [(m.start, m.end) for m in mentions
                  if m.type.value in TYPES and not any(tk.name[m.start:m.end])]
    return [((s, e), phrase_features(tk, s, e, context, topics)) for s, e in spans]


def chosen_phrases(rows, scored, taken: list[tuple[int, int]], threshold: float
                   ) -> list[tuple[tuple[int, int], list[str], str]]:
    """The likeliest phrases at or above ``threshold``, each overlapping none chosen before it
    nor any span in ``taken``: ``(span, features, type)``."""
    chosen, out = list(taken), []
    for p, (span, features), label in sorted(
            ((p, row, label) for row, (label, p) in zip(rows, scored)),
            key=lambda c: (-c[0], c[1][0])):
        if p < threshold:
            break
        start, end = span
        if any(s < end and start < e for s, e in chosen):
            continue
        chosen.append(span)
        out.append((span, features, label))
    return out


def add_phrases(ex: Extraction, tk: Tokens, chosen) -> list:
    """The chosen phrases added to ``ex`` as entities, each with its span."""
    doc, out = tk.doc, []
    for (start, end), _, label in chosen:
        span = doc[start:end]
        out.append(((start, end), ex.add_entity(span.text, EntityType(label),
                                                mentions=[(span.start_char, span.end_char)])))
    return out
