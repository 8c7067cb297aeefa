"""The ``stakegraph`` command: load documents, extract, ask for paths, serve GraphQL.

Every command that opens a graph takes ``--db PATH`` (default ``./stakegraph.db``, or the
``STAKEGRAPH_DB`` environment variable); commands that print results take ``--format``.
"""
from __future__ import annotations

import csv
import functools
import io
import json
import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

import stakegraph
from graph.export import binary_formats, exporters
from graph.ontology import EntityType, RelationType, parse_names
from graph.resolution.merges import MergeError
from graph.store import StoreError, StoreUnavailable
from graph.view import EntityNotFound
from service import reading
from service.ask import RANKING_COLUMNS
from service.curate import delete_document
from service.reading import (
    EXTRACTORS,
    LoaderError,
    Mapping,
    formats,
    make_extractor,
    read_mapping,
)


@dataclass(frozen=True)
class Where:
    """Where a command's graph lives: a SQLite file, or a Bolt server and its database. The
    graphs a command opens are closed when it ends (``close``), so a graph file holds all of
    itself without its write-ahead log."""

    location: str
    database: str | None = None
    opened: list = field(default_factory=list, compare=False, repr=False)

    def __str__(self) -> str:
        return self.location + (f" ({self.database})" if self.database else "")

    def open(self, create: bool = False) -> stakegraph.KnowledgeGraph:
        """The graph; one that does not exist yet is made only when ``create`` (load), else
        a mistyped path is an error rather than a new empty graph."""
        if not create and not self.exists():
            raise click.ClickException(f"no graph at {self.location}; run stakegraph load "
                                       "first")
        kg = stakegraph.open(self.location, self.database)
        self.opened.append(kg)
        return kg

    def exists(self) -> bool:
        """Whether there is a graph here (a server's always counts: it answers or errs)."""
        return "://" in self.location or self.location == ":memory:" or \
            Path(self.location).exists()

    def close(self) -> None:
        while self.opened:
            self.opened.pop().close()


def db_option(command):
    """``--db PATH``, or ``--store URL`` (and ``--database NAME``) for a Neo4j server; the
    command receives a ``Where``. A store that cannot be reached is a one-line error."""
    @click.option("--db", "db", default="stakegraph.db", envvar="STAKEGRAPH_DB",
                  show_default=True, help="The graph's SQLite file.")
    @click.option("--store", "store_url", envvar="STAKEGRAPH_STORE", metavar="URL",
                  help="A Neo4j server instead of --db: bolt://host:7687, neo4j+s://... "
                       "Credentials from NEO4J_USERNAME and NEO4J_PASSWORD (or "
                       "NEO4J_PASSWORD_FILE), never the command line.")
    @click.option("--database", envvar="NEO4J_DATABASE", metavar="NAME",
                  help="The Neo4j database, with --store (default: the server's).")
    @functools.wraps(command)
    def wrapper(*args, db: str, store_url: str | None, database: str | None, **kwargs):
        where = Where(store_url or db, database)
        try:
            return command(*args, db=where, **kwargs)
        except (StoreUnavailable, StoreError) as exc:
            raise click.ClickException(str(exc)) from None
        finally:
            where.close()
    return wrapper


extractor_options = [
    click.option("--extractor", type=click.Choice(list(EXTRACTORS)), default="learned",
                 show_default=True,
                 help="learned (the rules and the learned layer), rules (alone), llm (an "
                      "OpenAI-compatible endpoint from STAKEGRAPH_LLM_URL and "
                      "STAKEGRAPH_LLM_MODEL), or hybrid (learned and llm together)."),
    click.option("--spacy-model", default=None, metavar="NAME_OR_PATH",
                 help="A spaCy pipeline whose entity recogniser also proposes names."),
]


def with_extractor(command):
    for option in reversed(extractor_options):
        command = option(command)
    return command


def build_extractor(kind: str, spacy_model: str | None):
    try:
        return make_extractor(kind, spacy_model)
    except (ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from None


format_option = click.option("--format", "fmt", type=click.Choice(["text", "json"]),
                             default="text", show_default=True, help="Output format.")
table_format_option = click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]),
                                   default="text", show_default=True, help="Output format.")


