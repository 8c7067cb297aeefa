"""EU MEP meetings with interest representatives: the Integrity Watch EU CSV
(Transparency International EU's compilation of the European Parliament's declarations;
columns ``committees, country, date, dossier, epid, group, lobbyists, location, mep, role,
title``).

| in a row | in the graph |
| --- | --- |
| ``mep`` ("Alex AGIUS SALIBA") | a Person ("Alex Agius Saliba"; ``epid`` kept) MEMBER_OF the European Parliament and of their political ``group`` (an Organization) |
| each name in ``lobbyists`` | an organisation or a person that the MEP MEETS: ``start`` (the date), ``title``, ``dossier``, ``location``, ``committees``, the MEP's ``role``; people named with an organisation hold a ROLE_AT it (inferred); descriptions ("an EU-headquartered ... platform", "Facebook Director for ...") are not names |
| ``dossier`` ("DSA report", "Digital Markets Act (DMA)", "DMA / DSA") | one Initiative per dossier named: known dossiers (``loaders/data/eu_dossiers.toml``) by acronym, close spelling (rapidfuzz >= 90) or containment, after procedure numbers ("2020/0361"), prefixes ("Opinion to IMCO on") and "report" are dropped; a Rapporteur or Shadow rapporteur is RESPONSIBLE_FOR it |

Evidence is the CSV record as written, with its record number.
"""
from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path

from rapidfuzz import fuzz, process

from graph.extraction import Extraction
from graph.model import Document
from graph.names import without_honorifics
from graph.ontology import EntityType, RelationType
from loaders.errors import LoaderError
from loaders.names import NameTyper
from loaders.registers.mapping import parse_date
from loaders.registers.records import read_csv
from loaders.roles import segments, split_role

EXTRACTOR = "eu-mep-meetings"
COLUMNS = {"mep", "lobbyists", "date", "dossier", "group"}
RESPONSIBLE_ROLES = {"rapporteur", "shadow rapporteur"}


@cache
def _dossiers() -> dict[str, str]:
    text = resources.files("loaders").joinpath("data/eu_dossiers.toml").read_text("utf-8")
    out = {}
    for d in tomllib.loads(text)["dossier"]:
        for spelling in [d["name"], *d["aliases"]]:
            out[spelling.lower()] = d["name"]
    return out


REQUIRED = COLUMNS  # the column roles a file must have to be this register


def roles(header: list[str]) -> dict[str, int]:
    """The roles a header's columns take (this register's columns are named by their role),
    and where."""
    found: dict[str, int] = {}
    for i, cell in enumerate(header):
        if cell.strip().lower() in COLUMNS:
            found.setdefault(cell.strip().lower(), i)
    return found


_REGISTER_NUMBER = re.compile(r"\s*\(?\b(\d{6,13}-\d{2})\b\)?\s*$")


def register_number(name: str) -> tuple[str, str | None]:
    """A name without the EU Transparency Register number written after it, and the number.

    >>> register_number("Facebook (28666427835-74)"), register_number("Spotify")
    (('Facebook', '28666427835-74'), ('Spotify', None))
    """
    m = _REGISTER_NUMBER.search(name)
    return (name[:m.start()].strip(), m.group(1)) if m else (name, None)


def header_cells(header: list[str]) -> list[str]:
    """The header's cells as the columns' roles count them (as written, here)."""
    return header


def sniff(header: list[str]) -> bool:
    return REQUIRED <= set(roles(header))


def mep_name(name: str) -> str:
    """"Alex AGIUS SALIBA" -> "Alex Agius Saliba" (registers write surnames in capitals)."""
    return " ".join(w.title() if w.isupper() and len(w) > 1 else w for w in name.split())


PREFIXES = re.compile(r"^(?:(?:[A-Z]{4}|EP)\s+)?(?:opinion|report|ini|inl|regulation)"
                      r"(?:\s+(?:on|to [A-Z]+ on|with recommendations to the \w+ on))?\s+",
                      re.I)
JUNK = {"", "n/a", "na", "none", "-", "tbc"}


