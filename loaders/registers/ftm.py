"""FollowTheMoney entities, one JSON object a line (``{"id", "schema", "properties"}``), as
Aleph, OpenSanctions, yente and nomenklatura write them, read through the ``followthemoney``
library's model of schemata.

| FtM schema | in the graph |
| --- | --- |
| Person | Person (honorifics such as "Frau Dr." dropped from the name) |
| Company, Organization, PublicBody, LegalEntity, and any schema extending one of them | Company, Organization, Agency, Organization (the nearest the crosswalk names); an organisation's ``country`` (or its address's) gives BASED_IN that country, named by FtM ("uk", "gb" -> United Kingdom) |
| Payment (payer -> beneficiary) | FUNDS, with ``amount`` (``amountEur`` or ``amount`` and ``currency``), ``start`` (the date) |
| Membership (member -> organization) | MEMBER_OF |
| Employment (employee -> employer), Directorship (director -> organization) | ROLE_AT (``role`` from the link, else "employee" or "director") |
| Representation (agent, client) | the client RETAINS the agent |
| Ownership, Associate, Family, UnknownLink | ASSOCIATED_WITH, ``role`` = the schema (and the link's own role) |
| any other link schema (Succession, Debt, ...) | ASSOCIATED_WITH between its two ends as FtM defines them, ``role`` = the schema |
| Address, Vessel and any other thing | not an entity; an Address's country fills its owner's |

The schemata and links named are those of the crosswalk ``graph/data/ftm.toml``, which the FtM
export reads the other way. Every entity keeps its FtM id as ``ftm_id``, and its properties
of FtM's country, date, identifier, URL, e-mail and phone types as attributes (``birthDate``,
``registrationNumber``). Evidence is the JSON line of the link (or of the entity, for
BASED_IN), exactly as written, with its line number. A line whose schema FtM does not know
(a later version's, or someone's own) is left out, as things the graph has no type for are.
"""
from __future__ import annotations

from pathlib import Path

from graph.crosswalk import crosswalk
from graph.extraction import Extraction
from graph.model import Document
from graph.names import without_honorifics
from graph.ontology import EntityType, RelationType
from loaders.errors import LoaderError
from loaders.registers.records import decode, json_lines, json_value
from loaders.text.lexicon import places

EXTRACTOR = "ftm"


def sniff(first_line: str) -> bool:
    """Whether a line is a FollowTheMoney entity (a line without the keys' names is not
    parsed: an LDA API page may be one line of megabytes)."""
    if not all(f'"{key}"' in first_line for key in ("schema", "properties")):
        return False
    try:
        obj = json_value(first_line)
    except LoaderError:
        return False
    return isinstance(obj, dict) and {"id", "schema", "properties"} <= set(obj)


def malformed(obj) -> str | None:
    """What makes ``obj`` something other than a FollowTheMoney entity (FtM's data model: a
    string ``id`` and ``schema``, and ``properties`` mapping names to lists of strings), or
    None.

    >>> malformed({"id": "a1", "schema": "Person", "properties": {"name": ["Ann"]}})
    >>> malformed({"id": "a1", "schema": "Person", "properties": {"name": "Ann"}})
    'property name is not a list of strings'
    """
    if not isinstance(obj, dict):
        return "not a JSON object"
    for key in ("id", "schema"):
        if not isinstance(obj.get(key), str) or not obj[key]:
            return f"{key} is missing or not a string"
    props = obj.get("properties", {})
    if not isinstance(props, dict):
        return "properties is not an object"
    for name, values in props.items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return f"property {name} is not a list of strings"
    return None


