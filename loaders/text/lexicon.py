"""The data behind the text extractor: titles, organisation cues, gazetteer, topics and
relation cues, read from the TOML files in ``loaders/data/`` (see ``docs/extraction.md``).

Examples
--------
>>> lex = Lexicon.default()
>>> lex.titles["business secretary"].body
'Department for Business and Trade'
>>> lex.gazetteer["UK"].name
'United Kingdom'
>>> lex.topics["crypto assets"]
'cryptoassets'
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from graph.names import written_honorifics
from graph.ontology import EntityType, RelationType

# the shape of a word in a person's name: "Kyle", "McCallum", "O'Brien", "Smith-Jones", "J."
PERSON_WORD = re.compile(r"^(?:Mc|Mac|O'|O\u2019|D'|D\u2019)?[A-Z][a-z\u00e0-\u00ff]+"
                         r"(?:[-'\u2019][A-Z][a-z\u00e0-\u00ff]+)*$|^[A-Z]\.?$")


@cache
def _names(file: str) -> frozenset[str]:
    text = resources.files("loaders").joinpath(f"data/{file}").read_text("utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def first_names() -> frozenset[str]:
    """The first names of ``loaders/data/first_names.txt``."""
    return _names("first_names.txt")


def census_first_names() -> frozenset[str]:
    """The common given names of the 1990 US Census, ``loaders/data/census_first_names.txt``
    (``loaders/text/census_names.py``)."""
    return _names("census_first_names.txt")


@cache
def given_names() -> frozenset[str]:
    """The hand-made first names and the census's, together: what a person's name may open
    with."""
    return first_names() | census_first_names()


def countries() -> frozenset[str]:
    """Countries and states, ``loaders/data/places.txt``."""
    return _names("places.txt")


@cache
def demonyms() -> dict[str, list[str]]:
    """Each country and the adjectives of its people and government, as
    ``loaders/data/demonyms.txt`` lists them: ``{"Qatar": ["Qatari"], ...}``."""
    text = resources.files("loaders").joinpath("data/demonyms.txt").read_text("utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line.strip()
            and not line.startswith("#"))
    return {country.strip(): [a.strip() for a in adjectives.split(",")]
            for country, adjectives in rows}


@cache
def places() -> frozenset[str]:
    """Countries and states, and the capitals and largest cities of
    ``loaders/data/cities.txt``."""
    return countries() | _names("cities.txt")


@dataclass(frozen=True)
class Title:
    """An office or post: its spelling, whether it is public, and the body it implies."""

    name: str
    public: bool
    body: str | None = None
    body_type: EntityType = EntityType.Agency
    government: str | None = None  # a minister's: the government, "UK government"


@dataclass(frozen=True)
class Known:
    """A gazetteer entry: a well-known name with its type and canonical name."""

    name: str
    type: EntityType
    short: str | None = None


@dataclass(frozen=True)
class Rule:
    """A relation rule: cue phrases and how the ends are found around them."""

    id: str
    relation: RelationType
    kind: str
    cues: tuple[str, ...]
    confidence: float
    source_types: frozenset[EntityType] | None = None
    target_types: frozenset[EntityType] | None = None


@dataclass
class Lexicon:
    """Everything the rules look up, keyed for fast matching."""

    titles: dict[str, Title] = field(default_factory=dict)        # lower-cased spelling
    title_words: frozenset[str] = frozenset()  # every word of every title, lower-cased
    title_heads: frozenset[str] = frozenset()  # the last word of each: "secretary", "ceo"
    abbreviations: tuple[str, ...] = ()  # title words with a full stop: "Amb.", "Lt."
    modifiers: set[str] = field(default_factory=set)
    honorifics: set[str] = field(default_factory=set)
    person_cues_after: set[str] = field(default_factory=set)
    affiliations: set[str] = field(default_factory=set)
    clause_breaks: set[str] = field(default_factory=set)
    heads: dict[str, EntityType] = field(default_factory=dict)   # exact spelling
    leads: dict[str, EntityType] = field(default_factory=dict)
    context: dict[str, EntityType] = field(default_factory=dict)  # lower-cased
    anaphors: dict[str, frozenset[EntityType]] = field(default_factory=dict)  # after "the"
    list_openers: set[str] = field(default_factory=set)
    on_after: set[str] = field(default_factory=set)
    gazetteer: dict[str, Known] = field(default_factory=dict)     # exact spelling
    demonyms: dict[str, str] = field(default_factory=dict)        # adjective -> short name
    short_names: dict[str, str] = field(default_factory=dict)     # country -> short name
    topics: dict[str, str] = field(default_factory=dict)          # lower-cased -> canonical
    rules: list[Rule] = field(default_factory=list)
    reporting: set[str] = field(default_factory=set)
    list_fillers: set[str] = field(default_factory=set)
    model_labels: dict[str, str] = field(default_factory=dict)     # NER label -> type or "org"
    past: set[str] = field(default_factory=set)   # modifiers of an office no longer held
    implied: dict[str, float] = field(default_factory=dict)        # rule -> confidence

    @classmethod
    @cache
    def default(cls) -> "Lexicon":
        """The lexicon shipped in ``loaders/data``."""
        def load(name: str) -> dict:
            text = resources.files("loaders").joinpath(f"data/{name}").read_text("utf-8")
            return tomllib.loads(text)
        lex = cls.from_data(load("titles.toml"), load("organisations.toml"),
                            load("gazetteer.toml"), load("topics.toml"), load("cues.toml"))
        lex.model_labels = dict(load("model_labels.toml").get("labels", {}))
        lex.add_demonyms(demonyms())
        return lex

    def add_demonyms(self, table: dict[str, list[str]]) -> None:
        """Every country's adjectives (``demonyms()``) as demonyms, each naming the country
        in "<short> government" by itself ("Qatari government") unless the gazetteer gives
        the country a short name already ("British": UK)."""
        for country, adjectives in table.items():
            known = self.gazetteer.get(country)
            short = known.short if known is not None and known.short else adjectives[0]
            self.short_names.setdefault(country, short)
            for adjective in adjectives:
                self.demonyms.setdefault(adjective, short)

    @classmethod
    def from_data(cls, titles: dict, orgs: dict, gazetteer: dict, topics: dict,
                  cues: dict) -> "Lexicon":
        lex = cls()
        lex.modifiers = {m.lower() for m in titles.get("modifiers", [])}
        lex.past = {m.lower() for m in titles.get("past", [])}
        # honorifics make the name they precede a Person but are not roles (graph/data/names.toml)
        lex.honorifics = written_honorifics()
        lex.person_cues_after = set(titles.get("person_cues_after", []))
        lex.affiliations = set(titles.get("affiliations", []))
        for t in titles.get("title", []):
            for spelling in t["names"]:
                lex.titles.setdefault(spelling.lower(), Title(
                    spelling, t["kind"] == "public", t.get("body"),
                    EntityType(t.get("body_type", "Agency")),
                    f"{t['jurisdiction']} government" if t.get("government") else None))
        lex.title_words = frozenset(w for t in lex.titles for w in t.split())
        # words of a title written with a full stop ("Amb.", "Lt. Gov."), each one token
        lex.abbreviations = tuple(sorted({
            w for t in titles.get("title", []) for n in t["names"] for w in n.split()
            if len(w) > 2 and w.endswith(".") and "." not in w[:-1]}))
        lex.title_heads = frozenset(t.split()[-1] for t in lex.titles)
        for table, target in (("heads", lex.heads), ("leads", lex.leads)):
            for type_name, words in orgs.get(table, {}).items():
                for w in words:
                    target[w] = EntityType(type_name)
        for type_name, words in orgs.get("context", {}).items():
            for w in words:
                lex.context[w.lower()] = EntityType(type_name)
        lex.anaphors = {w.lower(): frozenset({type_}) for w, type_ in lex.context.items()}
        lex.anaphors.update({w.lower(): frozenset(map(EntityType, types))
                             for w, types in orgs.get("anaphors", {}).items()})
        lex.list_openers = {w.lower() for w in orgs.get("lists", {}).get("openers", [])}
        lex.on_after = set(orgs.get("names", {}).get("on_after", []))
        for e in gazetteer.get("entity", []):
            known = Known(e["name"], EntityType(e["type"]), e.get("short"))
            for spelling in [e["name"], *e.get("aliases", [])]:
                lex.gazetteer.setdefault(spelling, known)
            for adjective in e.get("demonyms", []):
                lex.demonyms[adjective] = e.get("short") or e["name"]
        for t in topics.get("topic", []):
            for spelling in [t["name"], *t.get("aliases", [])]:
                lex.topics.setdefault(spelling.lower(), t["name"])
        lex.reporting = {c.lower() for c in cues.get("reporting", [])}
        lex.implied = {k: float(v) for k, v in cues.get("implied", {}).items()}
        lex.list_fillers = {w.lower() for w in cues.get("list_fillers", [])}
        lex.clause_breaks = {w.lower() for w in cues.get("clause_breaks", [])}
        for r in cues.get("rule", []):
            def types(key: str) -> frozenset[EntityType] | None:
                return frozenset(EntityType(t) for t in r[key]) if key in r else None
            lex.rules.append(Rule(r["id"], RelationType(r["relation"]), r["kind"],
                                  tuple(c.lower() for c in r["cues"]), float(r["confidence"]),
                                  types("source_types"), types("target_types")))
        return lex