def _known(text: str) -> str | None:
    """The known dossier ``text`` names: exactly, by a close spelling, or by containing it."""
    known = _dossiers()
    key = text.lower().strip(" .)")
    if key in known:
        return known[key]
    hit = process.extractOne(key, list(known), scorer=fuzz.ratio, score_cutoff=90)
    if hit is not None:
        return known[hit[0]]
    return next((name for spelling, name in sorted(known.items(), key=lambda kv: -len(kv[0]))
                 if len(spelling) > 6 and spelling in key), None)


def dossier_names(cell: str) -> list[tuple[str, list[str]]]:
    """The Initiatives a dossier cell names, each with the other spellings seen.

    >>> dossier_names("DSA report")
    [('Digital Services Act', ['DSA'])]
    >>> dossier_names("Digital Markets Act (DMA) ")
    [('Digital Markets Act', ['DMA'])]
    >>> dossier_names("DMA / DSA")
    [('Digital Markets Act', ['DMA']), ('Digital Services Act', ['DSA'])]
    >>> dossier_names("Digital Serives Act 2020/0361")
    [('Digital Services Act', ['Digital Serives Act'])]
    >>> dossier_names("Opinion to IMCO on Digital Services Act")
    [('Digital Services Act', [])]
    >>> dossier_names("Chips Act"), dossier_names("N/A")
    ([('Chips Act', [])], [])
    """
    text = " ".join(cell.split())
    if text.lower() in JUNK or not text[:1].isalnum():
        return []
    parts = [p for p in re.split(r"\s*(?:/|,|;|&| - | and )\s*", text) if p]
    if len(parts) < 2 or not all(_known(_clean(p)[0]) for p in parts):
        parts = [text]
    out = []
    for part in parts:
        base, aliases = _clean(part)
        if not base:
            continue
        name = _known(base) or next((_known(a) for a in aliases if _known(a)), None) or base
        spellings = [x for x in [base, *aliases] if x != name]
        out.append((name, spellings))
    return out


def _clean(part: str) -> tuple[str, list[str]]:
    """A dossier cell's part without procedure numbers, prefixes and a trailing "report"."""
    text = re.sub(r"\b\d{4}/\d{3,4}\b", "", part)
    text = PREFIXES.sub("", text.strip(" -:"))
    text = re.sub(r"\s+(?:report|file|dossier)\.?$", "", text.strip(), flags=re.I)
    aliases = re.findall(r"\(([^()]+)\)", text)
    base = re.sub(r"\s*\([^)]*\)?", "", text).strip(" -:.")
    return base, aliases


DESCRIPTIVE = frozenset({"a", "an", "its", "their", "his", "her", "several", "some", "various",
                         "many", "other"})


def _is_description(part: str) -> bool:
    """Whether a part describes whom the MEP met rather than naming them ("a delegation of
    farmers", "several NGOs"); a name may be written in lower case ("ver.di", "ebay")."""
    return part.split()[0].lower() in DESCRIPTIVE


