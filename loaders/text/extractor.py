"""The rule-based news extractor: a Document in, an Extraction out.

Examples
--------
>>> from graph.model import Document
>>> text = ("In a letter to Business Secretary Jane Doe, trade bodies including "
...         "Acme Alliance urged support for stablecoins.")
>>> ex = TextExtractor().extract(Document.from_text(text))
>>> sorted((e.name, e.type.value) for e in ex.entities)  # doctest: +NORMALIZE_WHITESPACE
[('Acme Alliance', 'LobbyGroup'), ('Department for Business and Trade', 'Agency'),
 ('Jane Doe', 'Person'), ('UK government', 'Agency'), ('stablecoins', 'Topic')]
>>> names = {e.id: e.name for e in ex.entities}
>>> sorted((names[r.source], r.type.value, names[r.target]) for r in ex.relations)
... # doctest: +NORMALIZE_WHITESPACE
[('Acme Alliance', 'LOBBIES', 'Jane Doe'), ('Acme Alliance', 'SUPPORTS', 'stablecoins'),
 ('Jane Doe', 'ROLE_AT', 'Department for Business and Trade'),
 ('Jane Doe', 'ROLE_AT', 'UK government')]
"""
from __future__ import annotations

from dataclasses import dataclass

from graph.extraction import ExtractedEntity, Extraction
from graph.model import Document
from graph.ontology import EntityType, RelationType
from loaders.text.appositives import stated_around
from loaders.text.learned import (
    TextModel,
    learned_entities,
    learned_phrases,
    learned_relations,
    named_spans,
    with_anaphors,
)
from loaders.text.lexicon import Lexicon, given_names
from loaders.text.mentions import HYPHENS, Mention, MentionFinder, Tokens
from loaders.text.phrases import topic_words
from loaders.text.pipeline import make_nlp
from loaders.text.relations import Found, RelationFinder


@dataclass
class Reading:
    """The rules' reading of one document: its tokens, the mentions found, the extraction,
    and the extracted entity of each mention (by ``id(mention)``)."""

    tokens: Tokens
    mentions: list[Mention]
    titles: list[tuple[int, int]]
    ex: Extraction
    entities: dict[int, ExtractedEntity]


