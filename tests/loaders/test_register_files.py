"""Every real register file of the development set loads: for each, the records read (the
file's records less its documented skips) and a fact it states, and ``load --explain`` names
how it is read.

The files come from ``tests/fixtures`` and ``examples/registers`` where their licence lets the
repository hold them. The four whose licence is not stated are not in the repository: they are
read from the folder ``STAKEGRAPH_SHARED_DATA`` names, when it is set, and skipped otherwise.

Records read are the distinct evidence spans of the relations a record gives: a UK return's
meetings, gifts, hospitality and trips (a trip over several rows is one), an MEP meeting, an
LDA filing, an LD-203 contribution, a mapped register's record.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run_cli

from loaders import MAPPINGS_ENV, detect, extract_path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "examples" / "registers"
SHARED = os.environ.get("STAKEGRAPH_SHARED_DATA")  # a folder of the register files
UK = ("MEETS", "FUNDS", "ASSOCIATED_WITH")

# (file, where the repository has it (None: STAKEGRAPH_SHARED_DATA only), the shipped mapping
#  detection must choose for it, the relation types a record gives (None: any), records, a
#  fact: (source, type, target))
FILES = [
    ("uk-ministerial-meetings/CO_meetings_jan_mar_14.csv", FIXTURES, None, UK, 225,
     ("Francis Maude", "MEETS", "Vodafone")),
    ("uk-ministerial-meetings/PM_meetings_jan_mar_14.csv", FIXTURES, None, UK, 33,
     ("David Cameron", "ROLE_AT", "Prime Minister's Office")),
    ("uk-ministerial-meetings/bmmeetingsjulsep2013.csv", FIXTURES, None, UK, 39, None),
    ("uk-ministerial-meetings/co_hospitality_jan_mar_14.csv", FIXTURES, None, UK, 28, None),
    ("uk-ministerial-meetings/comeetingsaprjun13.csv", FIXTURES, None, UK, 188, None),
    ("uk-ministerial-meetings/dpm_meetings_jan_mar_14.csv", FIXTURES, None, UK, 7, None),
    ("uk-ministerial-meetings/leaders_meetings_jan_mar_14.csv", FIXTURES, None, UK, 24, None),
    ("uk-ministerial-meetings/pm-meetings_0_0.csv", FIXTURES, None, UK, 18,
     ("David Cameron", "MEETS", "Ratan Tata")),
    ("uk-ministerial-meetings/dpm-meetings-aug-sept-2010.csv", FIXTURES, None, UK, 19,
     ("Nick Clegg", "MEETS", "FIFA")),
    ("uk-ministerial-meetings/co-meetings-oct-dec-2010.csv", FIXTURES, None, UK, 162,
     ("Francis Maude", "MEETS", "British Land")),
    ("uk-ministerial-meetings/bmsmeetingsmedia.csv", FIXTURES, None, UK, 14, None),
    ("uk-ministerial-meetings/bmmeetingsjanmar2012.csv", FIXTURES, None, UK, 10,
     ("Lord Strathclyde", "ROLE_AT", "Office of the Leader of the House of Lords")),
    ("uk-ministerial-meetings/comeetingsaprjun2011.csv", FIXTURES, None, UK, 115, None),
    ("uk-ministerial-meetings/co-hospitality-aug-sept-2010.csv", FIXTURES, None, UK, 16, None),
    # 19 rows, 4 of them nil returns
    ("uk-ministerial-meetings/leaders-whips-hospitality.csv", FIXTURES, None, UK, 15,
     ("De La Rue", "FUNDS", "George Young")),
    ("uk-ministerial-meetings/cohospitalityoctdec2011.csv", FIXTURES, None, UK, 28, None),
    ("uk-ministerial-meetings/bmhospitalityaprjun2012.csv", FIXTURES, None, UK, 20,
     ("Daily Mail", "FUNDS", "Lord Strathclyde")),
    ("uk-ministerial-meetings/pm-gifts-received-oct-dec-2010.csv", FIXTURES, None, UK, 14,
     ("Governor of California", "FUNDS", "David Cameron")),
    ("uk-ministerial-meetings/pmgiftsreceivedjulyseptember.csv", FIXTURES, None, UK, 6,
     ("President of Azerbaijan", "FUNDS", "David Cameron")),
    ("uk-ministerial-meetings/CO_overseas_travel_jan_mar_14.csv", FIXTURES, None, UK, 13,
     ("Oliver Letwin", "ASSOCIATED_WITH", "Mumbai")),
    ("uk-ministerial-meetings/pm-overseas-travel_1_0.csv", FIXTURES, None, UK, 6,
     ("David Cameron", "ASSOCIATED_WITH", "Toronto")),
    ("uk-electoral-commission-donations/EC-Export-20141215-1737.csv", FIXTURES,
     "uk-electoral-commission-donations.yaml", None, 2709, None),
    ("eu-mep-meetings/integritywatch_mep_meetings_tech_subset.csv", FIXTURES, None,
     ("MEETS",), 603, None),
    ("eu-mep-meetings/integritywatch_mepmeetings_bkp_first1500.csv", None, None, ("MEETS",),
     1500, None),
    ("eu-mep-meetings/integritywatch_mepmeetings_bkp130520_first1500.csv", None, None,
     ("MEETS",), 1500, None),
    ("us-lda/lda_api_v1_filings_18.json", FIXTURES, None, None, 18, None),
    ("us-lda/senate_lda_bulk_2017Q1_subset300.xml", FIXTURES, None, None, 300, None),
    ("us-lda/senate_lda_bulk_2016_3_8_2.xml", FIXTURES, None, None, 59, None),
    ("us-lda/senate_2013_4_11_1_LD203.xml", FIXTURES, None, ("FUNDS",), 82, None),
    ("us-lda/senate_2010_2_5_1_LD203.xml", FIXTURES, None, ("FUNDS",), 211, None),
    ("ftm/nomenklatura_donations_de.ijson", FIXTURES, None, ("FUNDS",), 290,
     ("Lina Dachner", "FUNDS", "MLPD")),
    ("ftm/ftmq_donations_with_caption.ijson", FIXTURES, None, ("FUNDS",), 290,
     ("Lina Dachner", "FUNDS", "MLPD")),
    # 151 PublicBody entities and no links: the entities are the records
    ("ftm/ftmq_eu_authorities.ftm.json", None, None, (), 0, None),
    ("fr-lobbying-registers/registre-lobbying-AN-v1-131229.csv",
     EXAMPLES / "fr-assemblee-nationale", "fr-assemblee-nationale.yaml", None, 236, None),
    ("fr-lobbying-registers/registre-lobbying-Senat-140104.csv", EXAMPLES / "fr-senat",
     "fr-senat.yaml", None, 114, None),
    ("fr-lobbying-registers/registre-lobbying-HATVP-ORGA_PUB.json", EXAMPLES / "fr-hatvp",
     "fr-hatvp.yaml", None, 18, None),
    # 12,949 declarations, 5 of them naming no one (docs/loaders.md)
    ("fr-integritywatch-interests/integritywatch_fr_interets.csv", None,
     "fr-integritywatch-interests.yaml", None, 12944, None),
]


def located(name: str, where: Path | None) -> Path:
    if where is not None:
        found = [p for p in (where / name, where / Path(name).name) if p.exists()]
        if found:
            return found[0]
    path = Path(SHARED or "") / name
    if not SHARED or not path.exists():
        pytest.skip(f"{name} is not in the repository (its licence is not stated); set "
                    "STAKEGRAPH_SHARED_DATA to a folder that holds it")
    return path


@pytest.mark.parametrize("name, where, mapping, kinds, records, fact", FILES,
                         ids=[f[0].split("/")[-1] for f in FILES])
def test_every_register_file_loads_every_record(name, where, mapping, kinds, records, fact,
                                                monkeypatch):
    """Every file loads as `stakegraph load FILE` reads it: a register with no built-in loader
    through the mapping written for it, which detection picks from the folder
    STAKEGRAPH_MAPPINGS names (here examples/registers) by the file's content."""
    path = located(name, where)
    if mapping:
        monkeypatch.setenv(MAPPINGS_ENV, str(EXAMPLES))
        assert detect(path) == f"mapping:{Path(mapping).stem}"
    ex = extract_path(path)
    ex.validate()
    read = {(ev.start, ev.end) for r in ex.relations
            if kinds is None or r.type.value in kinds for ev in r.evidence}
    assert len(read) == records
    if name.endswith("eu_authorities.ftm.json"):
        assert sum(e.type.value == "Agency" for e in ex.entities) == 151
    if fact is not None:
        names = {e.id: e.name for e in ex.entities}
        assert fact in {(names[r.source], r.type.value, names[r.target]) for r in ex.relations}
    out = run_cli("load", "--explain", str(path),
                  env={MAPPINGS_ENV: str(EXAMPLES)} if mapping else None)
    assert out.returncode == 0 and str(path) in out.stdout, out.stdout + out.stderr
    if mapping:
        assert f"mapping {Path(mapping).stem} " in out.stdout