def _table(rows: list[dict], columns: list[str], fmt: str) -> bool:
    """Print ``rows`` as JSON or CSV (``fmt``); False when the text format is the command's."""
    if fmt == "json":
        click.echo(json.dumps(rows, indent=1, ensure_ascii=False))
    elif fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore",
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: (json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict))
                              else v) for k, v in row.items()} for row in rows)
        click.echo(out.getvalue(), nl=False)
    else:
        return False
    return True


@click.group()
@click.version_option(package_name="stakegraph")
def main() -> None:
    """stakegraph: documents in, a graph of who influences whom out."""
    # the Bolt driver logs each retry it makes; the command reports the outcome itself
    logging.getLogger("neo4j").addHandler(logging.NullHandler())


@main.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@with_extractor
@click.option("--format", "fmt", type=click.Choice(list(formats())), default=None,
              help="Read every file in this format instead of detecting each one's.")
@click.option("--mapping", type=click.Path(dir_okay=False),
              help="Read every file through this YAML register mapping (docs/loaders.md).")
@click.option("--dry-run", is_flag=True, help="List what would be loaded, and how; load nothing.")
@click.option("--explain", is_flag=True,
              help="Say which loader or mapping takes each file and which column takes each "
                   "role; load nothing.")
@click.option("--follow-symlinks", is_flag=True,
              help="In folders, follow symbolic links that lead out of the folder too.")
def load(paths: tuple[str, ...], db: Where, extractor: str, spacy_model: str | None, fmt,
         mapping: str | None, dry_run: bool, explain: bool, follow_symlinks: bool) -> None:
    """Extract the documents at PATHS (files or folders) and store them in the graph.

    Each file's format is detected from its extension and content (news text and HTML, UK
    ministerial returns, EU MEP meetings, US LDA filings, FollowTheMoney). A bad document is
    reported and skipped; the command exits 1 at the end if any failed.
    """
    if mapping and fmt:
        raise click.UsageError("give --format or --mapping, not both")
    try:
        rules = read_mapping(mapping) if mapping else None
    except LoaderError as exc:
        raise click.ClickException(str(exc)) from None
    if dry_run:
        _dry_run(paths, fmt, rules)
        return
    if explain:
        _explain(paths, rules)
        return
    chosen = build_extractor(extractor, spacy_model) if extractor != "learned" or spacy_model \
        else None  # None: the default extractor
    kg = db.open(create=True)
    console = Console(stderr=True)
    started = time.perf_counter()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), console=console,
                  transient=True) as bar:
        files = list(reading.iter_paths(paths, follow_symlinks))
        task = bar.add_task("loading", total=len(files), rate="")

        def progress(path, outcome: str) -> None:
            done = bar.tasks[0].completed + 1
            rate = done / max(time.perf_counter() - started, 1e-9)
            bar.update(task, advance=1, rate=f"{rate:.1f} documents/s")
            if outcome != "failed":
                bar.console.print(f"{outcome:9} {path}", highlight=False, markup=False)

        report = kg.load(files, progress=progress, extractor=chosen, fmt=fmt, mapping=mapping)
    elapsed = time.perf_counter() - started
    for _, message in report.failed:
        click.echo(f"error: {message}", err=True)
    summary = Table("loaded", "unchanged", "failed", "seconds", "documents/s",
                    title="stakegraph load", title_justify="left")
    done = report.loaded + report.unchanged + len(report.failed)
    summary.add_row(str(report.loaded), str(report.unchanged), str(len(report.failed)),
                    f"{elapsed:.1f}", f"{done / max(elapsed, 1e-9):.1f}")
    console.print(summary)
    click.echo(f"{report.loaded} loaded, {report.unchanged} unchanged, "
               f"{len(report.failed)} failed -> {db}")
    if report.failed:
        sys.exit(1)


