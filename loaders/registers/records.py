"""Reading register files: decoding with a fallback, and CSV records with their exact spans
in the decoded text (so evidence quotes the record as written).

>>> text = 'a,b\\r\\n"x, y",2\\r\\n"multi\\nline",3\\r\\n'
>>> [(n, row, text[s:e]) for n, row, s, e in csv_records(text)][1:]
[(2, ['x, y', '2'], '"x, y",2'), (3, ['multi\\nline', '3'], '"multi\\nline",3')]
"""
from __future__ import annotations

import csv
import json
import re
from itertools import chain, islice
from pathlib import Path
from typing import Any, Callable, Iterator

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from loaders.documents import read_bytes, wide_encoding
from loaders.errors import LoaderError

ENCODINGS = ("utf-8-sig", "cp1252")
# a line and its end; only CR, LF and CRLF end a CSV line (str.splitlines also splits at
# form feeds, U+2028 and the like, which a cell may hold)
LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def decode(path: str | Path) -> tuple[str, str]:
    """The text of a register file and the encoding that read it: UTF-16 or UTF-32 by their
    byte-order mark (as the Senate publishes LDA files), else UTF-8, with or without a mark,
    else Windows-1252, as UK government CSVs often are."""
    data = read_bytes(path)
    wide = wide_encoding(data)
    if wide is not None:
        try:
            return data.decode(wide), wide
        except UnicodeDecodeError as exc:
            raise LoaderError(str(path), f"not {wide.upper()} though it starts with its "
                                         f"byte-order mark (at byte {exc.start})") from None
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            error = exc
    line = data.count(b"\n", 0, error.start) + 1
    raise LoaderError(str(path), f"neither UTF-8 nor Windows-1252 (byte 0x{data[error.start]:02x})",
                      line=line)


DELIMITERS = (",", ";", "\t", "|")


def delimiter_of(line: str) -> str:
    """The delimiter of a CSV file, from its header line: the one of ``DELIMITERS`` written
    most often outside quotes (a comma where none is).

    >>> delimiter_of('Organisme;"Nom, prénom";Fonction'), delimiter_of("a,b;c,d")
    (';', ',')
    """
    outside = re.sub(r'"[^"]*"', "", line)
    return max(DELIMITERS, key=lambda d: (outside.count(d), d == ","))


def csv_records(text: str, path: str = "") -> Iterator[tuple[int, list[str], int, int]]:
    """(record number, cells, start, end) for each CSV record; the span excludes the line end.
    Record 1 is the header; the first line with a delimiter says which (``delimiter_of``). A quoted
    cell may hold line breaks; one still open at the end of the file (a truncated file) is a
    LoaderError naming the line where it began. Lines are read as the records are asked for
    (the header of a large file is found without reading it all)."""
    start = 0
    delimiter = None
    number = 0
    lines = LINES.finditer(text)  # read as far as the records are asked for
    line = 0
    for first in lines:
        line += 1
        began = line
        pieces = [first.group()]
        quotes = pieces[0].count('"')
        while quotes % 2:  # a quoted cell goes on
            more = next(lines, None)
            if more is None:
                raise LoaderError(path, "a quoted cell is never closed (is the file "
                                        "truncated?)", line=began)
            line += 1
            pieces.append(more.group())
            quotes += pieces[-1].count('"')
        chunk = pieces[0] if len(pieces) == 1 else "".join(pieces)
        body = chunk.rstrip("\r\n")
        number += 1
        if body.strip():
            if delimiter is None and any(d in body for d in DELIMITERS):
                delimiter = delimiter_of(body)  # the first line that has any (not a title)
            try:
                cells = next(csv.reader([body], delimiter=delimiter or ","), [])
            except csv.Error as exc:
                raise LoaderError(path, f"not a CSV record ({exc})", line=began) from None
            yield number, cells, start, start + len(body)
        start += len(chunk)


HEADER_SEARCH = 10  # records at the top of a CSV among which its header is looked for


def read_csv(path: str | Path, header: Callable[[list[str]], bool] | None = None
             ) -> tuple[str, list[str], Iterator[tuple[int, list[str], int, int]]]:
    """A register CSV: its decoded text, its header cells, and the records after the header.

    The header is the first record, or, given ``header`` (whether a record is the header
    sought), the first of the top ``HEADER_SEARCH`` records it accepts: a title or a note
    above the header ("Ministers' meetings, April to June 2013") is passed over. Where none
    is accepted, the first record is the header (so errors name the file's first line)."""
    text, _ = decode(path)
    records = csv_records(text, str(path))
    top = list(islice(records, HEADER_SEARCH))
    if not top:
        raise LoaderError(str(path), "empty CSV")
    found = next((i for i, (_, cells, _, _) in enumerate(top) if header and header(cells)), 0)
    return text, top[found][1], chain(top[found + 1:], records)


