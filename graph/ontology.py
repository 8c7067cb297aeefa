"""The stakeholder ontology: the entity and relation types every layer uses.

The names are exactly those of the project's ontology (``docs/ontology.md``, written for users).
The per-type rules (which types may stand at each end, symmetry, influence direction, default
weight, phrasing) are data, in ``graph/data/relations.toml``, checked when first read: a
section, key or type name the ontology does not know is refused with the file and key.

Examples
--------
>>> EntityType("LobbyGroup").value
'LobbyGroup'
>>> RelationType.MEETS.symmetric
True
>>> RelationType.LOBBIES.allows(EntityType.LobbyGroup, EntityType.Person)
True
"""
from __future__ import annotations

import tomllib
from enum import Enum
from functools import cache
from importlib import resources


class EntityType(str, Enum):
    """What kind of stakeholder an entity is."""

    Person = "Person"
    LobbyGroup = "LobbyGroup"
    Company = "Company"
    Agency = "Agency"
    Initiative = "Initiative"
    Organization = "Organization"
    Topic = "Topic"
    Place = "Place"


ORGANISATIONS = frozenset(
    {EntityType.LobbyGroup, EntityType.Company, EntityType.Agency, EntityType.Organization}
)


RULES_FILE = "graph/data/relations.toml"
# each key of a section: the Python types its value may have, and how an error names them
_KEYS = {"weight": ((int, float), "number"), "phrase": (str, "text"), "inverse": (str, "text"),
         "source": (list, "list"), "target": (list, "list"), "influence": (str, "text"),
         "symmetric": (bool, "true/false"), "weight_at": (dict, "table")}
_REQUIRED = ("weight", "phrase", "inverse", "source", "target", "influence")


class OntologyError(ValueError):
    """The ontology's data file says something the ontology does not know."""


@cache
def _relation_rules() -> dict[str, dict]:
    text = resources.files("graph").joinpath("data/relations.toml").read_text(encoding="utf-8")
    return check_rules(tomllib.loads(text))


def check_rules(rules: dict[str, dict], where: str = RULES_FILE) -> dict[str, dict]:
    """``rules`` (relations.toml, parsed) when every section is a relation type, every relation
    type has a section, and every key holds what it should; else an ``OntologyError`` naming
    ``where`` and the key.

    >>> check_rules({"LOBBIES": {}}, "rules.toml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.ontology.OntologyError: rules.toml: no section for relation types ROLE_AT, ..., BASED_IN
    """
    def fail(message: str):
        raise OntologyError(f"{where}: {message}")

    missing = [t for t in RelationType.__members__ if t not in rules]
    if missing:
        fail(f"no section for relation types {', '.join(missing)}")
    known = set(EntityType.__members__) | {"*", "org"}
    for name, rule in rules.items():
        if name not in RelationType.__members__:
            fail(f"[{name}] is not a relation type; choose from "
                 f"{', '.join(RelationType.__members__)}")
        for key in _REQUIRED:
            if key not in rule:
                fail(f"[{name}] lacks {key!r}")
        for key, value in rule.items():
            if key not in _KEYS:
                fail(f"[{name}] {key}: unknown key; choose from {', '.join(_KEYS)}")
            kinds, kind_name = _KEYS[key]
            if not isinstance(value, kinds) or isinstance(value, bool) != (key == "symmetric"):
                fail(f"[{name}] {key}: {value!r} is not a {kind_name}")
        for end in ("source", "target"):
            for type_name in rule[end]:
                if type_name not in known:
                    fail(f"[{name}] {end}: unknown entity type {type_name!r}")
        if rule["influence"] not in ("forward", "both"):
            fail(f"[{name}] influence: {rule['influence']!r} is neither 'forward' nor 'both'")
        weights = {"weight": rule["weight"], **{f"weight_at.{k}": v
                                                for k, v in rule.get("weight_at", {}).items()}}
        for key, weight in weights.items():
            if key != "weight" and key.split(".", 1)[1] not in EntityType.__members__:
                fail(f"[{name}] {key}: unknown entity type")
            if isinstance(weight, bool) or not isinstance(weight, (int, float)) \
                    or not 0 <= weight <= 1:
                fail(f"[{name}] {key}: {weight!r} is not a weight between 0 and 1")
    return rules


