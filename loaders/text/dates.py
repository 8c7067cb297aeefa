"""Dates stated in a sentence ("in 2022", "in March 2024", "on 3 March 2024", "March 3, 2024"),
as ISO dates with their precision. A relation found in a sentence that states exactly one date
takes it as its ``start``.

>>> sentence_date("Sunak had previously vowed in 2022 to act.")
('2022-01-01', 'year')
>>> sentence_date("They met on 3 March 2024 in London.")
('2024-03-03', 'day')
>>> sentence_date("The bill passed in July, a year after 2023's review.") is None
True
>>> sentence_date("From 2019 to 2021 it grew.") is None
True
"""
from __future__ import annotations

import calendar
import re

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_YEAR = r"(?:19|20)\d{2}"
_ANY_YEAR = re.compile(_YEAR)
_PATTERNS = [  # most precise first
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)? ({_MONTH})\.?,? ({_YEAR})\b", re.I), "dmy"),
    (re.compile(rf"\b({_MONTH})\.? (\d{{1,2}})(?:st|nd|rd|th)?,? ({_YEAR})\b", re.I), "mdy"),
    (re.compile(rf"\b({_MONTH})\.? ({_YEAR})\b", re.I), "my"),
    (re.compile(rf"\b(?:in|since|during|by|early|late|mid-?) ({_YEAR})\b(?!['\u2019])", re.I),
     "y"),
]


def sentence_date(text: str) -> tuple[str, str] | None:
    """The one date ``text`` states, as (ISO date, "day"|"month"|"year"); None if it states
    none or several."""
    if not _ANY_YEAR.search(text):  # every pattern needs a year: most sentences stop here
        return None
    found: list[tuple[str, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern, shape in _PATTERNS:
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append(m.span())
            g = m.groups()
            if shape == "dmy":
                found.append((f"{g[2]}-{_MONTHS[g[1].lower()]:02d}-{int(g[0]):02d}", "day"))
            elif shape == "mdy":
                found.append((f"{g[2]}-{_MONTHS[g[0].lower()]:02d}-{int(g[1]):02d}", "day"))
            elif shape == "my":
                found.append((f"{g[1]}-{_MONTHS[g[0].lower()]:02d}-01", "month"))
            else:
                found.append((f"{g[0]}-01-01", "year"))
    if len({d for d, _ in found}) != 1:
        return None
    return found[0]
