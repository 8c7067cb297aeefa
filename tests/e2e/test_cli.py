"""The CLI: loading with bad input, extract's JSON contract, paths, stats."""
from __future__ import annotations

import json
import os

from conftest import ROOT, SEED, run_cli


def test_bad_files_each_get_a_one_line_error_and_the_batch_goes_on(tmp_path):
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 owners met the Treasury.\n".encode("latin-1"))
    good = tmp_path / "good.txt"
    good.write_text("Trade bodies including Acme Alliance wrote to Business Secretary Jane Doe.")
    missing = tmp_path / "missing.txt"
    db = tmp_path / "g.db"
    files = [missing, tmp_path / "binary.txt", tmp_path / "empty.txt", tmp_path / "latin1.txt",
             good]
    out = run_cli("load", *map(str, files), "--db", str(db))
    assert out.returncode == 1
    errors = [line for line in out.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {missing}: no such file",
        f"error: {tmp_path / 'binary.txt'}: binary file (contains NUL bytes), not text",
        f"error: {tmp_path / 'empty.txt'}: empty file",
        f"error: {tmp_path / 'latin1.txt'}: line 1: not UTF-8 (byte 0xe9 at column 4)",
    ]
    assert "1 loaded, 0 unchanged, 4 failed" in out.stdout
    stats = json.loads(run_cli("stats", "--db", str(db), "--format", "json").stdout)
    assert stats["documents"] == 1 and stats["relations"] >= 2


def test_a_200_mb_file_of_one_line_is_refused_by_name_and_the_batch_goes_on(tmp_path):
    huge = tmp_path / "huge.csv"
    with open(huge, "wb") as out:  # one line, no newline: 200 MB
        out.write(b"Minister,Date,Name of Organisation,Purpose of meeting")
        for _ in range(200):
            out.write(b"x" * 1_000_000)
    os.link(huge, tmp_path / "huge.json")  # the same bytes as LDA JSON, without the disk
    files = [huge, tmp_path / "huge.json", SEED]
    out = run_cli("load", *map(str, files), "--db", str(tmp_path / "g.db"))
    assert out.returncode == 1
    errors = [line for line in out.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {f}: too large (200,000,053 bytes; the limit is 50,000,000)"
                      for f in files[:2]]
    assert "1 loaded, 0 unchanged, 2 failed" in out.stdout


def test_loading_twice_changes_nothing(tmp_path):
    db = str(tmp_path / "g.db")
    assert run_cli("load", str(SEED), "--db", db).returncode == 0
    first = run_cli("stats", "--db", db, "--format", "json").stdout
    again = run_cli("load", str(SEED), "--db", db)
    assert "0 loaded, 1 unchanged" in again.stdout
    assert run_cli("stats", "--db", db, "--format", "json").stdout == first


def test_db_from_environment(tmp_path):
    db = tmp_path / "env.db"
    assert run_cli("load", str(SEED), env={"STAKEGRAPH_DB": str(db)}).returncode == 0
    assert db.exists()


def test_extract_json_is_the_scorer_contract(seed_text):
    out = run_cli("extract", "--format", "json", str(SEED))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    ids = {e["id"] for e in data["entities"]}
    assert data["relations"]
    for r in data["relations"]:
        assert {r["source"], r["target"]} <= ids
        for ev in r["evidence"]:
            assert seed_text[ev["start"]:ev["end"]] == ev["quote"]


def test_extract_missing_file_is_an_error_naming_it(tmp_path):
    out = run_cli("extract", str(tmp_path / "nope.txt"))
    assert out.returncode == 1
    assert out.stderr.strip() == f"Error: {tmp_path / 'nope.txt'}: no such file"


def test_paths_text_shows_every_hop_with_its_quote(seed_db):
    out = run_cli("paths", "UK Finance", "HM Treasury", "--db", str(seed_db))
    assert out.returncode == 0, out.stderr
    assert "1. UK Finance -LOBBIES-> Lucy Rigby -ROLE_AT-> HM Treasury" in out.stdout
    assert '"Treasury Minister Lucy Rigby"' in out.stdout


def test_a_lobby_group_reaches_the_tech_bridge_through_a_minister_first(seed_db):
    """The seed's signature question: the strongest path runs through a minister the letter
    was addressed to, the minister's government and its part in the Tech Bridge (the path of
    docs/ontology.md's example); the bare "lobbies the Tech Bridge" ranks after it."""
    out = run_cli("paths", "UK Cryptoasset Business Council", "UK-US Tech Bridge", "--k", "3",
                  "--db", str(seed_db))
    assert out.returncode == 0, out.stderr
    ranked = [line for line in out.stdout.splitlines() if line[:3] in ("1. ", "2. ", "3. ")]
    assert ranked[0].startswith("1. UK Cryptoasset Business Council -LOBBIES-> Lucy Rigby "
                                "-ROLE_AT-> UK government -PARTY_TO-> UK-US Tech Bridge")
    assert ranked[1].startswith("2. UK Cryptoasset Business Council -LOBBIES-> Peter Kyle "
                                "-ROLE_AT-> UK government -PARTY_TO-> UK-US Tech Bridge")
    assert ranked[2].startswith("3. UK Cryptoasset Business Council -LOBBIES-> UK-US Tech Bridge")
    first = out.stdout.split("\n2. ")[0]
    for quote in ('"In a letter addressed to Business Secretary Peter Kyle and Treasury '
                  'Minister Lucy Rigby', '"Treasury Minister Lucy Rigby"'):
        assert quote in first
    assert "rules:role.government" in first and "rules:party.bilateral" in first