def _explain(paths: tuple[str, ...], rules: Mapping | None) -> None:
    """How `load` would read each file, role by role; exit 1 if some file would fail."""
    bad = 0
    for _, said in reading.explain(paths, rules):
        if isinstance(said, LoaderError):
            bad += 1
            click.echo(f"error: {said}")
        else:
            click.echo("\n".join(said))
    if bad:
        sys.exit(1)


def _dry_run(paths: tuple[str, ...], fmt: str | None, rules: Mapping | None) -> None:
    """What `load` would do with each file: its format and size, or why it would fail."""
    bad = 0
    for path, kind, size in reading.plan(paths, fmt, rules):
        if isinstance(size, Exception):
            bad += 1
            click.echo(f"{'error':12} {'':>12}        {path}: {size}")
        else:
            click.echo(f"{kind:12} {size:>12,} bytes  {path}")
    if bad:
        sys.exit(1)


@main.command()
@click.argument("file")
@format_option
@with_extractor
@click.option("--mapping", type=click.Path(dir_okay=False),
              help="Read FILE through this YAML register mapping (docs/loaders.md).")
def extract(file: str, fmt: str, extractor: str, spacy_model: str | None,
            mapping: str | None) -> None:
    """Print what FILE says (entities, relations, evidence) without touching any store."""
    chosen = build_extractor(extractor, spacy_model)
    try:
        ex = reading.extract(file, chosen, mapping)
    except LoaderError as exc:
        raise click.ClickException(str(exc)) from None
    if getattr(chosen, "dropped", 0):
        click.echo(f"{file}: {chosen.dropped} relations dropped: the model's quote is not in "
                   "the text", err=True)
    if fmt == "json":
        click.echo(ex.to_json(indent=1))
        return
    names = {e.id: e.name for e in ex.entities}
    click.echo(f"{ex.document.title}  ({len(ex.entities)} entities, "
               f"{len(ex.relations)} relations)")
    for e in ex.entities:
        click.echo(f"  {e.type.value:13} {e.name}")
    for r in ex.relations:
        click.echo(f"  {names[r.source]} -{r.type.value}-> {names[r.target]}")
        click.echo(f"      \"{_short(r.evidence[0].quote)}\"")


@main.command()
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--folds", type=click.IntRange(2, 50), default=None,
              help="Fit the learned layer on all folds but one and score the one held out, "
                   "in turn; report the held-out mean beside the fit on every article.")
@click.option("--extractor", type=click.Choice(list(EXTRACTORS)), default="learned",
              show_default=True, help="What to score: learned (fitted on the training "
                                      "folds), rules, llm or hybrid.")
@click.option("--rules-only", is_flag=True, help="The same as --extractor rules.")
@click.option("--registers", multiple=True, type=click.Path(exists=True), metavar="PATH",
              help="Register files or folders whose names the name model may know (repeat); "
                   "by default those the shipped model knows.")
@format_option
def evaluate(gold_dir: str, folds: int | None, extractor: str, rules_only: bool,
             registers: tuple[str, ...], fmt: str) -> None:
    """Score the text extractor on the articles of GOLD_DIR (<name>.txt beside
    <name>.gold.json), with the matching rules of the team's reference scorer: per article,
    in total, and by kind of error."""
    from service.evaluation import articles, report
    from stakegraph.evaluation import as_text

    found = articles(gold_dir)
    if not found:
        raise click.ClickException(f"no article with a .gold.json in {gold_dir}")
    try:
        data = report(found, folds=folds, extractor="rules" if rules_only else extractor,
                      registers=list(registers))
    except (ValueError, LoaderError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(data, indent=1) if fmt == "json" else as_text(data))


@main.command()
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--registers", multiple=True, type=click.Path(exists=True), metavar="PATH",
              help="Register files or folders whose names (and the types their loaders give "
                   "them) the name model learns to use (repeat).")
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Where to write the model [default: the package's "
                   "loaders/data/text_model.json].")
def train(gold_dir: str, registers: tuple[str, ...], out: str | None) -> None:
    """Fit the text extractor's learned layer on the gold articles of GOLD_DIR and write it
    (deterministic: the same articles and registers give the same file)."""
    from service.evaluation import train_model

    try:
        model, target, count = train_model(gold_dir, list(registers), out)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"trained on {count} articles and {len(model.names)} register names: "
               f"{len(model.entities.weights)} entity, "
               f"{len(model.phrases.weights) if model.phrases else 0} phrase and "
               f"{len(model.relations.weights)} relation features -> {target}")


