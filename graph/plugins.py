"""What installed packages add: loaders, exporters and other named parts, found through
Python entry points (``[project.entry-points."stakegraph.exporters"]`` in a plugin's
``pyproject.toml``), in the manner of datasette's plugin hooks. ``docs/extending.md`` walks
through writing one.

>>> plugins("stakegraph.no-such-group", builtin={"json"})
{}
"""
from __future__ import annotations

import logging
from importlib.metadata import entry_points
from typing import Any, Iterable

log = logging.getLogger("stakegraph.plugins")


def plugins(group: str, builtin: Iterable[str] = ()) -> dict[str, Any]:
    """The objects installed packages register under the entry-point ``group``, by name,
    sorted. A name that a built-in part already has, or a plugin that fails to import, is left
    out with a warning naming the plugin and its package, so one bad plugin never stops the
    rest."""
    taken, found = set(builtin), {}
    for point in sorted(entry_points(group=group), key=lambda p: p.name):
        where = f"{point.name} ({point.value}" + (f", package {point.dist.name})"
                                                   if point.dist else ")")
        if point.name in taken or point.name in found:
            log.warning("%s plugin %s ignored: the name is taken", group, where)
            continue
        try:
            found[point.name] = point.load()
        except Exception as exc:  # a broken plugin is reported, never fatal
            log.warning("%s plugin %s ignored: %s: %s", group, where, type(exc).__name__, exc)
    return found
