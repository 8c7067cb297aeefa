"""Documents in: each loader turns one kind of input into a ``graph.Extraction``.

Formats, by name: ``text`` (.txt, .md), ``html`` (.html, .htm), ``uk-meetings`` and
``eu-meetings`` (.csv, by header), ``lda`` (.json, .xml, by content), ``ld203`` (.xml, by
content), ``ftm`` (.ijson, .jsonl, .ftm; and .json by content). ``detect`` picks one from a
file's extension and content; ``extract_path`` reads and extracts. Any other CSV or JSON
register loads through a YAML mapping (``loaders.registers.mapping``). Loaders never write to
a store; the caller ingests what they return.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "note.txt"
>>> _ = p.write_text("Trade bodies including Acme Alliance urged support for AI.")
>>> detect(p)
'text'
>>> [e.name for e in extract_path(p).entities]
['Acme Alliance', 'artificial intelligence']
"""
from __future__ import annotations

import os
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable, Iterator

from graph.extraction import Extraction
from graph.model import Document
from graph.plugins import plugins
from loaders.documents import read_document, read_html_document
from loaders.errors import LoaderError
from loaders.registers import ftm, ld203, lda, uk_meetings
from loaders.registers import mapping as mappings
from loaders.registers.mapping import Mapping, read_mapping
from loaders.registers.records import decode, read_csv


def _text(reader: Callable[[Path], Document]):
    def load(path: Path, extractor=None) -> Extraction:
        return (extractor or default_extractor()).extract(reader(path))
    return load


def _register(name: str, load: Callable[[Path], Extraction]):
    return lambda path, extractor=None: load(path).from_register(name)


@cache
def builtin_mappings() -> dict[str, Mapping]:
    """The registers built in as mapping files (``loaders/data/registers/*.yaml``), by
    format name, read by the one mapping engine (``loaders.registers.mapping``)."""
    folder = Path(str(resources.files("loaders").joinpath("data/registers")))
    return {p.stem: read_mapping(p) for p in sorted(folder.glob("*.yaml"))}


def _mapped(name: str) -> Callable[[Path], Extraction]:
    return lambda path: mappings.load(path, builtin_mappings()[name])


FORMATS: dict[str, Callable[..., Extraction]] = {
    "text": _text(read_document),
    "html": _text(read_html_document),
    "uk-meetings": _register("uk-meetings", uk_meetings.load),
    "eu-meetings": _register("eu-meetings", _mapped("eu-meetings")),
    "lda": _register("lda", lda.load),
    "ld203": _register("ld203", ld203.load),
    "ftm": _register("ftm", ftm.load),
}
SUFFIXES = {".txt": "text", ".md": "text", ".html": "html", ".htm": "html", ".csv": "csv",
            ".json": "lda", ".xml": "lda", ".ijson": "ftm", ".jsonl": "ftm", ".ftm": "ftm"}


@cache
def formats() -> dict[str, Callable[..., Extraction]]:
    """Every format by name: ``FORMATS``, then those installed packages add under the entry
    point group ``stakegraph.loaders`` (see ``graph.plugins`` and docs/extending.md): a
    callable ``load(path, extractor=None)`` returning an ``Extraction``, whose ``suffixes``
    attribute (such as ``(".tsv",)``), if any, names the file extensions ``detect`` gives it
    where no built-in format has them. Read on first use, so a plugin may import ``loaders``."""
    return {**FORMATS, **plugins("stakegraph.loaders", builtin=FORMATS)}


@cache
def suffixes() -> dict[str, str]:
    """File extension -> format (``csv`` and ``lda`` by content): ``SUFFIXES`` and the
    plugins'."""
    added = {suffix.lower(): name for name, load in formats().items()
             for suffix in getattr(load, "suffixes", ())}
    return {**added, **SUFFIXES}


