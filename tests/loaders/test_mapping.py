"""Register mappings: a YAML file maps any CSV or JSON register onto the ontology, with the
record as evidence; bad mappings and files that do not fit them get clear errors."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

from loaders import LoaderError, extract_path, read_mapping

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples" / "registers"
EU_MAPPING = EXAMPLES / "eu-mep-meetings.yaml"
EU_CSV = ROOT / "examples/registers/eu-mep-meetings/integritywatch_mep_meetings_tech_subset.csv"
LDA_JSON = Path(__file__).parents[1] / "fixtures/us-lda/lda_api_v1_filings_18.json"


def facts(ex):
    names = {e.id: e for e in ex.entities}
    return {(names[r.source].name, r.type.value, names[r.target].name): r for r in ex.relations}


def test_the_documented_example_maps_the_eu_register():
    ex = extract_path(EU_CSV, mapping=read_mapping(EU_MAPPING))
    found = facts(ex)
    meets = found[("Alex AGIUS SALIBA", "MEETS", "Schibsted")]
    assert meets.attributes["start"] == "2021-03-08"
    assert meets.attributes["dossier"] == "DSA" and meets.attributes["record"] == 3
    assert meets.evidence[0].quote == ("15,['PETI'],Malta,08-03-2021,DSA,197403,S&D,Schibsted,"
                                       "remote,Alex AGIUS SALIBA,Rapporteur,DSA and DMA")
    assert ("Alex AGIUS SALIBA", "MEMBER_OF", "S&D") in found
    assert ("Alex AGIUS SALIBA", "MEMBER_OF", "European Parliament") in found
    mep = next(e for e in ex.entities if e.name == "Alex AGIUS SALIBA")
    assert mep.type.value == "Person" and mep.attributes["epid"] == "197403"
    for r in ex.relations:
        for ev in r.evidence:
            assert ex.document.text[ev.start:ev.end] == ev.quote


def test_json_records_with_nested_keys(tmp_path):
    mapping = tmp_path / "lda.yaml"
    mapping.write_text("""
format: json
records: results
entities:
  firm: {type: LobbyGroup, name: "{registrant.name}", attributes: {lda_id: "{registrant.id}"}}
  client: {type: Company, name: "{client.name}"}
relations:
  - {source: client, type: RETAINS, target: firm, start: "{dt_posted}",
     attributes: {year: "{filing_year}", income: "{income}"}}
""")
    ex = extract_path(LDA_JSON, mapping=read_mapping(mapping))
    retains = facts(ex)[("MICROSOFT CORP", "RETAINS", "MCSLARROW CONSULTING L.L.C.")]
    assert retains.attributes["start"] == "1999-02-16" and retains.attributes["year"] == "1999"
    assert "income" not in retains.attributes  # null in the filing: left out
    quote = retains.evidence[0].quote
    assert json.loads(quote)["filing_uuid"] == \
        json.loads(LDA_JSON.read_text())["results"][0]["filing_uuid"]
    firm = next(e for e in ex.entities if e.name == "MCSLARROW CONSULTING L.L.C.")
    assert firm.attributes == {"lda_id": "48703"}


def test_json_lines_and_loading_twice_changes_nothing(tmp_path):
    (tmp_path / "m.yaml").write_text("""
format: jsonl
entities:
  payer: {type: Company, name: "{from}"}
  party: {type: Organization, name: "{to}"}
relations:
  - {source: payer, type: FUNDS, target: party, start: "{when}", attributes: {eur: "{eur}"}}