MAX_DIGITS = 100  # digits of a JSON number: ids, amounts and years need far fewer


def json_value(text: str, path: str = "", line: int | None = None) -> Any:
    """The JSON value of ``text``, or a LoaderError naming the file, the line and what is
    wrong: a syntax error, nesting too deep to read, or a number of more than ``MAX_DIGITS``
    digits (each checked as it is read, before Python turns it into a number).

    >>> json_value('{"amount": 12.5}')
    {'amount': 12.5}
    >>> json_value("[" * 100000 + "]" * 100000, "deep.json")
    Traceback (most recent call last):
    ...
    loaders.errors.LoaderError: deep.json: JSON nested too deep to read
    >>> json_value('{"n": ' + "9" * 5000 + '}', "big.json")
    Traceback (most recent call last):
    ...
    loaders.errors.LoaderError: big.json: a number of 5,000 digits (the limit is 100)
    """
    try:
        return json.loads(text, parse_int=_number(int), parse_float=_number(float))
    except json.JSONDecodeError as exc:
        raise LoaderError(path, f"JSON syntax error: {exc.msg} (column {exc.colno})",
                          line=(line or 1) + exc.lineno - 1) from None
    except RecursionError:
        raise LoaderError(path, "JSON nested too deep to read", line=line) from None
    except _LongNumber as exc:
        raise LoaderError(path, f"a number of {exc.args[0]:,} digits (the limit is "
                                f"{MAX_DIGITS})", line=line) from None


class _LongNumber(ValueError):
    pass


def _number(cast):
    def parse(digits: str):
        if len(digits) > MAX_DIGITS:
            raise _LongNumber(len(digits))
        return cast(digits)
    return parse


def json_records(text: str, path: str = "", key: str | None = None
                 ) -> Iterator[tuple[Any, int, int]]:
    """(record, start, end) for each item of a JSON array (the whole document, or the array
    under the dotted ``key``), with the item's exact span in ``text``.

    >>> text = '{"results": [{"a": 1}, {"a": 2}]}'
    >>> [(r, text[s:e]) for r, s, e in json_records(text, key="results")]
    [({'a': 1}, '{"a": 1}'), ({'a': 2}, '{"a": 2}')]
    """
    last = f'"{key.split(".")[-1]}"' if key else ""
    start = text.find("[", text.find(last)) if key else text.find("[")
    found = _items_once(text, path, key, start)
    if found is None:  # not as it looked: read it whole, for the error that says why
        found = list(_items_twice(text, path, key, start))
    yield from found


def _items_once(text: str, path: str, key: str | None, start: int
                ) -> list[tuple[Any, int, int]] | None:
    """The items of the array at ``start``, each read once: the array's items one by one,
    then the document without them, which must be valid and hold an empty array under
    ``key``; None where anything is otherwise (``_items_twice`` then says what)."""
    if start < 0:
        return None
    decoder = json.JSONDecoder(parse_int=_number(int), parse_float=_number(float))
    out, pos, n = [], start + 1, len(text)
    try:
        while True:
            while pos < n and text[pos] in " \r\n\t":
                pos += 1
            if pos < n and text[pos] == "]" and not out:
                break
            record, end = decoder.raw_decode(text, pos)
            out.append((record, pos, end))
            pos = end
            while pos < n and text[pos] in " \r\n\t":
                pos += 1
            if pos < n and text[pos] == ",":
                pos += 1
            elif pos < n and text[pos] == "]":
                break
            else:
                return None
        outer = json.loads(text[:start] + "[]" + text[pos + 1:], parse_int=_number(int),
                           parse_float=_number(float))
    except (ValueError, RecursionError):
        return None
    return out if _under(outer, key) == [] else None


def _under(value: Any, key: str | None) -> Any:
    """The value under the dotted ``key`` ("data.results"), or None."""
    for part in key.split(".") if key else []:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _items_twice(text: str, path: str, key: str | None, start: int
                 ) -> Iterator[tuple[Any, int, int]]:
    """The items of the array under ``key``, from the whole document read once and each item
    again at its place: slower, with an error that names what is wrong."""
    items = _under(json_value(text, path), key)
    if not isinstance(items, list):
        raise LoaderError(path, f"no list of records {f'under {key}' if key else 'at the top'}",
                          field=key)
    pos = start
    decoder = json.JSONDecoder()
    for n, expected in enumerate(items, 1):
        while 0 <= pos < len(text) and text[pos] in "[, \r\n\t":
            pos += 1
        try:
            record, end = decoder.raw_decode(text, pos)
        except (json.JSONDecodeError, ValueError):
            record = end = None
        if record != expected:  # the key also appears earlier, or twice
            raise LoaderError(path, f"record {n}: cannot find its text in the file (is there "
                                    f"more than one {key or 'array'}?)", field=key)
        yield record, pos, end
        pos = end


