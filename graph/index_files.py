"""The analytic index saved beside a graph file, so that opening the graph again does not build
it: its arrays as ``.npy`` files, read back memory-mapped, its entity and relation ids too
(``graph.ids``: their bytes and offsets), and the store and change-log mark it was made at
(``meta.json``). A saved index is a cache: one that is missing, unreadable, of another store,
of another format or of a mark the change log no longer reaches is built again; one a little
behind is patched from the log (``graph.view.GraphView``). The evidence factors are saved as
what they are made of (``graph.index.Ageing``) and made again on reading, since a relation's
strength ages with the date.

Examples
--------
>>> import tempfile
>>> from types import SimpleNamespace as Rows
>>> index = PathIndex.from_rows(Rows(
...     entities=[("a", "LobbyGroup", 0), ("m", "Person", 1)], evidence=[(0, 0.9, 1)],
...     relations=[("r1", 0, 0, 1, "LOBBIES", "2020-01-01", None)]), lambda want: {})
>>> folder = Path(tempfile.mkdtemp()) / "graph.db.index"
>>> save(index, folder, store="s1", mark=7)
True
>>> index, mark = load(folder, "s1", lambda want: {})
>>> list(index.nodes), index.relations, mark
(['a', 'm'], 1, 7)
>>> load(folder, "another store", lambda want: {}) is None
True
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Callable

import numpy as np

from graph.ids import Ids
from graph.index import Ageing, PathIndex

FORMAT = 2  # 1 held the ids as text
ARRAYS = ("kind", "key_of", "src", "dst", "type")
AGEING = ("support", "evidenced", "seen")


def save(index: PathIndex, folder: Path, store: str, mark: int) -> bool:
    """Write ``index`` to ``folder`` (replacing what is there, all at once: written aside,
    then renamed); False, writing nothing, when the index does not know what its factors are
    made of (``index.ageing``: an index built from rows)."""
    if index.ageing is None:
        return False
    folder.parent.mkdir(parents=True, exist_ok=True)
    for stale in folder.parent.glob(folder.name + ".*"):  # left by a save that was killed
        if stale.is_dir() and time.time() - stale.stat().st_mtime > 3600:
            shutil.rmtree(stale, ignore_errors=True)
    aside = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
    try:
        for name in ("kind", "src", "dst", "type"):  # key_of below, renumbered
            np.save(aside / f"{name}.npy", np.ascontiguousarray(getattr(index, name)))
        for name in AGEING:
            np.save(aside / f"{name}.npy", getattr(index.ageing, name))
        used = np.unique(index.key_of)  # a patched index's list holds ids it no longer uses
        np.save(aside / "key_of.npy", np.searchsorted(used, index.key_of).astype(np.int32))
        index.nodes.save(aside, "nodes")
        index.keys.taken(used).save(aside, "keys")
        (aside / "meta.json").write_text(json.dumps({
            "format": FORMAT, "store": store, "mark": mark, "lasts": index.ageing.lasts,
            "entities": len(index.nodes), "relations": index.relations}), encoding="utf-8")
        old = folder.with_name(folder.name + ".old")
        if folder.exists():
            os.replace(folder, old)
        os.replace(aside, folder)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(aside, ignore_errors=True)
    return True


def load(folder: Path, store: str, data: Callable[[list[tuple[str, str, str]]], dict]
         ) -> tuple[PathIndex, int] | None:
    """The index saved in ``folder`` for ``store`` and the change-log mark it was made at, its
    arrays memory-mapped; None when there is none that can be trusted."""
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT or meta.get("store") != store:
            return None
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r")
                  for name in ARRAYS + AGEING}
        ageing = Ageing(arrays["support"], arrays["evidenced"], arrays["seen"], meta["lasts"])
        factor = ageing.factor()
        nodes, keys = Ids.load(folder, "nodes"), Ids.load(folder, "keys")
    except (OSError, ValueError):
        return None
    if len(nodes) != meta["entities"] or len(arrays["src"]) != meta["relations"] \
            or len(keys) != meta["relations"] or len(arrays["kind"]) != len(nodes) \
            or len(factor) != len(keys) or nodes.offsets[-1] != len(nodes.blob) \
            or keys.offsets[-1] != len(keys.blob):
        return None
    index = PathIndex.__new__(PathIndex)
    index.g, index.origin = None, "file"
    index._set(nodes, arrays["kind"], keys, arrays["key_of"], arrays["src"],
               arrays["dst"], arrays["type"], factor, data)
    return index, int(meta["mark"])
