"""Any CSV, JSON or XML register, loaded through a small declarative YAML mapping: which
columns name entities, and which relations join them. A user loads a new register without
code.

A mapping (the whole grammar; ``docs/loaders.md`` has a worked example)::

    title: "EU MEP meetings: {file}"  # the document title ({file}: the file's name)
    format: csv                       # csv, json (a list of records), jsonl (one a line)
                                      # or xml (elements)
    records: results                  # json: the dotted key holding the list; xml: the
                                      # records' element (an attribute, a child's attribute
                                      # or a child's text: {ID}, {Client.ClientName}, {Name})
    entities:
      mep:                            # a name of your choosing, used by the relations
        type: Person                  # an entity type of the ontology
        name: "{mep}"                 # a template: {column} or, for JSON, {dotted.key}
        type_from: "{kind}"           # optional: a template whose value picks the type
        types: {Firm: Company}        #   from these (values not listed: ``type``)
      leader:
        type: Person
        each: dirigeants              # json: one entity per item of this list of the record
        name: "{prenom} {nom}"        #   (templates read the item's keys, then the record's;
                                      #   a path through lists: a[].b[]; {.}: the item itself)
        attributes: {epid: "{epid}"}  # optional; empty values are left out
      group:
        type: Organization
        name: "{group}"
      lobby:
        type: Organization
        name: "{lobbyists}"
        split: ", "                   # optional: a cell that names several
      attendee:
        type: Organization
        name: "{lobbyists}"
        transform: people_and_organisations  # optional: a named cell transform
        required: true                # optional: a record leaving it blank is an error
    requires: [mep, lobbyists]        # optional: the columns a CSV must have (default: all
                                      # the templates name; the others then read as blank)
    extractor: eu-mep-meetings        # optional: the evidence's extractor name
    relations:
      - {source: mep, type: MEMBER_OF, target: group}
      - source: mep
        type: MEETS
        target: lobby
        start: "{date}"               # optional: a date (ISO, 31/12/2024, 31-12-2024, ...)
        attributes: {title: "{title}", met: "{&attendee}"}  # {&entity}: the names
                                      # the record's entity took (joined by "; ")
        confidence: 0.95              # optional (default 0.95)
        when: {"{kind}": [meeting]}   # optional: only where the template's value is listed

Every relation's evidence is its record as written in the file, with the record's line (CSV,
JSON lines) or number (JSON) in ``record``. A record whose entity is blank simply has no such
entity (a JSON record may lack a key); a template naming a column a CSV file does not have is an
error naming the file and the column. Mapping errors name the mapping file and the field.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "m.yaml").write_text('''
... entities:
...   firm: {type: LobbyGroup, name: "{Firm}"}
...   client: {type: Company, name: "{Client}"}
... relations:
...   - {source: client, type: RETAINS, target: firm, start: "{Since}"}
... ''')
>>> _ = (folder / "r.csv").write_text("Firm,Client,Since\\nAcme PR,Widget Co,03/02/2024\\n")
>>> ex = load(folder / "r.csv", read_mapping(folder / "m.yaml"))
>>> [(r.type.value, r.attributes["start"], r.evidence[0].quote) for r in ex.relations]
[('RETAINS', '2024-02-03', 'Acme PR,Widget Co,03/02/2024')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml
from dateutil import parser as dateparser

from graph.extraction import Extraction
from graph.model import Document
from graph.ontology import EntityType, RelationType
from loaders.errors import LoaderError
from loaders.registers.records import (
    decode,
    json_lines,
    json_records,
    read_csv,
    xml_records,
    xml_value,
)
from loaders.registers.transforms import TRANSFORMS, Part

FIELD = re.compile(r"\{([^{}&][^{}]*)\}")  # {column}
ENTITY_NAMES = re.compile(r"\{&([^{}]+)\}")  # {&entity}: the names the record's entity took
DATE_ORDERS = {"day-first": True, "month-first": False}
RANGE = re.compile(r"\s(?:-|\u2013|\u2014|to|until)\s")
FORMATS = ("csv", "json", "jsonl", "xml")


@dataclass(frozen=True)
class EntityRule:
    """How one record names an entity: its type, or the type a field's value gives
    (``type_from``, looked up in ``types``; ``type`` for a value not listed)."""
    type: EntityType
    name: str
    aliases: tuple[str, ...] = ()
    attributes: dict[str, str] = field(default_factory=dict)
    split: str | None = None
    type_from: str | None = None
    types: dict[str, EntityType] = field(default_factory=dict)
    each: str | None = None
    transform: str | None = None  # a named cell transform (``loaders.registers.transforms``)
    required: bool = False  # a record that leaves it blank is an error

    def possible_types(self) -> set[EntityType]:
        made = TRANSFORMS[self.transform].types if self.transform else ()
        return {self.type, *self.types.values(), *made}


@dataclass(frozen=True)
class RelationRule:
    """How one record joins two of its entities."""
    source: str
    type: RelationType
    target: str
    start: str | None = None
    end: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    confidence: float = 0.95
    when: tuple[str, frozenset[str]] | None = None  # (template, the values it must take)


@dataclass(frozen=True)
class Mapping:
    """A register's mapping onto the ontology, as read from its YAML file."""
    path: str
    format: str = "csv"
    records: str | None = None
    title: str | None = None
    entities: dict[str, EntityRule] = field(default_factory=dict)
    relations: tuple[RelationRule, ...] = ()
    dayfirst: bool = True  # ``dates: day-first`` (31/12/2024) or ``month-first`` (12/31/2024)
    requires: tuple[str, ...] = ()  # the columns a file must have (default: every one named)
    extractor: str | None = None  # the evidence's extractor (default: mapping:<name>)

    @property
    def name(self) -> str:
        return Path(self.path).stem

    def required(self) -> list[str]:
        """The columns a CSV file must have to be read by this mapping: ``requires``, or
        every column its templates name."""
        return list(self.requires) or list(dict.fromkeys(f for _, f in self.fields()))

    def is_header(self, cells: list[str]) -> bool:
        """Whether a CSV record holds every column this mapping requires (its header)."""
        index = header_index(cells)
        return all(column_of(f, index) is not None for f in self.required())

    def fields(self) -> Iterator[tuple[str, str]]:
        """(where in the mapping, field) for every field its templates name."""
        for key, e in self.entities.items():
            for where, template in [("name", e.name), *(("aliases", a) for a in e.aliases),
                                    ("type_from", e.type_from or ""),
                                    *((f"attributes.{k}", t) for k, t in e.attributes.items())]:
                yield from ((f"entities.{key}.{where}", f) for f in FIELD.findall(template))
        for i, r in enumerate(self.relations):
            for where, template in [("start", r.start or ""), ("end", r.end or ""),
                                    ("when", r.when[0] if r.when else ""),
                                    *((f"attributes.{k}", t) for k, t in r.attributes.items())]:
                yield from ((f"relations[{i}].{where}", f) for f in FIELD.findall(template))


