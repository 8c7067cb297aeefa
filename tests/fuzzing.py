"""Hypothesis strategies that turn real loader inputs into malformed ones, and the check every
fuzzed file must pass. Shared by ``tests/loaders/test_fuzz_loaders.py`` (a few hundred cases in CI)
and ``bench/fuzz_loaders.py`` (10,000 and more).

A case is the bytes of one file plus the format it is loaded as. The check accepts exactly two
outcomes: an Extraction that stores as one whole document, or a ``LoaderError`` (one line,
naming the file). Anything else (another exception, more than ``TIME_LIMIT`` seconds, a store
left with part of a document) is a failure.
"""
from __future__ import annotations

import csv
import io
import json
import signal
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from hypothesis import strategies as st

from graph.resolution import ingest
from graph.store.sqlite import SQLiteStore
from loaders import LoaderError, Mapping, extract_path, read_mapping

FIXTURES = Path(__file__).parent / "fixtures"
TIME_LIMIT = 20  # seconds for one file; the seeds load in milliseconds


def _lines(path: Path, n: int) -> bytes:
    return b"".join(path.read_bytes().splitlines(keepends=True)[:n])


def _lda_json() -> bytes:
    data = json.loads((FIXTURES / "us-lda/lda_api_v1_filings_18.json").read_text())
    return json.dumps({"results": data["results"][:2]}, indent=1).encode()


def _lda_xml() -> bytes:
    text = (FIXTURES / "us-lda/senate_lda_bulk_2017Q1_subset300.xml").read_text()
    head, rest = text.split("<Filing ", 1)
    filings = rest.split("<Filing ")[:2]
    body = "<Filing ".join(["", *filings]).rsplit("</Filing>", 1)[0]
    return (head + body + "</Filing>\n</PublicFilings>\n").encode()


def _html() -> bytes:
    text = (FIXTURES / "eval/tech-prosperity-deal.txt").read_text()
    paras = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return (f"<html><head><title>Tech deal</title></head><body><nav>Home</nav><article>"
            f"{paras}</article></body></html>").encode()


@cache
def seeds() -> dict[str, tuple[str, bytes]]:
    """Small valid inputs, one per loader layout: name -> (file suffix, bytes)."""
    uk = FIXTURES / "uk-ministerial-meetings"
    return {
        "text": (".txt", (FIXTURES / "eval/tech-prosperity-deal.txt").read_bytes()),
        "html": (".html", _html()),
        "uk-meetings": (".csv", _lines(uk / "dpm_meetings_jan_mar_14.csv", 12)),
        "uk-hospitality": (".csv", _lines(uk / "co_hospitality_jan_mar_14.csv", 12)),
        "eu-meetings": (".csv", _lines(
            FIXTURES / "eu-mep-meetings/integritywatch_mep_meetings_tech_subset.csv", 10)),
        "lda-json": (".json", _lda_json()),
        "lda-xml": (".xml", _lda_xml()),
        "ftm": (".ijson", _lines(FIXTURES / "ftm/nomenklatura_donations_de.ijson", 30)),
        "csv-mapping": (".csv", _lines(
            FIXTURES / "eu-mep-meetings/integritywatch_mep_meetings_tech_subset.csv", 10)),
        "json-mapping": (".json", _lda_json()),
    }


# -- byte-level mutations ---------------------------------------------------------------------

def hostile() -> dict[str, tuple[str, str, bytes]]:
    """Files that once crashed or hung a load, kept as fixed cases beside the generated ones:
    name -> (file suffix, the loader they are forced through, bytes). Each must be refused."""
    lda = b'{"next": "https://lda.senate.gov/api/v1/filings/", "results": %s}'
    deep = b"[" * 100_000 + b"]" * 100_000
    return {
        "deep-json": (".json", "lda", lda % deep),
        "long-number": (".json", "lda", lda % (b'[{"id": ' + b"9" * 5000 + b"}]")),
        "deep-json-lines": (".ijson", "ftm", deep + b"\n"),
        "long-number-line": (".ijson", "ftm", b'{"id": "a", "schema": "Person", "properties": '
                             b'{}, "n": ' + b"9" * 5000 + b"}\n"),
        "long-text": (".txt", "text", b"Acme lobbied the Treasury. " * 40_000),
        "bom-only": (".txt", "text", b"\xef\xbb\xbf"),
        "utf16-bom-only": (".txt", "text", b"\xff\xfe"),
        "bom-only-csv": (".csv", "uk-meetings", b"\xef\xbb\xbf\r\n"),
    }