""")
    data = tmp_path / "gifts.jsonl"
    data.write_text('{"from": "Acme AG", "to": "Party A", "when": "2024-05-01", "eur": 5000}\n'
                    '\n{"from": "Beta GmbH", "to": "Party A", "when": "next year"}\n')
    db = str(tmp_path / "g.db")
    for outcome in ("1 loaded", "1 unchanged"):
        out = run_cli("load", str(data), "--mapping", str(tmp_path / "m.yaml"), "--db", db)
        assert out.returncode == 0, out.stderr
        assert outcome in out.stdout
    ex = extract_path(data, mapping=read_mapping(tmp_path / "m.yaml"))
    found = facts(ex)
    assert found[("Acme AG", "FUNDS", "Party A")].attributes == {
        "record": 1, "eur": "5000", "start": "2024-05-01"}
    assert found[("Beta GmbH", "FUNDS", "Party A")].attributes == {
        "record": 3, "start_text": "next year"}


@pytest.mark.parametrize("text, message", [
    ("entities:\n  a: {type: Lobbyist, name: '{x}'}\n",
     "field entities.a.type: 'Lobbyist' is not an entity type"),
    ("entities:\n  a: {type: Topic, name: '{x}'}\n  b: {type: Person, name: '{y}'}\n"
     "relations:\n  - {source: a, type: LOBBIES, target: b}\n",
     "field relations[0].type: the ontology does not allow Topic -LOBBIES-> Person"),
    ("entities:\n  a: {type: Person, name: '{x}'}\nrelations:\n  - {source: a, type: MEETS, "
     "target: c}\n", "field relations[0].target: 'c' is not one of the entities (a)"),
    ("entities:\n  a: {type: Person, name: '{x}'\n", "line 3: not YAML"),
    ("entities: {}\nformat: xlsx\n", "field format: 'xlsx' is not one of csv, json, jsonl"),
    ("entities:\n  a: {type: Person, name: '{x}', transform: shout}\n",
     "field entities.a.transform: 'shout' is not a transform (one of capitalised_surnames"),
    ("requires: [y]\nentities:\n  a: {type: Person, name: '{x}'}\n",
     "field requires: 'y' is not a column the templates name"),
    ("entities:\n  a: {type: Person, name: '{x}'}\n  b: {type: Person, name: '{y}'}\n"
     "relations:\n  - {source: a, type: MEETS, target: b, attributes: {with: '{&c}'}}\n",
     "field relations[0].attributes: {&c} names no entity"),
])
def test_a_bad_mapping_is_a_clear_error_naming_the_field(tmp_path, text, message):
    mapping = tmp_path / "bad.yaml"
    mapping.write_text(text)
    with pytest.raises(LoaderError) as err:
        read_mapping(mapping)
    assert str(err.value).startswith(f"{mapping}: ") and message in str(err.value), err.value


def test_a_file_that_does_not_fit_is_refused_before_anything_loads(tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("entities:\n  who: {type: Person, name: '{Name}'}\n"
                       "  org: {type: Company, name: '{Employer}'}\n"
                       "relations:\n  - {source: who, type: ROLE_AT, target: org}\n")
    good, bad = tmp_path / "a.csv", tmp_path / "b.csv"
    good.write_text("Name,Employer\nJo Bloggs,Acme Ltd\n")
    bad.write_text("Name,Company\nAnn Other,Beta Ltd\n")
    db = str(tmp_path / "g.db")
    out = run_cli("load", str(good), str(bad), "--mapping", str(mapping), "--db", db)
    assert out.returncode == 1
    assert f"error: {bad}: line 1: no column 'Employer' (named by entities.org.name in " \
           f"{mapping})" in out.stderr
    assert "1 loaded, 0 unchanged, 1 failed" in out.stdout
    broken = tmp_path / "broken.yaml"
    broken.write_text("entities: [")
    out = run_cli("load", str(good), "--mapping", str(broken), "--db", db)
    assert out.returncode == 1 and out.stderr.startswith(f"Error: {broken}: line 1: not YAML")
    assert "loaded" not in out.stdout
    out = run_cli("load", str(good), "--mapping", str(mapping), "--format", "text", "--db", db)
    assert out.returncode == 2 and "give --format or --mapping, not both" in out.stderr


def test_a_register_with_no_built_in_loads_through_a_mapping_written_from_the_docs():
    """The Electoral Commission's donations: a donor's type and a donee's depend on other
    columns (Donor type, Regulated donee type): `type_from` and `types` say how."""
    from loaders import extract_path, read_mapping

    examples = Path(__file__).resolve().parents[2] / "examples" / "registers"
    mapping = read_mapping(EXAMPLES / "uk-electoral-commission-donations.yaml")
    ex = extract_path(examples / "uk-electoral-commission-donations" /
                      "EC-Export-20141215-1737-first200.csv", mapping=mapping)
    assert len({(ev.start, ev.end) for r in ex.relations for ev in r.evidence}) == 200
    by_id = {e.id: e for e in ex.entities}
    facts = {(by_id[r.source].name, by_id[r.source].type.value, r.type.value,
              by_id[r.target].name, by_id[r.target].type.value, r.attributes.get("start"))
             for r in ex.relations}
    assert ("Mr Alexander Temerko", "Person", "FUNDS", "Mr Michael Ellis MP", "Person",
            "2014-02-05") in facts
    assert any(src_type == "Company" and target_type == "Organization"
               for _, src_type, _, _, target_type, _ in facts)


def test_types_from_a_column_are_checked_against_the_ontology(tmp_path):
    from loaders import LoaderError, read_mapping

    bad = tmp_path / "m.yaml"
    bad.write_text("entities:\n  a: {type: Person, name: '{A}', type_from: '{T}', "
                   "types: {x: Country}}\n  b: {type: Topic, name: '{B}'}\n")
    with pytest.raises(LoaderError, match="'Country' is not an entity type"):
        read_mapping(bad)
    bad.write_text("entities:\n  a: {type: Company, name: '{A}', type_from: '{T}', "
                   "types: {x: Topic}}\n  b: {type: Person, name: '{B}'}\nrelations:\n"
                   "  - {source: a, type: LOBBIES, target: b}\n")
    with pytest.raises(LoaderError, match="does not allow Topic -LOBBIES-> Person"):
        read_mapping(bad)


@pytest.mark.parametrize("register, records, fact", [
    ("fr-assemblee-nationale", 236, ("Véronika LEVENDOF", "ROLE_AT",
                                     "CAISSE NATIONALE D'ASSURANCE MALADIE DES TRAVAILLEURS "
                                     "SALARIÉS")),
    ("fr-senat", 114, ("Jean-Marie BOUTIN", "ROLE_AT", "Accenture")),
])
def test_the_french_chambers_registers_load_through_their_mappings(register, records, fact):
    examples = Path(__file__).resolve().parents[2] / "examples" / "registers"
    mapping = read_mapping(EXAMPLES / f"{register}.yaml")
    [path] = (examples / register).glob("*.csv")
    ex = extract_path(path, mapping=mapping)
    assert len({(ev.start, ev.end) for r in ex.relations for ev in r.evidence}) == records
    names = {e.id: e.name for e in ex.entities}
    assert fact in {(names[r.source], r.type.value, names[r.target]) for r in ex.relations}


def test_nested_json_records_through_each():
    """The HATVP register nests leaders, staff and, year by year, each activity's policy
    fields inside each organisation: `each` makes one entity per item, at any depth."""
    examples = Path(__file__).resolve().parents[2] / "examples" / "registers"
    mapping = read_mapping(EXAMPLES / "fr-hatvp.yaml")
    ex = extract_path(examples / "fr-hatvp" / "registre-lobbying-HATVP-ORGA_PUB.json",
                      mapping=mapping)
    assert len({ev.start for r in ex.relations for ev in r.evidence}) == 18  # organisations
    by_id = {e.id: e for e in ex.entities}
    roles = {(by_id[r.source].name, by_id[r.target].name, r.attributes.get("role"))
             for r in ex.relations if r.type.value == "ROLE_AT"}
    assert ("Pierre-Marie ABADIE", "AGENCE NAT GESTION DECHETS RADIOACTIFS",
            "Directeur général") in roles
    assert len(roles) == 79
    fields = {by_id[r.target].name for r in ex.relations if r.type.value == "ASSOCIATED_WITH"
              and by_id[r.source].name == "AGENCE NAT GESTION DECHETS RADIOACTIFS"}
    assert {"Déchets", "Energie nucléaire"} <= fields


def test_each_is_for_json(tmp_path):
    bad = tmp_path / "m.yaml"
    bad.write_text("entities:\n  a: {type: Person, name: '{A}', each: people}\n")
    with pytest.raises(LoaderError, match="each names a list in a JSON record"):
        read_mapping(bad)


def test_a_relation_can_depend_on_another_column(tmp_path):
    """One row per declared interest, its kind in a column: `when` keeps a relation to the
    rows of the kinds it lists (the Integrity Watch France mapping of examples/)."""
    mapping = read_mapping(EXAMPLES / "fr-integritywatch-interests.yaml")
    rows = tmp_path / "interests.csv"
    rows.write_text("name,type,company,description,amount,notes,notes2,notes3,notes4\n"
                    "Jo Dupont,pro,Acme SA,Administratrice,0,,,,\n"
                    "Jo Dupont,financial,Beta SA,,1000,parts sociales,,,\n"
                    "Jo Dupont,spouse,Gamma SA,Directeur,,,,,\n", encoding="utf-8")
    ex = extract_path(rows, mapping=mapping)
    names = {e.id: e.name for e in ex.entities}
    said = {(names[r.source], r.type.value, names[r.target]) for r in ex.relations}
    assert ("Jo Dupont", "ROLE_AT", "Acme SA") in said
    assert ("Jo Dupont", "ASSOCIATED_WITH", "Beta SA") in said
    assert not {s for s in said if s[2] == "Gamma SA"}  # a spouse's post is not the MP's


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_the_delimiter_is_read_from_the_header(tmp_path, delimiter):
    """Registers published with semicolons (as many European ones are), tabs or bars load
    through the same mapping as a comma file; a quoted cell keeps its delimiters."""
    mapping = read_mapping(EXAMPLES / "fr-integritywatch-interests.yaml")
    header = ["name", "type", "company", "description", "amount", "notes", "notes2",
              "notes3", "notes4"]
    row = ["Jo Dupont", "pro", f'"Acme{delimiter} SA"', "Administratrice", "0", "", "", "",
           ""]
    rows = tmp_path / "interests.csv"
    rows.write_text(delimiter.join(header) + "\n" + delimiter.join(row) + "\n",
                    encoding="utf-8")
    ex = extract_path(rows, mapping=mapping)
    name = " ".join(f"Acme{delimiter} SA".split())  # runs of spaces collapsed
    assert ("Jo Dupont", "ROLE_AT", name) in facts(ex)


def test_columns_match_whatever_their_case_and_spacing_and_alternatives_name_layouts(tmp_path):
    """A header written otherwise ("DONOR NAME ") still takes the field; a field's
    alternatives ("{Donor name|DonorName}") read the Electoral Commission's newer export with
    the same mapping as its 2014 one."""
    mapping = read_mapping(EXAMPLES / "uk-electoral-commission-donations.yaml")
    newer = tmp_path / "donations.csv"
    newer.write_text(
        "ECRef,RegulatedEntityName,RegulatedEntityType,Value,AcceptedDate,DonorName,"
        "DonorStatus,RegulatedDoneeType,CompanyRegistrationNumber,DonationType,"
        "NatureOfDonation,ReceivedDate,ReportedDate\n"
        "C0123,Acme Party,Political Party,\"\u00a35,000.00\",02/03/2021,Jo Bloggs,Individual,"
        ",,Cash,,01/03/2021,30/04/2021\n", encoding="utf-8")
    ex = extract_path(newer, mapping=mapping)
    (fact, relation), = facts(ex).items()
    assert fact == ("Jo Bloggs", "FUNDS", "Acme Party")
    assert relation.attributes["start"] == "2021-03-01"
    assert relation.attributes["ec_reference"] == "C0123"
    assert {e.name: e.type.value for e in ex.entities}["Jo Bloggs"] == "Person"
    shouting = tmp_path / "shouting.csv"
    old = (ROOT / "examples" / "registers" / "uk-electoral-commission-donations").glob("*.csv")
    header, *rows = next(old).read_text(encoding="cp1252").splitlines()[:3]
    shouting.write_text("\n".join([header.upper().replace('","', '" , "'), *rows]) + "\n",
                        encoding="utf-8")
    assert len(extract_path(shouting, mapping=mapping).relations) == 2
    out = run_cli("load", "--explain", str(newer), "--mapping",
                  str(EXAMPLES / "uk-electoral-commission-donations.yaml"))
    assert "column 'Donor name|DonorName' = 'DonorName'" in out.stdout, out.stdout


def test_dates_are_read_in_the_order_the_mapping_says_and_kept_when_unreadable(tmp_path):
    rows = tmp_path / "meetings.csv"
    rows.write_text("who,org,when\nJo Bloggs,Acme Ltd,03/04/2024\nJo Bloggs,Beta plc,"
                    "1 May 2024 - 3 May 2024\n", encoding="utf-8")
    body = ("entities:\n  who: {type: Person, name: '{who}'}\n"
            "  org: {type: Company, name: '{org}'}\n"
            "relations:\n  - {source: who, type: MEETS, target: org, start: '{when}'}\n")
    for order, expected in (("day-first", "2024-04-03"), ("month-first", "2024-03-04")):
        mapping = tmp_path / f"{order}.yaml"
        mapping.write_text(f"dates: {order}\n" + body, encoding="utf-8")
        found = facts(extract_path(rows, mapping=read_mapping(mapping)))
        assert found[("Jo Bloggs", "MEETS", "Acme Ltd")].attributes["start"] == expected
        ranged = found[("Jo Bloggs", "MEETS", "Beta plc")].attributes
        assert "start" not in ranged and ranged["start_text"] == "1 May 2024 - 3 May 2024"
    bad = tmp_path / "bad.yaml"
    bad.write_text("dates: sideways\n" + body, encoding="utf-8")
    with pytest.raises(LoaderError, match="dates"):
        read_mapping(bad)


def test_xml_registers_through_a_mapping(tmp_path):
    """format: xml reads each records' element: attributes, children's attributes and
    children's text by dotted path, lists through `each`; the evidence is the element."""
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    mapping = read_mapping(fixtures / "mappings" / "lda-bulk.yaml")
    ex = extract_path(fixtures / "us-lda" / "senate_lda_bulk_2016_3_8_2.xml", mapping=mapping)
    assert len({(ev.start, ev.end) for r in ex.relations for ev in r.evidence}) == 59
    retained = facts(ex)[("Chennault International Airport Authority", "RETAINS",
                          "Adams and Reese, LLP")]
    assert retained.attributes["start"] == "2016-08-26"
    assert retained.evidence[0].quote.startswith("<Filing ") and \
        retained.evidence[0].quote.endswith("</Filing>")
    register = tmp_path / "register.xml"
    register.write_text("<?xml version='1.0' encoding='utf-8'?>\n<register><!-- 2024 -->"
                        "<entry id='1'><name>Acme Ltd</name><client>Beta plc</client>"
                        "<client>Gamma Group</client></entry><entry id='2'/></register>",
                        encoding="utf-8")
    rules = tmp_path / "register.yaml"
    rules.write_text("format: xml\nrecords: entry\nentities:\n"
                     "  firm: {type: LobbyGroup, name: '{name}'}\n"
                     "  client: {type: Company, name: '{.}', each: 'client[]'}\n"
                     "relations:\n  - {source: client, type: RETAINS, target: firm, "
                     "attributes: {entry: '{id}'}}\n", encoding="utf-8")
    found = facts(extract_path(register, mapping=read_mapping(rules)))
    assert set(found) == {("Beta plc", "RETAINS", "Acme Ltd"),
                          ("Gamma Group", "RETAINS", "Acme Ltd")}
    assert found[("Beta plc", "RETAINS", "Acme Ltd")].attributes["entry"] == "1"
    rules.write_text("format: xml\nentities: {}\nrelations: []\n", encoding="utf-8")
    with pytest.raises(LoaderError, match="records"):
        read_mapping(rules)