class TextExtractor:
    """Entities, roles and relations from English news text, by rules kept as data."""

    name = "rules"

    def __init__(self, lexicon: Lexicon | None = None, spacy_model: str | None = None,
                 model: TextModel | None | str = "shipped") -> None:
        """``spacy_model``: a spaCy pipeline (package name or path) whose entity recogniser
        proposes names the rules cannot type; by default none, on the blank pipeline.
        ``model``: the learned layer (``loaders.text.learned``): the one shipped in the
        package by default, another ``TextModel``, or None for the rules alone."""
        self.spacy_model = spacy_model
        self.lexicon = lexicon or Lexicon.default()
        self.nlp = make_nlp(spacy_model, self.lexicon.abbreviations)
        self.mentions = MentionFinder(self.nlp, self.lexicon)
        self.relations = RelationFinder(self.nlp, self.lexicon)
        self.model = TextModel.shipped() if model == "shipped" else model
        # the learned layer's first-name feature: the hand-made list and the census's
        self.first_names = given_names()
        # the phrase model's topic feature: the lexicon's topics and the registers'
        self.topic_words = topic_words(self.lexicon.topics, self.model.names if self.model
                                       else {})

    def extract(self, document: Document) -> Extraction:
        """Everything the rules and the learned layer find in ``document``; every span is
        exact."""
        reading = self.read(document)
        if self.model is not None:
            self.learn(reading)
        else:
            stated_around(reading.tokens, named_spans(reading.tokens, reading.mentions,
                                                      reading.entities, []),
                          reading.ex, self.lexicon)
        return reading.ex

    def learn(self, reading: "Reading") -> None:
        """Add what the learned layer finds to what the rules found: names, what the words
        around every name state (``stated_around``), then the relations the pair model
        finds."""
        model, tk = self.model, reading.tokens
        added = learned_entities(model.entities, model.entity_threshold, tk, reading.mentions,
                                 reading.titles, reading.ex, self.mentions, self.first_names,
                                 model.names)
        learned = [n for _, _, n in added if n is not None]
        learned += learned_phrases(model.phrases, model.phrase_threshold, tk, reading.mentions,
                                   reading.titles, reading.ex, self.mentions, learned,
                                   self.topic_words)
        named = named_spans(tk, reading.mentions, reading.entities, learned)
        stated_around(tk, named, reading.ex, self.lexicon)
        learned_relations(model.relations, model.relation_threshold, tk,
                          with_anaphors(tk, named, self.lexicon), reading.ex, self.lexicon)

    def read(self, document: Document) -> "Reading":
        """What the rules find, with the tokens and mentions they found it in."""
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
        found += self._parties(doc, mentions, ex, entities)
        for f in found:
            ex.add_relation(entities[id(f.source)], f.type, entities[id(f.target)],
                            f.start, f.end, extractor=f"{self.name}:{f.rule}",
                            confidence=f.confidence, attributes=dict(f.attributes))
        return Reading(tokens, mentions, titles, ex, entities)

    def _offices(self, doc, mentions: list[Mention], ex: Extraction, entities: dict) -> list[Found]:
        """ROLE_AT the bodies an office implies: "Business Secretary Peter Kyle" holds a role
        at the Department for Business and Trade and, a minister, at the UK government, both
        named here by the title itself. A past office ("former ...") implies none."""
        out = []
        implied = self.lexicon.implied
        for m in mentions:
            if m.role is None or m.org is not None or m.title_start is None \
                    or self._past(doc, m.title_start):
                continue
            title = doc[m.title_start:m.title_start + 1]
            title = doc[m.title_start:m.start] if m.start > m.title_start else title
            span = doc[m.title_start:m.end]
            for rule, name, type_ in (("role.office", m.role.body, m.role.body_type),
                                      ("role.government", m.role.government, EntityType.Agency)):
                if name is None:
                    continue
                body = self._implied(ex, entities, title, type_, name)
                out.append(Found(m, RelationType.ROLE_AT, body, span.start_char, span.end_char,
                                 rule, implied[rule], (("role", m.role.name),)))
        return out

    def _past(self, doc, title_start: int) -> bool:
        """Whether the title at ``title_start`` is one no longer held: "former Chancellor",
        "ex-Chancellor"."""
        i = title_start - 1
        if i >= 0 and doc[i].text in HYPHENS:
            i -= 1
        return i >= 0 and doc[i].lower_ in self.lexicon.past

    def _parties(self, doc, mentions: list[Mention], ex: Extraction,
                 entities: dict) -> list[Found]:
        """PARTY_TO a bilateral initiative: "UK-US Tech Bridge" has the UK government and the
        US government as parties (an organisation such as the EU is its own party), with the
        sentence that names it as evidence."""
        out = []
        for m in mentions:
            if m.how != "bilateral":
                continue
            sentence = doc[m.start].sent
            for side in (doc[m.start:m.start + 1], doc[m.start + 2:m.start + 3]):
                known = self.lexicon.gazetteer[side.text]
                name, type_ = (f"{known.short} government", EntityType.Agency) \
                    if known.type == EntityType.Place and known.short else (known.name, known.type)
                party = self._implied(ex, entities, side, type_, name)
                out.append(Found(party, RelationType.PARTY_TO, m, sentence.start_char,
                                 sentence.end_char, "party.bilateral",
                                 self.lexicon.implied["party.bilateral"], (("inferred", True),)))
        return out

    @staticmethod
    def _implied(ex: Extraction, entities: dict, span, type_: EntityType, name: str) -> Mention:
        """An entity a name implies, its mention the words that imply it."""
        mention = Mention(span.start, span.end, type_, name, "office")
        entities[id(mention)] = ex.add_entity(name, type_,
                                              mentions=[(span.start_char, span.end_char)],
                                              attributes={"implied": True})
        return mention
