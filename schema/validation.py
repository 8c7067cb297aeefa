"""Validation off the event loop, with a time limit, and its verdicts cached per query text.

Strawberry validates a query on the event-loop thread, so one costly query holds every other
request (``/health`` too) until it is checked. ``OffLoopValidation`` runs graphql-core's rules
and ours in a worker thread and waits for at most ``timeout`` seconds; past that the client is
told so and the loop is free at once. Verdicts are cached for ``maxsize`` query texts (as
strawberry's ``ValidationCache`` does), so a client repeating a query pays for it once. With
``suggestions=False`` (a server without introspection) errors do not suggest field names.
"""
from __future__ import annotations

import asyncio
import re
from functools import lru_cache
from typing import AsyncIterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document


@lru_cache(maxsize=8)
def _cached(maxsize: int):
    return lru_cache(maxsize=maxsize)(validate_document)


class OffLoopValidation(SchemaExtension):
    """Validate in a worker thread within ``timeout`` seconds; cache verdicts by query."""

    def __init__(self, timeout: float, maxsize: int = 256, suggestions: bool = True) -> None:
        super().__init__()
        self.timeout, self.validate, self.suggestions = timeout, _cached(maxsize), suggestions

    async def on_validate(self) -> AsyncIterator[None]:
        ctx = self.execution_context
        try:
            errors = await asyncio.wait_for(asyncio.to_thread(
                self.validate, ctx.schema._schema, ctx.graphql_document,
                ctx.validation_rules), self.timeout)
        except asyncio.TimeoutError:
            errors = [GraphQLError(f"the query took longer than {self.timeout:g} s to "
                                   "validate; send a smaller one")]
        if not self.suggestions:  # "Did you mean ...?" would name fields introspection hides
            errors = [GraphQLError(_SUGGESTION.sub("", e.message), e.nodes) for e in errors]
        ctx.pre_execution_errors = list(errors)
        yield


_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")
