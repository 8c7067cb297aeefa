"""GEXF 1.3 for Gephi, written as a stream of text (never a whole XML tree in memory) and valid
against the official RELAX NG grammar.

Nodes carry the columns of ``graph.export.table`` as attributes, a colour by entity type
(``viz:color``, the palette in ``graph/data/palette.toml``) and a size by a chosen score
(``viz:size``). Edges carry weight = strength, label = relation type, ``kind`` = relation type
(so Gephi keeps parallel relations apart), and their attributes. In dynamic mode (the default
whenever some relation has a ``start`` or ``end`` date) the graph has ``mode="dynamic"
timeformat="date"`` and each dated relation a spell, so Gephi's timeline plays the graph.

Examples
--------
>>> import io, networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("a", name="Acme Alliance", type="LobbyGroup", aliases=[])
>>> g.add_node("b", name="Jo Bloggs", type="Person", aliases=[])
>>> _ = g.add_edge("a", "b", key="r1", type="LOBBIES", attributes={"start": "2024-05-01"},
...                evidence=[])
>>> out = io.StringIO()
>>> out.writelines(iter_gexf(g))
>>> 'mode="dynamic"' in out.getvalue() and '<spell start="2024-05-01" />' in out.getvalue()
True
"""
from __future__ import annotations

from datetime import date
from typing import Iterator

import networkx as nx

from graph.export.table import EDGE_COLUMNS, NODE_COLUMNS, edge_rows, node_rows, palette

SIZE_MIN, SIZE_MAX = 4.0, 40.0


# One pass over a string makes it a quoted XML attribute value: markup characters escaped,
# white space kept as character references, characters XML 1.0 forbids even escaped dropped.
_ATTR = {**dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF]),
         ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;",
         ord("\n"): "&#10;", ord("\r"): "&#13;", ord("\t"): "&#9;"}


def _attr(v) -> str:
    """``v`` as a quoted attribute value (numbers need no escaping)."""
    if isinstance(v, bool):
        return '"true"' if v else '"false"'
    if isinstance(v, (int, float)):
        return f'"{v}"'
    return '"' + str(v).translate(_ATTR) + '"'


def _attvalues(values: dict, columns: dict, prefix: str) -> str:
    parts = [f'<attvalue for="{prefix}{i}" value={_attr(values[name])} />'
             for i, name in enumerate(columns) if values.get(name, "") != ""]
    return f"<attvalues>{''.join(parts)}</attvalues>" if parts else ""


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def is_dynamic(g: nx.MultiDiGraph) -> bool:
    """True when some relation has a start or end date."""
    return any(d.get("attributes", {}).get("start") or d.get("attributes", {}).get("end")
               for _, _, d in g.edges(data=True))


def iter_gexf(g: nx.MultiDiGraph, size_by: str = "pagerank", dynamic: bool | None = None,
              published: dict[str, str] | None = None,
              titles: dict[str, str] | None = None) -> Iterator[str]:
    """The GEXF document for ``g``, piece by piece.

    ``size_by`` is a numeric node column (``pagerank`` or ``degree``); ``dynamic`` defaults to
    ``is_dynamic(g)``; ``published`` maps document ids to publication dates (for first/last
    seen), ``titles`` to titles (for the edge's ``document`` column).
    """
    if size_by not in ("pagerank", "degree"):
        raise ValueError(f"size_by must be pagerank or degree, not {size_by!r}")
    dynamic = is_dynamic(g) if dynamic is None else dynamic
    colours = {t: _rgb(c) for t, c in palette().items()}
    nodes = list(node_rows(g, published))
    scores = [float(r.values[size_by]) for r in nodes]
    low, high = (min(scores), max(scores)) if scores else (0.0, 0.0)

    def size(score: float) -> float:
        span = high - low
        return round(SIZE_MIN + (SIZE_MAX - SIZE_MIN) * ((score - low) / span if span else 0.5), 3)

    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield ('<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" '
           'version="1.3">\n')
    yield (f'<meta lastmodifieddate="{date.today().isoformat()}"><creator>stakegraph</creator>'
           '<description>A stakeholder influence graph; every relation is backed by a quote.'
           '</description></meta>\n')
    mode = ' mode="dynamic" timeformat="date"' if dynamic else ""
    yield f'<graph defaultedgetype="directed" idtype="string"{mode}>\n'
    for cls, columns, prefix in (("node", NODE_COLUMNS, "n"), ("edge", EDGE_COLUMNS, "e")):
        yield f'<attributes class="{cls}">\n'
        for i, (name, kind) in enumerate(columns.items()):
            yield f'<attribute id="{prefix}{i}" title="{name}" type="{kind}" />\n'
        yield "</attributes>\n"
    yield f'<nodes count="{len(nodes)}">\n'
    for row in nodes:
        r, gr, b = colours.get(row.values["type"], (128, 128, 128))
        yield (f"<node id={_attr(row.id)} label={_attr(row.label)}>"
               f"{_attvalues(row.values, NODE_COLUMNS, 'n')}"
               f'<viz:color r="{r}" g="{gr}" b="{b}" />'
               f'<viz:size value="{size(float(row.values[size_by]))}" /></node>\n')
    yield "</nodes>\n"
    yield f'<edges count="{g.number_of_edges()}">\n'
    for row in edge_rows(g, titles):
        kind = "directed" if row.directed else "mutual"  # symmetric: influence both ways
        spell = ""
        if dynamic and (row.values["start"] or row.values["end"]):
            bounds = "".join(f' {k}="{row.values[k]}"' for k in ("start", "end")
                             if row.values[k])
            spell = f"<spells><spell{bounds} /></spells>"
        yield (f"<edge id={_attr(row.id)} source={_attr(row.source)} "
               f"target={_attr(row.target)} type=\"{kind}\" label={_attr(row.label)} "
               f"kind={_attr(row.label)} weight=\"{max(row.weight, 1e-6)}\">"
               f"{_attvalues(row.values, EDGE_COLUMNS, 'e')}{spell}</edge>\n")
    yield "</edges>\n</graph>\n</gexf>\n"