@main.command()
@click.argument("source")
@click.argument("target")
@click.option("--k", default=3, show_default=True, help="How many paths.")
@click.option("--max-hops", default=4, show_default=True, help="The longest path, in hops.")
@click.option("--mode", type=click.Choice(["influence", "connection"]), default="influence",
              show_default=True, help="Follow influence direction, or ignore direction.")
@click.option("--types", help="Entity types a path may pass through, comma-separated.")
@click.option("--relation-types", help="Relation types a path may use, comma-separated.")
@click.option("--as-of", metavar="DATE", help="Only what held, and was known, at this date.")
@click.option("--min-confidence", type=float, help="Use relations with evidence this sure.")
@click.option("--hub-penalty", type=float, default=0.0, show_default=True,
              help="Damp paths through entities with many relations.")
@db_option
@format_option
def paths(source: str, target: str, k: int, max_hops: int, mode: str, types, relation_types,
          as_of, min_confidence, hub_penalty: float, db: Where, fmt: str) -> None:
    """Ranked paths by which SOURCE reaches TARGET, with the evidence for every hop."""
    kg = db.open()
    try:
        found = kg.paths(source, target, k=k, max_hops=max_hops, mode=mode,
                         entity_types=parse_names(types, EntityType, "entity type"),
                         relation_types=parse_names(relation_types, RelationType,
                                                    "relation type"),
                         as_of=as_of, min_confidence=min_confidence, hub_penalty=hub_penalty)
    except (EntityNotFound, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps(found.paths, indent=1, ensure_ascii=False))
        return
    if not found.paths:
        click.echo(f"no path from {source!r} to {target!r} within {max_hops} hops ({mode})")
        return
    for i, p in enumerate(found.paths, 1):
        click.echo(f"{i}. {p['chain']}   (strength {p['strength']:.3f})")
        click.echo(f"   {p['explanation']}")
        for h in p["hops"]:
            a, b = h["source"]["name"], h["target"]["name"]
            click.echo(f"   {b} <-{h['type']}- {a}" if h["reversed"]
                       else f"   {a} -{h['type']}-> {b}")
            for ev in h["evidence"][:2]:
                cited = ", ".join(str(x) for x in (_short(ev["title"] or "", 80),
                                                   ev["published"], ev["url"] or ev["source"])
                                  if x)
                click.echo(f"      \"{_short(ev['quote'])}\"")
                click.echo(f"      ({cited}; chars {ev['start']}-{ev['end']}, "
                           f"{ev['extractor']}, confidence {ev['confidence']})")
        click.echo()


@main.command()
@click.option("--format", "fmt", type=click.Choice(list(exporters())), default="gexf",
              show_default=True, help="The file format.")
@click.option("--out", required=True, metavar="PATH",
              help="The file to write ('-' for standard output); a folder for csv.")
@click.option("--types", help="Entity types to keep, comma-separated (e.g. Person,Agency).")
@click.option("--relation-types", help="Relation types to keep, comma-separated.")
@click.option("--since", metavar="DATE", help="Keep relations dated on or after (YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Keep relations dated on or before.")
@click.option("--min-confidence", type=float, help="Keep relations with evidence this sure.")
@click.option("--ego", metavar="ENTITY", help="Keep the entities near this one...")
@click.option("--depth", default=1, show_default=True, help="...within this many hops.")
@click.option("--paths", nargs=2, metavar="FROM TO", help="Keep the top paths between two.")
@click.option("--k", default=3, show_default=True, help="How many paths, with --paths.")
@click.option("--size-by", type=click.Choice(["pagerank", "degree"]), default="pagerank",
              show_default=True, help="GEXF node size.")
@click.option("--dynamic/--static", default=None,
              help="GEXF timeline mode; by default dynamic when relations have dates.")
