"""Named cell transforms: what a register mapping's data cannot say, in small Python functions
a mapping names (``transform: people_and_organisations``). Each reads one filled cell and
returns the parts it names (a name, and where the cell says so a type, other spellings,
attributes, and ``context`` for the relations the part takes part in) and the links the cell
itself states between its parts ("Jo Smith - Director, Acme": Jo Smith holds a ROLE_AT Acme).

Examples
--------
>>> parts, links = TRANSFORMS["people_and_organisations"].read("Jo Smith - Director IMF")
>>> [(p.name, p.type.value, p.context["met_role"]) for p in parts]
[('IMF', 'Organization', 'Director'), ('Jo Smith', 'Person', 'Director')]
>>> [(l.source, l.type.value, l.target) for l in links]
[(1, 'ROLE_AT', 0)]
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from graph.ontology import ORGANISATIONS, EntityType, RelationType
from loaders.names import NameTyper
from loaders.registers import eu_meetings

MET = frozenset({EntityType.Person, EntityType.Agency, *ORGANISATIONS})  # who attends


@dataclass
class Part:
    """One thing a cell names."""
    name: str
    type: EntityType | None = None  # None: the type the mapping's entity gives
    aliases: list[str] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)
    context: dict[str, str] = field(default_factory=dict)  # for its relations


@dataclass(frozen=True)
class Link:
    """A relation a cell states between two of its parts (by their places)."""
    source: int
    type: RelationType
    target: int
    confidence: float
    attributes: dict[str, object]


@dataclass(frozen=True)
class Transform:
    """A named transform, with the entity types its parts may take (for the mapping's check
    of its relations against the ontology)."""
    read: Callable[[str], tuple[list[Part], list[Link]]]
    types: frozenset[EntityType] = frozenset()


def capitalised_surnames(cell: str) -> tuple[list[Part], list[Link]]:
    """"Alex AGIUS SALIBA" -> Alex Agius Saliba, as registers write surnames in capitals."""
    name = eu_meetings.mep_name(cell)
    return ([Part(name, aliases=[cell] if cell != name else [])] if name else []), []


def eu_dossiers(cell: str) -> tuple[list[Part], list[Link]]:
    """The EU dossiers (Initiatives) a cell names ("DMA / DSA", "Opinion to IMCO on Digital
    Services Act"), by their known names (``loaders/data/eu_dossiers.toml``)."""
    return [Part(name, EntityType.Initiative, spellings)
            for name, spellings in eu_meetings.dossier_names(cell)], []


def people_and_organisations(cell: str) -> tuple[list[Part], list[Link]]:
    """The organisations and people a cell of attendees names, parted by commas and
    semicolons, each typed by its shape (``loaders.names.NameTyper``), with the job title
    written with it as ``met_role``; a register number after a name ("Facebook
    (28666427835-74)") is its ``eu_transparency_register`` and a part with no letter
    ("0108023-3") the ``reference`` of the name before it; a person named after an
    organisation holds a ROLE_AT it (inferred, 0.6); descriptions name no one; a name typed
    as neither ("France", "Global Network Initiative") is an organisation, its type a guess."""
    typer = NameTyper.default()
    parts: list[Part] = []
    links: list[Link] = []
    org = None
    for piece in (p.strip() for p in re.split(r"[;,]", cell)):
        if not piece:
            continue
        if not re.search(r"[^\W\d_]", piece):  # no letter: a reference number of the name
            if parts:                            # before it ("Finnair Oyj, 0108023-3")
                parts[-1].attributes["reference"] = piece
            continue
        piece, register_id = eu_meetings.register_number(piece)
        for name, role in eu_meetings.who_met(piece, typer):
            type_, guess = typer.typed(name)
            if type_ not in MET:  # "Global Network Initiative", "France": whoever came
                type_, guess = EntityType.Organization, {"type_guessed": True}
            attributes = {**guess, **({"eu_transparency_register": register_id}
                                      if register_id else {})}
            parts.append(Part(name, type_, attributes=attributes,
                              context={"met_role": role} if role else {}))
            if type_ == EntityType.Person and org is not None:
                links.append(Link(len(parts) - 1, RelationType.ROLE_AT, org, 0.6,
                                  {"inferred": True, **({"role": role} if role else {})}))
            elif type_ != EntityType.Person and org is None:
                org = len(parts) - 1
    return parts, links


TRANSFORMS: dict[str, Transform] = {
    "capitalised_surnames": Transform(capitalised_surnames),
    "eu_dossiers": Transform(eu_dossiers, frozenset({EntityType.Initiative})),
    "people_and_organisations": Transform(people_and_organisations, MET),
}
