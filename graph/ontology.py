"""The stakeholder ontology: the entity and relation types every layer uses.

The ontology is data, in ``graph/data/ontology.toml`` (``docs/ontology.md`` is its document for
users): the entity types, which of them are organisations, and per relation type the types
allowed at each end, symmetry, influence direction, default weight and phrasing. The enums
``EntityType`` and ``RelationType`` are made from that file, in its order, and the file is
checked when the module loads: a key, type or value it cannot use is refused with the file and
the key (``check_model``).

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
from importlib import resources
from typing import Any

MODEL_FILE = "graph/data/ontology.toml"
# each key of a section: the Python types its value may have, and how an error names them
_ENTITY_KEYS = {"means": (str, "text"), "organisation": (bool, "true/false")}
_RELATION_KEYS = {"weight": ((int, float), "number"), "phrase": (str, "text"),
                  "inverse": (str, "text"), "source": (list, "list"),
                  "target": (list, "list"), "influence": (str, "text"),
                  "symmetric": (bool, "true/false"), "weight_at": (dict, "table")}
_REQUIRED = {"entities": ("means",),
             "relations": ("weight", "phrase", "inverse", "source", "target", "influence")}


class OntologyError(ValueError):
    """The ontology's data file says something the ontology cannot use."""


def check_model(model: dict[str, Any], where: str = MODEL_FILE) -> dict[str, Any]:
    """``model`` (ontology.toml, parsed) when it holds entity and relation types, every key
    holds what it should and every type a relation names is an entity type of the file; else
    an ``OntologyError`` naming ``where`` and the key.

    >>> check_model({"entities": {"Person": {"means": "a human"}},
    ...              "relations": {"MEETS": {"weight": 0.7, "phrase": "meets",
    ...                                      "inverse": "meets", "source": ["Person"],
    ...                                      "target": ["Robot"], "influence": "both"}}},
    ...             "my.toml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.ontology.OntologyError: my.toml: [relations.MEETS] target: unknown entity type 'Robot'
    """
    def fail(message: str):
        raise OntologyError(f"{where}: {message}")

    for part in model:
        if part not in _REQUIRED:
            fail(f"[{part}] is not a part of the ontology; choose from entities, relations")
    for part in _REQUIRED:
        if not model.get(part):
            fail(f"no [{part}.<name>] section")
    for part, keys in (("entities", _ENTITY_KEYS), ("relations", _RELATION_KEYS)):
        for name, rule in model[part].items():
            if not name.isidentifier():
                fail(f"[{part}.{name}]: a type's name is one word of letters, digits and _")
            for key in _REQUIRED[part]:
                if key not in rule:
                    fail(f"[{part}.{name}] lacks {key!r}")
            for key, value in rule.items():
                if key not in keys:
                    fail(f"[{part}.{name}] {key}: unknown key; choose from {', '.join(keys)}")
                kinds, kind_name = keys[key]
                if not isinstance(value, kinds) or isinstance(value, bool) != (
                        kinds is bool):
                    fail(f"[{part}.{name}] {key}: {value!r} is not a {kind_name}")
    entities = model["entities"]
    known = set(entities) | {"*", "org"}
    for name, rule in model["relations"].items():
        where_ = f"[relations.{name}]"
        for end in ("source", "target"):
            for type_name in rule[end]:
                if type_name not in known:
                    fail(f"{where_} {end}: unknown entity type {type_name!r}")
        if rule["influence"] not in ("forward", "both"):
            fail(f"{where_} influence: {rule['influence']!r} is neither 'forward' nor 'both'")
        weights = {"weight": rule["weight"], **{f"weight_at.{k}": v
                                                for k, v in rule.get("weight_at", {}).items()}}
        for key, weight in weights.items():
            if key != "weight" and key.split(".", 1)[1] not in entities:
                fail(f"{where_} {key}: unknown entity type")
            if isinstance(weight, bool) or not isinstance(weight, (int, float)) \
                    or not 0 <= weight <= 1:
                fail(f"{where_} {key}: {weight!r} is not a weight between 0 and 1")
    return model


def _load() -> dict[str, Any]:
    text = resources.files("graph").joinpath("data/ontology.toml").read_text(encoding="utf-8")
    return check_model(tomllib.loads(text))


_MODEL = _load()
_RULES: dict[str, dict] = _MODEL["relations"]

EntityType = Enum("EntityType", [(n, n) for n in _MODEL["entities"]], type=str,
                  module=__name__, qualname="EntityType")
EntityType.__doc__ = "What kind of stakeholder an entity is (``[entities]`` of ontology.toml)."

ORGANISATIONS = frozenset(EntityType(n) for n, rule in _MODEL["entities"].items()
                          if rule.get("organisation"))


def _expand(names: list[str]) -> frozenset:
    out: set = set()
    for name in names:
        if name == "*":
            out.update(EntityType)
        elif name == "org":
            out.update(ORGANISATIONS)
        else:
            out.add(EntityType(name))
    return frozenset(out)


class _Relation(str, Enum):
    """How two stakeholders are linked (``[relations]`` of ontology.toml). Directed
    ``source -> target`` unless symmetric."""

    @property
    def symmetric(self) -> bool:
        """True when ``a -T-> b`` means the same as ``b -T-> a``."""
        return bool(_RULES[self._value_].get("symmetric", False))

    @property
    def influence(self) -> str:
        """``"forward"`` when influence flows source -> target, ``"both"`` when either way."""
        return _RULES[self._value_]["influence"]

    @property
    def weight(self) -> float:
        """The default influence weight of one well-evidenced relation of this type (0-1)."""
        return float(_RULES[self._value_]["weight"])

    def weight_at(self, target: str | None) -> float:
        """The default weight of this type aimed at an entity of type ``target``: the type's
        ``weight_at`` in ontology.toml where it names ``target``, else ``weight``.

        >>> RelationType.LOBBIES.weight_at("Person"), RelationType.LOBBIES.weight_at("Initiative")
        (0.8, 0.2)
        """
        return float(_RULES[self._value_].get("weight_at", {}).get(str(target), self.weight))

    @property
    def phrase(self) -> str:
        """How the relation reads in a sentence: ``LOBBIES`` -> ``"lobbies"``."""
        return _RULES[self._value_]["phrase"]

    @property
    def inverse(self) -> str:
        """How the relation reads from its target: ``LOBBIES`` -> ``"is lobbied by"``."""
        return _RULES[self._value_]["inverse"]

    @property
    def source_types(self) -> frozenset:
        """The entity types the ontology admits at the source end (either end if symmetric)."""
        return _ENDS[self.value][0]

    @property
    def target_types(self) -> frozenset:
        """The entity types the ontology admits at the target end (either end if symmetric)."""
        return _ENDS[self.value][1]

    def allows(self, source, target) -> bool:
        """Whether the ontology admits this relation between entities of these types."""
        sources, targets = _ENDS[self.value]
        return source in sources and target in targets


RelationType = _Relation("RelationType", [(n, n) for n in _RULES], module=__name__,
                         qualname="RelationType")


def _ends(rule: dict) -> tuple[frozenset, frozenset]:
    source, target = _expand(rule["source"]), _expand(rule["target"])
    return (source | target, source | target) if rule.get("symmetric") else (source, target)


_ENDS = {name: _ends(rule) for name, rule in _RULES.items()}


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