@db_option
def export(fmt: str, out: str, types, relation_types, since, until, min_confidence, ego,
           depth: int, paths, k: int, size_by: str, dynamic, db: Where) -> None:
    """Export the graph (or a part of it) for Gephi and other tools."""
    kg = db.open()
    try:
        filters = dict(entity_types=parse_names(types, EntityType, "entity type"),
                       relation_types=parse_names(relation_types, RelationType,
                                                  "relation type"),
                       since=since, until=until, min_confidence=min_confidence, ego=ego,
                       depth=depth, paths=tuple(paths) if paths else None, k=k)
        stream = sys.stdout.buffer if fmt in binary_formats() else sys.stdout
        kg.export(stream if out == "-" else out, fmt, size_by=size_by, dynamic=dynamic,
                  **filters)
    except (EntityNotFound, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    if out != "-":
        click.echo(f"wrote {out} ({fmt})", err=True)


@main.command()
@click.argument("document")
@db_option
def delete(document: str, db: Where) -> None:
    """Remove DOCUMENT (its id, or the path or URL it was loaded from) and what only it said:
    its evidence, the relations no other document backs, the entities nothing else names."""
    gone = delete_document(db.open().store, document)
    if gone is None:
        raise click.ClickException(f"no document {document!r} in {db}")
    click.echo(f"removed {gone.document.source or gone.document.id}: " + ", ".join(
        f"{n} {what}" for what, n in gone.removed.items() if what != "documents"))


@main.command()
@click.argument("kept")
@click.argument("merged")
@click.option("--reason", default="", help="Why they are one: kept with the merge's record.")
@db_option
def merge(kept: str, merged: str, reason: str, db: Where) -> None:
    """Merge the entity MERGED into KEPT (each an id, name or alias): MERGED's names, mentions
    and relations with their evidence move to KEPT. Recorded; `stakegraph split KEPT` undoes
    it."""
    kg = db.open()
    try:
        record = kg.merge(kept, merged, reason)
    except (EntityNotFound, MergeError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"merged {record['name']} ({record['merged']}) into {record['kept']} "
               f"[{record['id']}]")


@main.command()
@click.argument("entity")
@click.option("--merge", "merge_id", metavar="ID",
              help="The merge to undo (see `stakegraph merges`); default: the latest.")
@db_option
def split(entity: str, merge_id: str | None, db: Where) -> None:
    """Undo a merge into ENTITY: the merged entity comes back with its names, mentions and
    relations."""
    kg = db.open()
    try:
        record = kg.split(entity, merge_id)
    except (EntityNotFound, MergeError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"split {record['name']} ({record['merged']}) from {record['kept']} "
               f"[{record['id']}]")


@main.command()
@click.argument("entity", required=False)
@db_option
@format_option
def merges(entity: str | None, db: Where, fmt: str) -> None:
    """The merges recorded (those of ENTITY, an id, if given), oldest first: by an analyst
    or automatic, with their reasons, and whether they were split again."""
    records = db.open().merges(entity)
    if fmt == "json":
        click.echo(json.dumps(records, indent=2))
        return
    table = Table("merge", "kept", "merged", "by", "reason", "state")
    for r in records:
        table.add_row(*map(escape, (r["id"], r["kept"], r["merged"],
                                    "rule" if r["automatic"] else "analyst", r["reason"],
                                    "split" if r["undone"] else "standing")))
    Console(width=max(160, Console().width)).print(table)


def _copy(source_location: str, target_location: str, database: str | None, to_bolt: bool,
          ) -> None:
    """Copy one graph into another with a progress bar; a one-line error if either fails."""
    from graph.store import open_store
    from graph.store.copy import copy_graph

    try:
        source = open_store(source_location, None if to_bolt else database)
        target = open_store(target_location, database if to_bolt else None)
        total = sum(source.stats().values())
        started = time.perf_counter()
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("copying", total=total)

            def progress(kind: str, rows: int) -> None:
                if kind != "entity_keys":  # keys are not in the stats the total counts
                    bar.update(task, advance=rows, description=f"copying {kind}")
            counts = copy_graph(source, target, progress)
        elapsed = time.perf_counter() - started
    except (StoreUnavailable, StoreError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in counts.items())
               + f" copied to {target_location} in {elapsed:.1f} s "
               f"({counts.get('relations', 0) / max(elapsed, 1e-9):,.0f} relations/s)")
    source.close(), target.close()


