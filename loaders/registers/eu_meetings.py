"""What the EU MEP meetings register (Integrity Watch EU's CSV of the European Parliament's
declarations) writes in its cells, read for the register's mapping
(``loaders/data/registers/eu-meetings.yaml``) through the transforms of
``loaders.registers.transforms``: MEP names with surnames in capitals, EU dossiers as written
("DSA report", "DMA / DSA"), and the attendees of a meeting with their job titles, register
numbers and descriptions.
"""
from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

from rapidfuzz import fuzz, process

from graph.names import without_honorifics
from loaders.names import NameTyper
from loaders.roles import segments, split_role


@cache
def _dossiers() -> dict[str, str]:
    text = resources.files("loaders").joinpath("data/eu_dossiers.toml").read_text("utf-8")
    out = {}
    for d in tomllib.loads(text)["dossier"]:
        for spelling in [d["name"], *d["aliases"]]:
            out[spelling.lower()] = d["name"]
    return out


_REGISTER_NUMBER = re.compile(r"\s*\(?\b(\d{6,13}-\d{2})\b\)?\s*$")


def register_number(name: str) -> tuple[str, str | None]:
    """A name without the EU Transparency Register number written after it, and the number.

    >>> register_number("Facebook (28666427835-74)"), register_number("Spotify")
    (('Facebook', '28666427835-74'), ('Spotify', None))
    """
    m = _REGISTER_NUMBER.search(name)
    return (name[:m.start()].strip(), m.group(1)) if m else (name, None)


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
