"""The GraphQL schema and the ASGI app that uvicorn serves.

Routes: ``/graphql`` (GraphiQL in a browser unless disabled, its assets under ``/static``:
nothing is loaded from another host), ``/health`` and ``/export/graph.gexf`` (the graph, or
the part its query parameters select, for Gephi).

Examples
--------
>>> app = create_app(":memory:")
>>> [r.path for r in app.routes]
['/', '/graphql', '/static', '/health', '/export/graph.gexf']
"""
from __future__ import annotations

import asyncio
import functools
import hmac
import threading
import tomllib
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Annotated, Optional, Sequence
from urllib.parse import urlsplit

import strawberry
from graphql.validation import NoSchemaIntrospectionCustomRule
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from strawberry.asgi import GraphQL
from strawberry.dataloader import DataLoader
from strawberry.extensions import AddValidationRules, MaskErrors, MaxTokensLimiter, ParserCache
from strawberry.types import Info

from graph.export import iter_gexf
from graph.model import Relation as Rel
from graph.ontology import RelationType as RelType
from graph.store import open_store
from graph.view import EntityNotFound, GraphView
from schema.cost import cost_rule
from schema.ide import explorer_page, offline_graphiql, static_folder
from schema.limits import (
    LIMITS,
    UserError,
    bounded,
    cursor_offset,
    export_filters,
    offset_cursor,
    short,
)
from schema.mutations import Merge, Mutation
from schema.transport import BODY_TIMEOUT, GuardBody, allowed_hosts
from schema.types import (
    Document,
    Entity,
    EntityConnection,
    EntityEdge,
    EntityType,
    GraphStats,
    InfluencePath,
    Metric,
    Node,
    PageInfo,
    PathMode,
    RankedEntity,
    Relation,
    RelationType,
    SharedConnection,
    Subgraph,
)
from schema.validation import OffLoopValidation
from service.ingest import prepare


def arg(description: str):
    """An argument's description, as strawberry takes it (``Annotated[T, arg("...")]``)."""
    return strawberry.argument(description=description)


SOURCE = "an entity's id, name or alias (at most 500 characters)."
FIRST = "How many to return (1 to 100)."


