"""schema/schema.graphql is the schema the code builds; regenerate it with `make sdl`."""
from pathlib import Path

from schema.app import schema


def test_exported_sdl_matches_the_code():
    path = Path(__file__).resolve().parent.parent / "schema" / "schema.graphql"
    assert path.read_text(encoding="utf-8") == str(schema) + "\n"


def test_enums_are_the_ontology():
    sdl = str(schema)
    for name in ["Person", "LobbyGroup", "Company", "Agency", "Initiative", "Organization",
                 "Topic", "Place", "ROLE_AT", "LOBBIES", "PARTY_TO", "MEETS", "BASED_IN"]:
        assert f"  {name}\n" in sdl
