"""UK ministerial transparency returns: meetings, hospitality and gifts CSVs as published on
GOV.UK (Crown copyright, Open Government Licence v3.0).

A minister ("Minister for the Cabinet Office, Paymaster General, The Rt Hon Francis Maude MP")
becomes a Person (honorifics and post-nominals stripped) who holds a ROLE_AT the department
their office sits in (``loaders/data/uk_offices.toml``), with the offices as ``role``. Each
organisation or person named in a row MEETS the minister (meetings: ``start`` = the date,
``purpose``), or FUNDS the minister (hospitality and gifts: ``kind`` = hospitality or gift, the
type and value). Evidence is the CSV record itself, with its record number.

Quirks handled: Windows-1252 and UTF-8 with a byte-order mark; a stray byte in a header
("Purpose of meeting\\xb2"); blank minister cells that continue the previous row; dates such as
``Jan-14``, ``January``, ``15-Jan``, ``16 – 18 January``, ``"August, 2010 "``, ``13/07/2016``,
``07-Jul-16`` and truncated months (``Marc``), with the year taken from the file name
(``..._jan_mar_14.csv``, ``...julsep2013.csv``) when the cell has none; several organisations
in one cell (``"O2, EE, Three and Vodafone"``, ``"ITV: Geoff Hill, Tom Bradby"``,
``"Geordie Greig (Mail on Sunday)"``); "Nil Return" rows; footnotes; extra columns.
"""
from __future__ import annotations

import calendar
import csv
import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from graph.extraction import Extraction
from graph.model import Document
from graph.ontology import EntityType, RelationType
from loaders.errors import LoaderError
from loaders.names import NameTyper
from loaders.registers.records import read_csv
from loaders.text.lexicon import Lexicon

EXTRACTOR = "uk-transparency"
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
@cache
def _offices() -> dict:
    text = resources.files("loaders").joinpath("data/uk_offices.toml").read_text("utf-8")
    return tomllib.loads(text)


def _letters(cell: str) -> str:
    return re.sub(r"[^a-z]", "", cell.lower())


@cache
def _columns() -> dict[str, str]:
    """A header cell (lower case, letters only) -> the role of its column (``[columns]`` of
    ``loaders/data/uk_offices.toml``)."""
    return {_letters(spelling): role for role, spellings in _offices()["columns"].items()
            for spelling in spellings}


def columns_of(header: list[str]) -> dict[str, int]:
    """The roles a header's columns take, and where: the first column of each role.

    >>> columns_of(["Minister   ", "Date", "Name of External Organisation", "Purpose"])
    {'minister': 0, 'date': 1, 'organisation': 2, 'purpose': 3}

    A cell no spelling takes is read by its words (``[column_words]``):

    >>> columns_of(["Name of Minister", "Date of meeting", "Name of organisation or individual",
    ...             "Purpose of meeting"])
    {'purpose': 3, 'minister': 0, 'date': 1, 'organisation': 2}
    """
    found: dict[str, int] = {}
    for i, cell in enumerate(header):
        role = _columns().get(_letters(cell))
        if role is not None:
            found.setdefault(role, i)
    taken = set(found.values())
    for i, cell in enumerate(header):
        words = set(re.findall(r"[a-z]+", cell.lower()))
        role = next((role for role, keys in _offices()["column_words"].items()
                     if words & set(keys)), None) if i not in taken else None
        if role is not None and role not in found:
            found[role] = i
    return found


REQUIRED = {"minister", "organisation"}  # the column roles a return must have


def roles(header: list[str]) -> dict[str, int]:
    """The roles a header's columns take, and where (see ``columns_of``)."""
    return columns_of(header_cells(header))


TRAVEL = {"minister", "destination"}  # ...or, for overseas travel returns, these


def sniff(header: list[str]) -> bool:
    """Whether a CSV header is a ministerial transparency return."""
    found = set(roles(header))
    return REQUIRED <= found or TRAVEL <= found