def matches(path: str | Path, mapping: Mapping) -> bool:
    """Whether a file is a register ``mapping`` reads: a CSV whose header (within the top
    records) has every column the mapping names; a JSON, JSON-lines or XML file whose first
    record holds every field the mapping's entity names are made of. Never raises: a file the
    mapping cannot read does not match (nested items, ``each``, are not asked for)."""
    try:
        if mapping.format == "csv":
            _, header, _ = read_csv(path, mapping.is_header)
            return mapping.is_header(header)
        _, rows = _records(str(path), mapping)
        first = next(rows, None)
    except (LoaderError, OSError, ValueError):
        return False
    names = [f for e in mapping.entities.values() if e.each is None
             for f in FIELD.findall(e.name)]
    return first is not None and bool(names) and all(first[1](f) is not None for f in names)


def read_mapping(path: str | Path) -> Mapping:
    """The mapping in a YAML file, checked against the ontology; LoaderError (naming the
    mapping file and the field) when it is not a valid mapping."""
    path = str(path)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise LoaderError(path, f"cannot read the mapping ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise LoaderError(path, f"not YAML ({getattr(exc, 'problem', None) or exc})",
                          line=mark.line + 1 if mark else None) from None

    def fail(where: str, message: str):
        raise LoaderError(path, message, field=where)

    if not isinstance(data, dict):
        fail("mapping", "a mapping is a YAML object with entities and relations")
    unknown = set(data) - {"title", "format", "records", "entities", "relations", "dates",
                           "requires", "extractor"}
    if unknown:
        fail(sorted(unknown)[0], "unknown key (expected title, format, records, dates, "
                                 "requires, extractor, entities, relations)")
    requires = tuple(_strings(data.get("requires") or [], "requires", fail))
    if not isinstance(data.get("extractor", ""), str):
        fail("extractor", "the extractor is a name (such as eu-mep-meetings)")
    if data.get("dates", "day-first") not in DATE_ORDERS:
        fail("dates", f"{data['dates']!r} is neither {' nor '.join(DATE_ORDERS)}")
    fmt = data.get("format", "csv")
    if fmt not in FORMATS:
        fail("format", f"{fmt!r} is not one of {', '.join(FORMATS)}")
    if fmt == "xml" and not isinstance(data.get("records"), str):
        fail("records", "an XML register names its records' element (records: Filing)")
    entities = {}
    for key, rule in (data.get("entities") or {}).items():
        where = f"entities.{key}"
        if not isinstance(rule, dict) or not isinstance(rule.get("name"), str):
            fail(where, "an entity needs a type and a name template")
        if rule.get("type") not in EntityType.__members__:
            fail(f"{where}.type", f"{rule.get('type')!r} is not an entity type (one of "
                                  f"{', '.join(EntityType.__members__)})")
        types = rule.get("types") or {}
        if not isinstance(types, dict) or (types and not isinstance(rule.get("type_from"), str)):
            fail(f"{where}.types", "types maps values of the type_from template to entity types")
        for value, name in types.items():
            if name not in EntityType.__members__:
                fail(f"{where}.types.{value}", f"{name!r} is not an entity type")
        transform = rule.get("transform")
        if transform is not None and transform not in TRANSFORMS:
            fail(f"{where}.transform", f"{transform!r} is not a transform (one of "
                                       f"{', '.join(TRANSFORMS)})")
        if transform is not None and rule.get("split") is not None:
            fail(f"{where}.split", "a transform parts its cell itself: split or transform")
        entities[str(key)] = EntityRule(EntityType(rule["type"]), rule["name"],
                                        tuple(_strings(rule.get("aliases") or [],
                                                       f"{where}.aliases", fail)),
                                        _templates(rule.get("attributes"), f"{where}.attributes",
                                                   fail), rule.get("split"),
                                        rule.get("type_from"),
                                        {str(v): EntityType(t) for v, t in types.items()},
                                        rule.get("each"), transform, bool(rule.get("required")))
        if rule.get("each") is not None and (fmt == "csv" or not isinstance(rule["each"], str)):
            fail(f"{where}.each", "each names a list in a JSON record (json or jsonl formats)")
    if not entities:
        fail("entities", "a mapping names at least one entity")
    relations = []
    for i, rule in enumerate(data.get("relations") or []):
        where = f"relations[{i}]"
        if not isinstance(rule, dict):
            fail(where, "a relation is an object with source, type and target")
        for end in ("source", "target"):
            if rule.get(end) not in entities:
                fail(f"{where}.{end}", f"{rule.get(end)!r} is not one of the entities "
                                       f"({', '.join(entities)})")
        if rule.get("type") not in RelationType.__members__:
            fail(f"{where}.type", f"{rule.get('type')!r} is not a relation type (one of "
                                  f"{', '.join(RelationType.__members__)})")
        rtype = RelationType(rule["type"])
        for a in sorted(entities[rule["source"]].possible_types(), key=lambda t: t.value):
            for b in sorted(entities[rule["target"]].possible_types(), key=lambda t: t.value):
                if not rtype.allows(a, b):
                    fail(f"{where}.type", f"the ontology does not allow {a.value} "
                                          f"-{rtype.value}-> {b.value}")
        confidence = rule.get("confidence", 0.95)
        if not isinstance(confidence, (int, float)) or not 0 < confidence <= 1:
            fail(f"{where}.confidence", "a confidence is a number in (0, 1]")
        when = rule.get("when")
        if when is not None and not (
                isinstance(when, dict) and len(when) == 1
                and all(isinstance(v, list) for v in when.values())):
            fail(f"{where}.when", "when is one template and the list of values it must take")
        relations.append(RelationRule(rule["source"], rtype, rule["target"], rule.get("start"),
                                      rule.get("end"),
                                      _templates(rule.get("attributes"),
                                                 f"{where}.attributes", fail),
                                      float(confidence),
                                      next(((str(t), frozenset(map(str, v)))
                                            for t, v in when.items()), None) if when else None))
    mapping = Mapping(path, fmt, data.get("records"), data.get("title"), entities,
                      tuple(relations), DATE_ORDERS[data.get("dates", "day-first")], requires,
                      data.get("extractor"))
    named = {f for _, f in mapping.fields()}
    for column in requires:
        if column not in named:
            fail("requires", f"{column!r} is not a column the templates name")
    for i, r in enumerate(relations):
        for template in r.attributes.values():
            for key in ENTITY_NAMES.findall(template):
                if key not in entities:
                    fail(f"relations[{i}].attributes", f"{{&{key}}} names no entity")
    return mapping


