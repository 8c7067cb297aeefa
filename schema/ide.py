"""The pages: GraphiQL that works offline (strawberry's GraphiQL page with its assets served
by the server itself, ``schema/static/graphiql/``, built files from the npm registry with
their licences), opening on a worked influence-paths question about the graph being served;
and the explorer at ``/`` (``schema/static/explorer/``, written here, no library).

Examples
--------
>>> page = offline_graphiql("UK Finance", "HM Treasury")
>>> "unpkg.com" in page, "/static/graphiql/graphiql.min.js" in page
(False, True)
>>> 'influencePaths(source: "UK Finance", target: "HM Treasury"' in page
True
"""
from __future__ import annotations

import json
import re
from importlib import resources

from strawberry.http.ides import get_graphql_ide_html

from graph.export.table import palette

ASSETS = {  # the address on unpkg strawberry's page uses -> the file served here
    "https://unpkg.com/react@18.2.0/umd/react.production.min.js": "react.production.min.js",
    "https://unpkg.com/react-dom@18.2.0/umd/react-dom.production.min.js":
        "react-dom.production.min.js",
    "https://unpkg.com/js-cookie@3.0.5/dist/js.cookie.min.js": "js.cookie.min.js",
    "https://unpkg.com/graphiql@3.8.3/graphiql.min.css": "graphiql.min.css",
    "https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/style.css": "plugin-explorer.css",
    "https://unpkg.com/graphiql@3.8.3/graphiql.min.js": "graphiql.min.js",
    "https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/index.umd.js":
        "plugin-explorer.umd.js",
}
STATIC = "/static/graphiql/"
_EXAMPLE = re.compile(r"const EXAMPLE_QUERY = `.*?`;", re.S)


def static_folder() -> str:
    """Where the assets are on disk."""
    return str(resources.files("schema").joinpath("static"))


def explorer_page() -> str:
    """The explorer (``schema/static/explorer/``), with the colours of the entity types as in
    the Gephi export (``graph/data/palette.toml``)."""
    page = resources.files("schema").joinpath("static/explorer/index.html").read_text("utf-8")
    return page.replace("{{PALETTE}}", json.dumps(palette()))


def example(source: str, target: str) -> str:
    """The question the IDE opens on: how ``source`` reaches ``target``, every hop with its
    evidence and the document it comes from."""
    return f"""# How does one entity reach another?
# Ranked paths, with the evidence for every hop.
# Run it: the play button, or Ctrl-Enter.
# Arguments: k (paths), maxHops, mode (INFLUENCE
# follows who moves whom, CONNECTION ignores
# direction), relationTypes, entityTypes, asOf,
# minConfidence, hubPenalty (damps hubs).
{{
  influencePaths(source: {json.dumps(source)}, target: {json.dumps(target)}, k: 3) {{
    strength
    explanation
    hops {{
      type
      source {{ name type }}
      target {{ name type }}
      evidence {{ quote document {{ title published url source }} }}
    }}
  }}
}}
"""


def offline_graphiql(source: str, target: str) -> str:
    """strawberry's GraphiQL page, its assets local, opening on ``example(source, target)``."""
    page = get_graphql_ide_html(graphql_ide="graphiql")
    for remote, local in ASSETS.items():
        page = page.replace(remote, STATIC + local)
    query = example(source, target).replace("\\", "\\\\").replace("`", "\\`").replace("$", "\\$")
    return _EXAMPLE.sub(lambda _: f"const EXAMPLE_QUERY = `{query}`;", page, count=1)