def header_cells(row: list[str]) -> list[str]:
    """A row's cells; a row written as one quoted cell ("Minister,Date,...") split again."""
    if len(row) == 1 and "," in row[0]:
        return next(csv.reader([row[0]]))
    return row


def _fit(row: list[str], width: int) -> list[str]:
    """A row of a one-cell-a-line return, split again, fitted to the header's ``width``: the
    minister cell's own unquoted commas ("Leader of the House of Lords, Chancellor of the Duchy
    of Lancaster, The Rt Hon Lord Strathclyde") make the extra cells, joined back into it.

    >>> _fit(["Leader of X", " The Rt Hon Lord Y", "30-Apr-12", "Daily Mail", "Lunch"], 4)
    ['Leader of X, The Rt Hon Lord Y', '30-Apr-12', 'Daily Mail', 'Lunch']
    """
    extra = len(row) - width
    return [",".join(row[:extra + 1]), *row[extra + 1:]] if extra > 0 else row


def year_hint(path: str | Path) -> int | None:
    """The year a return covers, from its file name: ``..._14.csv`` -> 2014."""
    m = re.search(r"((?:19|20)\d{2}|\d{2})$", Path(path).stem)
    if not m:
        return None
    year = int(m.group(1))
    return year + 2000 if year < 100 else year


def parse_date(cell: str, year: int | None) -> tuple[str, str] | None:
    """An ISO date and its precision ("day" or "month") from a return's date cell.

    >>> [parse_date(c, 2014) for c in ["Jan-14", "January ", "15-Jan", "16 \u2013 18 January"]]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('2014-01-01', 'month'), ('2014-01-01', 'month'), ('2014-01-15', 'day'),
     ('2014-01-16', 'day')]
    >>> [parse_date(c, None) for c in ["August, 2010 ", "13/07/2016", "07-Jul-16", "Marc"]]
    [('2010-08-01', 'month'), ('2016-07-13', 'day'), ('2016-07-07', 'day'), None]
    >>> parse_date("Marc", 2014)
    ('2014-03-01', 'month')
    >>> parse_date("Jan/Feb/Mar", 2012) is None  # several months: kept as text, not guessed
    True
    """
    text = cell.strip().lower().replace(",", " ")
    if not text:
        return None
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2,4})", text)
    if m:
        d, mo, y = (int(g) for g in m.groups())
        return f"{y + 2000 if y < 100 else y}-{mo:02d}-{d:02d}", "day"
    day = re.match(r"(\d{1,2})\b", text)
    words = re.findall(r"[a-z]+", text)
    months = list(dict.fromkeys(MONTHS[name] for w in words for name in MONTHS
                                if len(w) >= 3 and name.startswith(w)))
    if len(months) > 1:
        return None  # "Jan/Feb/Mar": a span of months, kept as written rather than guessed
    month = months[0] if months else None
    years = re.findall(r"\b(\d{4})\b", text) or re.findall(r"[a-z]-(\d{2})$", text)
    y = int(years[-1]) if years else year
    if month is None or y is None:
        return None
    y = y + 2000 if y < 100 else y
    if day and 1 <= int(day.group(1)) <= calendar.monthrange(y, month)[1]:
        return f"{y}-{month:02d}-{int(day.group(1)):02d}", "day"
    return f"{y}-{month:02d}-01", "month"