def detect(path: str | Path) -> str:
    """The format of a file, from its extension and, for registers, its content. A file with
    an unknown extension is read as text (so a wrong file gets a clear error)."""
    p = Path(path)
    kind = suffixes().get(p.suffix.lower(), "text")
    if kind == "csv":
        builtin = {name: m for name, m in builtin_mappings().items() if m.format == "csv"}
        _, header, _ = read_csv(p, lambda h: any(layout.sniff(h)
                                                 for layout in CSV_LAYOUTS.values())
                                or any(m.is_header(h) for m in builtin.values()))
        for name, layout in CSV_LAYOUTS.items():
            if layout.sniff(header):
                return name
        for name, m in builtin.items():
            if m.is_header(header):
                return name
        mapped = _mapping_for(p, ("csv",))
        if mapped is not None:
            return mapped
        shown = ", ".join(header[:6]) or "none"
        name, lacking = _closest(header)
        raise LoaderError(str(p), f"unrecognised CSV layout (header: {shown}); the closest "
                                  f"is {name}, which lacks the columns {', '.join(lacking)} "
                                  "(or load it with --mapping)", line=1)
    if kind == "lda":
        text, _ = decode(p)
        if ftm.sniff(_first_line(text)):
            return "ftm"  # FollowTheMoney lines named *.json (*.ftm.json, as yente writes)
        if ld203.sniff(text):
            return "ld203"
        if not (lda.sniff_json(text) or lda.sniff_xml(text)):
            mapped = _mapping_for(p, ("json", "jsonl", "xml"))
            if mapped is not None:
                return mapped
            raise LoaderError(str(p), f"unrecognised {p.suffix.lstrip('.').upper()} content "
                                      "(expected US Senate LDA filings)")
    if kind == "ftm":
        text, _ = decode(p)
        if lda.sniff_json(text):
            return "lda"  # LDA API pages, one a line (as a script following `next` saves them)
        if not ftm.sniff(_first_line(text)):
            raise LoaderError(str(p), "unrecognised JSON lines (expected FollowTheMoney "
                                      "entities)", line=1)
    return kind


