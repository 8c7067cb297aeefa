"""An extractor that asks a large language model, through any OpenAI-compatible
``/chat/completions`` endpoint. Off by default: nothing in stakegraph calls it unless asked
(``stakegraph extract --extractor llm``).

The model is asked for entities and relations with a verbatim supporting quote each; the
answer is checked against the ontology (unknown types are dropped) and every quote is mapped
back to exact character offsets in the document (exactly, or by fuzzy alignment with rapidfuzz
at a score of 90 or more). A relation whose quote cannot be found is dropped: evidence is
always ``text[start:end]``.

Configuration, from the environment: ``STAKEGRAPH_LLM_URL`` (the API base, e.g.
``http://127.0.0.1:8080/v1``), ``STAKEGRAPH_LLM_MODEL``, and ``STAKEGRAPH_LLM_API_KEY``
(optional, sent as a Bearer token).
"""
from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.request

from rapidfuzz import fuzz

from graph.extraction import Extraction
from graph.model import Document
from graph.ontology import EntityType, RelationType
from loaders.errors import LoaderError

PROMPT = """You extract a stakeholder graph from a news article.
Entity types: {entity_types}.
Relation types (source -> target): {relation_types}.
Answer with one JSON object and nothing else:
{{"entities": [{{"name": "...", "type": "..."}}],
  "relations": [{{"source": "<entity name>", "type": "...", "target": "<entity name>",
                 "quote": "<the exact sentence of the article that states it>"}}]}}
Use only the types listed. Quote the article verbatim."""


class LLMExtractor:
    """Entities and relations from an OpenAI-compatible chat model, grounded in the text."""

    name = "llm"

    def __init__(self, url: str | None = None, model: str | None = None,
                 api_key: str | None = None, timeout: float = 120.0) -> None:
        self.url = (url or os.environ.get("STAKEGRAPH_LLM_URL", "")).rstrip("/")
        self.model = model or os.environ.get("STAKEGRAPH_LLM_MODEL", "")
        self.api_key = api_key or os.environ.get("STAKEGRAPH_LLM_API_KEY")
        self.timeout = timeout
        if not self.url or not self.model:
            raise ValueError("the LLM extractor needs STAKEGRAPH_LLM_URL and "
                             "STAKEGRAPH_LLM_MODEL (or url= and model=)")

    def extract(self, document: Document) -> Extraction:
        answer = self._ask(document)
        ex = Extraction(document)
        text = document.text
        found = {}
        for e in answer.get("entities", []):
            try:
                type = EntityType(e.get("type"))
            except ValueError:
                continue
            name = str(e.get("name", "")).strip()
            if not name:
                continue
            spans = [(m.start(), m.end()) for m in re.finditer(re.escape(name), text)]
            found[name] = ex.add_entity(name, type, mentions=spans)
        for r in answer.get("relations", []):
            source, target = found.get(r.get("source")), found.get(r.get("target"))
            try:
                rtype = RelationType(r.get("type"))
            except ValueError:
                continue
            span = locate(text, str(r.get("quote", "")))
            if source is None or target is None or span is None \
                    or not rtype.allows(source.type, target.type):
                continue
            exact = text[span[0]:span[1]] == r.get("quote")
            ex.add_relation(source, rtype, target, span[0], span[1],
                            extractor=f"{self.name}:{self.model}",
                            confidence=0.7 if exact else 0.6)
        return ex

    def _ask(self, document: Document) -> dict:
        prompt = PROMPT.format(entity_types=", ".join(t.value for t in EntityType),
                               relation_types=", ".join(t.value for t in RelationType))
        body = json.dumps({"model": self.model, "temperature": 0,
                           "response_format": {"type": "json_object"},
                           "messages": [{"role": "system", "content": prompt},
                                        {"role": "user", "content": document.text}]}).encode()
        headers = {"content-type": "application/json"}
        if self.api_key:
            headers["authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(f"{self.url}/chat/completions", data=body,
                                         headers=headers, method="POST")
        where = document.source or document.id
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                reply = json.load(response)
            content = reply["choices"][0]["message"]["content"]
            return json.loads(content[content.find("{"):content.rfind("}") + 1])
        except urllib.error.URLError as exc:
            raise LoaderError(where, f"the LLM endpoint failed ({exc})") from None
        except (KeyError, IndexError, ValueError) as exc:
            raise LoaderError(where, f"the LLM answer is not the JSON asked for ({exc})") from None


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
