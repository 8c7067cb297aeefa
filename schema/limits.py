"""The bounds every query is held to, and the error type whose message users may see."""
from __future__ import annotations

from dataclasses import dataclass


class UserError(ValueError):
    """A mistake in the request (bad argument, unknown entity): its message is shown as is.
    Any other exception is masked as "Unexpected error." so no internals leak."""


@dataclass(frozen=True)
class Limits:
    max_depth: int = 10
    max_aliases: int = 15
    max_tokens: int = 2000
    max_page_size: int = 100
    max_paths: int = 20
    max_hops: int = 6


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
