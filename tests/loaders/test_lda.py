"""US Senate LDA filings, API JSON and bulk XML: concrete facts, exact evidence, hostile input."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.resolution import ingest
from loaders import LoaderError, detect, extract_path

DATA = Path(__file__).resolve().parents[1] / "fixtures" / "us-lda"


def facts(path: Path):
    ex = extract_path(path)
    ex.validate()
    by_id = {e.id: e for e in ex.entities}
    out: dict = {}
    for r in ex.relations:
        out.setdefault((by_id[r.source].name, r.type.value, by_id[r.target].name), []).append(r)
    for r in ex.relations:
        for ev in r.evidence:
            assert ex.document.text[ev.start:ev.end] == ev.quote
    return ex, out, by_id


def test_api_json_client_retains_registrant_and_the_revolving_door():
    ex, rels, by_id = facts(DATA / "lda_api_v1_filings_18.json")
    (retains,) = rels[("MICROSOFT CORP", "RETAINS", "MCSLARROW CONSULTING L.L.C.")]
    assert retains.attributes["start"] == "1999-01-01" and retains.attributes["end"] == "1999-06-30"
    assert retains.attributes["filing"] == "35a342b1-1c9a-499a-b280-7fa043db2c1e"
    assert '"filing_uuid": "35a342b1-1c9a-499a-b280-7fa043db2c1e"' in retains.evidence[0].quote
    assert ("Alison McSlarrow", "ROLE_AT", "MCSLARROW CONSULTING L.L.C.") in rels
    (past,) = rels[("Alison McSlarrow", "ROLE_AT", "US Senate")]
    assert past.attributes["past"] and past.attributes["role"] == \
        "DPTY CHIEF OF STAFF, SEN MAJ. LEADER LOTT"
    # "MICROSOFT CORP" (a client) and "MICROSOFT CORPORATION" (a self-filer) are one company:
    # legal forms are not part of the name key
    assert not any(e.name == "MICROSOFT CORPORATION" for e in by_id.values())
    # a self-filer lobbies agencies itself, with its expenses
    (lobbying,) = rels[("MICROSOFT CORP", "LOBBIES", "Department of Commerce")]
    # one relation, evidenced by each filing that reports it (1999 to 2023)
    assert len(lobbying.evidence) >= 4
    assert '"expenses": "2040000.00"' in lobbying.evidence[0].quote
    commerce = next(e for e in by_id.values() if e.name == "Department of Commerce")
    assert commerce.aliases == ["DOC"]
    assert ("MICROSOFT CORP", "ASSOCIATED_WITH", "Telecommunications") in rels


def test_bulk_xml_filings():
    _, rels, _ = facts(DATA / "senate_lda_bulk_2017Q1_subset300.xml")
    at_t, wunder = "AT&T CORPORATION (FORMERLY SBC COMMUNICATIONS INC )", \
        "Law Offices of Bernard Wunder (FKA Wunder & Lilley)"
    (retains,) = rels[(at_t, "RETAINS", wunder)]
    assert retains.attributes["income"] == "67500"
    assert retains.attributes["start"] == "2016-10-01" and retains.attributes["end"] == "2016-12-31"
    assert retains.evidence[0].quote.startswith('<Filing ID="557A18AD-D055-4446-A8A5')
    assert retains.evidence[0].quote.endswith("</Filing>")
    assert ("Bernard J Wunder Jr", "ROLE_AT", wunder) in rels
    assert (wunder, "LOBBIES", "US Senate") in rels and (at_t, "LOBBIES", "US Senate") in rels
    assert ("Steven Pruitt", "ROLE_AT", "US House of Representatives") in rels


def test_hostile_and_broken_filings_are_refused_clearly(tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
                    "<PublicFilings>&lol2;</PublicFilings>\n")
    with pytest.raises(LoaderError, match=r"bomb.xml: refused unsafe XML \(DTDForbidden\)"):
        extract_path(bomb)
    broken = tmp_path / "broken.json"
    broken.write_text('{"source_note": "lda.senate.gov",\n "results": [\n  {"filing_uuid": }\n]}')
    with pytest.raises(LoaderError, match=r"broken.json: line 3: JSON syntax error: Expecting "
                                          r"value \(column 19\)"):
        extract_path(broken)
    other = tmp_path / "other.json"
    other.write_text('{"a": 1}')
    with pytest.raises(LoaderError, match=r"other.json: unrecognised JSON content"):
        extract_path(other)
    lacking = tmp_path / "lacking.json"
    lacking.write_text('{"note": "lda.senate.gov", "results": [{"filing_uuid": "x"}]}')
    with pytest.raises(LoaderError, match=r"lacking.json: field registrant: filing 1 lacks"):
        extract_path(lacking)


def test_client_ids_are_the_registrants_own_numbers():
    """Client 125 of Bloom Strategic Counsel (Amazon) and client 125 of DS2 Group (Utilities
    Technology Council) are two clients; the same client of two registrants, with two ids, is
    one (its name decides)."""
    from graph.store.sqlite import SQLiteStore

    store = SQLiteStore(":memory:")
    ingest(store, extract_path(DATA / "senate_lda_bulk_2017Q1_subset300.xml").from_register("lda"))
    amazon, council = store.find_entity("Amazon"), store.find_entity(
        "Utilities Technology Council")
    assert amazon.id != council.id
    assert amazon.attributes["lda_client_id"].endswith("/125")
    assert council.attributes["lda_client_id"].endswith("/125")
    assert amazon.attributes["lda_client_id"] != council.attributes["lda_client_id"]
    assert "Amazon" not in council.aliases
    retained = {store.entity(r.target).name for r in store.relations(amazon.id, "out")}
    assert len(retained) >= 2  # several firms lobby for Amazon, one client across them


def test_bulk_xml_as_the_senate_publishes_it_in_utf16(tmp_path):
    """The Senate's bulk files are UTF-16 with a byte-order mark and say so in their XML
    declaration: read by the mark, they give what the UTF-8 copy gives."""
    text = (DATA / "senate_lda_bulk_2017Q1_subset300.xml").read_text(encoding="utf-8")
    wide = tmp_path / "senate.xml"
    declared = text.replace('<?xml version="1.0" encoding="UTF-8"?>',
                            '<?xml version="1.0" encoding="UTF-16"?>')
    assert declared != text
    wide.write_bytes(declared.encode("utf-16"))
    plain = extract_path(DATA / "senate_lda_bulk_2017Q1_subset300.xml")
    read = extract_path(wide)
    assert len(read.relations) == len(plain.relations) > 300
    for r in read.relations:
        for ev in r.evidence:
            assert read.document.text[ev.start:ev.end] == ev.quote


def test_ld203_contribution_reports_as_published():
    """LD-203 reports (UTF-16, as published): each lobbyist ROLE_AT the registrant, each
    contribution FUNDS its honoree (or its payee committee), with amount and date."""
    path = DATA / "senate_2013_4_11_1_LD203.xml"
    from loaders import detect

    assert detect(path) == "ld203"
    ex, said, _ = facts(path)
    assert ("Tim Stewart", "ROLE_AT", "American Capitol Group") in said
    [funds] = said[("Tim Stewart", "FUNDS", "Rob Bishop")]
    assert funds.attributes["amount"] == "500.0000" and funds.attributes["start"] == "2012-12-14"
    assert funds.attributes["payee"] == "Rob Bishop for Congress"
    assert sum(1 for (_, kind, _) in said if kind == "FUNDS") == 38
    assert ex.document.text.count("<Contribution ") == 82


def test_api_pages_saved_one_a_line_load_whole_and_say_what_is_missing(tmp_path):
    """A script that follows the API's `next` links saves one page a line: every filing of
    every page is read, each with its exact span, and `load --explain` says how many of the
    query's `count` the file holds and which next page it lacks."""
    from conftest import run_cli

    single = DATA / "lda_api_v1_filings_18.json"
    results = json.loads(single.read_text(encoding="utf-8"))["results"]
    base = "https://lda.senate.gov/api/v1/filings/"
    pages = tmp_path / "filings.jsonl"
    pages.write_text("".join(json.dumps(page) + "\n" for page in [
        {"count": 40, "next": base + "?page=2", "previous": None, "results": results[:10]},
        {"count": 40, "next": base + "?page=3", "previous": base, "results": results[10:]},
    ]), encoding="utf-8")
    assert detect(pages) == "lda"
    paged, whole = extract_path(pages), extract_path(single)
    paged.validate()

    def stated(ex):
        names = {e.id: e.name for e in ex.entities}
        return {(names[r.source], r.type.value, names[r.target]) for r in ex.relations}
    assert stated(paged) == stated(whole)
    assert len({ev.start for r in paged.relations for ev in r.evidence}) == 18
    out = run_cli("load", "--explain", str(pages))
    assert out.returncode == 0, out.stderr
    assert "pages: 2, filings: 18 of the 40 the query matched" in out.stdout
    assert f"the next page, {base}?page=3, is not here" in out.stdout
