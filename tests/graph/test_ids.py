"""Ids held as arrays behave as the sorted lists of strings they replace, whatever the ids."""
from __future__ import annotations

from bisect import bisect_left

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from graph.ids import Ids

IDS = st.lists(st.text(min_size=0, max_size=12), unique=True, max_size=40)


@given(IDS, st.text(max_size=12))
def test_sorted_ids_are_searched_as_a_sorted_list(ids, x):
    ordered = sorted(ids)
    held = Ids.of(ordered)
    assert list(held) == ordered and len(held) == len(ordered)
    assert [held[i] for i in range(-len(ordered), len(ordered))] == ordered + ordered
    assert held.bisect(x) == bisect_left(ordered, x)
    assert held.find(x) == (ordered.index(x) if x in ordered else None)


@given(IDS, st.data())
def test_a_splice_is_the_list_with_ids_out_and_in(ids, data):
    ordered = sorted(ids)
    gone = sorted(data.draw(st.sets(st.sampled_from(range(len(ordered))))) if ordered else [])
    new = sorted(data.draw(st.sets(st.text(max_size=12).filter(lambda x: x not in ids),
                                   max_size=8)))
    expected = sorted([x for i, x in enumerate(ordered) if i not in gone] + new)
    assert list(Ids.of(ordered).spliced(gone, new)) == expected


@given(IDS, IDS, st.data())
def test_ids_extended_and_taken(first, more, data):
    held = Ids.of(first).extended(more)
    assert list(held) == first + more
    places = data.draw(st.lists(st.sampled_from(range(len(held))))) if len(held) else []
    assert list(held.taken(np.array(places, np.int64))) == [(first + more)[i] for i in places]


def test_saved_ids_are_read_back_memory_mapped(tmp_path):
    held = Ids.of(["Agency:ofcom", "Person:zoë-lind", "rel:00ff"])
    held.save(tmp_path, "nodes")
    again = Ids.load(tmp_path, "nodes")
    assert isinstance(again.blob, np.memmap) and again == held
    assert again.find("Person:zoë-lind") == 1


@given(IDS, st.lists(st.lists(st.text(max_size=6), max_size=3), max_size=6))
def test_ids_grown_in_place_leave_the_ids_they_grew_from_as_they_were(first, batches):
    """Each index after a write extends its relation ids in the same arrays: the index
    before it (still answering queries) must see its own ids, and a second extension of the
    same ids (another patch of the same index) must not write over the first."""
    held, expected, seen = Ids.of(first), list(first), []
    for batch in batches:
        seen.append((held, list(expected)))
        held, expected = held.extended(batch), expected + batch
    assert list(held) == expected
    for old, ids in seen:
        assert list(old) == ids
        if ids:
            branch = old.extended(["other"])
            assert list(branch) == ids + ["other"] and list(held) == expected
