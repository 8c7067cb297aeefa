"""Register ingest throughput: UK meetings CSV rows/s and US LDA filings/s into the embedded
store, on a generated corpus.

Writes (once, reused if present) a corpus of UK ministerial meetings returns and LDA REST API
JSON pages shaped like the real samples in ``tests/fixtures/``: ``--records`` rows or filings
of each kind, ``--per-file`` to a file (one file is one document, so one transaction), names
drawn from heavy-tailed pools so that organisations, ministers and lobbyists recur across files
as they do in the registers. Then, for each kind, it loads every file into a fresh SQLite store
with the same calls as ``stakegraph load`` (the loader, then ``store.ingest``) and reports
records/s and relations/s, with the time split between reading (the loader) and storing.

    python bench/bench_ingest.py [--records 100000] [--per-file 1000] [--dir /tmp/bench-ingest]
        [--only meetings|lda] [--keep FOLDER] [--read-only]
"""
from __future__ import annotations

import argparse
import csv
import json
import platform
import random
import tempfile
import time
from pathlib import Path

from graph.resolution import ingest
from graph.store import SQLiteStore
from loaders import extract_path

OFFICES = ["Minister for the Cabinet Office", "Secretary of State for Business",
           "Chancellor of the Exchequer", "Minister of State for Digital",
           "Secretary of State for Health", "Parliamentary Under Secretary of State"]
AGENCIES = ["Commerce, Dept of (DOC)", "Federal Bureau of Investigation (FBI)",
            "Defense, Dept of (DOD)", "SENATE", "HOUSE OF REPRESENTATIVES",
            "Treasury, Dept of", "Federal Communications Commission (FCC)",
            "Energy, Dept of", "Health & Human Services, Dept of (HHS)",
            "Securities & Exchange Commission (SEC)"]
ISSUES = ["TEC", "CPI", "TAX", "HCR", "DEF", "ENG", "FIN", "TRD", "BUD", "IMM"]
SUFFIXES = ["Ltd", "Association", "Group", "Foundation", "plc", "Council", "Institute"]
SYLLABLES = [c + v for c in "bdfghklmnprstvz" for v in "aeiou"]  # 75
FIRST = ["Alice", "Ben", "Carla", "David", "Emma", "Frank", "Grace", "Hugo", "Isla", "James",
         "Karen", "Liam", "Maria", "Noah", "Olivia", "Peter", "Rosa", "Sam", "Tara", "Victor"]


def _word(i: int, syllables: int) -> str:
    """A made-up word, distinct for each i below 75 ** syllables."""
    out = []
    for _ in range(syllables):
        i, s = divmod(i, len(SYLLABLES))
        out.append(SYLLABLES[s])
    return "".join(out).capitalize()


def _org(i: int) -> str:
    """A distinct organisation name for every i (names as varied as a register's)."""
    return f"{_word(i * 7919 % 75 ** 3, 3)} {_word(i // 7, 2)} {SUFFIXES[i % len(SUFFIXES)]}"


def _person(i: int) -> tuple[str, str]:
    """(first name, surname): surnames from a pool of 5,625, first names from 20."""
    return FIRST[i % len(FIRST)], _word(i * 31 % 75 ** 2, 2) + "son"


def _pick(rng: random.Random, n: int) -> int:
    """A heavy-tailed index into a pool of n (a few names recur often, most rarely)."""
    return min(int(rng.paretovariate(1.2)) - 1, n - 1) if rng.random() < 0.3 else \
        rng.randrange(n)


