"""Fuzzing every loader at volume: malformed and random versions of real register samples and
articles (the strategies of ``tests/fuzzing.py``), each loaded as ``stakegraph load`` would,
with its format detected and forced. A case passes when it stores one whole document or is
refused with a one-line LoaderError; anything else is a failure, reported with the case.

    python bench/fuzz_loaders.py [--cases 10000] [--seed N]

``--cases`` is the total, shared among the loader layouts. Prints, per layout, the cases run,
how many loaded and were refused, the commonest refusals, the failures and the time.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from fuzzing import FORMATS, Tally, check_case, fuzzed, loader, seeds  # noqa: E402
from invariants import check_store  # noqa: E402

from graph.store.sqlite import SQLiteStore  # noqa: E402


def fuzz(name: str, cases: int, random_seed: int, folder: Path) -> tuple[Tally, str | None]:
    """Run ``cases`` fuzzed cases of one layout; the tally and the first failure, if any."""
    suffix, _ = seeds()[name]
    db = folder / f"{name}.db"
    store, tally, rules = SQLiteStore(str(db)), Tally(), loader(name)

    @seed(random_seed)
    @settings(max_examples=cases, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=fuzzed(name))
    def case(data):
        check_case(folder / f"case{suffix}", data, rules, store, tally)

    failure = None
    try:
        case()
    except Exception as exc:  # a bench reports every layout's failure and goes on
        failure = f"{type(exc).__name__}: {exc}"
    store.close()
    check_store(db)
    return tally, failure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args()
    per = max(1, args.cases // len(FORMATS))
    print(f"{per} cases per layout, {len(FORMATS)} layouts, seed {args.seed}; each case loaded "
          "twice (format detected, format forced)")
    print(f"{'layout':15} {'cases':>6} {'loaded':>7} {'refused':>8} {'seconds':>8}  failure")
    total = failures = 0
    started = time.perf_counter()
    refusals: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in FORMATS:
            t = time.perf_counter()
            tally, failure = fuzz(name, per, args.seed, Path(tmp))
            run = (tally.loaded + tally.refused) // 2
            total += run
            failures += failure is not None
            for message, n in tally.messages.items():
                refusals[message] = refusals.get(message, 0) + n
            print(f"{name:15} {run:>6} {tally.loaded:>7} {tally.refused:>8} "
                  f"{time.perf_counter() - t:>8.1f}  {failure or '-'}", flush=True)
    print(f"total: {total} cases in {time.perf_counter() - started:.0f} s, "
          f"{failures} layouts with a failure")
    print("commonest refusals:")
    for message, n in sorted(refusals.items(), key=lambda kv: -kv[1])[:12]:
        print(f"  {n:>6}  {message}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
