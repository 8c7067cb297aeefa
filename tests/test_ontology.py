"""The ontology's data file is checked on load, and the user-facing document agrees with it."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from graph.ontology import (
    RULES_FILE,
    EntityType,
    OntologyError,
    RelationType,
    _relation_rules,
    check_rules,
)

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "ontology.md").read_text(encoding="utf-8")


def _rules() -> dict:
    return tomllib.loads((ROOT / RULES_FILE).read_text(encoding="utf-8"))


def test_the_shipped_rules_pass_the_check():
    assert set(_relation_rules()) == set(RelationType.__members__)


@pytest.mark.parametrize("change, message", [
    (lambda r: r["LOBBIES"]["target"].append("Spaceship"),
     "[LOBBIES] target: unknown entity type 'Spaceship'"),
    (lambda r: r.update(BRIBES=dict(r["FUNDS"])), "[BRIBES] is not a relation type"),
    (lambda r: r.pop("MEETS"), "no section for relation types MEETS"),
    (lambda r: r["FUNDS"].pop("phrase"), "[FUNDS] lacks 'phrase'"),
    (lambda r: r["FUNDS"].update(weight=1.5), "[FUNDS] weight: 1.5 is not a weight"),
    (lambda r: r["FUNDS"].update(weight="high"), "[FUNDS] weight: 'high' is not a number"),
    (lambda r: r["FUNDS"].update(symmetric="yes"), "[FUNDS] symmetric: 'yes' is not a true/false"),
    (lambda r: r["FUNDS"].update(influence="backward"), "[FUNDS] influence: 'backward'"),
    (lambda r: r["FUNDS"].update(colour="red"), "[FUNDS] colour: unknown key"),
    (lambda r: r["LOBBIES"]["weight_at"].update(Planet=0.1),
     "[LOBBIES] weight_at.Planet: unknown entity type"),
])
def test_a_wrong_rules_file_is_refused_with_file_and_key(change, message):
    rules = _rules()
    change(rules)
    with pytest.raises(OntologyError) as err:
        check_rules(rules, "my/relations.toml")
    assert str(err.value).startswith("my/relations.toml: ")
    assert message in str(err.value)


def _table(heading: str) -> dict[str, list[str]]:
    section = DOC.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line.strip("|").split("|") for line in section.splitlines()
            if line.startswith("| `")]
    return {cells[0].strip().strip("`"): [c.strip() for c in cells[1:]] for cells in rows}


def test_the_document_names_every_type_and_no_other():
    assert list(_table("Entity types")) == list(EntityType.__members__)
    assert list(_table("Relation types")) == list(RelationType.__members__)


def test_the_documented_weights_and_symmetry_are_those_of_the_data():
    for name, (ends, _meaning, weight) in _table("Relation types").items():
        rtype = RelationType(name)
        numbers = [float(n) for n in re.findall(r"\d\.\d+", weight)]
        assert numbers[0] == rtype.weight, name
        assert numbers[1:] == [float(v) for v in _rules()[name].get("weight_at", {}).values()]
        assert ends.startswith("symmetric") == rtype.symmetric, name
