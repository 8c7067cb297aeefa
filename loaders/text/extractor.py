"""The rule-based news extractor: a Document in, an Extraction out.

Examples
--------
>>> from graph.model import Document
>>> text = ("In a letter to Business Secretary Jane Doe, trade bodies including "
...         "Acme Alliance urged support for stablecoins.")
>>> ex = TextExtractor().extract(Document.from_text(text))
>>> sorted((e.name, e.type.value) for e in ex.entities)  # doctest: +NORMALIZE_WHITESPACE
[('Acme Alliance', 'LobbyGroup'), ('Department for Business and Trade', 'Agency'),
 ('Jane Doe', 'Person'), ('stablecoins', 'Topic')]
>>> names = {e.id: e.name for e in ex.entities}
>>> sorted((names[r.source], r.type.value, names[r.target]) for r in ex.relations)
... # doctest: +NORMALIZE_WHITESPACE
[('Acme Alliance', 'LOBBIES', 'Jane Doe'), ('Acme Alliance', 'SUPPORTS', 'stablecoins'),
 ('Jane Doe', 'ROLE_AT', 'Department for Business and Trade')]
"""
from __future__ import annotations

from graph.extraction import Extraction
from graph.model import Document
from graph.ontology import RelationType
from loaders.text.lexicon import Lexicon
from loaders.text.mentions import Mention, MentionFinder, Tokens
from loaders.text.pipeline import make_nlp
from loaders.text.relations import Found, RelationFinder


class TextExtractor:
    """Entities, roles and relations from English news text, by rules kept as data."""

    name = "rules"

    def __init__(self, lexicon: Lexicon | None = None, spacy_model: str | None = None) -> None:
        """``spacy_model``: a spaCy pipeline (package name or path) whose entity recogniser
        proposes names the rules cannot type; by default none, on the blank pipeline."""
        self.spacy_model = spacy_model
        self.nlp = make_nlp(spacy_model)
        self.lexicon = lexicon or Lexicon.default()
        self.mentions = MentionFinder(self.nlp, self.lexicon)
        self.relations = RelationFinder(self.nlp, self.lexicon)

    def knowing(self, names) -> "TextExtractor":
        """This extractor reading with a graph's entities as a gazetteer: ``names`` are the
        (name, type) pairs the graph holds (see ``Lexicon.with_known``)."""
        return TextExtractor(self.lexicon.with_known(names), self.spacy_model)

    def extract(self, document: Document) -> Extraction:
        """Everything the rules find in ``document``; every span is exact."""
        doc = self.nlp(document.text)
        tokens = Tokens(doc)
        mentions, titles = self.mentions.find(tokens)
        ex = Extraction(document)
        entities = {}
        for m in mentions:
            span = doc[m.start:m.end]
            surface = span.text
            entities[id(m)] = ex.add_entity(
                m.name, m.type, aliases=[surface, *m.aliases],
                mentions=[(span.start_char, span.end_char)],
                attributes={"title": m.role.name} if m.role else None)
        found: list[Found] = self.relations.find(tokens, mentions, titles)
        found += self._offices(doc, mentions, ex, entities)
        for f in found:
            ex.add_relation(entities[id(f.source)], f.type, entities[id(f.target)],
                            f.start, f.end, extractor=f"{self.name}:{f.rule}",
                            confidence=f.confidence, attributes=dict(f.attributes))
        return ex

    def _offices(self, doc, mentions: list[Mention], ex: Extraction, entities: dict) -> list[Found]:
        """ROLE_AT the body an office implies: "Business Secretary Peter Kyle" holds a role
        at the Department for Business and Trade, named here by the title itself."""
        out = []
        for m in mentions:
            if m.role is None or m.role.body is None or m.org is not None or m.title_start is None:
                continue
            title = doc[m.title_start:m.title_start + 1]
            title = doc[m.title_start:m.start] if m.start > m.title_start else title
            body = Mention(title.start, title.end, m.role.body_type, m.role.body, "office")
            entities[id(body)] = ex.add_entity(body.name, body.type,
                                               mentions=[(title.start_char, title.end_char)],
                                               attributes={"implied": True})
            span = doc[m.title_start:m.end]
            out.append(Found(m, RelationType.ROLE_AT, body, span.start_char, span.end_char,
                             "role.office", 0.8, (("role", m.role.name),)))
        return out
