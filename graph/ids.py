"""Many ids held as two arrays, not as Python strings: the ids' UTF-8 bytes one after another
and where each starts. A million entity ids take their bytes and 8 more each (a list of
Python strings takes about 80 each), and a saved index maps both arrays from its files, so a
server that opens a graph holds none of them of its own until a write changes them.

An ``Ids`` is a read-only sequence of str; sorted ones are searched by bisection on the
bytes (UTF-8 bytes sort as their strings do), and changed by whole-array steps (``spliced``,
``extended``, ``taken``) that make a new ``Ids`` and leave the old one as it was (an index
being queried keeps its ids while a write makes the next). ``extended`` writes after the
old ids in arrays with room to spare, so relation ids added a few at a time are not all
copied at each write.

Examples
--------
>>> ids = Ids.of(["Person:ann", "Person:bob", "Agency:x"])
>>> len(ids), ids[1], ids[-1], list(ids)
(3, 'Person:bob', 'Agency:x', ['Person:ann', 'Person:bob', 'Agency:x'])
>>> sorted_ids = Ids.of(["a", "c", "e"])
>>> sorted_ids.find("c"), sorted_ids.find("d"), sorted_ids.bisect("d")
(1, None, 2)
>>> list(sorted_ids.spliced(gone=[0], new=["b", "d", "f"]))
['b', 'c', 'd', 'e', 'f']
>>> list(ids.extended(["r9"]).taken([3, 0]))
['r9', 'Person:ann']
"""
from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np


