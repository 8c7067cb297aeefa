"""An extractor that asks a large language model, through any OpenAI-compatible
``/chat/completions`` endpoint. Off by default: nothing in stakegraph calls it unless asked
(``stakegraph extract --extractor llm``).

The model is asked for entities and relations with a verbatim supporting quote each, its answer
constrained by a JSON schema of the ontology (``schema``); the answer is checked against the
ontology anyway (unknown types are dropped) and every quote is mapped back to exact character
offsets in the document (exactly, or by fuzzy alignment with rapidfuzz at a score of 90 or
more). A relation whose quote cannot be found is dropped and counted: evidence is always
``text[start:end]``. Long articles go in overlapping chunks; answers are cached on disk.
``HybridExtractor`` adds the model's findings to the rules' (``--extractor hybrid``).

Configuration, from the environment: ``STAKEGRAPH_LLM_URL`` (the API base, e.g.
``http://127.0.0.1:8080/v1``), ``STAKEGRAPH_LLM_MODEL``, and ``STAKEGRAPH_LLM_API_KEY``
(optional, sent as a Bearer token).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import urllib.error
import urllib.request
from pathlib import Path

from rapidfuzz import fuzz

from graph.extraction import Extraction
from graph.model import Document
from graph.ontology import EntityType, RelationType
from loaders.errors import LoaderError

PROMPT_VERSION = "2"  # part of every cache key: a new prompt asks again
PROMPT = """You extract a stakeholder graph from a news article.
Entity types: {entity_types}.
Relation types (source -> target): {relation_types}.
Answer with one JSON object and nothing else:
{{"entities": [{{"name": "...", "type": "..."}}],
  "relations": [{{"source": "<entity name>", "type": "...", "target": "<entity name>",
                 "quote": "<the exact sentence of the article that states it>"}}]}}