@strawberry.type
class Query:
    @strawberry.field(description="One entity, by id or by name (or alias).")
    async def entity(self, info: Info, id: Optional[strawberry.ID] = None,
                     name: Optional[str] = None) -> Optional[Entity]:
        if (id is None) == (name is None):
            raise UserError("give exactly one of id or name")
        short("id", id), short("name", name)
        store = info.context["store"]
        e = await run_in_threadpool(
            lambda: store.entity(str(id)) if id is not None else store.find_entity(name))
        return Entity.of(e) if e else None

    @strawberry.field(description="Anything with an id: an entity, or a document (`doc:...`).")
    async def node(self, info: Info, id: strawberry.ID) -> Optional[Node]:
        store, id = info.context["store"], str(short("id", id))
        if id.startswith("doc:"):
            d = (await run_in_threadpool(store.documents_by_id, [id]))[0]
            return Document.of(d) if d else None
        e = await run_in_threadpool(store.entity, id)
        return Entity.of(e) if e else None

    @strawberry.field(description="Entities whose name or alias contains `search` (all, without "
                                  "it), best first, a page at a time: pass a page's "
                                  "`pageInfo.endCursor` as `after` for the next.")
    async def entities(self, info: Info, search: str = "",
                       types: Optional[list[EntityType]] = None, first: int = 20,
                       after: Optional[str] = None) -> EntityConnection:
        first = bounded("first", first, LIMITS.max_page_size)
        short("search", search, LIMITS.max_search_chars), short("after", after)
        start = cursor_offset(after) + 1 if after else 0
        if start + first > LIMITS.max_offset:
            raise UserError(f"pages end at entity {LIMITS.max_offset:,}: narrow the search")
        found = await run_in_threadpool(info.context["store"].search, search, types=types,
                                        limit=start + first + 1)
        page = found[start:start + first]
        edges = [EntityEdge(cursor=offset_cursor(start + i), node=Entity.of(e))
                 for i, e in enumerate(page)]
        return EntityConnection(edges=edges, page_info=PageInfo(
            has_next_page=len(found) > start + first,
            end_cursor=edges[-1].cursor if edges else None))

    @strawberry.field(description="Entities whose name or alias contains `text`, best first.")
    async def search(self, info: Info, text: str, types: Optional[list[EntityType]] = None,
                     first: int = 20) -> list[Entity]:
        first = bounded("first", first, LIMITS.max_page_size)
        short("text", text, LIMITS.max_search_chars)
        found = await run_in_threadpool(info.context["store"].search, text, types=types,
                                        limit=first)
        return [Entity.of(e) for e in found]

    @strawberry.field(description="Ranked paths by which `source` reaches `target` (each "
                                  "named by id, name or alias), with evidence for every hop.")
    async def influence_paths(
            self, info: Info,
            source: Annotated[str, arg("Where paths start: " + SOURCE)],
            target: Annotated[str, arg("Where paths end: " + SOURCE)],
            k: Annotated[int, arg("How many paths, strongest first (1 to 20).")] = 3,
            max_hops: Annotated[int, arg("The longest path, in relations (1 to 6).")] = 4,
            mode: Annotated[PathMode, arg(
                "INFLUENCE follows each relation the way influence flows (a lobby group "
                "reaches the minister it lobbies); CONNECTION ignores direction.")
            ] = PathMode.INFLUENCE,
            relation_types: Annotated[Optional[list[RelationType]], arg(
                "Only these relation types (all when null).")] = None,
            entity_types: Annotated[Optional[list[EntityType]], arg(
                "Only through entities of these types (the two ends always count).")] = None,
            as_of: Annotated[Optional[date], arg(
                "Only what held at this date, and was known by it: relations dated after it "
                "or ended before it are left out.")] = None,
            min_confidence: Annotated[Optional[float], arg(
                "Only relations with evidence at least this confident (0 to 1).")] = None,
            hub_penalty: Annotated[float, arg(
                "Damps paths through well-connected hubs (0 to 10; 0: none).")] = 0.0
    ) -> list[InfluencePath]:
        k = bounded("k", k, LIMITS.max_paths)
        max_hops = bounded("maxHops", max_hops, LIMITS.max_hops)
        short("source", source), short("target", target)
        if not 0.0 <= hub_penalty <= LIMITS.max_hub_penalty:
            raise UserError(f"hubPenalty must be between 0 and {LIMITS.max_hub_penalty}")
        view: GraphView = info.context["view"]

        def compute() -> list[InfluencePath]:
            found = _user(lambda: view.paths(
                source, target, k=k, max_hops=max_hops, mode=mode.value,
                relation_types=[t.value for t in relation_types or []],
                entity_types=[t.value for t in entity_types or []],
                as_of=as_of.isoformat() if as_of else None, min_confidence=min_confidence,
                hub_penalty=hub_penalty))
            nodes = view.node_data([n for p in found for n in p.nodes])
            return [InfluencePath.of(p, nodes) for p in found]

        return await _budgeted(info, compute)

    @strawberry.field(description="Who can influence `target`, ranked by the strength of "
                                  "their best path to it.")
    async def influencers(self, info: Info,
                          target: Annotated[str, arg("Who is influenced: " + SOURCE)],
                          max_hops: Annotated[int, arg("The longest path (1 to 6).")] = 3,
                          first: Annotated[int, arg(FIRST)] = 20) -> list[RankedEntity]:
        max_hops = bounded("maxHops", max_hops, LIMITS.max_hops)
        first = bounded("first", first, LIMITS.max_page_size)
        short("target", target)
        view: GraphView = info.context["view"]
        found = await _budgeted(info,
            lambda: _user(lambda: view.influencers(target, max_hops=max_hops, limit=first)))
        return [RankedEntity.of(r) for r in found]

    @strawberry.field(description="Entities ranked by influence (PageRank, optionally "
                                  "personalised), brokerage (betweenness) or degree.")
    async def rank(self, info: Info, metric: Metric = Metric.PAGERANK,
                   types: Optional[list[EntityType]] = None,
                   personalize: Optional[list[str]] = None,
                   first: int = 20) -> list[RankedEntity]:
        first = bounded("first", first, LIMITS.max_page_size)
        if len(personalize or []) > LIMITS.max_page_size:
            raise UserError(f"personalize takes at most {LIMITS.max_page_size} entities")
        for name in personalize or []:
            short("personalize", name)
        view: GraphView = info.context["view"]
        found = await _budgeted(info, lambda: _user(lambda: view.rank(
            metric.value, types=[t.value for t in types or []], personalize=personalize,
            limit=first)))
        return [RankedEntity.of(r) for r in found]

    @strawberry.field(description="Documents, most recently ingested last.")
    async def documents(self, info: Info, first: int = 20, offset: int = 0) -> list[Document]:
        first = bounded("first", first, LIMITS.max_page_size)
        docs = await run_in_threadpool(info.context["store"].documents, with_text=False)
        return [Document.of(d) for d in docs[max(offset, 0):max(offset, 0) + first]]

    @strawberry.field(description="Relations, optionally of some types and dated within a "
                                  "range (their start/end; undated relations are left out "
                                  "when a range is given).")
    async def relations(self, info: Info, types: Optional[list[RelationType]] = None,
                        since: Optional[date] = None, until: Optional[date] = None,
                        first: int = 20) -> list[Relation]:
        first = bounded("first", first, LIMITS.max_page_size)
        return await run_in_threadpool(_relations, info.context["store"], types, since, until,
                                       first)

    @strawberry.field(description="Entities that most often stand on the strongest paths "
                                  "between others (betweenness; sampled on large graphs).")
    async def brokers(self, info: Info, types: Optional[list[EntityType]] = None,
                      first: int = 20) -> list[RankedEntity]:
        first = bounded("first", first, LIMITS.max_page_size)
        view: GraphView = info.context["view"]
        found = await _budgeted(info, lambda: view.rank(
            "betweenness", types=[t.value for t in types or []], limit=first))
        return [RankedEntity.of(r) for r in found]

    @strawberry.field(description="An entity and everything within `depth` relations of it.")
    async def neighbourhood(self, info: Info, entity: str, depth: int = 1) -> Subgraph:
        depth = bounded("depth", depth, LIMITS.max_export_depth)
        short("entity", entity)
        view: GraphView = info.context["view"]
        sub = await _budgeted(info, lambda: _user(lambda: view.neighbourhood(entity, depth)))
        if sub.number_of_nodes() > LIMITS.max_subgraph:
            raise UserError(f"the neighbourhood holds {sub.number_of_nodes()} entities, more "
                            f"than {LIMITS.max_subgraph}; ask for a smaller depth")
        rels = [Relation.of(Rel(key, u, v, RelType(d["type"]), d.get("attributes", {}),
                                list(d.get("evidence", ()))))
                for u, v, key, d in sub.edges(keys=True, data=True)]
        return Subgraph(relations=rels, entity_ids=list(sub.nodes))

    @strawberry.field(description="Entities directly linked to both `a` and `b` (shared board "
                                  "members, common funders, the minister both lobbied).")
    async def common_connections(self, info: Info, a: str, b: str,
                                 first: int = 20) -> list[SharedConnection]:
        first = bounded("first", first, LIMITS.max_page_size)
        short("a", a), short("b", b)
        view: GraphView = info.context["view"]
        found = await _budgeted(info, lambda: _user(lambda: view.common_connections(a, b)))
        return [SharedConnection(score=c.score, with_a=list(c.with_a), with_b=list(c.with_b),
                                 entity_id=c.entity) for c in found[:first]]

    @strawberry.field(description="Merges recorded (those the entity `id` took part in, if "
                                  "given), oldest first, whether standing or split again.")
    async def merges(self, info: Info, id: Optional[strawberry.ID] = None,
                     first: int = 20) -> list[Merge]:
        first = bounded("first", first, LIMITS.max_page_size)
        short("id", id)
        found = await run_in_threadpool(info.context["store"].merges,
                                        str(id) if id is not None else None)
        return [Merge.of(m) for m in found[:first]]

    @strawberry.field(description="Counts of what the graph holds.")
    async def stats(self, info: Info) -> GraphStats:
        return GraphStats(**await run_in_threadpool(info.context["store"].stats))


