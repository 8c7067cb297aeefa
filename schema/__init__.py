"""The GraphQL API: the strawberry schema (``schema.app.schema``) and the ASGI app
(``schema.app.create_app``). Imports ``graph`` only."""
