"""EU MEP meetings (Integrity Watch EU): concrete facts from the sample."""
from __future__ import annotations

from pathlib import Path

from loaders import extract_path

DATA = Path(__file__).resolve().parent / "fixtures" / "eu-mep-meetings" / \
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