def _relations(store, types, since: date | None, until: date | None,
               first: int) -> list[Relation]:
    """The first ``first`` relations of ``types`` dated within ``since``..``until``."""
    out = []
    for r in store.relations(types=[t.value for t in types or []]):
        start = str(r.attributes.get("start") or "")[:10]
        end = str(r.attributes.get("end") or start)[:10]
        if (since or until) and not start:
            continue
        if (since and end < since.isoformat()) or (until and start > until.isoformat()):
            continue
        out.append(Relation.of(r))
        if len(out) == first:
            break
    return out


async def _budgeted(info: Info, compute):
    """Run CPU-bound ``compute`` off the event loop, within the server's time budget per query;
    past it the client gets an error at once (the computation finishes in its thread and its
    result is dropped)."""
    budget = info.context["time_budget"]
    try:
        return await asyncio.wait_for(run_in_threadpool(compute), budget)
    except asyncio.TimeoutError:
        raise UserError(f"the query took longer than its {budget:g} s budget: ask for fewer "
                        "hops, a smaller k or a filter") from None


def _user(compute):
    """Run ``compute``, turning an unknown entity or a bad argument into a UserError."""
    try:
        return compute()
    except (EntityNotFound, ValueError) as exc:
        raise UserError(str(exc)) from None


