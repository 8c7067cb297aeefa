"""GraphQL mutations: ingest a document, delete one. Domain errors are typed results
(``InvalidInput``, ``NotFound``) that a client can switch on; a missing or wrong API key is a
GraphQL error.

Mutations need ``Authorization: Bearer <key>`` whenever the server has a key, and the server
refuses them outright when it listens beyond localhost without one (see ``schema.app``).
There is no server-side URL fetching: a client sends the text or the HTML itself.
"""
from __future__ import annotations

import hmac
from typing import Annotated, Optional, Union

import strawberry
from starlette.concurrency import run_in_threadpool
from strawberry.types import Info

from graph.store.base import Store
from loaders import LoaderError, default_extractor
from loaders.documents import html_document, text_document
from schema.limits import LIMITS, UserError
from schema.types import Document


@strawberry.input(description="A document to ingest: its text or its HTML (one of them), "
                              "with optional title, URL and publication date.")
class DocumentInput:
    text: Optional[str] = None
    html: Optional[str] = None
    title: Optional[str] = None
    url: Optional[str] = strawberry.field(default=None, description="Where it was published; "
                                          "recorded as the source, never fetched.")
    published_at: Optional[str] = strawberry.field(default=None,
                                                   description="ISO date, e.g. 2025-09-18.")


@strawberry.type(description="What an ingest stored.")
class IngestResult:
    document: Document
    created: bool = strawberry.field(description="False when the document was already stored.")
    entities: int
    relations: int
    evidence: int


@strawberry.type(description="What a delete removed.")
class DeleteResult:
    document_id: strawberry.ID
    evidence: int
    mentions: int
    relations: int
    entities: int


@strawberry.type(description="The input was refused; `field` names the culprit.")
class InvalidInput:
    message: str
    field: Optional[str] = None


@strawberry.type(description="Nothing has that id.")
class NotFound:
    message: str


IngestPayload = Annotated[Union[IngestResult, InvalidInput],
                          strawberry.union("IngestPayload")]
DeletePayload = Annotated[Union[DeleteResult, NotFound], strawberry.union("DeletePayload")]


def authorise(info: Info) -> None:
    """Refuse a mutation without the server's API key (or on a public server with none)."""
    access = info.context["access"]
    if access.key is None:
        if access.public:
            raise UserError("mutations are disabled: this server listens beyond localhost "
                            "and has no API key (start it with --api-key-file or "
                            "STAKEGRAPH_API_KEY)")
        return
    given = info.context["request"].headers.get("authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {access.key}".encode()):
        raise UserError("mutations need the header 'Authorization: Bearer <API key>'")


def _ingest(store: Store, doc: DocumentInput) -> IngestResult | InvalidInput:
    if (doc.text is None) == (doc.html is None):
        return InvalidInput(message="give exactly one of text or html", field="text")
    body = doc.text if doc.text is not None else doc.html
    if len(body.encode("utf-8")) > LIMITS.max_document_bytes:
        return InvalidInput(message=f"the document is larger than "
                            f"{LIMITS.max_document_bytes:,} bytes",
                            field="html" if doc.text is None else "text")
    try:
        make = text_document if doc.text is not None else html_document
        document = make(body, source=doc.url or "graphql", title=doc.title or "",
                        published=doc.published_at)
        extraction = default_extractor().knowing(store.typed_names()).extract(document)
    except LoaderError as exc:
        return InvalidInput(message=exc.message, field="html" if doc.text is None else "text")
    report = store.ingest(extraction)
    return IngestResult(document=Document.of(document), created=report.created,
                        entities=report.entities, relations=report.relations,
                        evidence=report.evidence)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Extract a document (text or HTML) and store what it says; "
                                      "ingesting the same text again changes nothing.")
    async def ingest_document(self, info: Info, input: DocumentInput) -> IngestPayload:
        authorise(info)
        return await run_in_threadpool(_ingest, info.context["store"], input)

    @strawberry.mutation(description="Remove a document (by id, path or URL) and what only it "
                                      "said: its evidence, relations no other document backs, "
                                      "entities nothing else names.")
    async def delete_document(self, info: Info, id: strawberry.ID) -> DeletePayload:
        authorise(info)
        store = info.context["store"]

        def delete() -> DeleteResult | NotFound:
            found = store.find_document(str(id))
            if found is None:
                return NotFound(message=f"no document {str(id)!r}")
            removed = store.delete_document(found.id)
            return DeleteResult(document_id=strawberry.ID(found.id), evidence=removed["evidence"],
                                mentions=removed["mentions"], relations=removed["relations"],
                                entities=removed["entities"])
        return await run_in_threadpool(delete)
