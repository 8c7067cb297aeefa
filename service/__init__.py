"""The use cases every front door calls, once: ingest documents (``service.ingest``), curate
the graph (``service.curate``), ask it (``service.ask``) and export it (``service.export``).

The CLI (``stakegraph.cli``), the notebook API (``stakegraph.api``) and the GraphQL resolvers
(``schema/``) parse, present and transport; what they do with a store is here. This package
imports ``graph`` and ``loaders`` only (an import-linter contract in ``pyproject.toml``).
"""
