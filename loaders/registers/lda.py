"""US Senate Lobbying Disclosure Act filings (US federal public record), in both shapes the
Senate publishes: the REST API JSON (``{"results": [filing, ...]}`` of ``/api/v1/filings/``)
and the legacy quarterly bulk XML (``<PublicFilings><Filing ...>``). Both are read into one
filing record and mapped once:

| in a filing | in the graph |
| --- | --- |
| registrant | a LobbyGroup (a lobbying firm), or a Company when the client files for itself |
| client | a Company (or an Agency when it is a state or local government) that RETAINS the registrant; income kept as ``income`` |
| lobbyist | a Person with a ROLE_AT the registrant (role "lobbyist"); a ``covered_position`` that names a body (Senate, House, an agency) becomes a past ROLE_AT there (``past: true``, the revolving door) |
| government entity | an Agency that the registrant and the client LOBBY |
| issue code | a Topic the client is ASSOCIATED_WITH (``role``: lobbying issue) |
| year and period | ``start``/``end`` of the period, on every relation |

Evidence is the filing itself: its JSON object or its ``<Filing>`` element, exactly as written,
with the filing id in ``filing``. XML is parsed with defusedxml: no entity expansion, no DTDs,
no network.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from graph.extraction import Extraction
from graph.model import Document
from graph.ontology import EntityType, RelationType
from loaders.errors import LoaderError
from loaders.registers.records import (
    LINES,
    decode,
    json_lines,
    json_records,
    json_value,
    xml_records,
)

EXTRACTOR = "us-lda"
PERIODS = {  # period -> (first month-day, last month-day)
    "first_quarter": ("01-01", "03-31"), "second_quarter": ("04-01", "06-30"),
    "third_quarter": ("07-01", "09-30"), "fourth_quarter": ("10-01", "12-31"),
    "mid_year": ("01-01", "06-30"), "year_end": ("07-01", "12-31"),
    "1st quarter": ("01-01", "03-31"), "2nd quarter": ("04-01", "06-30"),
    "3rd quarter": ("07-01", "09-30"), "4th quarter": ("10-01", "12-31"),
}
BODIES = [  # words in a covered position -> the body it names
    (r"\bWHITE HOUSE\b", "White House"),
    (r"\b(?:SEN(?:ATE|ATOR)?\.?|SENATOR)\b", "US Senate"),
    (r"\b(?:HOUSE|REP\.?|REPRESENTATIVE|CONGRESSMAN|CONGRESSWOMAN|MEMBER OF CONGRESS)\b",
     "US House of Representatives"),
]


@lru_cache(maxsize=1 << 16)
def person_name(last: str, first: str = "", middle: str = "", suffix: str = "") -> str:
    """A readable name from a register's capitals: ("MCSLARROW", "ALISON") -> "Alison
    McSlarrow".

    >>> person_name("MCSLARROW", "ALISON")
    'Alison McSlarrow'
    >>> person_name("O'NEILL", "THOMAS", "P", "JR")
    "Thomas P O'Neill Jr"
    """
    def fix(word: str) -> str:
        word = word.strip().title()
        return re.sub(r"^(Mc|Mac)(\w)", lambda m: m.group(1) + m.group(2).upper(), word) \
            if len(word) > 4 else word
    parts = [first, middle, last, suffix]
    return " ".join(fix(w) for p in parts if p for w in p.split())


def split_xml_name(name: str) -> str:
    """"WUNDER, BERNARD J JR" -> "Bernard J Wunder Jr"."""
    last, _, rest = name.partition(",")
    words = rest.split()
    suffix = words.pop() if words and words[-1].rstrip(".") in ("JR", "SR", "II", "III", "IV") \
        else ""
    return person_name(last, " ".join(words[:1]), " ".join(words[1:]), suffix)


@lru_cache(maxsize=1 << 12)
def agency_name(name: str) -> tuple[str, str | None]:
    """A government entity's name in the register ("Commerce, Dept of (DOC)") as a readable
    name and its acronym: ("Department of Commerce", "DOC")."""
    name = " ".join(name.replace("&amp;", "&").split())
    acronym = None
    m = re.search(r"\(([A-Z][A-Za-z&]{1,9})\)?$", name)
    if m:
        acronym, name = m.group(1), name[:m.start()].strip()
    m = re.fullmatch(r"(.+?), Dept of(?: the)?", name)
    if m:
        name = f"Department of {m.group(1)}"
    if name.isupper():
        name = {"SENATE": "US Senate", "HOUSE OF REPRESENTATIVES": "US House of Representatives",
                "WHITE HOUSE OFFICE": "White House"}.get(name, name.title())
    return name, acronym


def period_dates(year, period: str) -> tuple[str, str] | None:
    """The first and last day of a filing period, or None when it does not parse.

    >>> period_dates("2016", "4th Quarter (Oct 1 - Dec 31)")
    ('2016-10-01', '2016-12-31')
    >>> period_dates(2024, "mid_year"), period_dates("20x6", "mid_year")
    (('2024-01-01', '2024-06-30'), None)
    """
    key = re.sub(r"\s*\(.*", "", str(period or "").strip().lower())
    if key not in PERIODS or not re.fullmatch(r"\d{4}", str(year).strip()):
        return None
    first, last = PERIODS[key]
    return f"{int(year)}-{first}", f"{int(year)}-{last}"


def _from_api(f: dict, n: int, path: str) -> dict:
    """The common filing record from one API filing."""
    try:
        registrant, client = f["registrant"], f["client"]
        lobbyists, entities, issues = [], [], []
        for a in f.get("lobbying_activities") or []:
            for item in a.get("lobbyists") or []:
                lb = item["lobbyist"]
                lobbyists.append((person_name(lb["last_name"] or "", lb["first_name"] or "",
                                              lb.get("middle_name") or "",
                                              lb.get("suffix") or ""),
                                  item.get("covered_position") or ""))
            entities += [g["name"] for g in a.get("government_entities") or []]
            if a.get("general_issue_code_display"):
                issues.append(a["general_issue_code_display"])
        return {"id": f["filing_uuid"], "year": f.get("filing_year"),
                "period": f.get("filing_period") or "", "type": f.get("filing_type_display"),
                "registrant": (str(registrant["id"]), registrant["name"]),
                "client": (str(client["id"]), client["name"],
                           client.get("client_government_entity") is True),
                "self_filer": bool(client.get("client_self_select"))
                or registrant["name"] == client["name"],
                "income": f.get("income"), "expenses": f.get("expenses"),
                "lobbyists": lobbyists, "entities": entities, "issues": issues}
    except KeyError as exc:
        raise LoaderError(path, f"filing {n} lacks a field the API always gives ({exc})",
                          field=str(exc.args[0])) from None
    except (TypeError, AttributeError) as exc:
        raise LoaderError(path, f"filing {n}: a field that should be an object or a list is "
                                f"not ({exc})") from None


def _checked(record: dict, n: int, path: str) -> dict:
    """``record`` when every name in it is text, else a LoaderError naming the field (a filing
    may hold anything; the graph needs names)."""
    names = [("registrant", record["registrant"][1]), ("client", record["client"][1]),
             *(("lobbyist", name) for name, _ in record["lobbyists"]),
             *(("covered_position", position) for _, position in record["lobbyists"]),
             *(("government entity", name) for name in record["entities"]),
             *(("issue", name) for name in record["issues"])]
    for field, value in names:
        if not isinstance(value, str) or (field in ("registrant", "client")
                                          and not value.strip()):
            raise LoaderError(path, f"filing {n}: {field} is {value!r:.60}, not a name",
                              field=field)
    return record


def _xml_filings(text: str, path: str):
    """(filing record, start, end) for each <Filing> element, parsed without entity
    expansion."""
    for n, (el, start, end) in enumerate(xml_records(text, "Filing", path), 1):
        reg, cli = el.find("Registrant"), el.find("Client")
        if reg is None or cli is None:
            raise LoaderError(path, f"filing {n} has no Registrant or Client", field="Filing")
        lobbyists = [(split_xml_name(lb.get("LobbyistName", "")), lb.get("OfficialPosition", "")
                      if lb.get("LobbyistCoveredGovPositionIndicator") == "COVERED" else "")
                     for lb in el.iter("Lobbyist") if lb.get("LobbyistName", "").strip()]
        yield {"id": el.get("ID"), "year": el.get("Year"), "period": el.get("Period", ""),
               "type": el.get("Type", "").title(),
               "registrant": (reg.get("RegistrantID"), reg.get("RegistrantName")),
               "client": (cli.get("ClientID"), cli.get("ClientName"),
                          cli.get("IsStateOrLocalGov") == "TRUE"
                          and "CITY" in cli.get("ClientName", "").upper()),
               "self_filer": cli.get("SelfFiler") == "TRUE",
               "income": el.get("Amount") or None, "expenses": None,
               "lobbyists": lobbyists,
               "entities": [g.get("GovEntityName") for g in el.iter("GovernmentEntity")
                            if g.get("GovEntityName", "").strip()],
               "issues": [i.get("Code", "").capitalize() for i in el.iter("Issue")
                          if i.get("Code")]}, start, end


def sniff_json(text: str) -> bool:
    return '"results"' in text[:2000] and "lda.senate.gov" in text[:20000]


def _page_lines(text: str) -> bool:
    """Whether an API file holds one page a line (JSON lines, as a script that follows
    ``next`` writes them) rather than one page."""
    if "\n" not in text.strip():
        return False  # one line (a compact page): no line end between two pieces of content
    for m in LINES.finditer(text):  # a pretty-printed page stops at its first line, "{"
        line = m.group().strip()
        if line and not (line.startswith("{") and line.endswith("}") and '"results"' in line):
            return False
    return True


def api_pages(text: str, path: str = "") -> list[tuple[dict, int, int]]:
    """The API response pages a file holds, each with its span: one page (the API's answer
    as saved), or one page a line."""
    if _page_lines(text):
        return [(page, s, e) for _, page, s, e in json_lines(text, path)]
    return [(json_value(text, path), 0, len(text))]


def api_filings(text: str, path: str = "") -> Iterator[tuple[dict, int, int]]:
    """Every filing of every page of an API file, with its exact span in ``text``."""
    if not _page_lines(text):
        yield from json_records(text, path, "results")
        return
    for _, _, start, end in json_lines(text, path):
        for filing, s, e in json_records(text[start:end], path, "results"):
            yield filing, start + s, start + e


def paging(text: str, path: str = "") -> list[str]:
    """What an API file says of its paging, for ``load --explain``: the filings it holds
    against the ``count`` the query matched, and the ``next`` page it does not hold.

    >>> paging('{"count": 40, "next": "https://lda.senate.gov/api/v1/filings/?page=2", '
    ...        '"results": [{"id": 1}]}')
    ['  pages: 1, filings: 1 of the 40 the query matched', '  incomplete: the next page, https://lda.senate.gov/api/v1/filings/?page=2, is not here']
    """
    pages = api_pages(text, path)
    held = sum(len(p.get("results") or []) for p, _, _ in pages)
    count = next((p.get("count") for p, _, _ in pages if isinstance(p.get("count"), int)),
                 None)
    lines = [f"  pages: {len(pages)}, filings: {held}" + (
        f" of the {count:,} the query matched" if count is not None else "")]
    following = pages[-1][0].get("next")
    if following:  # the last page held points at one more
        lines.append(f"  incomplete: the next page, {following}, is not here")
    return lines


def sniff_xml(text: str) -> bool:
    return "<PublicFilings" in text[:5000]


def load(path: str | Path) -> Extraction:
    """The Extraction of one file of LDA filings (API JSON or bulk XML)."""
    text, _ = decode(path)
    if sniff_xml(text):
        records, shape = _xml_filings(text, str(path)), "bulk XML"
    elif text.lstrip().startswith("{"):
        records = ((_from_api(f, n, str(path)), s, e)
                   for n, (f, s, e) in enumerate(api_filings(text, str(path)), 1))
        shape = "API JSON"
    else:
        raise LoaderError(str(path), "not LDA filings (neither API JSON nor bulk XML)")
    filings = ((_checked(f, n, str(path)), s, e) for n, (f, s, e) in enumerate(records, 1))
    doc = Document.from_text(text, title=f"US Senate LDA filings ({shape}): {Path(path).name}",
                             source=str(path))
    ex = Extraction(doc)
    for f, start, end in filings:
        base = {"filing": str(f["id"]), "filing_type": str(f["type"] or "")}
        dates = period_dates(f["year"], f["period"])
        if dates:
            base.update(start=dates[0], end=dates[1])

        def link(a, rel, b, confidence=0.95, **attrs):
            ex.add_relation(a, rel, b, start, end, EXTRACTOR, confidence, {**base, **attrs})

        reg_id, reg_name = f["registrant"]
        cli_id, cli_name, cli_gov = f["client"]
        registrant = ex.add_entity(reg_name, EntityType.Company if f["self_filer"]
                                   else EntityType.LobbyGroup,
                                   attributes={"lda_registrant_id": reg_id})
        client = registrant if f["self_filer"] else ex.add_entity(
            cli_name, EntityType.Agency if cli_gov else EntityType.Company,
            attributes={"lda_client_id": f"{reg_id}/{cli_id}"})  # numbered per registrant
        if client is not registrant:
            link(client, RelationType.RETAINS, registrant,
                 **({"income": str(f["income"])} if f["income"] else {}))
        for name, position in f["lobbyists"]:
            if not name:
                continue
            person = ex.add_entity(name, EntityType.Person)
            link(person, RelationType.ROLE_AT, registrant, role="lobbyist")
            body = next((b for pattern, b in BODIES if re.search(pattern, position.upper())),
                        None) if position else None
            if body:
                link(person, RelationType.ROLE_AT, ex.add_entity(body, EntityType.Agency), 0.8,
                     role=" ".join(position.split()), past=True)
        for raw in dict.fromkeys(f["entities"]):
            name, acronym = agency_name(raw)
            agency = ex.add_entity(name, EntityType.Agency, aliases=[acronym] if acronym else [])
            spent = {"expenses": str(f["expenses"])} if f["expenses"] else {}
            link(registrant, RelationType.LOBBIES, agency, **spent)
            if client is not registrant:
                link(client, RelationType.LOBBIES, agency)
        for issue in dict.fromkeys(f["issues"]):
            topic = ex.add_entity(issue, EntityType.Topic)
            link(client, RelationType.ASSOCIATED_WITH, topic, role="lobbying issue")
    return ex
