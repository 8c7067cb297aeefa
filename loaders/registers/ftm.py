"""FollowTheMoney entities, one JSON object a line (``{"id", "schema", "properties"}``), as
Aleph, OpenSanctions and nomenklatura write them.

| FtM schema | in the graph |
| --- | --- |
| Person | Person (honorifics such as "Frau Dr." dropped from the name) |
| Company, Organization, PublicBody, LegalEntity | Company, Organization, Agency, Organization; an organisation's ``country`` gives BASED_IN that country |
| Payment (payer -> beneficiary) | FUNDS, with ``amount`` (``amountEur`` or ``amount`` and ``currency``), ``start`` (the date) |
| Membership (member -> organization) | MEMBER_OF |
| Employment (employee -> employer), Directorship (director -> organization) | ROLE_AT (``role`` from the link, else "employee" or "director") |
| Representation (agent, client) | the client RETAINS the agent |
| Ownership, Associate, Family, UnknownLink | ASSOCIATED_WITH, ``role`` = the schema (and the link's own role) |
| Address and anything else | not an entity; an Address's country fills its owner's |

The schemata and links are those of the crosswalk ``graph/data/ftm.toml``, which the FtM export
reads the other way. Every entity keeps its FtM id as ``ftm_id``. Evidence is the JSON line of the link (or of the
entity, for BASED_IN), exactly as written, with its line number.
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

EXTRACTOR = "ftm"
COUNTRIES = {"de": "Germany", "gb": "United Kingdom", "uk": "United Kingdom",
             "us": "United States", "fr": "France", "it": "Italy", "es": "Spain",
             "nl": "Netherlands", "be": "Belgium", "at": "Austria", "ch": "Switzerland",
             "ie": "Ireland", "pl": "Poland", "se": "Sweden", "dk": "Denmark", "lu": "Luxembourg",
             "ru": "Russia", "cn": "China", "cy": "Cyprus", "mt": "Malta"}


def sniff(first_line: str) -> bool:
    """Whether a line is a FollowTheMoney entity."""
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
    """The Extraction of one file of FollowTheMoney JSON lines."""
    text, _ = decode(path)
    lines = []
    for number, obj, start, end in json_lines(text, str(path)):
        problem = malformed(obj)
        if problem:
            raise LoaderError(str(path), f"not a FollowTheMoney entity: {problem}", line=number)
        lines.append((number, obj, start, end))
    ex = Extraction(Document.from_text(text, title=f"FollowTheMoney entities: {Path(path).name}",
                                       source=str(path)))
    props = {obj["id"]: obj.get("properties") or {} for _, obj, _, _ in lines}
    entities = {}
    ftm = crosswalk()
    for number, obj, start, end in lines:
        type = ftm.entity_type(obj["schema"])
        p = props[obj["id"]]
        if type is None or not p.get("name"):
            continue
        names = [without_honorifics(n) if type == EntityType.Person else n.strip()
                 for n in p["name"]]
        entity = ex.add_entity(names[0], type, aliases=[*names[1:], *p.get("alias", [])],
                               attributes={"ftm_id": obj["id"]})
        entities[obj["id"]] = entity
        country = next(iter(p.get("country") or []), None) or next(
            (c for a in p.get("addressEntity", []) for c in props.get(a, {}).get("country", [])),
            None)
        if country and type != EntityType.Person and country.lower() in COUNTRIES:
            place = ex.add_entity(COUNTRIES[country.lower()], EntityType.Place)
            ex.add_relation(entity, RelationType.BASED_IN, place, start, end, EXTRACTOR, 0.9,
                            {"line": number})
    for number, obj, start, end in lines:
        link = ftm.links.get(obj["schema"])
        if link is None:
            continue
        relation = link.relation
        p = props[obj["id"]]
        a = [entities[i] for i in p.get(link.source, []) if i in entities]
        b = [entities[i] for i in p.get(link.target, []) if i in entities]
        attrs: dict = {"line": number, "ftm_id": obj["id"]}
        if p.get("date") or p.get("startDate"):
            attrs["start"] = (p.get("date") or p.get("startDate"))[0][:10]
        if p.get("endDate"):
            attrs["end"] = p["endDate"][0][:10]
        if p.get("amountEur"):
            attrs.update(amount=p["amountEur"][0], currency="EUR")
        elif p.get("amount"):
            attrs.update(amount=p["amount"][0], currency=(p.get("currency") or [""])[0])
        role = (p.get("role") or [link.role])[0]
        if role:
            attrs["role"] = role
        for x in a:
            for y in b:
                if x is not y and relation.allows(x.type, y.type):
                    ex.add_relation(x, relation, y, start, end, EXTRACTOR, 0.95, attrs)
    return ex
