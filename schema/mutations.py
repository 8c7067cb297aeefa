"""GraphQL mutations: ingest a document, delete one, merge two entities and split them again.
Domain errors are typed results (``InvalidInput``, ``NotFound``) that a client can switch on; a
missing or wrong API key is a GraphQL error.

Mutations need ``Authorization: Bearer <key>`` whenever the server has a key, and the server
refuses them outright when it listens beyond localhost without one (see ``schema.app``).
There is no server-side URL fetching: a client sends the text or the HTML itself.
"""
from __future__ import annotations

import asyncio
import threading
from typing import Annotated, Optional, Union

import strawberry
from starlette.concurrency import run_in_threadpool
from strawberry.types import Info

from graph.resolution.merges import MergeError, MergeRecord, merge_entities, split_entity
from graph.store.base import Store
from schema.limits import LIMITS, UserError, short
from schema.types import Document, Entity
from service.curate import delete_document
from service.ingest import LoaderError, ingest_text


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


@strawberry.type(description="One entity merged into another, by an analyst or automatically "
                             "by a resolution rule; `undone` is set once it was split again.")
class Merge:
    id: strawberry.ID
    kept_id: strawberry.ID
    merged_id: strawberry.ID = strawberry.field(description="The id the merged entity had "
                                                "(and has again after a split).")
    merged_name: str
    reason: str
    automatic: bool
    at: str
    undone: Optional[str] = None

    @classmethod
    def of(cls, m: MergeRecord) -> "Merge":
        return cls(id=strawberry.ID(m.id), kept_id=strawberry.ID(m.kept),
                   merged_id=strawberry.ID(m.merged), merged_name=m.name, reason=m.reason,
                   automatic=m.automatic, at=m.at, undone=m.undone)


@strawberry.type(description="A merge done: the entity that now holds both.")
class MergeResult:
    merge: Merge
    entity: Entity


@strawberry.type(description="A merge undone: the entity kept and the one restored.")
class SplitResult:
    merge: Merge
    kept: Entity
    restored: Entity


IngestPayload = Annotated[Union[IngestResult, InvalidInput],
                          strawberry.union("IngestPayload")]
DeletePayload = Annotated[Union[DeleteResult, NotFound], strawberry.union("DeletePayload")]
MergePayload = Annotated[Union[MergeResult, NotFound, InvalidInput],
                         strawberry.union("MergePayload")]
SplitPayload = Annotated[Union[SplitResult, NotFound, InvalidInput],
                         strawberry.union("SplitPayload")]


def authorise(info: Info) -> None:
    """Refuse a mutation without the server's API key (or on a public server with none), or
    sent by a page of another site (``Origin``)."""
    access = info.context["access"]
    origin = info.context["request"].headers.get("origin")
    if not access.origin_allowed(origin):
        raise UserError(f"mutations from pages of other sites are refused (Origin: "
                        f"{origin[:100]}); add the site with --cors-origin to allow it")
    if access.key is None:
        if access.public:
            raise UserError("mutations are disabled: this server listens beyond localhost "
                            "and has no API key (start it with --api-key-file or "
                            "STAKEGRAPH_API_KEY)")
        return
    if not access.bears_key(info.context["request"].headers.get("authorization", "")):
        raise UserError("mutations need the header 'Authorization: Bearer <API key>'")


def _merge(store: Store, kept: str, merged: str, reason: str) -> MergePayload:
    a, b = store.entities([kept, merged])
    for name, found, given in (("kept", a, kept), ("merged", b, merged)):
        if found is None:
            return NotFound(message=f"no entity {given!r} ({name})")
    try:
        record = merge_entities(store, kept, merged, reason)
    except MergeError as exc:
        return InvalidInput(message=str(exc), field="merged")
    return MergeResult(merge=Merge.of(record), entity=Entity.of(store.entity(kept)))


def _split(store: Store, entity: str, merge_id: str | None) -> SplitPayload:
    if store.entity(entity) is None:
        return NotFound(message=f"no entity {entity!r}")
    try:
        record = split_entity(store, entity, merge_id)
    except MergeError as exc:
        return InvalidInput(message=str(exc), field="mergeId" if merge_id else "id")
    kept, restored = store.entities([record.kept, record.merged])
    return SplitResult(merge=Merge.of(record), kept=Entity.of(kept),
                       restored=Entity.of(restored))


