"""FollowTheMoney JSON lines: donations to German parties."""
from __future__ import annotations

from pathlib import Path

import pytest

from loaders import LoaderError, extract_path

DATA = Path(__file__).resolve().parents[1] / "fixtures" / "ftm" / "nomenklatura_donations_de.ijson"


def test_payments_become_funding_with_amounts_and_dates():
    ex = extract_path(DATA)
    ex.validate()
    by_id = {e.id: e for e in ex.entities}
    rels = {(by_id[r.source].name, r.type.value, by_id[r.target].name): r for r in ex.relations}
    donation = rels[("Lina Dachner", "FUNDS", "MLPD")]  # "Frau Lina Dachner" in the data
    assert donation.attributes["start"] == "2011-12-29"
    assert donation.attributes["amount"] == "100000" and donation.attributes["currency"] == "EUR"
    assert '"id": "2216b422a31242fe204654ce194864661f515921"' in donation.evidence[0].quote
    assert ("Daimler AG", "BASED_IN", "Germany") in rels
    assert sum(len(r.evidence) for r in ex.relations if r.type.value == "FUNDS") == 290
    mlpd = next(e for e in ex.entities if e.name == "MLPD")
    assert mlpd.attributes["ftm_id"] == "6d03aec76fdeec8f9697d8b19954ab6fc2568bc8"
    for r in ex.relations:
        for ev in r.evidence:
            assert ex.document.text[ev.start:ev.end] == ev.quote


def test_broken_lines_name_their_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "schema": "Person", "properties": {"name": ["A B"]}}\n{"id": \n')
    with pytest.raises(LoaderError, match=r"bad.jsonl: line 2: JSON syntax error"):
        extract_path(bad)


def test_ftm_lines_named_json_are_detected_by_content(tmp_path):
    """yente and OpenSanctions write FtM as JSON lines named *.ftm.json: the content, not the
    extension, says what they are."""
    from loaders import detect

    source = Path(__file__).parents[1] / "fixtures" / "ftm" / "nomenklatura_donations_de.ijson"
    named = tmp_path / "donations.ftm.json"
    named.write_bytes(source.read_bytes())
    assert detect(named) == "ftm"
