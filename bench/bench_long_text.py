"""Text extraction on long texts: seconds for texts of 45, 90 and 180 KB made of one
paragraph repeated, to show how the time grows with the length (linear is the goal; a loader
that rescans what it found per name grows with its square).

    python bench/bench_long_text.py [--repeats 500 1000 2000]
"""
from __future__ import annotations

import argparse
import time

from graph.model import Document
from loaders import default_extractor

PARAGRAPH = ("Ms Jane Doe met Acme Alliance officials in London. She said the group would "
             "write to him. ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, nargs="+", default=[500, 1000, 2000])
    args = parser.parse_args()
    extractor = default_extractor()
    for n in args.repeats:
        text = PARAGRAPH * n
        t0 = time.perf_counter()
        ex = extractor.extract(Document.from_text(text))
        took = time.perf_counter() - t0
        print(f"{len(text):>9,} chars  {took:6.2f} s  {len(text) / took / 1000:7.0f} KB/s  "
              f"{len(ex.entities)} entities")


if __name__ == "__main__":
    main()