def _strings(values, where: str, fail) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        fail(where, "expected a list of templates")
    return values


def _templates(values, where: str, fail) -> dict[str, str]:
    if values is None:
        return {}
    if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
        fail(where, "expected an object of templates")
    return {str(k): v for k, v in values.items()}


def parse_date(text: str, dayfirst: bool = True) -> str | None:
    """An ISO date from a register's date cell, read by python-dateutil with the mapping's
    order of day and month; None for a cell that is not one whole date (a month alone, a
    range, words), which the caller keeps as written.

    >>> parse_date("03/02/2024"), parse_date("03/02/2024", dayfirst=False)
    ('2024-02-03', '2024-03-02')
    >>> parse_date("2024-02-03T10:00:00Z"), parse_date("7 Jul 2016"), parse_date("07-Jul-16")
    ('2024-02-03', '2016-07-07', '2016-07-07')
    >>> parse_date("soon"), parse_date("March 2014"), parse_date("1 May 2014 - 3 May 2014")
    (None, None, None)
    """
    text = text.strip()
    if not text or not any(c.isdigit() for c in text) or len(text) > 40 \
            or RANGE.search(text):
        return None  # no date, or two ("2014-01-01 - 2014-02-01": a range, kept as written)
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:  # a part the cell lacks comes from the default: two defaults tell it was lacking
        one, two = (dateparser.parse(text, dayfirst=dayfirst, default=default)
                    for default in (datetime(1, 1, 1), datetime(2, 2, 2)))
    except (ValueError, OverflowError):
        return None
    return one.date().isoformat() if one.date() == two.date() else None