def _ingest(store: Store, doc: DocumentInput, write: "_Deadline") -> IngestPayload:
    if (doc.text is None) == (doc.html is None):
        return InvalidInput(message="give exactly one of text or html", field="text")
    body = doc.text if doc.text is not None else doc.html
    field = "html" if doc.text is None else "text"
    if len(body.encode("utf-8")) > LIMITS.max_document_bytes:
        return InvalidInput(message=f"the document is larger than "
                            f"{LIMITS.max_document_bytes:,} bytes", field=field)
    for name, value in (("title", doc.title), ("url", doc.url),
                        ("publishedAt", doc.published_at)):
        if value is not None and len(value) > LIMITS.max_note_chars:
            return InvalidInput(message=f"{name} is {len(value):,} characters long; the "
                                f"limit is {LIMITS.max_note_chars:,}", field=name)
    try:
        document, report = ingest_text(store, body, html=doc.text is None,
                                       source=doc.url or "graphql", title=doc.title or "",
                                       published=doc.published_at, may_write=write.begin)
    except LoaderError as exc:
        return InvalidInput(message=exc.message, field=field)
    if report is None:
        return write.late
    return IngestResult(document=Document.of(document), created=report.created,
                        entities=report.entities, relations=report.relations,
                        evidence=report.evidence)


class _Deadline:
    """The time budget of a mutation that reads before it writes. The reading runs in a
    worker thread that cannot be stopped; past the budget the client is answered at once and
    the thread, when it comes to write, finds ``begin()`` False and writes nothing. A write
    that began before the budget ran out is waited for, so the answer is always true."""

    def __init__(self, seconds: float) -> None:
        self.seconds, self._lock = seconds, threading.Lock()
        self._cancelled = self._writing = False
        self.late = InvalidInput(message=f"reading the document took longer than the "
                                 f"server's {seconds:g} s budget; nothing was stored",
                                 field="text")

    def begin(self) -> bool:
        with self._lock:
            self._writing = not self._cancelled
            return self._writing

    async def run(self, work):
        task = asyncio.ensure_future(run_in_threadpool(work))
        try:
            return await asyncio.wait_for(asyncio.shield(task), self.seconds)
        except asyncio.TimeoutError:
            with self._lock:
                self._cancelled = not self._writing
            return self.late if self._cancelled else await task


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Extract a document (text or HTML) and store what it says; "
                                      "ingesting the same text again changes nothing.")
    async def ingest_document(self, info: Info, input: DocumentInput) -> IngestPayload:
        authorise(info)
        deadline = _Deadline(info.context["time_budget"])
        return await deadline.run(lambda: _ingest(info.context["store"], input, deadline))

    @strawberry.mutation(description="Remove a document (by id, path or URL) and what only it "
                                      "said: its evidence, relations no other document backs, "
                                      "entities nothing else names.")
    async def delete_document(self, info: Info, id: strawberry.ID) -> DeletePayload:
        authorise(info)
        short("id", id)
        store = info.context["store"]

        def delete() -> DeleteResult | NotFound:
            gone = delete_document(store, str(id))
            if gone is None:
                return NotFound(message=f"no document {str(id)!r}")
            removed = gone.removed
            return DeleteResult(document_id=strawberry.ID(gone.document.id),
                                evidence=removed["evidence"], mentions=removed["mentions"],
                                relations=removed["relations"], entities=removed["entities"])
        return await run_in_threadpool(delete)

    @strawberry.mutation(description="Merge the entity `merged` into `kept` (ids; same type): "
                                      "its names, mentions and relations with their evidence "
                                      "move to `kept`. Recorded with `reason`; `splitEntity` "
                                      "undoes it.")
    async def merge_entities(self, info: Info, kept: strawberry.ID, merged: strawberry.ID,
                             reason: str = "") -> MergePayload:
        authorise(info)
        short("kept", kept), short("merged", merged)
        short("reason", reason, LIMITS.max_note_chars)
        return await run_in_threadpool(_merge, info.context["store"], str(kept), str(merged),
                                       reason)

    @strawberry.mutation(description="Undo the latest merge into the entity `id` (or the merge "
                                      "`mergeId`): the merged entity comes back with its names, "
                                      "mentions and relations.")
    async def split_entity(self, info: Info, id: strawberry.ID,
                           merge_id: Optional[strawberry.ID] = None) -> SplitPayload:
        authorise(info)
        short("id", id), short("mergeId", merge_id)
        return await run_in_threadpool(_split, info.context["store"], str(id),
                                       str(merge_id) if merge_id is not None else None)
