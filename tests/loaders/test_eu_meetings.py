"""EU MEP meetings (Integrity Watch EU): concrete facts from the sample."""
from __future__ import annotations

from pathlib import Path

import pytest

from loaders import extract_path

DATA = Path(__file__).resolve().parents[1] / "fixtures" / "eu-mep-meetings" / \
    "integritywatch_mep_meetings_tech_subset.csv"


def test_mep_meetings_dossiers_and_groups():
    ex = extract_path(DATA)
    ex.validate()
    by_id = {e.id: e for e in ex.entities}
    rels: dict = {}
    for r in ex.relations:
        rels.setdefault((by_id[r.source].name, r.type.value, by_id[r.target].name), r)
        for ev in r.evidence:
            assert ex.document.text[ev.start:ev.end] == ev.quote
    meets = rels[("Alex Agius Saliba", "MEETS", "Facebook")]
    assert meets.attributes["start"] == "2021-04-30"
    assert meets.attributes["title"] == "Digital Markets Act (DMA)"
    assert meets.evidence[0].quote.startswith("4,['IMCO'],Malta,30-04-2021")
    assert ("Phillip Malloch", "ROLE_AT", "Facebook") in rels
    names = {e.name for e in ex.entities}
    assert not any(n.startswith(("an EU-headquartered", "Facebook Director")) for n in names)
    assert ("Alex Agius Saliba", "MEMBER_OF", "European Parliament") in rels
    assert ("Alex Agius Saliba", "MEMBER_OF", "S&D") in rels
    assert rels[("Alex Agius Saliba", "RESPONSIBLE_FOR", "Digital Services Act")] \
        .attributes["role"] == "Rapporteur"
    schibsted = rels[("Alex Agius Saliba", "MEETS", "Schibsted")]
    assert schibsted.attributes["dossier"] == "Digital Services Act"
    dsa = next(e for e in ex.entities if e.name == "Digital Services Act")
    assert "DSA" in dsa.aliases
    mep = next(e for e in ex.entities if e.name == "Alex Agius Saliba")
    assert mep.attributes["epid"] == "197403"


@pytest.mark.parametrize("written, read", [("08-03-2021", "2021-03-08"),
                                           ("18/02/2020", "2020-02-18"),
                                           ("2019-11-27T00:00:00", "2019-11-27")])
def test_every_layouts_dates_are_read(tmp_path, written, read):
    """Integrity Watch has written meeting dates three ways over the years; an unreadable one
    is kept as written."""
    path = tmp_path / "meetings.csv"
    path.write_text("epid,mep,country,group,committees,dossier,title,role,topic,location,"
                    f"lobbyists,date\n1,Jo BLOGGS,Malta,S&D,,,Energy,Member,,Brussels,Acme SA,"
                    f"{written}\n2,Jo BLOGGS,Malta,S&D,,,Energy,Member,,Brussels,Beta SA,soon\n",
                    encoding="utf-8")
    ex = extract_path(path)
    meets = {r.attributes.get("start") or r.attributes.get("start_text")
             for r in ex.relations if r.type.value == "MEETS"}
    assert meets == {read, "soon"}


def test_a_reference_number_after_a_name_is_its_attribute_not_a_name(tmp_path):
    """A lobbyists cell may write a business or register number after the name, comma
    separated ("Finnair Oyj, 0108023-3"): the number is the organisation's, never an entity."""
    path = tmp_path / "meetings.csv"
    path.write_text("epid,mep,country,group,committees,dossier,title,role,topic,location,"
                    "lobbyists,date\n1,Jo BLOGGS,Finland,EPP,,,Aviation,Member,,Virtual,"
                    "\"Acme Air Oyj, 0108023-3, Beta Rail AB\",19-05-2021\n", encoding="utf-8")
    ex = extract_path(path)
    met = {e.name: e.attributes for e in ex.entities
           if e.name not in ("Jo Bloggs", "EPP", "European Parliament")}
    assert set(met) == {"Acme Air Oyj", "Beta Rail AB"}, met
    assert met["Acme Air Oyj"]["reference"] == "0108023-3"
    assert "reference" not in met["Beta Rail AB"]
