"""The ontology's data file is checked on load, and the user-facing document agrees with it."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from graph.ontology import (
    MODEL_FILE,
    ORGANISATIONS,
    EntityType,
    OntologyError,
    RelationType,
    check_model,
)

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "ontology.md").read_text(encoding="utf-8")


def _model() -> dict:
    return tomllib.loads((ROOT / MODEL_FILE).read_text(encoding="utf-8"))


def test_the_enums_are_made_from_the_data_file():
    model = _model()
    assert list(EntityType.__members__) == list(model["entities"])
    assert list(RelationType.__members__) == list(model["relations"])
    assert {t.value for t in ORGANISATIONS} == {
        n for n, rule in model["entities"].items() if rule.get("organisation")}
    assert check_model(model) == model


def _relations(change):
    return lambda m: change(m["relations"])


@pytest.mark.parametrize("change, message", [
    (_relations(lambda r: r["LOBBIES"]["target"].append("Spaceship")),
     "[relations.LOBBIES] target: unknown entity type 'Spaceship'"),
    (lambda m: m["entities"].pop("Topic"),
     "[relations.SUPPORTS] target: unknown entity type 'Topic'"),
    (lambda m: m["entities"]["Person"].update(organisation="no"),
     "[entities.Person] organisation: 'no' is not a true/false"),
    (lambda m: m["entities"].update({"Space ship": {"means": "a vessel"}}),
     "[entities.Space ship]: a type's name is one word"),
    (lambda m: m.pop("relations"), "no [relations.<name>] section"),
    (lambda m: m.update(colours={}), "[colours] is not a part of the ontology"),
    (_relations(lambda r: r["FUNDS"].pop("phrase")), "[relations.FUNDS] lacks 'phrase'"),
    (_relations(lambda r: r["FUNDS"].update(weight=1.5)),
     "[relations.FUNDS] weight: 1.5 is not a weight"),
    (_relations(lambda r: r["FUNDS"].update(weight="high")),
     "[relations.FUNDS] weight: 'high' is not a number"),
    (_relations(lambda r: r["FUNDS"].update(symmetric="yes")),
     "[relations.FUNDS] symmetric: 'yes' is not a true/false"),
    (_relations(lambda r: r["FUNDS"].update(influence="backward")),
     "[relations.FUNDS] influence: 'backward'"),
    (_relations(lambda r: r["FUNDS"].update(colour="red")),
     "[relations.FUNDS] colour: unknown key"),
    (_relations(lambda r: r["LOBBIES"]["weight_at"].update(Planet=0.1)),
     "[relations.LOBBIES] weight_at.Planet: unknown entity type"),
])
def test_a_wrong_model_file_is_refused_with_file_and_key(change, message):
    model = _model()
    change(model)
    with pytest.raises(OntologyError) as err:
        check_model(model, "my/ontology.toml")
    assert str(err.value).startswith("my/ontology.toml: ")
    assert message in str(err.value)


def _table(heading: str) -> dict[str, list[str]]:
    section = DOC.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line.strip("|").split("|") for line in section.splitlines()
            if line.startswith("| `")]
    return {cells[0].strip().strip("`"): [c.strip() for c in cells[1:]] for cells in rows}


def test_the_document_names_every_type_and_no_other():
    assert list(_table("Entity types")) == list(EntityType.__members__)
    for name, (means, _examples) in _table("Entity types").items():
        assert means == _model()["entities"][name]["means"], name
    assert list(_table("Relation types")) == list(RelationType.__members__)


def test_the_documented_weights_and_symmetry_are_those_of_the_data():
    for name, (ends, _meaning, weight) in _table("Relation types").items():
        rtype = RelationType(name)
        numbers = [float(n) for n in re.findall(r"\d\.\d+", weight)]
        assert numbers[0] == rtype.weight, name
        assert numbers[1:] == [float(v) for v in
                               _model()["relations"][name].get("weight_at", {}).values()]
        assert ends.startswith("symmetric") == rtype.symmetric, name