def column_key(header: str) -> str:
    """A header cell as columns are matched: lower case, letters and digits only (so case,
    spacing, punctuation, footnote marks and stray bytes do not matter).

    >>> column_key(" Donor Name "), column_key("Purpose of meeting\xb2"), column_key("Value (£)")
    ('donorname', 'purposeofmeeting', 'value')
    """
    return "".join(c for c in header.lower() if c.isalpha() or c in "0123456789")


def header_index(header: list[str]) -> dict[str, int]:
    """Each header cell's ``column_key`` -> its column (the first, where two share one)."""
    index: dict[str, int] = {}
    for i, cell in enumerate(header):
        index.setdefault(column_key(cell), i)
    return index


def column_of(field: str, index: dict[str, int]) -> int | None:
    """The column a template's field names: ``Donor name``, or the first of its alternatives
    ``Donor name|DonorName`` that the header has."""
    return next((index[k] for alt in field.split("|") if (k := column_key(alt)) in index), None)


def _records(path: str, mapping: Mapping) -> tuple[str, Iterator[tuple[int, Callable, int, int]]]:
    """The file's text and, per record: its number, a field getter, and its span."""
    if mapping.format == "csv":
        text, header, rows = read_csv(path, mapping.is_header)
        index = header_index(header)
        columns = {}
        for where, column in mapping.fields():
            columns[column] = column_of(column, index)
            if columns[column] is None and (column in mapping.requires
                                            or not mapping.requires):
                raise LoaderError(path, f"no column {column!r} (named by {where} in "
                                        f"{mapping.path})", line=1)

        def csv_rows():
            for number, cells, start, end in rows:
                def get(key: str, cells=cells):
                    i = columns.get(key)
                    return cells[i] if i is not None and i < len(cells) else None
                yield number, get, start, end
        return text, csv_rows()
    text, _ = decode(path)
    if mapping.format == "xml":
        return text, ((n, _getter(xml_value(element)), start, end) for n, (element, start, end)
                      in enumerate(xml_records(text, mapping.records, path), 1))
    if mapping.format == "jsonl":
        return text, ((n, _getter(record), start, end)
                      for n, record, start, end in json_lines(text, path))
    return text, ((n, _getter(record), start, end)
                  for n, (record, start, end) in enumerate(json_records(text, path,
                                                                        mapping.records), 1))