def _masked(error) -> bool:
    """Hide the message of anything but a deliberate, user-facing error."""
    original = getattr(error, "original_error", None)
    return original is not None and not isinstance(original, UserError)


# The cost rule, made once: the validation cache is keyed by the rule classes too. Each request
# still gets its own extension objects (factories below).
_LIMIT_RULES = (cost_rule(LIMITS.max_depth, LIMITS.max_aliases, LIMITS.max_fields),)
_CACHED_QUERIES = 256  # distinct query texts whose parse and validation are kept


@functools.cache
def _descriptions() -> dict:
    return tomllib.loads(resources.files("schema").joinpath("descriptions.toml")
                         .read_text("utf-8"))


def describe(schema) -> None:
    """Give the fields and arguments of a made schema (graphql-core's) the descriptions of
    ``schema/descriptions.toml`` that the code did not give them; a key naming nothing in the
    schema is an error (the file and the schema must not drift apart)."""
    data = _descriptions()
    for key, text in {**data["fields"], **data["arguments"]}.items():
        type_name, _, rest = key.partition(".")
        field_name, _, arg = rest.partition("(")
        try:
            target = schema.type_map[type_name].fields[field_name]
            if arg:
                target = target.args[arg.rstrip(")")]
        except (KeyError, AttributeError):
            raise KeyError(f"schema/descriptions.toml: {key!r} names nothing in the schema") \
                from None
        if not target.description:
            target.description = text


def make_schema(introspection: bool = True) -> strawberry.Schema:
    """The schema with its limiters. Extensions are given as factories, one per request.

    Parsing and validating a query text (the limits included) costs more than looking up an
    entity, so both are cached for the last few hundred query texts: a client sending the
    same query with new variables pays for them once. The caches are bounded, so unique
    query texts only churn them; parse errors (too many tokens) are never cached. Validation
    runs in a worker thread within ``LIMITS.validation_time`` (``schema.validation``), and
    depth, aliases and fields are counted with each fragment measured once (``schema.cost``)."""
    rules = [*_LIMIT_RULES] + ([] if introspection else [NoSchemaIntrospectionCustomRule])
    extensions = [
        lambda: MaxTokensLimiter(max_token_count=LIMITS.max_tokens),
        lambda: AddValidationRules(rules),
        lambda: ParserCache(maxsize=_CACHED_QUERIES),
        lambda: OffLoopValidation(LIMITS.validation_time, maxsize=_CACHED_QUERIES,
                                  suggestions=introspection),
        lambda: MaskErrors(should_mask_error=_masked),
    ]
    made = strawberry.Schema(query=Query, mutation=Mutation, extensions=extensions)
    describe(made._schema)
    return made