def load(path: str | Path) -> Extraction:
    """The Extraction of one file of FollowTheMoney JSON lines, read through the
    ``followthemoney`` library's model of schemata."""
    from followthemoney import model  # imported when an FtM file is read, not at start-up

    text, _ = decode(path)
    lines = []
    for number, obj, start, end in json_lines(text, str(path)):
        problem = malformed(obj)
        if problem:
            raise LoaderError(str(path), f"not a FollowTheMoney entity: {problem}", line=number)
        schema = model.get(obj["schema"])
        if schema is not None:  # a schema of a later FtM, or someone's own: left out
            lines.append((number, obj, schema, start, end))
    ex = Extraction(Document.from_text(text, title=f"FollowTheMoney entities: {Path(path).name}",
                                       source=str(path)))
    props = {obj["id"]: obj.get("properties") or {} for _, obj, _, _, _ in lines}
    entities = {}
    ftm = crosswalk()
    for number, obj, schema, start, end in lines:
        type = _entity_type(schema, ftm)
        p = props[obj["id"]]
        if type is None or not p.get("name"):
            continue
        names = [without_honorifics(n) if type == EntityType.Person else n.strip()
                 for n in p["name"]]
        entity = ex.add_entity(names[0], type, aliases=[*names[1:], *p.get("alias", [])],
                               attributes={"ftm_id": obj["id"], **_kept(schema, p)})
        entities[obj["id"]] = entity
        country = _country(p, props)
        if country and type != EntityType.Person:
            place = ex.add_entity(country, EntityType.Place)
            ex.add_relation(entity, RelationType.BASED_IN, place, start, end, EXTRACTOR, 0.9,
                            {"line": number})
    for number, obj, schema, start, end in lines:
        if not schema.edge:
            continue
        link = next((ftm.links[s.name] for s in _lineage(schema) if s.name in ftm.links), None)
        relation = link.relation if link else RelationType.ASSOCIATED_WITH
        source, target = (link.source, link.target) if link \
            else (schema.edge_source, schema.edge_target)
        p = props[obj["id"]]
        a = [entities[i] for i in p.get(source, []) if i in entities]
        b = [entities[i] for i in p.get(target, []) if i in entities]
        attrs: dict = {"line": number, "ftm_id": obj["id"]}
        if p.get("date") or p.get("startDate"):
            attrs["start"] = (p.get("date") or p.get("startDate"))[0][:10]
        if p.get("endDate"):
            attrs["end"] = p["endDate"][0][:10]
        if p.get("amountEur"):
            attrs.update(amount=p["amountEur"][0], currency="EUR")
        elif p.get("amount"):
            attrs.update(amount=p["amount"][0], currency=(p.get("currency") or [""])[0])
        role = (p.get("role") or [link.role if link else schema.name])[0]
        if role:
            attrs["role"] = role
        for x in a:
            for y in b:
                if x is not y and relation.allows(x.type, y.type):
                    ex.add_relation(x, relation, y, start, end, EXTRACTOR, 0.95, attrs)
    return ex


def _lineage(schema) -> list:
    """A schema and the schemata it extends, nearest first ("Company", "Organization",
    "Asset", "LegalEntity", ...)."""
    out, todo = [], [schema]
    while todo:
        s = todo.pop(0)
        if s not in out:
            out.append(s)
            todo += sorted(s.extends, key=lambda x: x.name)
    return out


def _entity_type(schema, ftm) -> EntityType | None:
    """The entity type of a schema or, for one the crosswalk does not name, of the nearest
    schema it extends that it does (a ``Vessel`` is none: not a legal entity)."""
    return next((t for s in _lineage(schema) if (t := ftm.entity_type(s.name)) is not None),
                None)


def _country(p: dict, props: dict) -> str | None:
    """The country an organisation's ``country`` or address names, by FtM's country names
    ("de", "uk" -> Germany, United Kingdom); None for none, or a code that is no country
    ("zz", "eu")."""
    from followthemoney.types import registry

    codes = [*(p.get("country") or []), *(c for a in p.get("addressEntity", [])
                                          for c in props.get(a, {}).get("country", []))]
    for code in codes:
        clean = registry.country.clean(code)
        name = registry.country.caption(clean) if clean else None
        if name in places():
            return name
    return None


KEPT = frozenset({"country", "date", "identifier", "url", "email", "phone"})


def _kept(schema, p: dict) -> dict[str, str]:
    """What the graph has no type for, kept as attributes: the properties of an entity whose
    FtM type is a country, date, identifier, URL, e-mail or phone number (``birthDate``,
    ``nationality``, ``registrationNumber``, ...), several values joined by "; "."""
    out = {}
    for name, values in p.items():
        prop = schema.get(name)
        if prop is not None and values and name != "country" and prop.type.name in KEPT:
            out[name] = "; ".join(values)
    return out
