"""The bounds every query is held to, and the error type whose message users may see."""
from __future__ import annotations

import base64
from dataclasses import dataclass


class UserError(ValueError):
    """A mistake in the request (bad argument, unknown entity): its message is shown as is.
    Any other exception is masked as "Unexpected error." so no internals leak."""


@dataclass(frozen=True)
class Limits:
    max_depth: int = 10
    max_aliases: int = 15
    max_tokens: int = 2000
    max_fields: int = 2000  # fields selected once fragments are expanded
    validation_time: float = 2.0  # seconds a query's validation may take
    max_page_size: int = 100
    max_paths: int = 20
    max_hops: int = 6
    max_export_depth: int = 3
    max_hub_penalty: float = 10.0
    max_subgraph: int = 2000
    max_document_bytes: int = 5_000_000
    max_document_chars: int = 1_000_000  # characters of an ingested text (after HTML)
    max_search_chars: int = 200  # a search text
    max_name_chars: int = 500  # a name, alias or id given as an argument
    max_note_chars: int = 2_000  # a title, URL, date or merge reason
    max_passage_chars: int = 20_000  # a document passage asked for (Document.passage)
    time_budget: float = 10.0  # seconds an analytics query may run
    max_offset: int = 10_000  # how deep cursor pagination may go


LIMITS = Limits()


def bounded(name: str, value: int, limit: int) -> int:
    """``value`` if 1 <= value <= limit, else a UserError naming the argument.

    >>> bounded("k", 3, 20)
    3
    >>> bounded("k", 50, 20)
    Traceback (most recent call last):
    ...
    schema.limits.UserError: k must be between 1 and 20, not 50
    """
    if not 1 <= value <= limit:
        raise UserError(f"{name} must be between 1 and {limit}, not {value}")
    return value


def short(name: str, value: str | None, limit: int = LIMITS.max_name_chars) -> str | None:
    """``value`` if it is at most ``limit`` characters long, else a UserError naming the
    argument (a search or a name that long is a mistake or an attack, never a question).

    >>> short("text", "UK Finance", 200)
    'UK Finance'
    >>> short("text", "ab" * 150000, 200)
    Traceback (most recent call last):
    ...
    schema.limits.UserError: text is 300,000 characters long; the limit is 200
    """
    if value is not None and len(value) > limit:
        raise UserError(f"{name} is {len(value):,} characters long; the limit is {limit:,}")
    return value


def offset_cursor(offset: int) -> str:
    """An opaque cursor for the item at ``offset`` of a list.

    >>> cursor_offset(offset_cursor(41))
    41
    """
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def cursor_offset(cursor: str) -> int:
    """The offset a cursor from ``offset_cursor`` stands for; a UserError if it is not one."""
    try:
        kind, _, number = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if kind == "offset" and number.isdigit():
            return int(number)
    except (ValueError, UnicodeDecodeError):
        pass
    raise UserError(f"not a cursor: {cursor!r}")


def export_filters(params) -> dict:
    """The filters of ``/export/graph.gexf`` from its query parameters, checked and bounded.

    >>> export_filters({"types": "Person,Agency", "depth": "2", "ego": "UK Finance"})["depth"]
    2
    >>> export_filters({"relation_types": "LOBBIES,SPYING"})
    Traceback (most recent call last):
    ...
    schema.limits.UserError: unknown relation type 'SPYING'; choose from ROLE_AT, MEMBER_OF, \
LOBBIES, SUPPORTS, OPPOSES, PARTY_TO, RESPONSIBLE_FOR, REGULATES, COLLABORATES_WITH, \
ASSOCIATED_WITH, MEETS, RETAINS, FUNDS, BASED_IN
    """
    from graph.ontology import EntityType, RelationType, parse_names

    def names(key: str, enum, what: str) -> list[str] | None:
        try:
            return parse_names(params.get(key), enum, what)
        except ValueError as exc:
            raise UserError(str(exc)) from None

    def number(key: str, cast, default):
        try:
            return cast(params[key]) if params.get(key) not in (None, "") else default
        except ValueError:
            raise UserError(f"{key} must be a number, not {params[key]!r}") from None

    paths = params.get("from"), params.get("to")
    if (paths[0] is None) != (paths[1] is None):
        raise UserError("give both from and to, or neither")
    return {
        "entity_types": names("types", EntityType, "entity type"),
        "relation_types": names("relation_types", RelationType, "relation type"),
        "since": params.get("since") or None, "until": params.get("until") or None,
        "min_confidence": number("min_confidence", float, None),
        "ego": params.get("ego") or None,
        "depth": bounded("depth", number("depth", int, 1), LIMITS.max_export_depth),
        "paths": paths if paths[0] is not None else None,
        "k": bounded("k", number("k", int, 3), LIMITS.max_paths),
        "size_by": _one_of("size_by", params.get("size_by") or "pagerank",
                           ("pagerank", "degree")),
    }


def _one_of(name: str, value: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise UserError(f"{name} must be one of {', '.join(choices)}, not {value[:50]!r}")
    return value