class Ids(Sequence):
    """Strings as one array of UTF-8 bytes (``blob``) and one of where each starts and the
    last ends (``offsets``, one longer than the ids)."""

    __slots__ = ("blob", "offsets", "_room")

    def __init__(self, blob: np.ndarray, offsets: np.ndarray,
                 room: _Room | None = None) -> None:
        self.blob, self.offsets = blob, offsets
        self._room = room  # the arrays these are the start of, when ``extended`` made them

    @classmethod
    def of(cls, ids: Iterable[str]) -> Ids:
        """The ids given, in their order."""
        ids = ids if isinstance(ids, list) else list(ids)
        joined = "".join(ids)
        if joined.isascii():  # as ids mostly are: one encoding, each length its bytes'
            data, lengths = joined.encode("ascii"), np.fromiter(map(len, ids), np.int64, len(ids))
        else:
            encoded = [x.encode("utf-8") for x in ids]
            data, lengths = b"".join(encoded), np.fromiter(map(len, encoded), np.int64, len(ids))
        return cls(np.frombuffer(data, np.uint8).copy(), _offsets(lengths))

    @classmethod
    def load(cls, folder: Path, name: str) -> Ids:
        """The ids saved by ``save`` as ``name`` in ``folder``, their arrays memory-mapped."""
        return cls(np.load(folder / f"{name}.bytes.npy", mmap_mode="r"),
                   np.load(folder / f"{name}.offsets.npy", mmap_mode="r"))

    def save(self, folder: Path, name: str) -> None:
        np.save(folder / f"{name}.bytes.npy", np.ascontiguousarray(self.blob))
        np.save(folder / f"{name}.offsets.npy", np.ascontiguousarray(self.offsets))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def _bytes(self, i: int) -> bytes:
        return self.blob[self.offsets[i]:self.offsets[i + 1]].tobytes()

    def __getitem__(self, i):  # an id by its place; a slice gives a list of them
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        i = int(i)
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._bytes(i).decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        data, offsets = self.blob.tobytes(), self.offsets.tolist()
        return (data[a:b].decode("utf-8") for a, b in zip(offsets, offsets[1:]))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and len(self) == len(other) \
            and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Ids({len(self)} ids)"

    @property
    def nbytes(self) -> int:
        return self.blob.nbytes + self.offsets.nbytes

    # -- sorted ids -------------------------------------------------------------------------

    def bisect(self, x: str) -> int:
        """Where ``x`` would go among these ids, sorted: before any equal to it."""
        key, lo, hi = x.encode("utf-8"), 0, len(self)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._bytes(mid) < key:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def find(self, x: str) -> int | None:
        """The place of ``x`` among these ids, sorted; None when it is not one of them."""
        i = self.bisect(x)
        return i if i < len(self) and self._bytes(i) == x.encode("utf-8") else None

    def spliced(self, gone: Sequence[int], new: Sequence[str]) -> Ids:
        """These ids, sorted, without those at the places ``gone`` and with ``new`` (sorted,
        none of them here) each in its sorted place."""
        blob, lengths = self.blob, np.diff(self.offsets)
        if len(gone):  # the bytes between those that go, joined
            gone = np.asarray(gone, np.int64)
            cuts = np.column_stack([self.offsets[gone], self.offsets[gone + 1]]).ravel()
            bounds = np.concatenate([[0], cuts, [len(blob)]]).reshape(-1, 2)
            blob = np.concatenate([blob[a:b] for a, b in bounds])
            lengths = np.delete(lengths, gone)
        if not len(new):
            return Ids(np.array(blob), _offsets(lengths))
        rest = Ids(blob, _offsets(lengths))
        at = [rest.bisect(x) for x in new]  # ascending, as ``new`` is sorted
        encoded = [np.frombuffer(x.encode("utf-8"), np.uint8) for x in new]
        sizes = [np.array([len(b)], np.int64) for b in encoded]
        blob = _interleaved(blob, rest.offsets[at].tolist(), encoded)
        return Ids(blob, _offsets(_interleaved(lengths, at, sizes)))

    # -- any ids ----------------------------------------------------------------------------

    def extended(self, more: Sequence[str]) -> Ids:
        """These ids and then ``more``. The new ids are written after these in arrays with
        room to spare, which the next ``extended`` of the result fills in place (these ids,
        the start of the same arrays, stay as they are), so that ids added a few at a time
        are not all copied each time."""
        if not len(more):
            return self
        added = Ids.of(more)
        n, size = len(self), int(self.offsets[-1])
        grown_n, grown_size = n + len(added), size + len(added.blob)
        room = self._room
        if room is None or not room.claim(n, grown_n, grown_size):
            # new arrays, a quarter larger than needed (untouched pages cost no memory)
            room = _Room(np.empty(grown_size + grown_size // 4 + 64, np.uint8),
                         np.empty(grown_n + grown_n // 4 + 8, np.int64))
            room.claim(0, grown_n, grown_size)
            room.blob[:size] = self.blob
            room.offsets[:n + 1] = self.offsets
        room.blob[size:grown_size] = added.blob
        room.offsets[n + 1:grown_n + 1] = added.offsets[1:] + size
        return Ids(room.blob[:grown_size], room.offsets[:grown_n + 1], room)

    def taken(self, places: np.ndarray | Sequence[int]) -> Ids:
        """The ids at ``places``, in that order."""
        places = np.asarray(places, np.int64)
        starts, lengths = self.offsets[places], np.diff(self.offsets)[places]
        offsets = _offsets(lengths)
        where = np.repeat(starts - offsets[:-1], lengths) + np.arange(offsets[-1])
        return Ids(self.blob[where], offsets)


class _Room:
    """Arrays that ids are written into from the start, and how many ids they hold."""

    __slots__ = ("blob", "offsets", "used", "_lock")

    def __init__(self, blob: np.ndarray, offsets: np.ndarray) -> None:
        self.blob, self.offsets, self.used = blob, offsets, 0
        self._lock = threading.Lock()

    def claim(self, used: int, count: int, size: int) -> bool:
        """Take the room after the first ``used`` ids for ids up to ``count`` of ``size``
        bytes in all: only the ids that end where the arrays' last writing ended may grow
        in place, once (another growth of the same ids copies them)."""
        with self._lock:
            if self.used != used or count + 1 > len(self.offsets) or size > len(self.blob):
                return False
            self.used = count
            return True


def _interleaved(x: np.ndarray, at: list[int], pieces: list[np.ndarray]) -> np.ndarray:
    """``x`` with each piece put before its place in ``at`` (ascending), in one copy."""
    parts, last = [], 0
    for where, piece in zip(at, pieces):
        parts += [x[last:where], piece]
        last = where
    parts.append(x[last:])
    return np.concatenate(parts)


def _offsets(lengths: np.ndarray) -> np.ndarray:
    offsets = np.zeros(len(lengths) + 1, np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return offsets
