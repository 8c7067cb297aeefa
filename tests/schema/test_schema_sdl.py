"""schema/schema.graphql is the schema the code builds; regenerate it with `make sdl`."""
from pathlib import Path

from schema.app import schema


def test_exported_sdl_matches_the_code():
    path = Path(__file__).resolve().parents[2] / "schema" / "schema.graphql"
    assert path.read_text(encoding="utf-8") == str(schema) + "\n"


def test_enums_are_the_ontology():
    sdl = str(schema)
    for name in ["Person", "LobbyGroup", "Company", "Agency", "Initiative", "Organization",
                 "Topic", "Place", "ROLE_AT", "LOBBIES", "PARTY_TO", "MEETS", "BASED_IN"]:
        assert f"  {name}\n" in sdl


def test_every_field_and_argument_has_a_description():
    """GraphiQL's documentation explains everything (schema/descriptions.toml fills in what
    the code does not say)."""
    from graphql import GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType

    from schema.app import schema

    missing = []
    for name, t in schema._schema.type_map.items():
        if name.startswith("__") or not isinstance(
                t, (GraphQLObjectType, GraphQLInputObjectType, GraphQLInterfaceType)):
            continue
        for field_name, field in t.fields.items():
            missing += [f"{name}.{field_name}"] if not field.description else []
            missing += [f"{name}.{field_name}({a})" for a, arg in
                        getattr(field, "args", {}).items() if not arg.description]
    assert missing == []