def parse_span(cell: str, year: int | None) -> tuple[str, str | None, str] | None:
    """(start, end, precision) of a return's date cell: ``end`` is the last day of a range
    ("9-10 Feb", "30 March - 04 April", "20-21 May 2010"), None for one day or month.

    >>> parse_span("9-10 Feb", 2014), parse_span("30 March - 04 April", 2014)
    (('2014-02-09', '2014-02-10', 'day'), ('2014-03-30', '2014-04-04', 'day'))
    >>> parse_span("20-21 May 2010", None), parse_span("11-Feb", 2014)
    (('2010-05-20', '2010-05-21', 'day'), ('2014-02-11', None, 'day'))
    """
    m = re.fullmatch(r"\s*(\d{1,2}(?:\s*[A-Za-z]+)?)\s*[-\u2013]\s*(\d{1,2}\b.*?)\s*", cell)
    if m:
        first, last = m.groups()
        tail = re.sub(r"^\d{1,2}\s*", "", last)
        if not re.search(r"[A-Za-z]", first):
            first += " " + tail  # "9-10 Feb": the month and year are said once, at the end
        elif not re.search(r"\d{4}", first):
            first += " " + " ".join(re.findall(r"\d{4}", tail))
        start, end = parse_date(first, year), parse_date(last, year)
        if start and end and start[1] == end[1] == "day" and start[0] <= end[0]:
            return start[0], end[0], "day"
    when = parse_date(cell, year)
    return (when[0], None, when[1]) if when else None


def places(cell: str) -> list[tuple[str, str | None]]:
    """The places a destination cell names, each with the country written after the last
    one ("Singapore and Kuala Lumpur, Malaysia").

    >>> places("Hanoi, Vietnam "), places("Mumbai and New Delhi")
    ([('Hanoi', 'Vietnam')], [('Mumbai', None), ('New Delhi', None)])
    >>> places("Washington/New York, USA")
    [('Washington', None), ('New York', 'USA')]
    """
    cell = " ".join(cell.split())
    head, _, country = cell.rpartition(",") if "," in cell else (cell, "", "")
    names = [n.strip() for n in re.split(r"\s+and\s+|/|;", head) if n.strip()]
    country = country.strip() or None
    return [(n, country if i == len(names) - 1 else None) for i, n in enumerate(names)]


def parse_minister(cell: str) -> tuple[str, list[str]] | None:
    """(name, offices) from "Office, Office, The Rt Hon Name MP"; None if it names nobody.

    >>> parse_minister("Minister for the Cabinet Office, Paymaster General, "
    ...                "The Rt Hon Francis Maude MP")
    ('Francis Maude', ['Minister for the Cabinet Office', 'Paymaster General'])
    >>> parse_minister("Minister of State (Minister for Government Policy), The Rt Hon Oliver "
    ...                "Letwin MP")
    ('Oliver Letwin', ['Minister of State', 'Minister for Government Policy'])
    >>> parse_minister("Government Whip (Lords), Lord Newby OBE")
    ('Lord Newby', ['Government Whip'])
    >>> parse_minister("Lord Strathclyde, Leader of the House of Lords")
    ('Lord Strathclyde', ['Leader of the House of Lords'])

    A cell with the name alone, or its offices in brackets after it:

    >>> parse_minister("Rt Hon Vince Cable MP"), parse_minister("Greg Clark MP (Minister of "
    ...                                                          "State for Cities)")
    (('Vince Cable', []), ('Greg Clark', ['Minister of State for Cities']))
    >>> parse_minister("Prime Minister"), parse_minister("Note: figures are rounded")
    (None, None)
    """
    names = _offices()["names"]
    parts = [p.strip() for p in cell.split(",") if p.strip()]
    if not parts or len(cell) > 200:
        return None
    office = re.compile(r"\b(?:%s)s?\b" % "|".join(map(re.escape, names["office_words"])))
    people = [p for p in parts if not office.search(re.sub(r"\s*\(.*?\)", "", p))]
    if len(parts) == 1:
        outer = re.sub(r"\s*\(.*?\)", "", parts[0]).strip()
        if not people or not re.fullmatch(r"[A-Z][\w.'\u2019-]*(?: [\w.'\u2019-]+){1,6}", outer):
            return None  # an office alone names nobody; nor does a note
        parts = [f"({inner})" for inner in re.findall(r"\((.*?)\)", parts[0])] + [outer]
        people = [outer]
    name = people[-1] if people else parts[-1]  # after the offices, or before them
    parts = [p for p in parts if p != name] + [name]
    for prefix in sorted(names["prefixes"], key=len, reverse=True):
        if name.startswith(prefix + " "):
            name = name[len(prefix):].strip()
    words = name.split()
    while words and words[-1].strip(".") in names["post_nominals"]:
        words.pop()
    offices: list[str] = []
    for part in parts[:-1]:
        outer = re.sub(r"\s*\(.*?\)", "", part).strip()
        inner = re.findall(r"\((.*?)\)", part)
        offices += [o for o in [outer, *inner] if o and o not in ("Lords", "Commons")]
    return (" ".join(words), offices) if words else None


