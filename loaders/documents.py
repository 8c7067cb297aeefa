"""Reading documents from disk, refusing what is not text with a clear error.

Text is decoded as UTF-8 and newlines are normalised the way Python's text mode does
(``\\r\\n`` and ``\\r`` become ``\\n``), so evidence offsets match what any reader of the file in
text mode sees.
"""
from __future__ import annotations

from pathlib import Path

from graph.model import Document
from loaders.errors import LoaderError

MAX_BYTES = 50_000_000


def read_text(path: str | Path) -> str:
    """The text of a file, or a LoaderError naming the file and what is wrong with it."""
    p = Path(path)
    if not p.exists():
        raise LoaderError(str(p), "no such file")
    if p.is_dir():
        raise LoaderError(str(p), "is a directory, not a document")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise LoaderError(str(p), f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise LoaderError(str(p), f"too large ({len(data):,} bytes; the limit is {MAX_BYTES:,})")
    if not data.strip():
        raise LoaderError(str(p), "empty file")
    if b"\x00" in data[:65536]:
        raise LoaderError(str(p), "binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LoaderError(str(p), f"not UTF-8 (byte 0x{data[exc.start]:02x} at column {column})",
                          line=line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_document(path: str | Path) -> Document:
    """A Document from a text file: its title is the first line, its source the path."""
    text = read_text(path)
    first = text.strip().splitlines()[0].strip()
    title = first if len(first) <= 200 else first[:197] + "..."
    return Document.from_text(text, title=title, source=str(path))
