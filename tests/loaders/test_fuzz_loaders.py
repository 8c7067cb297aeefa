"""Fuzzing: every loader, fed malformed and random versions of real register samples and
articles, either stores one whole document or refuses the file with a one-line LoaderError;
never another exception, a hang, or part of a document. ``FUZZ_EXAMPLES`` sets the cases per
loader layout (default 40 here; ``bench/fuzz_loaders.py`` runs 10,000 and more)."""
from __future__ import annotations

import os

import pytest
from fuzzing import FORMATS, Tally, check_case, fuzzed, hostile, loader, seeds
from hypothesis import HealthCheck, given, settings
from invariants import check_store

from graph.store.sqlite import SQLiteStore

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))


@pytest.mark.parametrize("name", list(FORMATS))
def test_loader_survives_fuzzed_input(name, tmp_path):
    suffix, _ = seeds()[name]
    db = tmp_path / "fuzz.db"
    store, tally, rules = SQLiteStore(str(db)), Tally(), loader(name)

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(data=fuzzed(name))
    def case(data):
        check_case(tmp_path / f"case{suffix}", data, rules, store, tally)

    case()
    store.close()
    check_store(db)
    assert tally.loaded + tally.refused == 2 * EXAMPLES
    assert tally.refused, "no case was refused: the mutations are too timid"


def test_seeds_load_whole(tmp_path):
    """The unmutated seeds load without error (else every case above would be a refusal)."""
    store, tally = SQLiteStore(str(tmp_path / "s.db")), Tally()
    for name, (suffix, data) in seeds().items():
        rules = loader(name)
        check_case(tmp_path / f"{name}{suffix}", data, rules, store, tally)
    assert (tally.refused, tally.loaded) == (0, 2 * len(seeds()))
    # a register read through a mapping is the same document as read by its own loader
    assert store.stats()["documents"] == len({data for _, data in seeds().values()})


@pytest.mark.parametrize("name", list(hostile()))
def test_files_that_once_broke_a_load_are_refused(name, tmp_path):
    """Deep JSON (a RecursionError once), numbers of thousands of digits (a ValueError), a text
    longer than the extractor reads (spaCy's E088), files holding only a byte-order mark
    (stored once): refused by name, detected or forced through their loader."""
    suffix, fmt, data = hostile()[name]
    store, tally = SQLiteStore(str(tmp_path / "h.db")), Tally()
    check_case(tmp_path / f"case{suffix}", data, fmt, store, tally)
    assert (tally.loaded, tally.refused) == (0, 2), tally
    store.close()