def department(offices: list[str]) -> str:
    """The department the offices sit in (the longest office name that matches)."""
    table = _offices()["offices"]
    joined = " | ".join(offices).lower()
    found = [(len(k), v) for k, v in table.items() if k.lower() in joined]
    return max(found)[1] if found else "UK government"


# an event written with who gave it: the organisation is its host
_HOSTED = re.compile(r"\b(?:hosted|organised|organized|sponsored|given|provided) by\s+(?:the\s+)?"
                     r"([^,;()]+)", re.I)


def split_cell(cell: str) -> list[tuple[str, str | None]]:
    """The names in an organisation cell, each with the organisation it is attached to.

    >>> split_cell("O2, EE, Three and Vodafone")
    [('O2', None), ('EE', None), ('Three', None), ('Vodafone', None)]
    >>> split_cell("ITV: Geoff Hill, Tom Bradby")
    [('ITV', None), ('Geoff Hill', 'ITV'), ('Tom Bradby', 'ITV')]
    >>> split_cell("Geordie Greig (Mail on Sunday)")
    [('Geordie Greig', 'Mail on Sunday'), ('Mail on Sunday', None)]
    >>> split_cell("Buchanan Harvey and Co")
    [('Buchanan Harvey and Co', None)]

    An event named with its host is the host; "and" opening a part, " + " between names and a
    description after "and" are not names:

    >>> split_cell("400th Anniversary Dinner hosted by City of London Corporation")
    [('City of London Corporation', None)]
    >>> split_cell("Hugh Whittow, Daily Express; and Dawn Neesom, Daily Star")
    [('Hugh Whittow', None), ('Daily Express', None), ('Dawn Neesom', None), ('Daily Star', None)]
    >>> split_cell("ABI + representatives from the insurance industry")
    [('ABI', None)]
    """
    cell = " ".join(cell.split())
    host = _HOSTED.search(cell)
    if host:
        cell = host.group(1)
    cell = re.sub(r"\s\+\s", " and ", cell)
    out: list[tuple[str, str | None]] = []
    owner = None
    if ":" in cell:
        owner, cell = (p.strip() for p in cell.split(":", 1))
        out.append((owner, None))
    parts = [p.strip() for p in re.split(r"[;,]", cell) if p.strip()]
    if len(parts) > 1 or re.search(r"\band\b", cell) and not re.search(
            r"\band (?:Co\.?|Company|Partners|Sons)$", cell):
        last = parts.pop() if parts else ""
        tail = re.split(r"\s+and\s+", last) if len(parts) or not _one_name(last) else [last]
        parts += tail
    for part in parts:
        part = re.sub(r"^(?:and|&)\s+", "", part)
        part = re.sub(r"\s+and\s+[^\W\d_A-Z].*$", "", part)  # "and representatives from..."
        m = re.fullmatch(r"(.*?)\s*\((.*?)\)", part)
        if m and m.group(1):
            out.append((m.group(1), m.group(2)))
            out.append((m.group(2), None))
        else:
            out.append((part, owner))
    return [(n.strip(), o) for n, o in out if n.strip()]


@lru_cache(maxsize=1 << 14)
def _names(organisations: str) -> tuple[tuple[str | None, str, EntityType, dict, str | None], ...]:
    """(job title, name, type, type guess, the organisation it is named with) for each name
    an organisation cell holds; a job title alone names no one. Cached: the same
    organisations recur from row to row and from one return to the next."""
    typer = NameTyper.default()
    out = []
    for name, owner in split_cell(organisations):
        role, name = leading_title(name)
        if name:
            out.append((role, name, *typer.typed(name), owner))
    return tuple(out)


