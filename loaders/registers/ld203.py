"""US Senate LD-203 contribution reports (bulk XML, as the Senate publishes them: UTF-16).

Twice a year each registrant and each of its lobbyists report the political contributions they
made. A report (``<Filing Type="LD-203 ...">``) names its registrant and, if filed by one, its
lobbyist; each ``<Contribution>`` names the contributor, the payee (a campaign or committee),
the honoree (the official it honours) and the amount and date.

In the graph: the registrant (a LobbyGroup, with ``lda_registrant_id``), the lobbyist ROLE_AT
it, and for each contribution its contributor (the lobbyist or the registrant when the names
agree, else a person or organisation by its name) FUNDS the honoree (a Person) or, when none is
named, the payee (an Organization), with ``amount``, ``start`` (the date), ``contribution_type``
and ``payee``. A report with no contributions still records the lobbyist's role. Evidence is
the ``<Contribution>`` element as written for a contribution (two contributions to the same
honoree in one report are one relation with two pieces of evidence), the report's ``<Filing>``
element for a role.
"""
from __future__ import annotations

import re
from pathlib import Path

from graph.extraction import Extraction
from graph.model import Document
from graph.ontology import EntityType, RelationType
from loaders.errors import LoaderError
from loaders.names import NameTyper
from loaders.registers.lda import split_xml_name
from loaders.registers.records import decode, xml_records, xml_root

EXTRACTOR = "ld-203"
# the office before an honoree's name ("Congressman Rob Bishop", "Sen. Mary Landrieu")
_OFFICE = re.compile(r"^(?:Congressman|Congresswoman|Senator|Representative|Rep\.?|Sen\.?|"
                     r"Governor|Gov\.?|Mr\.?|Mrs\.?|Ms\.?|Dr\.?)\s+", re.I)


def sniff(text: str) -> bool:
    """Whether a Senate bulk XML file holds LD-203 contribution reports."""
    return "<PublicFilings" in text[:5000] and 'Type="LD-203' in text[:20000]


def load(path: str | Path) -> Extraction:
    """The Extraction of one file of LD-203 reports."""
    text, _ = decode(path)
    root = xml_root(text, str(path))
    ex = Extraction(Document.from_text(text, title=f"US Senate LD-203 contribution reports: "
                                                   f"{Path(path).name}", source=str(path)))
    typer = NameTyper.default()
    for n, (filing, start, end) in enumerate(xml_records(text, "Filing", str(path), root), 1):
        registrant = filing.find("Registrant")
        if registrant is None or not (registrant.get("RegistrantName") or "").strip():
            raise LoaderError(str(path), f"report {n} names no registrant", field="Registrant")
        base = {"filing": filing.get("ID", ""), "filing_type": filing.get("Type", "")}
        firm = ex.add_entity(registrant.get("RegistrantName").strip(), EntityType.LobbyGroup,
                             attributes={"lda_registrant_id": registrant.get("RegistrantID")})
        people = {}
        for lobbyist in filing.iter("Lobbyist"):
            raw = (lobbyist.get("LobbyistName") or "").strip()
            if raw:
                person = ex.add_entity(split_xml_name(raw), EntityType.Person)
                people[raw.upper()] = person
                ex.add_relation(person, RelationType.ROLE_AT, firm, start, end, EXTRACTOR, 0.95,
                                {**base, "role": "lobbyist"})
        for c, c_start, c_end in xml_records(text, "Contribution", str(path), filing, start,
                                             end):
            contributor = (c.get("Contributor") or "").strip()
            payee, honoree = (c.get("Payee") or "").strip(), (c.get("Honoree") or "").strip()
            if not contributor or not (payee or honoree):
                continue
            giver = people.get(contributor.upper()) or (
                firm if contributor.upper() == registrant.get("RegistrantName").upper()
                else ex.add_entity(split_xml_name(contributor) if "," in contributor
                                   else contributor, typer.type_of(contributor)))
            if honoree:
                target = ex.add_entity(_OFFICE.sub("", honoree), EntityType.Person,
                                       aliases=[honoree])
            else:
                target = ex.add_entity(payee, EntityType.Organization)
            date = (c.get("ContributionDate") or "")[:10]
            attrs = {**base, "amount": (c.get("Amount") or "").strip(), "payee": payee,
                     "contribution_type": c.get("ContributionType", "")}
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
                attrs["start"] = date
            ex.add_relation(giver, RelationType.FUNDS, target, c_start, c_end, EXTRACTOR, 0.95,
                            attrs)
    return ex