def _first_line(text: str) -> str:
    """The first line of ``text`` that is not blank ("" if none), found without splitting
    the whole text into lines (a register file may hold megabytes on one line)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if not text[start:end].isspace() and start < end:
            return text[start:end].rstrip("\r")
        start = end + 1
    return ""


CSV_LAYOUTS = {"uk-meetings": uk_meetings}  # built-in CSV registers not yet mapping files
MAPPINGS_ENV = "STAKEGRAPH_MAPPINGS"


def known_mappings() -> tuple[Mapping, ...]:
    """The register mappings ``detect`` tries after the built-in formats: the YAML files of
    the folders named in the ``STAKEGRAPH_MAPPINGS`` environment variable (separated by
    ``os.pathsep``), each folder in name order. A user adds a register by dropping its mapping
    into such a folder."""
    return _mappings(os.environ.get(MAPPINGS_ENV, ""))


@cache
def _mappings(folders: str) -> tuple[Mapping, ...]:
    return tuple(read_mapping(p) for folder in filter(None, folders.split(os.pathsep))
                 for p in sorted(Path(folder).glob("*.yaml")))


def _closest(header: list[str]) -> tuple[str, list[str]]:
    """The built-in layout or CSV mapping nearest to reading a file with this header (the
    largest share of the columns it needs found), with the columns it lacks."""
    candidates = []
    for name, layout in CSV_LAYOUTS.items():
        found = set(layout.roles(header))
        candidates.append((len(layout.REQUIRED & found) / len(layout.REQUIRED), name,
                           sorted(layout.REQUIRED - found)))
    index = mappings.header_index(header)
    for name, m in [*builtin_mappings().items(), *((f"mapping {m.name}", m)
                                                   for m in known_mappings())]:
        if m.format != "csv":
            continue
        needed = m.required()
        lacking = [f for f in needed if mappings.column_of(f, index) is None]
        candidates.append((1 - len(lacking) / max(len(needed), 1), name, lacking))
    _, name, lacking = max(candidates, key=lambda c: c[0])
    return name, lacking


def _mapping_for(path: Path, formats: tuple[str, ...]) -> str | None:
    """``mapping:<name>`` of the first known mapping in one of ``formats`` that reads
    ``path`` (``loaders.registers.mapping.matches``), or None."""
    for m in known_mappings():
        if m.format in formats and mappings.matches(path, m):
            return f"mapping:{m.name}"
    return None


def explain(path: str | Path, mapping: Mapping | None = None) -> list[str]:
    """How ``path`` would be read, in lines for a person: the format or mapping that takes
    it and, for a CSV, which column takes each role; a LoaderError (naming the headers found
    and the closest layout) when nothing takes it."""
    p = Path(path)
    if mapping is not None:
        _, header, _ = read_csv(p, mapping.is_header) if mapping.format == "csv" \
            else (None, [], None)
        lines = [f"{p}: mapping {mapping.name} ({mapping.path}), format {mapping.format}"]
        index = mappings.header_index(header or [])
        lines += [f"  {where}: column {column!r}" + (
            "" if not header else " (missing)" if (i := mappings.column_of(column, index)) is None
            else f" = {header[i].strip()!r}" if header[i] != column else "")
            for where, column in mapping.fields()]
        return lines
    kind = detect(p)
    if kind.startswith("mapping:"):
        return explain(p, next(m for m in known_mappings() if f"mapping:{m.name}" == kind))
    if kind in builtin_mappings():
        m = builtin_mappings()[kind]
        return [f"{p}: {kind} (built-in mapping {Path(m.path).name})", *explain(p, m)[1:]]
    lines = [f"{p}: {kind}"]
    if kind == "lda":
        text, _ = decode(p)
        if not lda.sniff_xml(text):
            lines += lda.paging(text, str(p))
    if kind in CSV_LAYOUTS:
        layout = CSV_LAYOUTS[kind]
        _, header, _ = read_csv(p, layout.sniff)
        cells = layout.header_cells(header)
        for role, i in sorted(layout.roles(header).items(), key=lambda r: r[1]):
            lines.append(f"  {role}: column {i + 1} {cells[i].strip()!r}")
    return lines


def iter_paths(paths: Iterable[str | Path], follow_symlinks: bool = False) -> Iterator[Path]:
    """The files named, with folders expanded (sorted; known extensions only, no hidden
    files).

    A named file is yielded whatever its extension, so that a bad one gets a clear error. In
    a folder, a symbolic link is followed only where it leads to somewhere inside that folder,
    unless ``follow_symlinks``: a link to a system file is not a document of the folder.
    """
    for p in map(Path, paths):
        if not p.is_dir():
            yield p
            continue
        root = p.resolve()
        found = []
        for folder, dirs, files in os.walk(p, followlinks=follow_symlinks):
            dirs[:] = [d for d in dirs if not d.startswith(".")
                       and _inside(Path(folder) / d, root, follow_symlinks)]
            found += [f for f in (Path(folder) / name for name in files)
                      if not f.name.startswith(".") and f.suffix.lower() in suffixes()
                      and _inside(f, root, follow_symlinks) and f.is_file()]
        yield from sorted(found)


def _inside(path: Path, root: Path, follow_symlinks: bool) -> bool:
    """Whether ``path`` may be read as part of the folder ``root``: not a link, or a link
    that resolves inside ``root`` (or any link, when following them)."""
    return follow_symlinks or not path.is_symlink() or path.resolve().is_relative_to(root)


def extract_path(path: str | Path, extractor=None, fmt: str | None = None,
                 mapping: Mapping | None = None) -> Extraction:
    """Read one file and extract it, in format ``fmt`` (default: ``detect``), or through a
    register ``mapping`` (see ``read_mapping``). Text and HTML use ``extractor`` (default: the
    rule-based one). Raises LoaderError for bad input."""
    p = Path(path)
    if mapping is not None:
        return mappings.load(p, mapping).from_register(f"mapping:{mapping.name}")
    known = formats()
    if fmt is not None and fmt not in known:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(known)}")
    kind = fmt or detect(p)
    if kind.startswith("mapping:"):
        return extract_path(p, mapping=next(m for m in known_mappings()
                                            if f"mapping:{m.name}" == kind))
    return known[kind](p, extractor)


EXTRACTORS = ("learned", "rules", "llm", "hybrid")


def make_extractor(kind: str = "learned", spacy_model: str | None = None):
    """An extractor by name: ``"learned"`` (the default: the rules and the learned layer
    shipped in ``loaders/data/text_model.json``), ``"rules"`` (the rules alone), either
    optionally with a spaCy model's entity recogniser, ``"llm"`` (an OpenAI-compatible
    endpoint; see ``loaders.llm``) or ``"hybrid"`` (the learned extractor and the LLM
    together)."""
    if kind == "llm":
        from loaders.llm import LLMExtractor
        return LLMExtractor()
    if kind == "hybrid":
        from loaders.llm import HybridExtractor, LLMExtractor
        return HybridExtractor(make_extractor("learned", spacy_model), LLMExtractor())
    if kind not in ("learned", "rules"):
        raise ValueError(f"unknown extractor {kind!r}; choose one of {', '.join(EXTRACTORS)}")
    if spacy_model or kind == "rules":
        from loaders.text import TextExtractor
        return TextExtractor(spacy_model=spacy_model,
                             model="shipped" if kind == "learned" else None)
    return default_extractor()


@cache
def default_extractor():
    """The text extractor with its learned layer, built once per process (its matchers and
    model take a moment)."""
    from loaders.text import TextExtractor
    return TextExtractor()


__all__ = ["EXTRACTORS", "FORMATS", "LoaderError", "Mapping", "default_extractor", "detect",
           "explain", "formats", "extract_path", "iter_paths", "known_mappings", "MAPPINGS_ENV",
           "make_extractor", "read_mapping"]
