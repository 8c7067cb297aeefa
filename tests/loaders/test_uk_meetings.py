"""UK ministerial transparency returns: every sample file loads, and concrete facts hold."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

from loaders import LoaderError, extract_path

DATA = Path(__file__).resolve().parents[1] / "fixtures" / "uk-ministerial-meetings"


def facts(path: Path):
    ex = extract_path(path)
    ex.validate()
    by_id = {e.id: e for e in ex.entities}
    return ex, {(by_id[r.source].name, r.type.value, by_id[r.target].name): r
                for r in ex.relations}, by_id


@pytest.mark.parametrize("path", sorted(DATA.glob("*.csv")), ids=lambda p: p.name)
def test_every_sample_loads_with_exact_evidence(path):
    ex, rels, _ = facts(path)
    assert rels
    for r in ex.relations:
        for ev in r.evidence:
            assert ex.document.text[ev.start:ev.end] == ev.quote
            assert ev.extractor == "uk-transparency"
    names = {e.name for e in ex.entities}
    assert not any(n.startswith(("Note", "Does not normally", "\u00b2")) for n in names)


def test_a_minister_met_an_organisation_on_a_date_for_a_purpose():
    _, rels, by_id = facts(DATA / "comeetingsaprjun13.csv")
    meeting = rels[("Francis Maude", "MEETS", "Vodafone")]
    assert meeting.attributes["start"] == "2013-04-01"  # "April", year from the file name
    assert meeting.attributes["date_precision"] == "month"
    assert meeting.attributes["purpose"] == "Civil contingencies policy"
    assert '"O2, EE, Three and Vodafone"' in meeting.evidence[0].quote
    for other in ("O2", "EE", "Three"):
        assert ("Francis Maude", "MEETS", other) in rels
    role = rels[("Francis Maude", "ROLE_AT", "Cabinet Office")]
    assert role.attributes["role"] == "Minister for the Cabinet Office, Paymaster General"


def test_continuation_rows_people_and_windows_1252():
    ex, rels, _ = facts(DATA / "PM_meetings_jan_mar_14.csv")
    assert rels[("David Cameron", "MEETS", "Crest Nicholson")].attributes["purpose"] == \
        "To discuss UK housing market"
    itv = rels[("David Cameron", "MEETS", "ITV")]  # a blank minister cell continues the last
    assert itv.attributes["start"] == "2014-01-01"
    assert ("Geoff Hill", "ROLE_AT", "ITV") in rels
    assert "companies\u2019 bus" in ex.document.text  # decoded as Windows-1252
    assert rels[("David Cameron", "ROLE_AT", "Prime Minister's Office")]


def test_hospitality_is_funding_with_day_dates():
    _, rels, _ = facts(DATA / "co_hospitality_jan_mar_14.csv")
    dinner = rels[("Bright Blue", "FUNDS", "Francis Maude")]
    assert dinner.attributes["start"] == "2014-03-12"
    assert dinner.attributes["kind"] == "hospitality" and dinner.attributes["type"] == "Dinner"
    ranged = [r for r in rels.values() if r.attributes.get("date_text") == "16 \u2013 18 January"]
    assert ranged and ranged[0].attributes["start"] == "2014-01-16"


def test_stray_header_byte_and_offices(tmp_path):
    _, rels, _ = facts(DATA / "dpm_meetings_jan_mar_14.csv")
    assert ("Nick Clegg", "ROLE_AT", "Deputy Prime Minister's Office") in rels
    assert rels[("Nick Clegg", "MEETS", "Bank of England")].attributes["purpose"] == "Economy"


def test_bad_csvs_are_clear_errors(tmp_path):
    unknown = tmp_path / "prices.csv"
    unknown.write_text("Item,Price\nTea,2\n")
    with pytest.raises(LoaderError, match=r"prices.csv: line 1: unrecognised CSV layout "
                                          r"\(header: Item, Price\)"):
        extract_path(unknown)
    orphan = tmp_path / "meetings_14.csv"
    orphan.write_text("Minister,Date,Name of Organisation,Purpose of meeting\n"
                      ",Jan-14,Acme Ltd,Talks\n")
    with pytest.raises(LoaderError, match=r"meetings_14.csv: line 2: field Minister: a row "
                                          r"names no minister"):
        extract_path(orphan)


def test_a_truncated_csv_is_an_error_and_the_batch_keeps_what_was_stored(tmp_path):
    truncated = tmp_path / "b_truncated_14.csv"
    truncated.write_text('Minister,Date,Name of Organisation,Purpose of meeting\n'
                         '"Prime Minister, The Rt Hon David Cameron MP",January,Acme Ltd,'
                         '"Talks about\n')
    with pytest.raises(LoaderError, match=r"b_truncated_14.csv: line 2: a quoted cell is never "
                                          r"closed \(is the file truncated\?\)"):
        extract_path(truncated)
    shutil_copy = (DATA / "dpm_meetings_jan_mar_14.csv").read_bytes()
    (tmp_path / "a_good_14.csv").write_bytes(shutil_copy)
    db = str(tmp_path / "g.db")
    out = run_cli("load", str(tmp_path), "--db", db)
    assert out.returncode == 1 and "1 loaded, 0 unchanged, 1 failed" in out.stdout
    stats = json.loads(run_cli("stats", "--db", db, "--format", "json").stdout)
    assert stats["documents"] == 1 and stats["relations"] > 5


def test_loading_the_returns_folder_through_the_cli(tmp_path):
    db = str(tmp_path / "g.db")
    out = run_cli("load", str(DATA), "--db", db)
    assert out.returncode == 0, out.stderr
    assert "21 loaded, 0 unchanged, 0 failed" in out.stdout
    assert "0 loaded, 21 unchanged" in run_cli("load", str(DATA), "--db", db).stdout
    found = json.loads(run_cli("influencers", "Cabinet Office", "--db", db, "--limit", "1000",
                               "--format", "json").stdout)
    assert any(r["name"] == "Vodafone" and r["path"][-2:] == ["Francis Maude", "Cabinet Office"]
               for r in found)


def records_read(ex) -> int:
    """The records a return's meetings, hospitality, gifts and trips come from (a relation
    stated in two records keeps both as evidence)."""
    kinds = ("MEETS", "FUNDS", "ASSOCIATED_WITH")
    return len({(ev.start, ev.end) for r in ex.relations if r.type.value in kinds
                for ev in r.evidence})


@pytest.mark.parametrize("name, records, fact", [
    # 2010 returns: "Name of External Organisation", a padded "Minister   " header
    ("pm-meetings_0_0.csv", 18, ("David Cameron", "MEETS", "Ratan Tata")),
    ("dpm-meetings-aug-sept-2010.csv", 19, ("Nick Clegg", "MEETS", "FIFA")),
    # gifts: "Date received, From, Gift, Value (£), Outcome"
    ("pm-gifts-received-oct-dec-2010.csv", 14, ("Governor of California", "FUNDS",
                                                "David Cameron")),
    ("pmgiftsreceivedjulyseptember.csv", 6, ("President of Azerbaijan", "FUNDS",
                                             "David Cameron")),
    # every line one quoted cell, the minister cell's commas unquoted inside it
    ("bmhospitalityaprjun2012.csv", 20, ("Daily Mail", "FUNDS", "Lord Strathclyde")),
    # overseas travel: a transport header that is a list of options; trips over several rows
    ("CO_overseas_travel_jan_mar_14.csv", 13, ("Grant Shapps", "ASSOCIATED_WITH", "Hanoi")),
    ("pm-overseas-travel_1_0.csv", 6, ("David Cameron", "ASSOCIATED_WITH", "Paris")),
])
def test_returns_in_other_layouts_load_every_record(name, records, fact):
    ex = extract_path(DATA / name)
    assert records_read(ex) == records
    names = {e.id: e.name for e in ex.entities}
    assert fact in {(names[r.source], r.type.value, names[r.target]) for r in ex.relations}
    for r in ex.relations:
        for ev in r.evidence:
            assert ex.document.text[ev.start:ev.end] == ev.quote


def test_load_explain_names_each_columns_role_and_the_closest_layout(tmp_path):
    out = run_cli("load", "--explain", str(DATA / "pm-meetings_0_0.csv"))
    assert out.returncode == 0, out.stderr
    assert "pm-meetings_0_0.csv: uk-meetings" in out.stdout
    assert "organisation: column 3 'Name of External Organisation'" in out.stdout
    unknown = tmp_path / "prices.csv"
    unknown.write_text("Minister,Item,Price\nJo Bloggs,Tea,2\n", encoding="utf-8")
    out = run_cli("load", "--explain", str(unknown))
    assert out.returncode == 1
    assert ("unrecognised CSV layout (header: Minister, Item, Price); the closest is "
            "uk-meetings, which lacks the columns organisation") in out.stdout


def test_cells_as_returns_write_them():
    """A name before its office is the person; several months are a span kept as written; a
    job title before an organisation's name is the role of someone met there."""
    early = extract_path(DATA / "bmmeetingsjanmar2012.csv")
    people = {e.name: e for e in early.entities if e.type.value == "Person"}
    assert "Lord Strathclyde" in people and "Leader of the House of Lords" not in people
    assert people["Lord Strathclyde"].attributes["offices"] == ["Leader of the House of Lords"]
    spans = [r.attributes for r in early.relations if r.attributes.get("date_text") ==
             "Jan/Feb/Mar"]
    assert spans and all("start" not in a for a in spans)
    later = extract_path(DATA / "co-meetings-oct-dec-2010.csv")
    names = {e.id: e.name for e in later.entities}
    assert "CEO British Land" not in names.values()
    met = [r for r in later.relations if names[r.target] == "British Land"]
    assert met and met[0].attributes["met_role"] == "CEO"