NASTY = [b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\r", b"\n", b'"', b",", b"'", b"\\", b"<",
         b">", b"&", b"]]>", b"{", b"}", b"[", b"]", b"\xe9", b"\xc3", b"\xf0\x9f\x98",
         b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]>", b"&a;", b"\t", "\u2028".encode(), b"null",
         b"1e999", b"-0", b"NaN", b"Nil Return", b"\x1a"]


@st.composite
def _byte_edit(draw, data: bytes) -> bytes:
    n = len(data)
    i = draw(st.integers(0, n))
    j = draw(st.integers(i, min(n, i + 200)))
    kind = draw(st.sampled_from(["truncate", "delete", "insert", "replace", "duplicate",
                                 "flip", "swap_lines"]))
    if kind == "truncate":
        return data[:i]
    if kind == "delete":
        return data[:i] + data[j:]
    if kind == "insert":
        piece = draw(st.one_of(st.sampled_from(NASTY), st.binary(min_size=1, max_size=40)))
        return data[:i] + piece + data[i:]
    if kind == "replace":
        return data[:i] + draw(st.binary(max_size=40)) + data[j:]
    if kind == "duplicate":
        return data[:j] + data[i:j] * draw(st.integers(1, 50)) + data[j:]
    if kind == "flip":
        if i >= n:
            return data
        return data[:i] + bytes([data[i] ^ (1 << draw(st.integers(0, 7)))]) + data[i + 1:]
    lines = data.splitlines(keepends=True)
    if len(lines) < 2:
        return data
    a, b = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
    lines[a], lines[b] = lines[b], lines[a]
    return b"".join(lines)


# -- structural mutations: valid syntax, wrong content ---------------------------------------

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                               max_size=3),
    max_leaves=6)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for k, v in enumerate(value):
            yield from _paths(v, (*prefix, k))


@st.composite
def _json_edit(draw, value):
    """``value`` with one node replaced by a random JSON value, or deleted."""
    where = draw(st.sampled_from(list(_paths(value))))
    if not where:
        return draw(_json_values)
    value = json.loads(json.dumps(value))
    parent = value
    for k in where[:-1]:
        parent = parent[k]
    if draw(st.booleans()):
        parent[where[-1]] = draw(_json_values)
    else:
        del parent[where[-1]]
    return value


@st.composite
def _json_document(draw, data: bytes) -> bytes:
    value = json.loads(data)
    for _ in range(draw(st.integers(1, 3))):
        value = draw(_json_edit(value))
    return json.dumps(value).encode()


@st.composite
def _json_lines(draw, data: bytes) -> bytes:
    lines = data.splitlines()
    if not lines:
        raise ValueError("no line to edit")
    k = draw(st.integers(0, len(lines) - 1))
    lines[k] = json.dumps(draw(_json_edit(json.loads(lines[k])))).encode()
    return b"\n".join(lines)


_cells = st.one_of(st.text(max_size=60), st.sampled_from(
    ["", " ", "Nil Return", "Jan-14", "31/02/2014", "April", "\"August, 2010 \"", "13/07/2016",
     "07-Jul-16", "The Rt Hon", "MP", ",", "and", "&", "[]", "['IMCO'", "0000-00-00",
     "Minister for , , MP", "Mr", "9999999999999999999999"]))