def test_paths_unknown_entity_suggests(seed_db):
    out = run_cli("paths", "UK Financ", "HM Treasury", "--db", str(seed_db))
    assert out.returncode == 1
    assert "no entity named 'UK Financ'; did you mean 'UK Finance'" in out.stderr


def test_dry_run_lists_formats_and_load_can_force_one(tmp_path):
    registers = ROOT / "tests" / "fixtures"
    out = run_cli("load", "--dry-run", str(registers / "us-lda"), str(SEED),
                  str(tmp_path / "missing.xml"))
    lines = out.stdout.splitlines()
    assert out.returncode == 1
    kinds = {line.rsplit("/", 1)[-1]: line.split()[0] for line in lines}
    assert kinds["lda_api_v1_filings_18.json"] == "lda"
    assert kinds["senate_lda_bulk_2016_3_8_2.xml"] == "lda"  # UTF-16, by its byte-order mark
    assert kinds["senate_2010_2_5_1_LD203.xml"] == kinds["senate_2013_4_11_1_LD203.xml"] == "ld203"
    assert kinds["uk-us-tech-bridge.txt"] == "text"
    assert lines[-1].startswith("error ") and "missing.xml: no such file" in lines[-1]
    notes = tmp_path / "notes.data"
    notes.write_text("Trade bodies including Acme Alliance urged support for stablecoins.")
    db = str(tmp_path / "g.db")
    forced = run_cli("load", "--format", "text", str(notes), "--db", db)
    assert forced.returncode == 0 and "1 loaded" in forced.stdout


def test_merge_split_and_the_merge_log(seed_db, tmp_path):
    db = tmp_path / "g.db"
    db.write_bytes(seed_db.read_bytes())
    before = run_cli("stats", "--db", str(db), "--format", "json").stdout
    out = run_cli("merge", "cryptoassets", "digital assets", "--reason", "one topic",
                  "--db", str(db))
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("merged digital assets (Topic:digital-assets) into "
                                 "Topic:cryptoassets [merge:")
    refused = run_cli("merge", "cryptoassets", "HM Treasury", "--db", str(db))
    assert refused.returncode == 1 and "different types are never merged" in refused.stderr
    log = json.loads(run_cli("merges", "--db", str(db), "--format", "json").stdout)
    assert [(m["kept"], m["merged"], m["reason"], m["undone"]) for m in log] == [
        ("Topic:cryptoassets", "Topic:digital-assets", "one topic", None)]
    assert run_cli("split", "cryptoassets", "--db", str(db)).returncode == 0
    assert run_cli("stats", "--db", str(db), "--format", "json").stdout == before
    again = run_cli("split", "cryptoassets", "--db", str(db))
    assert again.returncode == 1 and "no standing merge" in again.stderr


def test_a_graph_file_travels_alone(tmp_path):
    """Load, and the command's end writes the log back: the .db file alone, copied elsewhere,
    is the whole graph; in Python too, once the graph is closed."""
    import shutil

    import stakegraph as sg

    db = tmp_path / "g.db"
    assert run_cli("load", str(SEED), "--db", str(db)).returncode == 0
    assert not (tmp_path / "g.db-wal").exists() or (tmp_path / "g.db-wal").stat().st_size == 0
    copy = tmp_path / "copy" / "g.db"
    copy.parent.mkdir()
    shutil.copy(db, copy)
    stats = run_cli("stats", "--db", str(copy), "--format", "json")
    assert json.loads(stats.stdout) == json.loads(
        run_cli("stats", "--db", str(db), "--format", "json").stdout)
    kg = sg.open(str(tmp_path / "nb.db"))
    kg.load([SEED])
    counts = kg.store.stats()
    kg.close()
    shutil.copy(tmp_path / "nb.db", copy.parent / "nb.db")
    assert sg.open(str(copy.parent / "nb.db")).store.stats() == counts


def test_a_mistyped_graph_path_is_an_error_not_a_new_graph(tmp_path):
    missing = tmp_path / "typo.db"
    for args in (["stats"], ["paths", "UK Finance", "HM Treasury"], ["merges"]):
        out = run_cli(*args, "--db", str(missing))
        assert out.returncode == 1
        assert f"no graph at {missing}; run stakegraph load first" in out.stderr
    assert not missing.exists()


def test_entity_and_search_show_relations_with_their_sources_in_three_formats(seed_db):
    out = run_cli("entity", "Lucy Rigby", "--db", str(seed_db))
    assert out.returncode == 0, out.stderr
    assert "Lucy Rigby (Person, Person:lucy-rigby)" in out.stdout
    assert "<- UK Finance" in out.stdout and "uk-us-tech-bridge.txt)" in out.stdout
    table = run_cli("entity", "Lucy Rigby", "--db", str(seed_db), "--format", "csv")
    import csv
    import io
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert {r["relation"] for r in rows} >= {"LOBBIES", "ROLE_AT"}
    assert all(r["source_document"].endswith("uk-us-tech-bridge.txt") for r in rows)
    found = json.loads(run_cli("search", "Finance", "--db", str(seed_db), "--format",
                               "json").stdout)
    assert "UK Finance" in {e["name"] for e in found}
    ranked = run_cli("rank", "--db", str(seed_db), "--format", "csv", "--limit", "3")
    assert ranked.stdout.splitlines()[0] == "id,name,type,score,hops,path"
    assert len(ranked.stdout.splitlines()) == 4
    missing = run_cli("entity", "Nobody At All", "--db", str(seed_db))
    assert missing.returncode == 1 and "Nobody At All" in missing.stderr