def write_meetings(folder: Path, records: int, per_file: int, rng: random.Random) -> None:
    """UK ministerial meetings returns: ``records`` rows in files of ``per_file``."""
    folder.mkdir(parents=True, exist_ok=True)
    ministers = [", ".join([OFFICES[i % len(OFFICES)],
                            "The Rt Hon " + " ".join(_person(i + 7)) + " MP"])
                 for i in range(200)]
    organisations = records // 5
    for f in range(0, records // per_file):
        with open(folder / f"meetings_{f:04d}_jan_mar_14.csv", "w", newline="",
                  encoding="utf-8") as out:
            w = csv.writer(out)
            w.writerow(["Minister", "Date", "Name of Organisation", "Purpose of meeting"])
            minister = None
            for r in range(per_file):
                m = ministers[_pick(rng, len(ministers))] if r % 4 == 0 else None
                cell = m if m != minister else ""
                minister = m or minister
                orgs = [_org(_pick(rng, organisations)) for _ in range(1 + (r % 3 == 0))]
                w.writerow([cell, f"{1 + r % 28:02d}/0{1 + r % 3}/2014", ", ".join(orgs),
                            f"Discussion of policy item {r}"])


def write_filings(folder: Path, records: int, per_file: int, rng: random.Random) -> None:
    """LDA REST API pages: ``records`` filings in files of ``per_file``."""
    folder.mkdir(parents=True, exist_ok=True)
    registrants, clients, staff = records // 20, records // 4, 4  # lobbyists per registrant
    for f in range(0, records // per_file):
        results = []
        for r in range(per_file):
            reg, cli = _pick(rng, registrants), _pick(rng, clients)
            people = [reg * staff + rng.randrange(staff) for _ in range(1 + r % 3)]
            activities = [{
                "general_issue_code": ISSUES[_pick(rng, len(ISSUES))],
                "general_issue_code_display": None, "description": f"Issue {r}-{a}",
                "lobbyists": [{"lobbyist": {"id": p, "first_name": _person(p)[0],
                                            "last_name": _person(p)[1], "middle_name": None,
                                            "prefix": None, "suffix": None, "nickname": None},
                               "covered_position": None, "new": False} for p in people],
                "government_entities": [{"id": g, "name": AGENCIES[g]} for g in
                                        sorted({_pick(rng, len(AGENCIES)) for _ in range(2)})],
            } for a in range(1 + r % 2)]
            results.append({
                "url": f"https://lda.senate.gov/api/v1/filings/bench-{f}-{r}/",
                "filing_uuid": f"bench-{f}-{r}", "filing_type": "Q1",
                "filing_year": 2014 + r % 8, "filing_period": "first_quarter",
                "income": str(10000 + r), "expenses": None, "dt_posted": "2015-04-20",
                "registrant": {"id": 100000 + reg, "name": _org(reg).upper()},
                "client": {"id": 500000 + cli, "name": _org(registrants + cli),
                           "client_self_select": False},
                "lobbying_activities": activities,
            })
        (folder / f"filings_{f:04d}.json").write_text(json.dumps({"results": results}),
                                                      encoding="utf-8")


def reading(files: list[Path], records: int, what: str) -> dict:
    """Read ``files`` with the loaders alone (parse and map, no store); the figures."""
    relations = 0
    t0 = time.perf_counter()
    for path in files:
        relations += len(extract_path(path).relations)
    took = time.perf_counter() - t0
    return {"kind": what, "records": records, "files": len(files), "relations": relations,
            "read_s": round(took, 2), "relations_per_s_reading": round(relations / took)}


def measure(files: list[Path], records: int, what: str, keep: Path | None = None) -> dict:
    """Load ``files`` into a fresh store as ``stakegraph load`` does; the figures. The store
    is kept as ``keep/<what>.db`` when ``keep`` is given (for ``bench_view.py``)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = (keep or Path(tmp)) / f"{what}.db"
        path.unlink(missing_ok=True)
        store = SQLiteStore(str(path))
        reading = storing = 0.0
        relations = evidence = 0
        for path in files:
            t0 = time.perf_counter()
            extraction = extract_path(path)
            t1 = time.perf_counter()
            report = ingest(store, extraction)
            storing += time.perf_counter() - t1
            reading += t1 - t0
            relations += report.relations
            evidence += report.evidence
        stats = store.stats()
        store.close()
    total = reading + storing
    return {"kind": what, "records": records, "files": len(files), "relations": relations,
            "entities": stats["entities"], "read_s": round(reading, 2),
            "store_s": round(storing, 2), "total_s": round(total, 2),
            "records_per_s": round(records / total), "relations_per_s": round(relations / total),
            "relations_per_s_storing": round(relations / storing)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--per-file", type=int, default=1000)
    parser.add_argument("--dir", default="/tmp/bench-ingest")
    parser.add_argument("--only", choices=["meetings", "lda"])
    parser.add_argument("--keep", type=Path, help="keep the stores in this folder")
    parser.add_argument("--read-only", action="store_true",
                        help="time the loaders alone (parse and map, no store)")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    root = Path(args.dir) / f"{args.records}-{args.per_file}"
    rng = random.Random(11)
    if not (root / "meetings").exists():
        write_meetings(root / "meetings", args.records, args.per_file, rng)
    if not (root / "lda").exists():
        write_filings(root / "lda", args.records, args.per_file, rng)
    print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    for kind in ["meetings", "lda"]:
        if args.only in (None, kind):
            files = sorted((root / kind).iterdir())
            print(json.dumps(reading(files, args.records, kind) if args.read_only
                             else measure(files, args.records, kind, args.keep)))


if __name__ == "__main__":
    main()