def leading_title(name: str) -> tuple[str | None, str]:
    """A job title at the front of a name in an organisation cell, and what is left: "CEO
    British Land" is British Land, met in the person of its (unnamed) CEO; a title alone leaves
    nothing. Titles are the text extractor's (``loaders/data/titles.toml``).

    >>> leading_title("CEO British Land"), leading_title("Chief Executive")
    (('CEO', 'British Land'), ('Chief Executive', ''))
    >>> leading_title("Directors Guild"), leading_title("Governor of California")
    ((None, 'Directors Guild'), (None, 'Governor of California'))
    """
    words = name.split()
    for size in (3, 2, 1):
        if len(words) >= size and " ".join(words[:size]).lower() in Lexicon.default().titles:
            rest = words[size:]
            if rest and rest[0].lower() in ("of", "to", "for"):
                return None, name  # "Governor of California", "President of Azerbaijan": an
                # office holder, named by the office
            return " ".join(words[:size]), " ".join(rest)
    return None, name


def _one_name(text: str) -> bool:
    """"A and B" read as one name (no list around it) unless both halves are capitalised."""
    halves = re.split(r"\s+and\s+", text)
    return len(halves) != 2 or not all(h[:1].isupper() for h in halves)


@dataclass(frozen=True)
class Layout:
    """What a header row says: where each role's column is, the kind of return, and whether
    its gifts are given by the minister (an organisation column headed "To" or "Given to")."""

    columns: dict[str, int]
    kind: str
    given: bool

    @classmethod
    def of(cls, header: list[str]) -> "Layout | None":
        """The layout of a header row; None if it is not a return's header."""
        columns = columns_of(header)
        if not (REQUIRED <= set(columns) or TRAVEL <= set(columns)):
            return None
        kind = "hospitality" if "hospitality" in columns else "gift" if "gift" in columns \
            else "meeting" if "organisation" in columns else "overseas travel"
        given = "organisation" in columns and _letters(
            header[columns["organisation"]]) in ("to", "givento")
        return cls(columns, kind, given)