@st.composite
def _csv_edit(draw, data: bytes) -> bytes:
    """One cell replaced, or a column added or dropped in one row, through the csv module."""
    text = data.decode("utf-8", "replace")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise ValueError("no row to edit")
    r = draw(st.integers(0, len(rows) - 1))
    row = rows[r]
    kind = draw(st.sampled_from(["cell", "add", "drop"]))
    if kind == "cell" and row:
        row[draw(st.integers(0, len(row) - 1))] = draw(_cells)
    elif kind == "add":
        row.insert(draw(st.integers(0, len(row))), draw(_cells))
    elif row:
        del row[draw(st.integers(0, len(row) - 1))]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


STRUCTURAL = {".json": _json_document, ".ijson": _json_lines, ".csv": _csv_edit}


@st.composite
def fuzzed(draw, name: str) -> bytes:
    """The seed ``name`` after one to four edits: structural ones (for JSON, JSON lines and CSV)
    and byte-level ones; or, now and then, random bytes with nothing of the seed."""
    suffix, data = seeds()[name]
    if draw(st.integers(0, 19)) == 0:
        return draw(st.binary(max_size=2000))
    structural = STRUCTURAL.get(suffix)
    for _ in range(draw(st.integers(1, 4))):
        if structural is not None and draw(st.booleans()):
            try:
                data = draw(structural(data))
                continue
            except (ValueError, csv.Error):  # an earlier byte edit broke the syntax
                pass
        data = draw(_byte_edit(data))
    return data


# -- the check ----------------------------------------------------------------------------------

class Hang(Exception):
    """A loader took longer than ``TIME_LIMIT`` on one file."""


@contextmanager
def time_limit(seconds: float):
    """Raise ``Hang`` in the main thread after ``seconds`` (SIGALRM; Unix only)."""
    def alarm(signum, frame):
        raise Hang(f"no answer in {seconds} s")
    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Tally:
    """What the cases came to: loaded whole, or refused with a LoaderError (by message)."""
    loaded: int = 0
    refused: int = 0
    messages: dict[str, int] = field(default_factory=dict)

    def refuse(self, err: LoaderError) -> None:
        self.refused += 1
        self.messages[err.message.split(" (")[0][:60]] = \
            self.messages.get(err.message.split(" (")[0][:60], 0) + 1


MAPPINGS = {"csv-mapping": FIXTURES.parent.parent / "examples/registers/eu-mep-meetings.yaml",
            "json-mapping": FIXTURES / "mappings/lda-api.yaml"}
FORMATS = {"text": "text", "html": "html", "uk-meetings": "uk-meetings",
           "uk-hospitality": "uk-meetings", "eu-meetings": "eu-meetings", "lda-json": "lda",
           "lda-xml": "lda", "ftm": "ftm", "csv-mapping": "mapping",
           "json-mapping": "mapping"}  # seed name -> the loader it was written for


def loader(name: str) -> str | Mapping:
    """What a seed is loaded with when not detected: a format name, or its register mapping."""
    return read_mapping(MAPPINGS[name]) if name in MAPPINGS else FORMATS[name]


def check_case(path: Path, data: bytes, fmt: str | Mapping, store: SQLiteStore,
               tally: Tally) -> None:
    """Load ``data`` as the file ``path`` into ``store`` twice over, as ``stakegraph load``
    would: with its format detected, and with ``fmt`` (``--format``, or ``--mapping`` for a
    Mapping; so the loader behind the detector is fuzzed too). Each must give a whole document
    or a clear LoaderError."""
    path.write_bytes(data)
    for forced in (None, fmt):
        before = store.stats()["documents"]
        mapping = forced if isinstance(forced, Mapping) else None
        try:
            with time_limit(TIME_LIMIT):
                ingest(store, extract_path(path, fmt=None if mapping else forced,
                                          mapping=mapping))
        except LoaderError as err:
            message = str(err)
            assert message.startswith(str(path)), message
            assert "\n" not in message and "Traceback" not in message, message
            assert store.stats()["documents"] == before, "a refused file left a document"
            tally.refuse(err)
            continue
        assert store.stats()["documents"] in (before, before + 1)  # +0: stored already
        tally.loaded += 1
