"""Reading documents from disk, refusing what is not text with a clear error.

Text is decoded as UTF-8 and newlines are normalised the way Python's text mode does
(``\\r\\n`` and ``\\r`` become ``\\n``), so evidence offsets match what any reader of the file in
text mode sees.
"""
from __future__ import annotations

import codecs
import stat
from pathlib import Path

from graph.model import Document
from loaders.errors import LoaderError

MAX_BYTES = 50_000_000
MAX_CHARS = 1_000_000  # characters of an article's text: spaCy's own limit, and 500 pages


def read_bytes(path: str | Path) -> bytes:
    """The bytes of a document file, or a LoaderError naming the file and what is wrong."""
    p = Path(path)
    try:
        mode = p.stat().st_mode  # checked before it is opened: opening a FIFO waits for ever
    except FileNotFoundError:
        raise LoaderError(str(p), "no such file") from None
    except OSError as exc:
        raise LoaderError(str(p), f"cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(mode):
        raise LoaderError(str(p), "is a directory, not a document")
    if not stat.S_ISREG(mode):
        raise LoaderError(str(p), "not a regular file (a device, FIFO or socket)")
    try:
        size = p.stat().st_size  # refused before it is read: a huge file costs no memory
        if size > MAX_BYTES:
            raise LoaderError(str(p), f"too large ({size:,} bytes; the limit is {MAX_BYTES:,})")
        with open(p, "rb") as f:
            data = f.read(MAX_BYTES + 1)  # a file that grows while it is read stops here
        if len(data) > MAX_BYTES:
            raise LoaderError(str(p), f"too large (over {MAX_BYTES:,} bytes)")
    except OSError as exc:
        raise LoaderError(str(p), f"cannot be read ({exc.strerror or exc})") from None
    if not _without_marks(data).strip():
        raise LoaderError(str(p), "empty file")
    if b"\x00" in data[:65536] and not data.startswith(WIDE_MARKS):
        raise LoaderError(str(p), "binary file (contains NUL bytes), not text")
    return data


# byte-order marks of the wide encodings that registers are published in (the Senate's LDA
# bulk XML and LD-203 files are UTF-16): text with NUL bytes in it, read by its mark
WIDE_MARKS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE,
              codecs.BOM_UTF16_BE)


def wide_encoding(data: bytes) -> str | None:
    """The codec of text that starts with a UTF-16 or UTF-32 byte-order mark, if it does.

    >>> wide_encoding("<x/>".encode("utf-16")), wide_encoding(b"<x/>")
    ('utf-16', None)
    """
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _without_marks(data: bytes) -> bytes:
    """``data`` without a leading byte-order mark (UTF-8, UTF-16 or UTF-32) and, for UTF-16
    and UTF-32, without NUL bytes: what is left of a file that holds only a mark is empty.

    >>> _without_marks(b"\\xef\\xbb\\xbf"), _without_marks(b"\\xff\\xfe \\x00\\n\\x00")
    (b'', b' \\n')
    """
    for mark in (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF8,
                 codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if data.startswith(mark):
            rest = data[len(mark):]
            return rest if mark == codecs.BOM_UTF8 else rest.replace(b"\x00", b"")
    return data


def read_text(path: str | Path) -> str:
    """The text of a file, or a LoaderError naming the file and what is wrong with it."""
    p = Path(path)
    data = read_bytes(p)
    try:
        text = data.decode(wide_encoding(data) or "utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LoaderError(str(p), f"not UTF-8 (byte 0x{data[exc.start]:02x} at column {column})",
                          line=line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_document(path: str | Path) -> Document:
    """A Document from a text or Markdown file: its title is the first line (without a
    Markdown heading's "#"), its source the path. The text is kept as written, so evidence
    offsets point into the file."""
    return text_document(read_text(path), source=str(path))


def read_html_document(path: str | Path) -> Document:
    """A Document from an HTML page: the article's main text (navigation, footers and the
    like removed by trafilatura), with title and date from the page's metadata when present.
    Evidence offsets point into that main text, which the Document keeps."""
    return html_document(read_bytes(path), source=str(path))


def html_document(html: bytes | str, source: str = "", title: str = "",
                  published: str | None = None) -> Document:
    """A Document from the HTML of a page (see ``read_html_document``); ``title`` and
    ``published`` override what the page's metadata says."""
    import trafilatura

    page = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                       include_tables=False)
    text = (page.text or "").strip() if page is not None else ""
    if not text:
        raise LoaderError(source or "<html>", "no article text found in the HTML")
    _check_text(text, source or "<html>")
    return Document.from_text(text, title=_clip(title or page.title or text.splitlines()[0]),
                              source=source, published=published or page.date or None)


def text_document(text: str, source: str = "", title: str = "",
                  published: str | None = None) -> Document:
    """A Document from the text of an article; the title defaults to its first line.

    >>> text_document("# Tech Bridge\\nUK Finance met...", source="note").title
    'Tech Bridge'
    """
    _check_text(text, source or "<text>")
    first = text.strip().splitlines()[0].strip().lstrip("#").strip()
    return Document.from_text(text, title=_clip(title or first), source=source,
                              published=published)


def _check_text(text: str, where: str) -> None:
    """A LoaderError if ``text`` is empty (byte-order marks aside) or longer than
    ``MAX_CHARS``."""
    if not text.replace("\ufeff", "").strip():
        raise LoaderError(where, "the text is empty")
    if len(text) > MAX_CHARS:
        raise LoaderError(where, f"the text is {len(text):,} characters long; articles are "
                                 f"read up to {MAX_CHARS:,}")


def _clip(title: str, limit: int = 200) -> str:
    title = " ".join(title.split())
    return title if len(title) <= limit else title[:limit - 3] + "..."