schema = make_schema()


LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class Access:
    """Who may call: ``hosts`` are the ``Host`` names the server answers to (``*`` for any);
    mutations need ``key`` when set, and without one are open to a server that listens only
    on localhost and closed on a ``public`` one. A mutation sent from a browser page must come
    from the server's own pages or one of ``origins`` (its ``Origin`` header is checked)."""

    key: str | None = None
    public: bool = False
    hosts: tuple[str, ...] = tuple(allowed_hosts("127.0.0.1"))
    origins: tuple[str, ...] = ()

    @classmethod
    def for_host(cls, host: str, key: str | None = None, extra_hosts: Sequence[str] = (),
                 origins: Sequence[str] = ()) -> "Access":
        """The policy for a server bound to ``host``.

        >>> Access.for_host("0.0.0.0").public, Access.for_host("127.0.0.1").public
        (True, False)
        >>> Access.for_host("127.0.0.1").hosts
        ('127.0.0.1', 'localhost', '::1', '[::1]')
        """
        return cls(key=key or None, public=host not in LOCAL_HOSTS,
                   hosts=tuple(allowed_hosts(host, extra_hosts)), origins=tuple(origins))

    def bears_key(self, authorization: str) -> bool:
        """Whether an ``Authorization`` header holds this server's key (compared in constant
        time)."""
        return self.key is not None and hmac.compare_digest(
            authorization.encode(), f"Bearer {self.key}".encode())

    def origin_allowed(self, origin: str | None) -> bool:
        """Whether a request with this ``Origin`` header may mutate: none (not a browser),
        the server's own names, or an origin allowed by ``--cors-origin``.

        >>> a = Access()
        >>> a.origin_allowed(None), a.origin_allowed("http://localhost:8000")
        (True, True)
        >>> a.origin_allowed("https://attacker.example"), a.origin_allowed("null")
        (False, False)
        """
        if origin is None:
            return True
        if origin in self.origins:
            return True
        host = urlsplit(origin).hostname if "://" in origin else None
        return host is not None and ("*" in self.hosts or host in self.hosts
                                     or f"[{host}]" in self.hosts)


def _prepare(view: GraphView) -> None:
    """Made while the server already answers, so that no request waits for it: the text
    extractor (its model) and the analytic index of the graph."""
    try:
        prepare()
        view.index()
    except Exception:  # noqa: BLE001 -- a store closed meanwhile; a request makes them then
        pass


class _GraphQL(GraphQL):
    """Strawberry's ASGI app with the store, the analytics view and the access policy in
    every context."""

    def __init__(self, store, schema: strawberry.Schema, access: Access,
                 time_budget: float, **kwargs) -> None:
        super().__init__(schema, **kwargs)
        self.store, self.access, self.time_budget = store, access, time_budget
        self.view = GraphView(store)

    @property
    def graphql_ide_html(self) -> str:
        """GraphiQL with its assets served here (it works offline), opening on how a lobby
        group of this graph reaches a public body of it."""
        def first(*types: EntityType) -> str | None:
            found = self.store.search("", types=[t.value for t in types], limit=1)
            return found[0].name if found else None
        source = first(EntityType.LobbyGroup, EntityType.Company) or "UK Finance"
        target = first(EntityType.Agency, EntityType.Initiative) or "HM Treasury"
        return offline_graphiql(source, target)

    async def get_context(self, request, response) -> dict:
        store = self.store

        async def entities(ids: list[str]):
            return await run_in_threadpool(store.entities, ids)

        async def documents(ids: list[str]):
            return await run_in_threadpool(store.documents_by_id, ids)

        async def relations(keys: list[tuple[str, str, tuple]]):
            """One batch per (direction, types) asked for, over all the entities asking."""
            groups: dict[tuple, list[str]] = {}
            for entity_id, direction, types in keys:
                groups.setdefault((direction, types), []).append(entity_id)
            found = {}
            for (direction, types), ids in groups.items():
                batch = await run_in_threadpool(store.relations_for, ids, direction, types)
                found.update({(i, direction, types): rels for i, rels in batch.items()})
            return [found[k] for k in keys]

        return {"request": request, "response": response, "store": store, "view": self.view,
                "access": self.access, "time_budget": self.time_budget,
                "entities": DataLoader(load_fn=entities),
                "documents": DataLoader(load_fn=documents),
                "relations": DataLoader(load_fn=relations)}


