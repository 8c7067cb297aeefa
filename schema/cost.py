"""What a query costs before it runs: its depth, its aliases and its fields, with every
fragment spread expanded, counted in time linear in the query's text.

Strawberry's depth and alias limiters expand a fragment again at each of its spreads, so a query
of a few hundred bytes whose fragments each spread the previous one twice takes exponential time
to check. Here each fragment is measured once and its figures reused at every spread; the
figures themselves may be astronomically large (Python's integers do not overflow), which is
what lets such a query be refused at once.

Examples
--------
>>> from graphql import parse
>>> doc = parse("query { ...F2 } fragment F0 on Query { a: stats { entities } } "
...             "fragment F1 on Query { ...F0 ...F0 } fragment F2 on Query { ...F1 ...F1 }")
>>> measure(doc)
{'anonymous': Cost(depth=1, aliases=4, fields=8)}
"""
from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
)


@dataclass(frozen=True)
class Cost:
    """A selection's depth (fields nested; introspection's ``__`` fields, whose nesting the
    schema bounds, not counted), aliases and fields, spreads expanded."""

    depth: int = 0
    aliases: int = 0
    fields: int = 0

    def __add__(self, other: "Cost") -> "Cost":
        return Cost(max(self.depth, other.depth), self.aliases + other.aliases,
                    self.fields + other.fields)


def measure(document: DocumentNode) -> dict[str, Cost]:
    """The cost of each operation of ``document``, by name ("anonymous" for one without)."""
    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, FragmentDefinitionNode)}
    memo: dict[str, Cost] = {}
    visiting: set[str] = set()

    def selection_set(node: SelectionSetNode | None) -> Cost:
        total = Cost()
        for s in node.selections if node is not None else ():
            if isinstance(s, FieldNode):
                inner = selection_set(s.selection_set)
                deeper = s.selection_set and not s.name.value.startswith("__")
                total += Cost(inner.depth + 1 if deeper else 0,
                              inner.aliases + (s.alias is not None), inner.fields + 1)
            elif isinstance(s, InlineFragmentNode):
                total += selection_set(s.selection_set)
            elif isinstance(s, FragmentSpreadNode):
                total += fragment(s.name.value)
        return total

    def fragment(name: str) -> Cost:
        if name not in memo:
            if name in visiting or name not in fragments:
                return Cost()  # a cycle or an unknown fragment: other rules report those
            visiting.add(name)
            memo[name] = selection_set(fragments[name].selection_set)
            visiting.discard(name)
        return memo[name]

    return {(d.name.value if d.name else "anonymous"): selection_set(d.selection_set)
            for d in document.definitions if isinstance(d, OperationDefinitionNode)}


def cost_rule(max_depth: int, max_aliases: int, max_fields: int) -> type[ValidationRule]:
    """A validation rule refusing operations deeper than ``max_depth``, with more than
    ``max_aliases`` aliases or more than ``max_fields`` fields, fragments expanded."""

    class CostRule(ValidationRule):
        def enter_document(self, node: DocumentNode, *_args):
            for name, cost in measure(node).items():
                if cost.depth > max_depth:
                    self.report_error(GraphQLError(
                        f"'{name}' exceeds maximum operation depth of {max_depth}"))
                if cost.aliases > max_aliases:
                    self.report_error(GraphQLError(
                        f"{_count(cost.aliases)} aliases found. Allowed: {max_aliases}"))
                if cost.fields > max_fields:
                    self.report_error(GraphQLError(
                        f"'{name}' selects {_count(cost.fields)} fields once its fragments "
                        f"are expanded; the limit is {max_fields}"))
            return self.BREAK

    return CostRule


def _count(n: int) -> str:
    """A count for a message, however many digits it has.

    >>> _count(12), _count(2 ** 200)
    ('12', 'more than 10^18')
    """
    return str(n) if n <= 10 ** 18 else "more than 10^18"