def test_a_trip_over_several_rows_is_one_trip_with_its_dates_and_cost():
    ex = extract_path(DATA / "pm-overseas-travel_1_0.csv")
    names = {e.id: e for e in ex.entities}
    trips = {names[r.target].name: r for r in ex.relations if r.type.value == "ASSOCIATED_WITH"}
    berlin, paris = trips["Berlin"], trips["Paris"]
    assert names[berlin.target].type.value == "Place"
    assert names[berlin.target].attributes["country"] == "Germany"
    assert berlin.attributes == paris.attributes
    assert (berlin.attributes["start"], berlin.attributes["end"]) == ("2010-05-20", "2010-05-21")
    assert berlin.attributes["value"] == "\u00a333,308"
    assert berlin.attributes["transport"] == "Charter"
    quote = paris.evidence[0].quote
    assert quote.startswith('"Prime Minister') and quote.endswith(',,"Paris, France",,,,')
    out = run_cli("load", "--explain", str(DATA / "CO_overseas_travel_jan_mar_14.csv"))
    assert "destination: column 3 'Destination'" in out.stdout
    assert "transport: column 5" in out.stdout


def test_headers_worded_otherwise_are_read_by_their_words_and_gifts_given_go_out(tmp_path):
    meetings = tmp_path / "dfe_meetings_apr_jun_13.csv"
    meetings.write_text("Name of Minister,Date of meeting,Name of organisation or individual,"
                        "Purpose of meeting\n\"Minister of State for Schools, Jo Bloggs MP\","
                        "April,Teachers Union,Pay\n", encoding="utf-8")
    ex = extract_path(meetings)
    names = {e.id: e.name for e in ex.entities}
    met = [r for r in ex.relations if r.type.value == "MEETS"]
    assert [(names[r.source], names[r.target], r.attributes["start"]) for r in met] == [
        ("Jo Bloggs", "Teachers Union", "2013-04-01")]
    gifts = tmp_path / "gifts_2012.csv"
    gifts.write_text("Minister,Date,Gift,Given or received,Who gift was from/to,Value\n"
                     "\"Secretary of State, Jo Bloggs MP\",01/05/2012,Book,Given,Ambassador of "
                     "Ruritania,Under \u00a3140\n,02/05/2012,Vase,Received,Acme Ltd,\u00a3200\n",
                     encoding="utf-8")
    ex = extract_path(gifts)
    names = {e.id: e.name for e in ex.entities}
    funds = {(names[r.source], names[r.target]) for r in ex.relations if r.type.value == "FUNDS"}
    assert funds == {("Jo Bloggs", "Ambassador of Ruritania"), ("Acme Ltd", "Jo Bloggs")}