def _getter(record) -> Callable[[str], Any]:
    """A field getter over a JSON record: ``"client.name"`` walks nested objects;
    ``"name|label"`` is the first of the alternatives the record has."""
    def walk(key: str):
        value = record
        for part in key.split("."):
            if not isinstance(value, dict) or part not in value:
                return None
            value = value[part]
        return value

    def get(key: str):
        return next((v for alt in key.split("|") if (v := walk(alt)) is not None), None)
    return get


def load(path: str | Path, mapping: Mapping) -> Extraction:
    """The Extraction of one register file through ``mapping``."""
    path = str(path)
    text, records = _records(path, mapping)
    title = (mapping.title or f"{mapping.name}: {{file}}").replace("{file}", Path(path).name)
    ex = Extraction(Document.from_text(text, title=title, source=path))
    extractor = mapping.extractor or f"mapping:{mapping.name}"
    for number, get, start, end in records:
        found: dict[str, list[tuple[Any, Callable, Part]]] = {}
        for key, rule in mapping.entities.items():
            scopes = [get] if rule.each is None else [
                _within(item, get) for item in _items(get, rule.each)]
            found[key] = []
            for scope in scopes:
                parts, links = _parts(rule, _fill(rule.name, scope))
                attrs = {k: v for k, t in rule.attributes.items() if (v := _fill(t, scope))}
                aliases = [a for t in rule.aliases if (a := _fill(t, scope))]
                type = rule.types.get(_fill(rule.type_from, scope), rule.type) \
                    if rule.type_from else rule.type
                made = [ex.add_entity(p.name, p.type or type, aliases=[*aliases, *p.aliases],
                                      attributes={**attrs, **p.attributes}) for p in parts]
                found[key] += [(e, scope, p) for e, p in zip(made, parts)]
                for link in links:
                    ex.add_relation(made[link.source], link.type, made[link.target], start,
                                    end, extractor, link.confidence,
                                    {"record": number, **link.attributes})
            if rule.required and not found[key]:
                raise LoaderError(path, f"no {key} named", line=number,
                                  field=FIELD.findall(rule.name)[0] if FIELD.search(rule.name)
                                  else key)
        for rule in mapping.relations:
            for a, a_scope, a_part in found[rule.source]:
                for b, b_scope, b_part in found[rule.target]:
                    scope = _within_both(a_scope, b_scope)
                    if rule.when is not None and _fill(rule.when[0], scope) not in rule.when[1]:
                        continue  # a record whose kind this relation is not
                    if a is b or not rule.type.allows(a.type, b.type):
                        continue  # a transform's part the ontology does not let it join
                    attributes = _relation_attributes(rule, number, scope, mapping.dayfirst,
                                                      found)
                    ex.add_relation(a, rule.type, b, start, end, extractor, rule.confidence,
                                    {**attributes, **a_part.context, **b_part.context})
    return ex


