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


def read_bytes(path: str | Path) -> bytes:
    """The bytes of a document file, or a LoaderError naming the file and what is wrong."""
    p = Path(path)
    if not p.exists():
        raise LoaderError(str(p), "no such file")
    if p.is_dir():
        raise LoaderError(str(p), "is a directory, not a document")
    try:
        size = p.stat().st_size  # refused before it is read: a huge file costs no memory
        if size > MAX_BYTES:
            raise LoaderError(str(p), f"too large ({size:,} bytes; the limit is {MAX_BYTES:,})")
        data = p.read_bytes()
    except OSError as exc:
        raise LoaderError(str(p), f"cannot be read ({exc.strerror or exc})") from None
    if not data.strip():
        raise LoaderError(str(p), "empty file")
    if b"\x00" in data[:65536]:
        raise LoaderError(str(p), "binary file (contains NUL bytes), not text")
    return data


def read_text(path: str | Path) -> str:
    """The text of a file, or a LoaderError naming the file and what is wrong with it."""
    p = Path(path)
    data = read_bytes(p)
    try:
        text = data.decode("utf-8")
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
    return Document.from_text(text, title=_clip(title or page.title or text.splitlines()[0]),
                              source=source, published=published or page.date or None)


def text_document(text: str, source: str = "", title: str = "",
                  published: str | None = None) -> Document:
    """A Document from the text of an article; the title defaults to its first line.

    >>> text_document("# Tech Bridge\\nUK Finance met...", source="note").title
    'Tech Bridge'
    """
    if not text.strip():
        raise LoaderError(source or "<text>", "the text is empty")
    first = text.strip().splitlines()[0].strip().lstrip("#").strip()
    return Document.from_text(text, title=_clip(title or first), source=source,
                              published=published)


def _clip(title: str, limit: int = 200) -> str:
    title = " ".join(title.split())
    return title if len(title) <= limit else title[:limit - 3] + "..."
