"""The stakeholder ontology: the entity and relation types every layer uses.

The names are exactly those of the project's ontology (see ``docs/architecture.md``). The
per-type rules (which types may stand at each end, symmetry, influence direction) are data, in
``graph/data/relations.toml``.

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


@cache
def _relation_rules() -> dict[str, dict]:
    text = resources.files("graph").joinpath("data/relations.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


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
