"""Inputs: HTML pages (main text and metadata) and Markdown, through the CLI."""
from __future__ import annotations

import json

from conftest import run_cli

PAGE = """<!doctype html><html><head><title>Lobby groups press ministers | Example News</title>
<meta property="article:published_time" content="2025-09-15T08:00:00Z"></head>
<body><nav>Home | World | Politics | Sign in to Example Bank</nav>
<article><h1>Lobby groups press ministers on blockchain</h1>
<p>In a letter to Energy Minister Sam Hill, trade bodies including the Solar Trade Association
urged support for stablecoins.</p>
<p>The Financial Conduct Authority is consulting on new rules for the crypto sector, which
several firms have welcomed as overdue.</p></article>
<footer>Copyright Example News Ltd. Contact the Example Press Office.</footer></body></html>"""


def test_html_main_text_title_date_and_exact_evidence(tmp_path):
    page = tmp_path / "story.html"
    page.write_text(PAGE, encoding="utf-8")
    out = run_cli("extract", "--format", "json", str(page))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    doc = data["document"]
    assert doc["title"] == "Lobby groups press ministers on blockchain"
    assert doc["published"] == "2025-09-15"
    assert "Sign in" not in doc["text"] and "Copyright" not in doc["text"]
    names = {e["id"]: e["name"] for e in data["entities"]}
    rels = {(names[r["source"]], r["type"], names[r["target"]]) for r in data["relations"]}
    assert ("Solar Trade Association", "LOBBIES", "Sam Hill") in rels
    assert ("Solar Trade Association", "SUPPORTS", "stablecoins") in rels
    assert "Example News Ltd" not in names.values()
    for r in data["relations"]:
        for ev in r["evidence"]:
            assert doc["text"][ev["start"]:ev["end"]] == ev["quote"]


def test_html_without_article_text_is_a_clear_error(tmp_path):
    page = tmp_path / "empty.html"
    page.write_text("<html><head><title>x</title></head><body><script>1</script></body></html>")
    out = run_cli("extract", str(page))
    assert out.returncode == 1
    assert out.stderr.strip() == f"Error: {page}: no article text found in the HTML"


def test_markdown_title_and_folder_loading(tmp_path):
    (tmp_path / "note.md").write_text("# Chipmakers lobby Brussels\n\nThe trade body SEMI "
                                      "urged the European Commission to delay the Chips Act.\n")
    (tmp_path / "skip.yaml").write_text("a: 1\n")
    db = str(tmp_path / "g.db")
    out = run_cli("load", str(tmp_path), "--db", db)
    assert out.returncode == 0, out.stderr
    assert "1 loaded" in out.stdout
    ex = json.loads(run_cli("extract", "--format", "json", str(tmp_path / "note.md")).stdout)
    assert ex["document"]["title"] == "Chipmakers lobby Brussels"
    names = {e["id"]: e["name"] for e in ex["entities"]}
    assert {(names[r["source"]], r["type"], names[r["target"]]) for r in ex["relations"]} >= {
        ("SEMI", "LOBBIES", "European Commission"), ("SEMI", "LOBBIES", "Chips Act")}
