"""Extraction throughput: articles per second on one core.

Builds N articles of about 2 KB by drawing sentences from the sample corpus and from sentences
written here in other policy fields (names varied so that no two articles are alike), then
times ``TextExtractor.extract`` over all of them in this one process: the rules alone, then the
rules with the shipped learned layer, side by side.

    python bench/bench_extract.py [--articles 1000] [--seed 7]
"""
from __future__ import annotations

import argparse
import random
import re
import time
from pathlib import Path

from graph.model import Document
from loaders.text import TextExtractor

ROOT = Path(__file__).resolve().parent.parent
EXTRA = [
    "Health Secretary {p} met the British Medical Association on Tuesday.",
    "In a letter to Energy Minister {p}, trade bodies including the {o} Alliance and "
    "RenewableUK asked for a review of the Clean Power Plan.",
    "{o} Holdings chief executive {p} said the company backed the Online Safety Act.",
    "The Competition and Markets Authority opened an inquiry into {o} Group.",
    "The think tank {o} Forum published a report on housing and net zero.",
    "Chancellor {p} held talks with Governor {q} about stablecoins and tokenisation.",
    "{o} Ltd is regulated by the Financial Conduct Authority.",
    "Meta hired the lobbying firm {o} Communications Group to press ministers on AI.",
    "The deal between {o} Group and Vodafone Group was approved by Ofcom.",
    "Canada and Mexico have agreed the {o} Border Compact.",
]
FIRST = ["Ann", "Ben", "Chloe", "Dev", "Ewa", "Femi", "Gita", "Hugo", "Ines", "Jon"]
LAST = ["Archer", "Bose", "Carter", "Doyle", "Evans", "Fraser", "Gupta", "Hale", "Ito", "Jones"]
ORGS = ["Northgate", "Bluewater", "Redhill", "Ashford", "Kingsway", "Larkspur", "Milton"]


def corpus_sentences() -> list[str]:
    out = []
    for p in sorted((ROOT / "examples" / "corpus").glob("*.txt")):
        out += [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", p.read_text("utf-8"))
                if len(s.strip()) > 40]
    return out


def make_articles(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    base = corpus_sentences()
    articles = []
    for _ in range(n):
        parts: list[str] = []
        while sum(len(s) + 1 for s in parts) < 2000:
            if rng.random() < 0.5:
                parts.append(rng.choice(base))
            else:
                parts.append(rng.choice(EXTRA).format(
                    p=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    q=f"{rng.choice(FIRST)} {rng.choice(LAST)}", o=rng.choice(ORGS)))
        articles.append(" ".join(parts))
    return articles


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    articles = make_articles(args.articles, args.seed)
    size = sum(len(a) for a in articles) / len(articles)
    print(f"articles: {len(articles)}  mean size: {size:.0f} chars")
    for name, extractor in (("rules", TextExtractor(model=None)),
                            ("rules + learned layer", TextExtractor())):
        extractor.extract(Document.from_text(articles[0]))  # warm up matchers
        t0 = time.perf_counter()
        entities = relations = 0
        for text in articles:
            ex = extractor.extract(Document.from_text(text))
            entities += len(ex.entities)
            relations += len(ex.relations)
        elapsed = time.perf_counter() - t0
        print(f"{name:22} entities: {entities}  relations: {relations}  elapsed: "
              f"{elapsed:.2f} s  throughput: {len(articles) / elapsed:.0f} articles/s "
              f"({elapsed / len(articles) * 1000:.2f} ms/article)")


if __name__ == "__main__":
    main()