def create_app(db: str, graphiql: bool = True, introspection: bool = True,
               database: str | None = None, access: Access = Access(),
               cors_origins: Sequence[str] = (),
               time_budget: float = LIMITS.time_budget,
               body_timeout: float = BODY_TIMEOUT) -> Starlette:
    """The ASGI app serving the graph stored at ``db`` (a SQLite file, or a Bolt URL with its
    ``database``). ``introspection=False`` refuses schema introspection (and so GraphiQL's
    explorer) for deployments that want it closed; ``access`` says who may mutate (see
    ``Access``); ``cors_origins`` lists the browser origins allowed to call the API;
    ``time_budget`` bounds the seconds an analytics query, a mutation or an export may run;
    ``body_timeout`` the seconds a client may take to send a request's body."""
    store = open_store(db, database)
    graphql = _GraphQL(store, schema if introspection else make_schema(introspection=False),
                       access, time_budget,
                       graphql_ide="graphiql" if graphiql else None,
                       allow_queries_via_get=False)

    async def export_gexf(request: Request) -> Response:
        """GET /export/graph.gexf with the filters of `stakegraph export` as query parameters."""
        q = request.query_params
        try:
            filters = export_filters(q)
            size_by = filters.pop("size_by")
            if filters["ego"] is None and filters["paths"] is None and access.key and not \
                    access.bears_key(request.headers.get("authorization", "")):
                return JSONResponse({"error": "the whole graph is exported only with the API "
                                     "key (Authorization: Bearer KEY); or give ego or "
                                     "from and to"}, status_code=401)

            def select():
                g = graphql.view.subgraph(**filters)
                return g, *graphql.view.document_meta()
            g, published, titles = await asyncio.wait_for(run_in_threadpool(select),
                                                          time_budget)
            body = iter_gexf(g, size_by=size_by, published=published, titles=titles)
        except asyncio.TimeoutError:
            return JSONResponse({"error": f"the export took longer than its {time_budget:g} s "
                                 "budget: export a part of the graph (ego, types, since)"},
                                status_code=503)
        except (UserError, EntityNotFound, ValueError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return StreamingResponse(body, media_type="application/gexf+xml",
                                 headers={"content-disposition":
                                          'attachment; filename="graph.gexf"'})

    async def explorer(request: Request) -> HTMLResponse:
        return HTMLResponse(explorer_page())

    async def health(request: Request) -> JSONResponse:
        counts = await run_in_threadpool(store.stats)
        return JSONResponse({"status": "ok", **counts})

    @asynccontextmanager
    async def lifespan(app: Starlette):
        threading.Thread(target=_prepare, args=(graphql.view,), daemon=True,
                         name="stakegraph-prepare").start()
        yield
        store.close()

    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=list(access.hosts))]
    if cors_origins:
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(cors_origins),
                                     allow_methods=["GET", "POST"],
                                     allow_headers=["authorization", "content-type"]))
    body_limit = 2 * LIMITS.max_document_bytes + 100_000  # a document, escaped, and a query
    app = Starlette(routes=[Route("/", explorer),
                            Route("/graphql", GuardBody(graphql, body_limit, body_timeout),
                                  methods=["GET", "POST"]),
                            Mount("/static", app=StaticFiles(directory=static_folder()),
                                  name="static"),
                            Route("/health", health),
                            Route("/export/graph.gexf", export_gexf)],
                    middleware=middleware, lifespan=lifespan)
    app.state.store = store
    return app