def copy_options(flag: str, db_help: str):
    """The options of push and pull: the server (``--to`` or ``--from``), its database, and
    the graph file."""
    def decorate(command):
        for option in reversed([
            click.option(flag, "url", required=True, metavar="URL",
                         help="The Neo4j server: bolt://host:7687, neo4j+s://..."),
            click.option("--database", envvar="NEO4J_DATABASE", metavar="NAME",
                         help="The Neo4j database (default: the server's)."),
            click.option("--db", default="stakegraph.db", envvar="STAKEGRAPH_DB",
                         show_default=True, help=db_help)]):
            command = option(command)
        return command
    return decorate


@main.command()
@copy_options("--to", "The graph's SQLite file.")
def push(url: str, database: str | None, db: str) -> None:
    """Copy the graph in --db into a Neo4j server, ids and evidence included. Re-running it
    adds only what is missing. Credentials from NEO4J_USERNAME and NEO4J_PASSWORD."""
    _copy(db, url, database, to_bolt=True)


@main.command()
@copy_options("--from", "The graph's SQLite file (created if missing).")
def pull(url: str, database: str | None, db: str) -> None:
    """Copy the graph in a Neo4j server into --db, the reverse of push."""
    _copy(url, db, database, to_bolt=False)


@main.command()
@db_option
@format_option
def stats(db: Where, fmt: str) -> None:
    """Counts of documents, entities, relations and evidence in the graph."""
    counts = db.open().stats()
    if fmt == "json":
        click.echo(json.dumps(counts))
    else:
        click.echo("  ".join(f"{k}: {v}" for k, v in counts.items()))


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
@click.option("--no-ide", is_flag=True, help="Serve the API without GraphiQL.")
@click.option("--no-introspection", is_flag=True, help="Refuse schema introspection queries.")
@click.option("--api-key-file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="A file holding the API key mutations must bear (Authorization: Bearer "
                   "KEY); or set STAKEGRAPH_API_KEY. Required for mutations when --host is "
                   "not localhost.")
@click.option("--cors-origin", "cors_origins", multiple=True, metavar="ORIGIN",
              help="A browser origin allowed to call the API (repeat for more).")
@click.option("--time-budget", type=float, default=10.0, show_default=True, metavar="SECONDS",
              help="The longest an analytics query, a mutation or an export may run.")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="A Host name the server answers to besides localhost names (repeat for "
                   "more); on --host 0.0.0.0 without one, any name.")
@click.option("--read-timeout", type=float, default=10.0, show_default=True, metavar="SECONDS",
              help="The longest a client may take to send a request's headers, and (three "
                   "times this) its body.")
def serve(db: Where, host: str, port: int, no_ide: bool, no_introspection: bool,
          api_key_file: str | None, cors_origins: tuple[str, ...], time_budget: float,
          allowed_hosts: tuple[str, ...], read_timeout: float) -> None:
    """Serve the GraphQL API (and GraphiQL) on http://HOST:PORT/graphql."""
    import os

    import uvicorn

    from schema.app import Access, create_app
    from schema.transport import TimedH11Protocol

    key = (Path(api_key_file).read_text(encoding="utf-8").strip() if api_key_file
           else os.environ.get("STAKEGRAPH_API_KEY"))
    access = Access.for_host(host, key, allowed_hosts, cors_origins)
    app = create_app(db.location, graphiql=not no_ide, introspection=not no_introspection,
                     database=db.database, access=access, cors_origins=cors_origins,
                     time_budget=time_budget, body_timeout=3 * read_timeout)
    mutations = ("need the API key" if access.key else
                 "disabled (no API key)" if access.public else "open to localhost")
    click.echo(f"stakegraph: GraphQL on http://{host}:{port}/graphql  (db: {db}; "
               f"mutations {mutations})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info",
                http=TimedH11Protocol.with_timeout(read_timeout))