def test_a_users_mapping_folder_adds_a_register_without_code(tmp_path):
    """A YAML mapping dropped into a folder named by STAKEGRAPH_MAPPINGS makes `stakegraph
    load` recognise that register's files by their header, with no option and no code; a
    file of no known register is refused naming the closest mapping and what it lacks."""
    folder = tmp_path / "mappings"
    folder.mkdir()
    (folder / "harbour-visits.yaml").write_text(
        "title: Harbour authority visits\nformat: csv\n"
        "entities:\n"
        "  visitor: {type: Person, name: '{Visitor}'}\n"
        "  firm: {type: Company, name: '{Firm represented}'}\n"
        "  authority: {type: Agency, name: Harbour Authority}\n"
        "relations:\n"
        "  - {source: visitor, type: ROLE_AT, target: firm}\n"
        "  - {source: firm, type: MEETS, target: authority, start: '{Visit date}'}\n",
        encoding="utf-8")
    visits = tmp_path / "visits-2024.csv"
    visits.write_text("Visit date,Visitor,Firm represented\n"
                      "03/04/2024,Jo Bloggs,Acme Shipping\n"
                      "05/04/2024,Sam Jones,Brine Logistics\n", encoding="utf-8")
    env = {"STAKEGRAPH_MAPPINGS": str(folder)}
    explained = run_cli("load", "--explain", str(visits), env=env)
    assert explained.returncode == 0, explained.stderr
    assert "mapping harbour-visits" in explained.stdout
    assert "column 'Firm represented'" in explained.stdout
    db = str(tmp_path / "g.db")
    loaded = run_cli("load", str(visits), "--db", db, env=env)
    assert loaded.returncode == 0, loaded.stderr
    entity = run_cli("entity", "Acme Shipping", "--db", db, "--format", "json", env=env)
    assert entity.returncode == 0, entity.stderr
    assert "Harbour Authority" in entity.stdout and "Jo Bloggs" in entity.stdout
    without = run_cli("load", "--explain", str(visits))
    assert without.returncode == 1 and "visits-2024.csv: line 1: unrecognised" in without.stdout
    near = tmp_path / "near.csv"
    near.write_text("Visitor,Firm represented\nJo Bloggs,Acme Shipping\n", encoding="utf-8")
    refused = run_cli("load", "--explain", str(near), env=env)
    assert refused.returncode == 1
    assert "the closest is mapping harbour-visits, which lacks the columns Visit date" \
        in refused.stdout


