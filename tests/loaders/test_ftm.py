"""FollowTheMoney JSON lines: donations to German parties."""
from __future__ import annotations

import json
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


def test_the_followthemoney_model_reads_every_schema(tmp_path):
    """Links FtM defines but the crosswalk does not name are read by their FtM ends; the
    properties the graph has no type for are kept; countries go by FtM's names; a schema FtM
    does not know is left out, and the rest of the file read."""
    lines = [
        {"id": "p1", "schema": "Person", "properties": {"name": ["Ann Lee"],
                                                          "birthDate": ["1970-02-03"],
                                                          "nationality": ["gb"]}},
        {"id": "c1", "schema": "Company", "properties": {"name": ["Acme Ltd"], "country": ["uk"],
                                                           "registrationNumber": ["0123"]}},
        {"id": "c2", "schema": "Company", "properties": {"name": ["Bolt Ltd"], "country": ["zz"]}},
        {"id": "d1", "schema": "Debt", "properties": {"debtor": ["c1"], "creditor": ["c2"]}},
        {"id": "v1", "schema": "Vessel", "properties": {"name": ["Sea Star"]}},
    ]
    good = tmp_path / "any.ftm.json"
    good.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    ex = extract_path(good)
    by_id = {e.id: e for e in ex.entities}
    rels = {(by_id[r.source].name, r.type.value, by_id[r.target].name): r for r in ex.relations}
    assert rels[("Acme Ltd", "ASSOCIATED_WITH", "Bolt Ltd")].attributes["role"] == "Debt"
    assert ("Acme Ltd", "BASED_IN", "United Kingdom") in rels
    assert not any(t == "BASED_IN" and s == "Bolt Ltd" for s, t, _ in rels)
    names = {e.name: e for e in ex.entities}
    assert "Sea Star" not in names
    assert names["Ann Lee"].attributes["birthDate"] == "1970-02-03"
    assert names["Acme Ltd"].attributes["registrationNumber"] == "0123"
    other = tmp_path / "other.ijson"
    other.write_text(json.dumps(lines[0]) + "\n" + json.dumps(
        {"id": "x", "schema": "Spaceship", "properties": {"name": ["Zed Zee"]}}) + "\n")
    assert [e.name for e in extract_path(other).entities] == ["Ann Lee"]