Use only the types listed. Quote the article verbatim."""
CHUNK = 6000  # characters of an article asked about at once
OVERLAP = 600  # characters two chunks share, so a sentence across a cut is seen whole


def schema() -> dict:
    """The JSON schema of an answer: the ontology's types as enums, so a server that honours
    ``response_format`` (llama.cpp, vLLM, Ollama, hosted APIs) can only answer with them."""
    entity = {"type": "object", "additionalProperties": False, "required": ["name", "type"],
              "properties": {"name": {"type": "string"},
                             "type": {"enum": [t.value for t in EntityType]}}}
    relation = {"type": "object", "additionalProperties": False,
                "required": ["source", "type", "target", "quote"],
                "properties": {"source": {"type": "string"}, "target": {"type": "string"},
                               "type": {"enum": [t.value for t in RelationType]},
                               "quote": {"type": "string"}}}
    return {"type": "object", "additionalProperties": False,
            "required": ["entities", "relations"],
            "properties": {"entities": {"type": "array", "items": entity},
                           "relations": {"type": "array", "items": relation}}}


def chunks(text: str, size: int = CHUNK, overlap: int = OVERLAP) -> list[str]:
    """``text`` in pieces of at most about ``size`` characters that share ``overlap``, cut at
    a paragraph or sentence end where one is near.

    >>> [len(c) for c in chunks("a. " * 10, size=12, overlap=3)]
    [12, 12, 12]
    >>> chunks("short")
    ['short']
    """
    if len(text) <= size:
        return [text]
    out, start = [], 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            cut = max(text.rfind("\n\n", start + size // 2, end),
                      text.rfind(". ", start + size // 2, end))
            end = cut + 2 if cut > 0 else end
        out.append(text[start:end])
        if end >= len(text):
            break
        start = max(end - overlap, start + 1)
    return out


class LLMExtractor:
    """Entities and relations from an OpenAI-compatible chat model, grounded in the text.

    Long articles are asked about in overlapping chunks; answers are cached on disk by model,
    prompt version and the chunk's text (``STAKEGRAPH_LLM_CACHE``, default
    ``~/.cache/stakegraph/llm``; ``cache=None`` for none), so loading again asks nothing.
    ``dropped`` counts the relations of the last document whose quote was not in the text."""

    name = "llm"

    def __init__(self, url: str | None = None, model: str | None = None,
                 api_key: str | None = None, timeout: float = 120.0,
                 cache: str | Path | None = "default") -> None:
        self.url = (url or os.environ.get("STAKEGRAPH_LLM_URL", "")).rstrip("/")
        self.model = model or os.environ.get("STAKEGRAPH_LLM_MODEL", "")
        self.api_key = api_key or os.environ.get("STAKEGRAPH_LLM_API_KEY")
        self.timeout = timeout
        if cache == "default":
            cache = os.environ.get("STAKEGRAPH_LLM_CACHE") or \
                Path.home() / ".cache" / "stakegraph" / "llm"
        self.cache = Path(cache) if cache else None
        self.dropped = 0
        if not self.url or not self.model:
            raise ValueError("the LLM extractor needs STAKEGRAPH_LLM_URL and "
                             "STAKEGRAPH_LLM_MODEL (or url= and model=)")

    def extract(self, document: Document) -> Extraction:
        return self.read_into(Extraction(document))

    def read_into(self, ex: Extraction) -> Extraction:
        """Add what the model finds in ``ex``'s document to ``ex``, chunk by chunk."""
        self.dropped = 0
        document = ex.document
        for piece in chunks(document.text):
            self.add(ex, self.ask(piece, document.source or document.id))
        return ex

    def add(self, ex: Extraction, answer: dict) -> None:
        """Add one answer to ``ex``: known types only, every relation at an exact span of the
        document (found exactly, or aligned at a rapidfuzz score of 90 or more: a lower
        confidence), the others dropped and counted."""
        text = ex.document.text
        found = {e.name: e for e in ex.entities}
        for e in answer.get("entities", []) if isinstance(answer, dict) else []:
            try:
                type = EntityType(e.get("type"))
            except (ValueError, AttributeError):
                continue
            name = str(e.get("name", "")).strip()
            if not name:
                continue
            spans = [(m.start(), m.end()) for m in re.finditer(re.escape(name), text)]
            found[name] = ex.add_entity(name, type, mentions=spans)
        for r in answer.get("relations", []) if isinstance(answer, dict) else []:
            if not isinstance(r, dict):
                continue
            source, target = found.get(r.get("source")), found.get(r.get("target"))
            try:
                rtype = RelationType(r.get("type"))
            except ValueError:
                continue
            span = locate(text, str(r.get("quote", "")))
            if span is None:
                self.dropped += 1
                continue
            if source is None or target is None or not rtype.allows(source.type, target.type):
                continue
            exact = text[span[0]:span[1]] == r.get("quote")
            ex.add_relation(source, rtype, target, span[0], span[1],
                            extractor=f"{self.name}:{self.model}",
                            confidence=0.7 if exact else 0.6)

    def ask(self, text: str, where: str) -> dict:
        """The model's answer about ``text`` (from the cache when asked before)."""
        key = hashlib.sha256(f"{self.model}|{PROMPT_VERSION}|{text}".encode()).hexdigest()
        cached = self.cache / f"{key}.json" if self.cache else None
        if cached is not None and cached.is_file():
            return json.loads(cached.read_text(encoding="utf-8"))
        prompt = PROMPT.format(entity_types=", ".join(t.value for t in EntityType),
                               relation_types=", ".join(t.value for t in RelationType))
        body = json.dumps({"model": self.model, "temperature": 0,
                           "response_format": {"type": "json_schema", "json_schema": {
                               "name": "stakegraph_extraction", "strict": True,
                               "schema": schema()}},
                           "messages": [{"role": "system", "content": prompt},
                                        {"role": "user", "content": text}]}).encode()
        headers = {"content-type": "application/json"}
        if self.api_key:
            headers["authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(f"{self.url}/chat/completions", data=body,
                                         headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                reply = json.load(response)
            content = reply["choices"][0]["message"]["content"]
            answer = json.loads(content[content.find("{"):content.rfind("}") + 1])
        except urllib.error.URLError as exc:
            raise LoaderError(where, f"the LLM endpoint failed ({exc})") from None
        except (KeyError, IndexError, ValueError, TypeError) as exc:
            raise LoaderError(where, f"the LLM answer is not the JSON asked for ({exc})") from None
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_text(json.dumps(answer), encoding="utf-8")
        return answer


class HybridExtractor:
    """The rules (with the learned layer) and an LLM together: everything either finds, in
    one extraction; a relation both state carries both pieces of evidence, with their own
    confidences (the rules' and the LLM's 0.6-0.7)."""

    name = "hybrid"

    def __init__(self, rules, llm: LLMExtractor) -> None:
        self.rules, self.llm = rules, llm

    @property
    def dropped(self) -> int:
        return self.llm.dropped

    def extract(self, document: Document) -> Extraction:
        return self.llm.read_into(self.rules.extract(document))


def locate(text: str, quote: str, min_score: float = 90.0) -> tuple[int, int] | None:
    """Where ``quote`` stands in ``text``: exactly, else the best fuzzy alignment.

    >>> locate("Acme lobbied the Treasury. Then it rained.", "Acme lobbied the Treasury.")
    (0, 26)
    >>> locate("Acme lobbied the Treasury. Then it rained.", "Acme  lobbied the treasury")
    (0, 25)
    >>> locate("Acme lobbied the Treasury.", "Nothing like it at all") is None
    True
    """
    quote = quote.strip()
    if not quote:
        return None
    at = text.find(quote)
    if at >= 0:
        return at, at + len(quote)
    hit = fuzz.partial_ratio_alignment(quote, text, score_cutoff=min_score)
    if hit is None:
        return None
    return hit.dest_start, hit.dest_end
