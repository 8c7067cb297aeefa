"""Each rule family on sentences written for these tests, in other policy fields than the
dev articles. Every case states the exact entities or relations expected."""
from __future__ import annotations

import pytest

from graph.model import Document
from loaders import default_extractor


def extract(text: str):
    ex = default_extractor().extract(Document.from_text(text))
    names = {e.id: e.name for e in ex.entities}
    ents = {(e.name, e.type.value) for e in ex.entities}
    rels = {(names[r.source], r.type.value, names[r.target]) for r in ex.relations}
    return ents, rels


ENTITY_CASES = [
    ("Health Secretary Wes Streeting met the British Medical Association on Tuesday.",
     {("Wes Streeting", "Person"), ("British Medical Association", "LobbyGroup")}),
    ("The Competition and Markets Authority opened an inquiry.",
     {("Competition and Markets Authority", "Agency")}),
    ("Officials at the Department for Environment, Food and Rural Affairs declined to comment.",
     {("Department for Environment, Food and Rural Affairs", "Agency")}),
    ("The think tank Bright Blue published a report on housing.",
     {("Bright Blue", "LobbyGroup")}),
    ("Chipmaker Graphcore said it would expand in Bristol.", {("Graphcore", "Company")}),
    ("Farming trade bodies, including the National Farmers' Union and Countryside Alliance, "
     "wrote to ministers.",
     {("National Farmers' Union", "LobbyGroup"), ("Countryside Alliance", "LobbyGroup")}),
    ("The EU-Japan Digital Partnership was signed in Tokyo.",
     {("EU-Japan Digital Partnership", "Initiative"), ("Tokyo", "Place")}),
    ("Vaping and online gambling are the next targets.",
     {("tobacco", "Topic"), ("gambling", "Topic")}),
    ("Stablecoins are growing. Regulators remain wary of stablecoins.",
     {("stablecoins", "Topic")}),
    ("The French government and the German government disagreed.",
     {("French government", "Agency"), ("German government", "Agency")}),
]


@pytest.mark.parametrize("text,expected", ENTITY_CASES)
def test_entities(text, expected):
    ents, _ = extract(text)
    assert ents == expected


RELATION_CASES = [
    # titles and roles
    ("Acme Energy chief executive Maria Lopez spoke first.",
     {("Maria Lopez", "ROLE_AT", "Acme Energy")}),
    ("Barclays’s Tom Reed joined the panel.", {("Tom Reed", "ROLE_AT", "Barclays")}),
    ("Home Secretary Yvette Cooper spoke.", {("Yvette Cooper", "ROLE_AT", "Home Office")}),
    # lobbying: letters, urging, lists distribute
    ("In a letter to Energy Minister Sam Hill and Environment Secretary Ann Bird, trade bodies "
     "including the Solar Trade Association and RenewableUK asked for a review.",
     {("Solar Trade Association", "LOBBIES", "Sam Hill"),
      ("Solar Trade Association", "LOBBIES", "Ann Bird"),
      ("RenewableUK", "LOBBIES", "Sam Hill"), ("RenewableUK", "LOBBIES", "Ann Bird")}),
    ("The Tobacco Manufacturers' Association urged the Department of Health to delay the plan.",
     {("Tobacco Manufacturers' Association", "LOBBIES", "Department of Health")}),
    # stances
    ("The Confederation of British Industry backed the Planning and Infrastructure Bill.",
     {("Confederation of British Industry", "SUPPORTS", "Planning and Infrastructure Bill")}),
    ("The Taxpayers' Alliance opposed the Online Safety Act.",
     {("Taxpayers' Alliance", "OPPOSES", "Online Safety Act")}),
    # meetings and collaboration
    ("Chancellor Jeremy Hunt held talks with Governor Andrew Bailey.",
     {("Jeremy Hunt", "MEETS", "Andrew Bailey"), ("Jeremy Hunt", "ROLE_AT", "HM Treasury")}),
    ("The deal between Vodafone Group and Three Group was approved.",
     {("Vodafone Group", "COLLABORATES_WITH", "Three Group")}),
    ("Canada and Mexico have agreed the Border Security Compact.",
     {("Canada", "COLLABORATES_WITH", "Mexico"),
      ("Canada", "PARTY_TO", "Border Security Compact"),
      ("Mexico", "PARTY_TO", "Border Security Compact")}),
    # regulation, funding, retaining, basing
    ("Revolut is regulated by the Financial Conduct Authority.",
     {("Financial Conduct Authority", "REGULATES", "Revolut")}),
    ("The Gates Foundation funded the Global Health Alliance.",
     {("Gates Foundation", "FUNDS", "Global Health Alliance")}),
    ("Meta hired the lobbying firm Portland Communications Group.",
     {("Meta", "RETAINS", "Portland Communications Group")}),
]


@pytest.mark.parametrize("text,expected", RELATION_CASES)
def test_relations(text, expected):
    _, rels = extract(text)
    assert rels == expected


def test_pronoun_relations_are_marked_inferred():
    text = ("President Ana Silva arrived on Monday. Her delegation includes Acme chief "
            "executive Bo Lind and Pedro Ruiz, who said little.")
    ex = default_extractor().extract(Document.from_text(text))
    names = {e.id: e.name for e in ex.entities}
    assoc = [r for r in ex.relations if r.type.value == "ASSOCIATED_WITH"]
    assert {(names[r.source], names[r.target]) for r in assoc} == \
        {("Ana Silva", "Bo Lind"), ("Ana Silva", "Pedro Ruiz")}
    assert all(r.attributes.get("inferred") and r.evidence[0].confidence < 0.6 for r in assoc)