def json_lines(text: str, path: str = "") -> Iterator[tuple[int, Any, int, int]]:
    """(line number, record, start, end) for each non-blank line of a JSON-lines text, with
    the line's span (its line end excluded); a line that is not JSON is a LoaderError naming it.

    >>> text = '{"a": 1}\\n\\n{"a": 2}\\n'
    >>> [(n, r, text[s:e]) for n, r, s, e in json_lines(text)]
    [(1, {'a': 1}, '{"a": 1}'), (3, {'a': 2}, '{"a": 2}')]
    """
    offset = 0
    for number, raw in enumerate(LINES.findall(text), 1):
        body = raw.rstrip("\r\n")
        if body.strip():
            record = json_value(body, path, line=number)
            yield number, record, offset, offset + len(body)
        offset += len(raw)


_DECLARED_ENCODING = re.compile(r"""\A(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2""")


def xml_root(text: str, path: str = ""):
    """The root element of an XML text, parsed without entity expansion or a DTD; a
    LoaderError naming the file (and line) for unsafe or malformed XML. The text is decoded
    already (``decode``: UTF-16 by its mark, as the Senate publishes LDA files), so the
    encoding its declaration names, that of the bytes, is set aside."""
    declared = _DECLARED_ENCODING.sub(r"\1\2utf-8\2", text, count=1)
    try:
        return SafeET.fromstring(declared.encode("utf-8"), forbid_dtd=True)
    except DefusedXmlException as exc:
        raise LoaderError(path, f"refused unsafe XML ({type(exc).__name__})") from None
    except SafeET.ParseError as exc:
        line, column = exc.position
        raise LoaderError(path, f"XML syntax error at column {column}", line=line) from None


def xml_records(text: str, tag: str, path: str = "", root=None, start: int = 0,
                end: int | None = None) -> Iterator[tuple[Any, int, int]]:
    """(element, start, end) for each ``<tag>`` element of an XML text (or of ``root``, an
    element whose text runs from ``start`` to ``end``), with its exact span: from ``<tag`` to
    its end tag, or the ``/>`` of an empty one; comments passed over.

    >>> text = '<r><!-- <F x="0"/> --><F x="1"/><F x="2">two</F></r>'
    >>> [(e.get("x"), text[s:e2]) for e, s, e2 in xml_records(text, "F")]
    [('1', '<F x="1"/>'), ('2', '<F x="2">two</F>')]
    """
    root = xml_root(text, path) if root is None else root
    comments = [(m.start(), m.end()) for m in re.finditer(r"<!--.*?-->", text, re.S)]
    opening = re.compile(rf"<{re.escape(tag)}(?=[\s/>])[^>]*?(/?)>", re.S)
    closing = f"</{tag}>"
    spans = []
    for m in opening.finditer(text, start, len(text) if end is None else end):
        if any(a <= m.start() < b for a, b in comments):
            continue
        close = m.end() if m.group(1) else text.find(closing, m.end())
        spans.append((m.start(), m.end() if close == -1 else close + (0 if m.group(1)
                                                                       else len(closing))))
    return ((el, a, b) for el, (a, b) in zip(root.iter(tag), spans))


def xml_value(element) -> Any:
    """An element as JSON-like data: its attributes, its children by tag (a list where a tag
    repeats), its text under ``text``; an element with text alone is the text.

    >>> from xml.etree.ElementTree import fromstring
    >>> xml_value(fromstring('<F ID="7"><Reg Name="Acme"/><Issue>Tax</Issue>'
    ...                      '<Issue>Trade</Issue></F>'))
    {'ID': '7', 'Reg': {'Name': 'Acme'}, 'Issue': ['Tax', 'Trade']}
    """
    value: dict[str, Any] = dict(element.attrib)
    for child in element:
        tag = child.tag.rsplit("}", 1)[-1]
        item = xml_value(child)
        if tag not in value:
            value[tag] = item
        elif isinstance(value[tag], list):
            value[tag].append(item)
        else:
            value[tag] = [value[tag], item]
    text = (element.text or "").strip()
    if text and not value:
        return text
    if text:
        value["text"] = text
    return value