@main.command()
@click.option("--metric", type=click.Choice(["pagerank", "personalized_pagerank", "degree",
                                             "betweenness"]),
              default="pagerank", show_default=True, help="What to rank by.")
@click.option("--types", help="Entity types to list, comma-separated.")
@click.option("--personalize", multiple=True, metavar="ENTITY",
              help="For personalized_pagerank: the entities to see the graph from.")
@click.option("--limit", default=20, show_default=True, help="How many entities.")
@db_option
@table_format_option
def rank(metric: str, types, personalize, limit: int, db: Where, fmt: str) -> None:
    """Entities ranked by influence (PageRank), brokerage (betweenness) or degree."""
    kg = db.open()
    try:
        ranking = kg.rank(metric, types=parse_names(types, EntityType, "entity type"),
                          personalize=personalize, limit=limit)
    except (EntityNotFound, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    _print_ranked(ranking.rows, fmt)


@main.command()
@click.argument("target")
@click.option("--max-hops", default=3, show_default=True, help="The longest path, in hops.")
@click.option("--limit", default=20, show_default=True, help="How many entities.")
@db_option
@table_format_option
def influencers(target: str, max_hops: int, limit: int, db: Where, fmt: str) -> None:
    """Who can influence TARGET, ranked by the strength of their best path to it."""
    kg = db.open()
    try:
        ranking = kg.influencers(target, max_hops=max_hops, limit=limit)
    except EntityNotFound as exc:
        raise click.ClickException(str(exc)) from None
    _print_ranked(ranking.rows, fmt)


@main.command()
@click.argument("text")
@click.option("--types", help="Entity types to list, comma-separated.")
@click.option("--limit", default=20, show_default=True, help="How many entities.")
@db_option
@table_format_option
def search(text: str, types, limit: int, db: Where, fmt: str) -> None:
    """Entities whose name or an alias contains TEXT, best first."""
    try:
        found = db.open().search(text, parse_names(types, EntityType, "entity type"), limit)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    if _table(found.rows, ["id", "name", "type", "aliases"], fmt):
        return
    for e in found.rows:
        aliases = f"   also {', '.join(e['aliases'])}" if e["aliases"] else ""
        click.echo(f"{e['type']:13} {e['name']}   [{e['id']}]{aliases}")


@main.command()
@click.argument("name")
@db_option
@table_format_option
def entity(name: str, db: Where, fmt: str) -> None:
    """NAME (an id, name or alias) and its relations, each with its first quote and the
    document that quote comes from."""
    try:
        info = db.open().entity(name)
    except EntityNotFound as exc:
        raise click.ClickException(str(exc)) from None
    if _table(info.rows(), info.COLUMNS, fmt):
        return
    e = info.entity
    click.echo(f"{e['name']} ({e['type']}, {e['id']})")
    if e.get("aliases"):
        click.echo(f"  also: {', '.join(e['aliases'])}")
    for kind in sorted({r["relation"] for r in info.rows()}):
        click.echo(f"\n{kind}")
        for r in (r for r in info.rows() if r["relation"] == kind):
            other = r["target"] if r["source"] == e["name"] else r["source"]
            arrow = "->" if r["source"] == e["name"] else "<-"
            extra = ", ".join(str(x) for x in (r["role"], r["start"], r["purpose"]) if x)
            click.echo(f"  {arrow} {other}" + (f"  ({extra})" if extra else ""))
            if r["quote"]:
                cited = ", ".join(str(x) for x in (_short(r["title"] or "", 80), r["published"],
                                                   r["source_document"]) if x)
                click.echo(f"      \"{_short(r['quote'], 200)}\"  ({cited})")


def _print_ranked(ranked: list[dict], fmt: str) -> None:
    rows = [{**row, "score": round(row["score"], 6)} for row in ranked]
    if _table(rows, RANKING_COLUMNS, fmt):
        return
    for i, row in enumerate(rows, 1):
        via = f"   via {' -> '.join(row['path'])}" if row["path"] else ""
        click.echo(f"{i:3}. {row['score']:.4f}  {row['name']} ({row['type']}){via}")


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 3] + "..."