def test_json_records_are_read_once_and_checked_against_the_whole():
    """Each record is read once at its place, and the document around the array read after:
    the same records and spans as a whole read; where the key stands elsewhere first, the
    whole read says which."""
    from loaders.errors import LoaderError
    from loaders.registers.records import json_records

    text = '{"note": "the results follow", "results": [ {"a": 1} ,{"a": [2, 3]}], "n": 2}'
    assert [(r, text[s:e]) for r, s, e in json_records(text, key="results")] == \
        [({"a": 1}, '{"a": 1}'), ({"a": [2, 3]}, '{"a": [2, 3]}')]
    assert list(json_records("[]")) == []
    with pytest.raises(LoaderError, match="cannot find its text"):
        list(json_records('{"meta": {"results": [9]}, "results": [{"a": 1}]}', "x.json",
                          key="results"))
    with pytest.raises(LoaderError, match="JSON syntax error"):
        list(json_records('{"results": [{"a": 1}, {"a": }]}', "x.json", key="results"))


def test_transforms_required_entities_and_required_columns(tmp_path):
    """What data cannot say, through named transforms: a cell of attendees parted into people
    and organisations with their roles, and the relation the cell states between them; the
    columns a file must have (others read as blank); an entity a record must name."""
    mapping = tmp_path / "visits.yaml"
    mapping.write_text(
        'title: "Visits: {file}"\nextractor: visits\nrequires: [Host, Guests]\n'
        "entities:\n"
        "  host: {type: Person, name: '{Host}', transform: capitalised_surnames, "
        "required: true}\n"
        "  guest: {type: Organization, name: '{Guests}', transform: people_and_organisations}\n"
        "relations:\n"
        "  - {source: host, type: MEETS, target: guest, start: '{Date}', "
        "attributes: {room: '{Room}', guests: '{&guest}'}}\n")
    rules = read_mapping(mapping)
    data = tmp_path / "visits.csv"
    data.write_text("Guests,Host,Room\n\"Acme SA, Jo Smith - Director\",Jan KOWALSKI,\n",
                    encoding="utf-8")  # no Date column: not required, so blank
    ex = extract_path(data, mapping=rules)
    found = facts(ex)
    met = found[("Jan Kowalski", "MEETS", "Jo Smith")]
    assert met.attributes == {"record": 2, "met_role": "Director",
                              "guests": "Acme SA; Jo Smith"}
    assert met.evidence[0].extractor == "visits" and ex.document.title == "Visits: visits.csv"
    assert found[("Jo Smith", "ROLE_AT", "Acme SA")].attributes["inferred"] is True
    data.write_text("Guests,Host\nAcme SA,\n", encoding="utf-8")
    with pytest.raises(LoaderError, match="line 2.*no host named"):
        extract_path(data, mapping=rules)
    data.write_text("Guests,Room\nAcme SA,1\n", encoding="utf-8")
    with pytest.raises(LoaderError, match="no column 'Host'"):
        extract_path(data, mapping=rules)


def test_the_eu_register_is_a_built_in_mapping_that_takes_a_layout_by_its_required_columns(
        tmp_path):
    """The EU MEP meetings register is built in as a mapping file: a layout with its
    columns in another order and without the optional ones is taken for it, and read."""
    from loaders import builtin_mappings, detect

    assert "eu-meetings" in builtin_mappings()
    data = tmp_path / "meetings.csv"
    data.write_text("date,lobbyists,mep,group,dossier\n"
                    "17/07/2019,Spotify (28666427835-74),Pascal ARIMONT,EPP,DSA report\n",
                    encoding="utf-8")
    assert detect(data) == "eu-meetings"
    ex = extract_path(data)
    met = facts(ex)[("Pascal Arimont", "MEETS", "Spotify")]
    assert met.attributes["start"] == "2019-07-17"
    assert met.attributes["dossier"] == "Digital Services Act"
    assert met.evidence[0].extractor == "eu-mep-meetings"
    spotify = next(e for e in ex.entities if e.name == "Spotify")
    assert spotify.attributes["eu_transparency_register"] == "28666427835-74"
