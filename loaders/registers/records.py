"""Reading register files: decoding with a fallback, and CSV records with their exact spans
in the decoded text (so evidence quotes the record as written).

>>> text = 'a,b\\r\\n"x, y",2\\r\\n"multi\\nline",3\\r\\n'
>>> [(n, row, text[s:e]) for n, row, s, e in csv_records(text)][1:]
[(2, ['x, y', '2'], '"x, y",2'), (3, ['multi\\nline', '3'], '"multi\\nline",3')]
"""
from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Iterator

from loaders.documents import read_bytes
from loaders.errors import LoaderError

ENCODINGS = ("utf-8-sig", "cp1252")
# a line and its end; only CR, LF and CRLF end a CSV line (str.splitlines also splits at
# form feeds, U+2028 and the like, which a cell may hold)
LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def decode(path: str | Path) -> tuple[str, str]:
    """The text of a register file and the encoding that read it (UTF-8, with or without a
    byte-order mark, else Windows-1252, as UK government CSVs often are)."""
    data = read_bytes(path)
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            error = exc
    line = data.count(b"\n", 0, error.start) + 1
    raise LoaderError(str(path), f"neither UTF-8 nor Windows-1252 (byte 0x{data[error.start]:02x})",
                      line=line)


def csv_records(text: str, path: str = "") -> Iterator[tuple[int, list[str], int, int]]:
    """(record number, cells, start, end) for each CSV record; the span excludes the line end.
    Record 1 is the header. A quoted cell may hold line breaks; one still open at the end of
    the file (a truncated file) is a LoaderError naming the line where it began."""
    start = 0
    number = 0
    lines = LINES.findall(text)
    i = 0
    while i < len(lines):
        chunk = lines[i]
        began = i + 1
        i += 1
        while chunk.count('"') % 2 and i < len(lines):  # a quoted cell goes on
            chunk += lines[i]
            i += 1
        if chunk.count('"') % 2:
            raise LoaderError(path, "a quoted cell is never closed (is the file truncated?)",
                              line=began)
        body = chunk.rstrip("\r\n")
        number += 1
        if body.strip():
            try:
                cells = next(csv.reader([body]), [])
            except csv.Error as exc:
                raise LoaderError(path, f"not a CSV record ({exc})", line=began) from None
            yield number, cells, start, start + len(body)
        start += len(chunk)


def read_csv(path: str | Path) -> tuple[str, list[str], Iterator[tuple[int, list[str], int, int]]]:
    """A register CSV: its decoded text, its header cells, and the records after the header."""
    text, _ = decode(path)
    records = csv_records(text, str(path))
    try:
        _, header, _, _ = next(records)
    except StopIteration:
        raise LoaderError(str(path), "empty CSV") from None
    return text, header, records