def load(path: str | Path) -> Extraction:
    """The Extraction of one Integrity Watch MEP meetings CSV."""
    text, header, records = read_csv(path, sniff)
    col = {c.strip().lower(): i for i, c in enumerate(header)}
    if not sniff(header):
        raise LoaderError(str(path), "not an MEP meetings register (needs columns "
                                     f"{', '.join(sorted(COLUMNS))})", line=1)
    ex = Extraction(Document.from_text(text, title=f"EU MEP meetings: {Path(path).name}",
                                       source=str(path)))
    typer = NameTyper.default()
    parliament = ex.add_entity("European Parliament", EntityType.Agency)

    for number, row, start, end in records:
        def cell(name: str) -> str:
            i = col.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        if not cell("mep"):
            raise LoaderError(str(path), "no MEP named", line=number, field="mep")
        base = {"record": number}

        def link(a, rel, b, confidence=0.95, **attrs):
            ex.add_relation(a, rel, b, start, end, EXTRACTOR, confidence, {**base, **attrs})

        mep = ex.add_entity(mep_name(cell("mep")), EntityType.Person,
                            aliases=[cell("mep")], attributes={"epid": cell("epid")})
        link(mep, RelationType.MEMBER_OF, parliament, role="MEP")
        if cell("group"):
            link(mep, RelationType.MEMBER_OF,
                 ex.add_entity(cell("group"), EntityType.Organization), role="political group")
        meeting = {"title": cell("title"), "location": cell("location"),
                   "committees": cell("committees"), "mep_role": cell("role")}
        date = parse_date(cell("date")) if cell("date") else None
        if date:  # 08-03-2021, 18/02/2020 or 2019-11-27T00:00:00, as the layouts write it
            meeting["start"] = date
        elif cell("date"):
            meeting["date_text"] = cell("date")  # unreadable: kept as written, not guessed
        dossiers = dossier_names(cell("dossier"))
        if dossiers:
            meeting["dossier"] = "; ".join(name for name, _ in dossiers)
        for name, spellings in dossiers:
            initiative = ex.add_entity(name, EntityType.Initiative, aliases=spellings)
            if cell("role").lower() in RESPONSIBLE_ROLES:
                link(mep, RelationType.RESPONSIBLE_FOR, initiative, 0.9, role=cell("role"))
        parts = [p.strip() for p in re.split(r"[;,]", cell("lobbyists")) if p.strip()]
        org = previous = None
        for part in parts:
            if not re.search(r"[^\W\d_]", part):  # no letter: a reference number of the name
                if previous is not None:  # before it ("Finnair Oyj, 0108023-3"), not a name
                    ex.add_entity(previous.name, previous.type,
                                  attributes={"reference": part})
                continue
            part, register_id = register_number(part)
            for name, role in who_met(part, typer):
                type, guess = typer.typed(name)
                other = ex.add_entity(name, type, attributes={
                    **guess, **({"eu_transparency_register": register_id} if register_id
                                else {})})
                link(mep, RelationType.MEETS, other, **meeting,
                     **({"met_role": role} if role else {}))
                previous = other
                if other.type == EntityType.Person and org is not None:
                    link(other, RelationType.ROLE_AT, org, 0.6, inferred=True,
                         **({"role": role} if role else {}))
                elif other.type != EntityType.Person and org is None:
                    org = other
    return ex


def who_met(part: str, typer: NameTyper) -> list[tuple[str, str | None]]:
    """The organisations and people one part of a lobbyists cell names, each with the job
    title written with it: "Senior Policy Advisor Eurelectric" is Eurelectric (met in the
    person of its senior policy advisor); "Anthony Doe - Executive Director IMF" is the IMF
    and Anthony Doe; a title or a description alone names no one.

    >>> typer = NameTyper.default()
    >>> who_met("Jo Smith - Executive Director IMF", typer)
    [('IMF', 'Executive Director'), ('Jo Smith', 'Executive Director')]
    >>> who_met("KLM - Manager European Affairs", typer), who_met("Senior Advisor", typer)
    ([('KLM', 'Manager European Affairs')], [])
    >>> who_met("Unilever (Vice President External Affairs)", typer), who_met("ver.di", typer)
    ([('Unilever', 'Vice President External Affairs')], [('ver.di', None)])
    >>> who_met("Mr Nicholas Smith from the Alternative Credit Council (ACC)", typer)
    [('Alternative Credit Council (ACC)', None), ('Nicholas Smith', None)]
    """
    role, names = None, []
    bracket = re.fullmatch(r"(.+?)\s*\((.+)\)", part)
    if bracket and split_role(bracket.group(2)) == (bracket.group(2), ""):
        role, part = bracket.group(2), bracket.group(1)  # "Unilever (Vice President ...)"
    for segment in segments(part):
        sent = re.fullmatch(r"(.+?)\s+from\s+(?:the\s+)?(.+)", segment)
        if sent and typer.is_person(sent.group(1)):  # "Mr Jo Bloggs from the Acme Council"
            names += [sent.group(2), without_honorifics(sent.group(1))]
            continue
        title, rest = split_role(segment)
        role = role or title
        if rest and not _is_description(rest):
            names.append(rest)
    people = {n for n in names if typer.is_person(n)}
    return [(n, role) for n in names if n not in people] + [(n, role) for n in names
                                                             if n in people]
