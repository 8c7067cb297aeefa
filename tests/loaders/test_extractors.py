"""The optional extractors: a user-supplied spaCy pipeline, and an LLM behind an
OpenAI-compatible endpoint (a small real HTTP server that this test starts)."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import spacy
from conftest import run_cli

TEXT = ("Zara Quill met Quillfeather bosses in Leeds. In a letter to Business Secretary "
        "Peter Kyle, Quillfeather urged support for the Clean Air Bill.\n")


def test_a_spacy_model_proposes_names_the_rules_cannot_type(tmp_path):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PERSON", "pattern": "Zara Quill"},
                        {"label": "ORG", "pattern": "Quillfeather"},
                        {"label": "GPE", "pattern": "Leeds"}])
    nlp.to_disk(tmp_path / "model")
    article = tmp_path / "a.txt"
    article.write_text(TEXT)

    plain = json.loads(run_cli("extract", "--format", "json", "--extractor", "rules",
                               str(article)).stdout)
    assert "Zara Quill" not in {e["name"] for e in plain["entities"]}

    out = run_cli("extract", "--format", "json", "--spacy-model", str(tmp_path / "model"),
                  str(article))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    ents = {(e["name"], e["type"]) for e in data["entities"]}
    assert {("Zara Quill", "Person"), ("Quillfeather", "Organization"),
            ("Leeds", "Place")} <= ents
    names = {e["id"]: e["name"] for e in data["entities"]}
    rels = {(names[r["source"]], r["type"], names[r["target"]]) for r in data["relations"]}
    assert ("Quillfeather", "LOBBIES", "Peter Kyle") in rels


def test_a_missing_spacy_model_is_a_clear_error(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(TEXT)
    out = run_cli("extract", "--spacy-model", str(tmp_path / "nope"), str(article))
    assert out.returncode == 1 and out.stderr.startswith("Error:")


class FakeLLM(BaseHTTPRequestHandler):
    """Answers /v1/chat/completions with a fixed extraction, and records the request."""

    requests: list[dict] = []

    def do_POST(self):  # noqa: N802 - the http.server API
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        FakeLLM.requests.append({"path": self.path, "auth": self.headers.get("authorization"),
                                 "body": body})
        answer = {
            "entities": [{"name": "Quillfeather", "type": "LobbyGroup"},
                         {"name": "Peter Kyle", "type": "Person"},
                         {"name": "Clean Air Bill", "type": "Initiative"},
                         {"name": "Leeds", "type": "Spaceship"}],
            "relations": [
                {"source": "Quillfeather", "type": "LOBBIES", "target": "Peter Kyle",
                 "quote": "In a letter to Business Secretary Peter Kyle, Quillfeather urged "
                          "support for the Clean Air Bill."},
                {"source": "Quillfeather", "type": "SUPPORTS", "target": "Clean Air Bill",
                 "quote": "Quillfeather  urged support for the clean air bill"},
                {"source": "Peter Kyle", "type": "FUNDS", "target": "Quillfeather",
                 "quote": "Peter Kyle wrote a cheque to Quillfeather."},
                {"source": "Peter Kyle", "type": "REGULATES", "target": "Clean Air Bill",
                 "quote": "In a letter to Business Secretary Peter Kyle"}]}
        reply = {"choices": [{"message": {"role": "assistant",
                                          "content": "```json\n" + json.dumps(answer) + "\n```"}}]}
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_llm():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLLM)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeLLM.requests.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_llm_extractor_grounds_quotes_and_keeps_to_the_ontology(tmp_path, fake_llm):
    article = tmp_path / "a.txt"
    article.write_text(TEXT)
    env = {"STAKEGRAPH_LLM_URL": fake_llm, "STAKEGRAPH_LLM_MODEL": "test-model",
           "STAKEGRAPH_LLM_API_KEY": "sekret", "STAKEGRAPH_LLM_CACHE": str(tmp_path / "cache")}
    out = run_cli("extract", "--format", "json", "--extractor", "llm", str(article), env=env)
    assert out.returncode == 0, out.stderr
    (request,) = FakeLLM.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == "Bearer sekret"
    assert request["body"]["model"] == "test-model"
    assert request["body"]["messages"][1]["content"] == TEXT

    data = json.loads(out.stdout)
    assert {e["name"] for e in data["entities"]} == {"Quillfeather", "Peter Kyle",
                                                      "Clean Air Bill"}  # no Spaceship type
    names = {e["id"]: e["name"] for e in data["entities"]}
    rels = {(names[r["source"]], r["type"], names[r["target"]]): r for r in data["relations"]}
    # the quote not in the text and the relation the ontology forbids are dropped
    assert set(rels) == {("Quillfeather", "LOBBIES", "Peter Kyle"),
                         ("Quillfeather", "SUPPORTS", "Clean Air Bill")}
    for r in rels.values():
        for ev in r["evidence"]:
            assert TEXT[ev["start"]:ev["end"]] == ev["quote"]
            assert ev["extractor"] == "llm:test-model"
    fuzzy = rels[("Quillfeather", "SUPPORTS", "Clean Air Bill")]["evidence"][0]
    assert fuzzy["quote"].startswith("Quillfeather urged support") and fuzzy["confidence"] < 0.7


def test_llm_extractor_without_configuration_is_a_clear_error(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(TEXT)
    out = run_cli("extract", "--extractor", "llm", str(article),
                  env={"STAKEGRAPH_LLM_URL": "", "STAKEGRAPH_LLM_MODEL": ""})
    assert out.returncode == 1
    assert "needs STAKEGRAPH_LLM_URL and STAKEGRAPH_LLM_MODEL" in out.stderr


def test_llm_answers_are_schema_bound_cached_chunked_and_merged_with_the_rules(tmp_path,
                                                                                fake_llm):
    """The request carries the ontology as a JSON schema; a long article goes in overlapping
    chunks; answers are cached by model, prompt and text (a second run asks nothing); the
    relation whose quote is not in the text is counted; hybrid keeps the rules' findings and
    adds the model's."""
    cache = tmp_path / "cache"
    env = {"STAKEGRAPH_LLM_URL": fake_llm, "STAKEGRAPH_LLM_MODEL": "test-model",
           "STAKEGRAPH_LLM_CACHE": str(cache)}
    long = tmp_path / "long.txt"
    long.write_text((TEXT + "\n\n") * 60)
    out = run_cli("extract", "--format", "json", "--extractor", "llm", str(long), env=env)
    assert out.returncode == 0, out.stderr
    asked = len(FakeLLM.requests)
    assert asked > 1  # chunks
    schema = FakeLLM.requests[0]["body"]["response_format"]["json_schema"]["schema"]
    kinds = schema["properties"]["relations"]["items"]["properties"]["type"]["enum"]
    assert "LOBBIES" in kinds and "Spaceship" not in schema["properties"]["entities"][
        "items"]["properties"]["type"]["enum"]
    assert "relations dropped: the model's quote is not in the text" in out.stderr
    again = run_cli("extract", "--format", "json", "--extractor", "llm", str(long), env=env)
    assert again.returncode == 0 and len(FakeLLM.requests) == asked  # all from the cache
    short = tmp_path / "a.txt"
    short.write_text(TEXT)
    hybrid = json.loads(run_cli("extract", "--format", "json", "--extractor", "hybrid",
                                str(short), env=env).stdout)
    extractors = {ev["extractor"].split(":")[0] for r in hybrid["relations"]
                  for ev in r["evidence"]}
    assert {"rules", "llm"} <= extractors


def test_evaluate_scores_an_llm_too(tmp_path, fake_llm):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "a.txt").write_text(TEXT)
    (gold / "a.gold.json").write_text(json.dumps({
        "entities": [{"name": "Quillfeather", "type": "LobbyGroup"},
                     {"name": "Peter Kyle", "type": "Person"}],
        "relations": [{"source": "Quillfeather", "target": "Peter Kyle", "type": "LOBBIES"}]}))
    env = {"STAKEGRAPH_LLM_URL": fake_llm, "STAKEGRAPH_LLM_MODEL": "test-model",
           "STAKEGRAPH_LLM_CACHE": str(tmp_path / "cache")}
    out = run_cli("evaluate", str(gold), "--extractor", "llm", "--format", "json", env=env)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["extractor"] == "llm" and report["fit"]["relation_r"] == 1.0