def _parts(rule: EntityRule, cell: str) -> tuple[list[Part], list]:
    """The names one filled cell gives an entity rule: its transform's parts and links, the
    pieces of a ``split`` cell, or the cell itself."""
    if rule.transform:
        return TRANSFORMS[rule.transform].read(cell) if cell else ([], [])
    names = [n.strip() for n in cell.split(rule.split)] if rule.split else [cell]
    return [Part(n) for n in names if n], []


def _fill(template: str, get: Callable[[str], Any]) -> str:
    """A template with its fields' values (runs of spaces collapsed)."""
    def value(m: re.Match) -> str:
        found = get(m.group(1))
        return "" if found is None else str(found)
    return " ".join(FIELD.sub(value, template).split())


def _items(get: Callable[[str], Any], path: str) -> list:
    """The items an ``each`` path names: ``dirigeants`` (a list of the record), or a path
    through lists, each marked ``[]``: ``exercices[].activites[].publicationCourante.
    domainesIntervention[]`` (every domain of every activity of every year).

    >>> _items(_getter({"a": [{"b": [1, 2]}, {"b": [3]}]}), "a[].b[]")
    [1, 2, 3]
    """
    head, _, rest = path.partition("[]")
    found = get(head.strip("."))
    values = found if isinstance(found, list) else [] if found is None else [found]
    if not rest.strip("."):
        return values
    return [item for v in values for item in _items(_getter(v), rest.strip("."))]


def _within(item, record_get: Callable) -> Callable[[str], Any]:
    """A getter over a list item (``each``) that falls back to its record's fields; ``{.}``
    is the item itself (a list of names rather than of objects)."""
    item_get = _getter(item) if isinstance(item, dict) else (lambda key: None)

    def get(key: str):
        if key == ".":
            return None if isinstance(item, (dict, list)) else item
        found = item_get(key)
        return record_get(key) if found is None else found
    return get


def _within_both(first: Callable, second: Callable) -> Callable[[str], Any]:
    """A relation's getter: its source's scope, then its target's."""
    def get(key: str):
        found = first(key)
        return second(key) if found is None else found
    return get


def _relation_attributes(rule: RelationRule, number: int, get: Callable[[str], Any],
                         dayfirst: bool, found: dict[str, list]) -> dict[str, Any]:
    """A relation's attributes for one record: its templates filled (``{&entity}``: the
    names the record's entity took, joined by "; "), dates read (a date it cannot read kept
    as ``start_text``/``end_text``), and the record's number."""
    def names(m: re.Match) -> str:
        return "; ".join(dict.fromkeys(p.name for _, _, p in found.get(m.group(1), [])))

    attrs: dict[str, Any] = {"record": number}
    attrs.update({k: v for k, t in rule.attributes.items()
                  if (v := _fill(ENTITY_NAMES.sub(names, t), get))})
    for end_name in ("start", "end"):
        template = getattr(rule, end_name)
        cell = _fill(template, get) if template else ""
        when = parse_date(cell, dayfirst) if cell else None
        if when:
            attrs[end_name] = when
        elif cell:
            attrs[f"{end_name}_text"] = cell
    return attrs