@cache
def _ends(relation: str, symmetric: bool) -> tuple[frozenset, frozenset]:
    rules = _relation_rules()[relation]
    source, target = _expand(tuple(rules["source"])), _expand(tuple(rules["target"]))
    return (source | target, source | target) if symmetric else (source, target)


@cache
def _expand(names: tuple[str, ...]) -> frozenset[EntityType]:
    out: set[EntityType] = set()
    for name in names:
        if name == "*":
            out.update(EntityType)
        elif name == "org":
            out.update(ORGANISATIONS)
        else:
            out.add(EntityType(name))
    return frozenset(out)


@cache
def _symmetric(relation: str) -> bool:
    return bool(_relation_rules()[relation].get("symmetric", False))


class RelationType(str, Enum):
    """How two stakeholders are linked. Directed ``source -> target`` unless symmetric."""

    ROLE_AT = "ROLE_AT"
    MEMBER_OF = "MEMBER_OF"
    LOBBIES = "LOBBIES"
    SUPPORTS = "SUPPORTS"
    OPPOSES = "OPPOSES"
    PARTY_TO = "PARTY_TO"
    RESPONSIBLE_FOR = "RESPONSIBLE_FOR"
    REGULATES = "REGULATES"
    COLLABORATES_WITH = "COLLABORATES_WITH"
    ASSOCIATED_WITH = "ASSOCIATED_WITH"
    MEETS = "MEETS"
    RETAINS = "RETAINS"
    FUNDS = "FUNDS"
    BASED_IN = "BASED_IN"

    @property
    def symmetric(self) -> bool:
        """True when ``a -T-> b`` means the same as ``b -T-> a``."""
        return _symmetric(self.value)

    @property
    def influence(self) -> str:
        """``"forward"`` when influence flows source -> target, ``"both"`` when either way."""
        return _relation_rules()[self.value]["influence"]

    @property
    def weight(self) -> float:
        """The default influence weight of one well-evidenced relation of this type (0-1)."""
        return float(_relation_rules()[self.value]["weight"])

    def weight_at(self, target: str | None) -> float:
        """The default weight of this type aimed at an entity of type ``target``: the type's
        ``weight_at`` in relations.toml where it names ``target``, else ``weight``.

        >>> RelationType.LOBBIES.weight_at("Person"), RelationType.LOBBIES.weight_at("Initiative")
        (0.8, 0.2)
        """
        return float(_relation_rules()[self.value].get("weight_at", {}).get(
            str(target), self.weight))

    @property
    def phrase(self) -> str:
        """How the relation reads in a sentence: ``LOBBIES`` -> ``"lobbies"``."""
        return _relation_rules()[self.value]["phrase"]

    @property
    def source_types(self) -> frozenset[EntityType]:
        """The entity types the ontology admits at the source end (either end if symmetric)."""
        return _ends(self.value, self.symmetric)[0]

    @property
    def target_types(self) -> frozenset[EntityType]:
        """The entity types the ontology admits at the target end (either end if symmetric)."""
        return _ends(self.value, self.symmetric)[1]

    @property
    def inverse(self) -> str:
        """How the relation reads from its target: ``LOBBIES`` -> ``"is lobbied by"``."""
        return _relation_rules()[self.value]["inverse"]

    def allows(self, source: EntityType, target: EntityType) -> bool:
        """Whether the ontology admits this relation between entities of these types."""
        sources, targets = _ends(self.value, self.symmetric)
        return source in sources and target in targets


def parse_names(text: str | None, enum: type[Enum], what: str) -> list[str] | None:
    """Comma-separated type names, checked against ``enum``; None when ``text`` is empty.

    >>> parse_names("Person, Agency", EntityType, "entity type")
    ['Person', 'Agency']
    >>> parse_names("Spaceship", EntityType, "entity type")
    Traceback (most recent call last):
    ...
    ValueError: unknown entity type 'Spaceship'; choose from Person, LobbyGroup, Company, \
Agency, Initiative, Organization, Topic, Place
    """
    values = [v.strip() for v in (text or "").split(",") if v.strip()]
    for v in values:
        if v not in enum.__members__:
            raise ValueError(f"unknown {what} {v!r}; choose from {', '.join(enum.__members__)}")
    return values or None