def test_a_return_in_sections_each_with_its_header(tmp_path):
    """Meetings, then gifts, then travel in one file, each under its own header row (and a
    header repeated): each row is read by the header above it, no header is a meeting."""
    combined = tmp_path / "dfx_transparency_apr_jun_13.csv"
    combined.write_text(
        "Minister,Date,Name of organisation,Purpose of meeting\n"
        "\"Secretary of State, Jo Bloggs MP\",April,Acme Ltd,Trade\n"
        "Minister,Date,Name of organisation,Purpose of meeting\n"
        ",May,Beta Alliance,Exports\n"
        "Gifts\n"
        "Minister,Date,Gift,Received from,Value\n"
        "\"Secretary of State, Jo Bloggs MP\",02/05/2013,Vase,Gamma plc,\u00a3200\n"
        "Minister,Date of trip,Destination,Purpose of trip\n"
        "\"Secretary of State, Jo Bloggs MP\",3-4 June,\"Oslo, Norway\",Talks\n",
        encoding="utf-8")
    ex = extract_path(combined)
    names = {e.id: e.name for e in ex.entities}
    facts = {(names[r.source], r.type.value, names[r.target]) for r in ex.relations
             if r.type.value != "ROLE_AT"}
    assert facts == {("Jo Bloggs", "MEETS", "Acme Ltd"), ("Jo Bloggs", "MEETS", "Beta Alliance"),
                     ("Gamma plc", "FUNDS", "Jo Bloggs"), ("Jo Bloggs", "ASSOCIATED_WITH", "Oslo")}


def test_a_title_above_the_header_is_passed_over(tmp_path):
    titled = tmp_path / "dfx_meetings_jul_sep_13.csv"
    titled.write_text("Department for X: ministers' meetings with external organisations,,,\n"
                      "July to September 2013,,,\n,,,\n"
                      "Minister,Date,Name of organisation,Purpose of meeting\n"
                      "\"Secretary of State, Jo Bloggs MP\",July,Acme Ltd,Trade\n",
                      encoding="utf-8")
    out = run_cli("load", "--explain", str(titled))
    assert out.returncode == 0 and "organisation: column 3" in out.stdout, out.stdout
    ex = extract_path(titled)
    names = {e.id: e.name for e in ex.entities}
    assert {(names[r.source], names[r.target]) for r in ex.relations
            if r.type.value == "MEETS"} == {("Jo Bloggs", "Acme Ltd")}