def load(path: str | Path) -> Extraction:
    """The Extraction of one transparency return. A header row further down (a repeated
    header, or the next section of a return that lists meetings, gifts, hospitality and
    travel one after the other) sets the columns for the rows below it."""
    text, header, records = read_csv(path, sniff)
    one_cell = len(header) == 1 and "," in header[0]
    header = header_cells(header)
    layout = Layout.of(header)
    if layout is None:
        raise LoaderError(str(path), "not a ministerial transparency return (no Minister and "
                                     "Name of Organisation columns)", line=1)
    doc = Document.from_text(text, title=f"UK ministerial {layout.kind} return: "
                                         f"{Path(path).name}", source=str(path))
    ex = Extraction(doc)
    typer = NameTyper.default()
    year = year_hint(path)
    nil = set(_offices()["names"]["nil"])
    minister = None

    def cell(row: list[str], column: str) -> str:
        i = layout.columns.get(column)
        return row[i].strip() if i is not None and i < len(row) else ""

    def given(row: list[str]) -> bool:
        """Whether a gift row is a gift the minister gave: the organisation column is "Given
        to", or a "Given or received" column says so."""
        return layout.given or cell(row, "direction").lower().startswith("given")

    trip: list[tuple[int, list[str], int, int]] = []  # the rows of the trip being read
    # what a cell says, read once a file: ministers, dates and organisation cells recur
    ministers: dict[str, tuple[str, list[str]] | None] = {}
    dates: dict[str, tuple[str, str] | None] = {}

    def travelled() -> None:
        """The trip read so far: the minister ASSOCIATED_WITH each place it went to, the
        evidence its rows (the first row says when, why, how and at what cost; the others
        add destinations)."""
        if not trip or minister is None:
            return
        number, first, start, _ = trip[0]
        when = parse_span(cell(first, "date"), year)
        attrs = {"record": number, "kind": layout.kind, "date_text": cell(first, "date"),
                 **{k: cell(first, k) for k in ("purpose", "transport", "officials")
                    if cell(first, k)}, **({"value": cell(first, "cost")}
                                            if cell(first, "cost") else {})}
        if when:
            attrs.update(start=when[0], date_precision=when[2],
                         **({"end": when[1]} if when[1] else {}))
        attrs["destination"] = "; ".join(cell(r, "destination") for _, r, _, _ in trip)
        for _, row, _, _ in trip:
            for name, country in places(cell(row, "destination")):
                place = ex.add_entity(name, EntityType.Place,
                                      attributes={"country": country} if country else {})
                ex.add_relation(minister, RelationType.ASSOCIATED_WITH, place, start,
                                trip[-1][3], EXTRACTOR, 0.95, attrs)
        trip.clear()

    for number, row, start, end in records:
        if one_cell:
            row = _fit(header_cells(row), len(header))
        kind = layout.kind
        again = Layout.of(row) if any("inister" in c.lower() and _letters(c) == "minister"
                                      for c in row) else None
        if again is not None:
            travelled()
            layout = again
            continue
        if kind == "overseas travel":
            if cell(row, "minister") or cell(row, "date") or not trip:
                travelled()  # a row that says who or when begins another trip
        who, organisations = cell(row, "minister"), cell(row, "organisation")
        if who:
            if who not in ministers:  # a return names each minister on many rows
                ministers[who] = parse_minister(who)
            parsed = ministers[who]
            if parsed is not None:
                name, offices = parsed
                person = ex.add_entity(name, EntityType.Person, aliases=[who] if who != name
                                       else [], attributes={"offices": offices})
                body = ex.add_entity(department(offices), EntityType.Agency)
                ex.add_relation(person, RelationType.ROLE_AT, body, start, end, EXTRACTOR, 0.95,
                                {"role": ", ".join(offices), "record": number})
                minister = person
            elif not organisations:
                continue  # a footnote
        if kind == "overseas travel" and cell(row, "destination"):
            if cell(row, "destination").lower() not in nil:
                trip.append((number, row, start, end))
            continue
        if not organisations or organisations.lower() in nil:
            continue
        if minister is None:
            raise LoaderError(str(path), "a row names no minister and follows none",
                              line=number, field="Minister")
        if cell(row, "date") not in dates:
            dates[cell(row, "date")] = parse_date(cell(row, "date"), year)
        when = dates[cell(row, "date")]
        attrs: dict = {"record": number, "date_text": cell(row, "date")}
        if when:
            attrs.update(start=when[0], date_precision=when[1])
        for role, name, type, guess, owner in _names(organisations):
            other = ex.add_entity(name, type, attributes=guess)
            if kind == "meeting":
                ex.add_relation(minister, RelationType.MEETS, other, start, end, EXTRACTOR,
                                0.95, {**attrs, "purpose": cell(row, "purpose"),
                                       **({"met_role": role} if role else {})})
            elif given(row):
                ex.add_relation(minister, RelationType.FUNDS, other, start, end, EXTRACTOR,
                                0.95, {**attrs, "kind": kind, "direction": "given",
                                       "type": cell(row, "gift") or cell(row, "hospitality"),
                                       **({"value": cell(row, "value")} if cell(row, "value")
                                          else {})})
            else:
                ex.add_relation(other, RelationType.FUNDS, minister, start, end, EXTRACTOR, 0.95,
                                {**attrs, "kind": kind,
                                 "type": cell(row, "hospitality") or cell(row, "gift"),
                                 **({"value": cell(row, "value")} if cell(row, "value") else {})})
            if owner is not None and other.type == EntityType.Person:
                owner_type, guess = typer.typed(owner)
                org = ex.add_entity(owner, owner_type, attributes=guess)
                if org.type != EntityType.Person:
                    ex.add_relation(other, RelationType.ROLE_AT, org, start, end, EXTRACTOR, 0.6,
                                    {"record": number, "inferred": True})
    travelled()
    return ex
