"""Name normalisation: the keys under which entities are resolved.

Two surface forms that differ only in Unicode form, typographic punctuation, case, dots
("U.K."), a leading "the", a trailing possessive, a legal form ("Ltd", "Inc") or a person's
honorifics and post-nominals ("The Rt Hon", "MP": ``graph/data/names.toml``) share one key.

Examples
--------
>>> name_key("The U.K.’s")
'uk'
>>> name_key("UK–US  Tech Bridge")
'uk-us tech bridge'
>>> slug("UK-US Tech Bridge")
'uk-us-tech-bridge'
>>> name_key("MICROSOFT CORP") == name_key("Microsoft Corporation") == name_key("Microsoft")
True
>>> name_key("Buchanan Harvey & Co."), name_key("MCSLARROW CONSULTING L.L.C.")
('buchanan harvey', 'mcslarrow consulting')
>>> name_key("The Rt Hon Francis Maude MP"), name_key("Sir Keir Starmer KCB QC")
('francis maude', 'keir starmer')
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import lru_cache
from importlib import resources

_FOLD = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
    "\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-", ".": "",
})


# legal forms, as name keys write them (lower case, no dots): "Acme Ltd" is Acme
LEGAL_FORMS = ("ltd", "limited", "plc", "inc", "incorporated", "corp", "corporation", "llc",
               "llp", "lp", "pllc", "co", "company", "gmbh", "ag", "sa", "nv", "se", "ev", "bv",
               "spa", "srl", "pty")
_LEGAL_FORM = re.compile(r"[ ,]+(?:and )?(?:%s)$" % "|".join(LEGAL_FORMS))


_WORDS = tomllib.loads(resources.files("graph").joinpath("data/names.toml").read_text("utf-8"))
HONORIFICS: tuple[str, ...] = tuple(_WORDS["honorifics"])
PEERAGES: tuple[str, ...] = tuple(_WORDS["peerages"])
_HONORIFIC = re.compile(r"^(?:%s) " % "|".join(  # on keys: lower case, no dots
    re.escape(h.casefold()) for h in sorted(HONORIFICS, key=len, reverse=True)))
_WRITTEN = re.compile(r"^(?:(?:%s)\.?\s+)+" % "|".join(
    re.escape(h) for h in sorted(HONORIFICS, key=len, reverse=True)))
_TITLED = re.compile(r"^(?:%s)\.?\s" % "|".join(
    re.escape(h) for h in sorted(HONORIFICS + PEERAGES, key=len, reverse=True)))


def written_honorifics() -> set[str]:
    """Each honorific as a word of running text may show it, with and without its dot.

    >>> sorted(h for h in written_honorifics() if h.startswith("D"))
    ['Dame', 'Dame.', 'Dr', 'Dr.']
    """
    return {form for h in HONORIFICS for form in (h, h + ".")}


def without_honorifics(name: str) -> str:
    """``name`` without the honorifics before it (``HONORIFICS``); a peerage title stays.

    >>> without_honorifics("Frau Dr. Anna Schmidt"), without_honorifics("Lord Newby")
    ('Anna Schmidt', 'Lord Newby')
    """
    shorter = _WRITTEN.sub("", name).strip()
    return shorter or name.strip()


def is_titled(name: str) -> bool:
    """Whether ``name`` begins with an honorific or a peerage title: a person's name.

    >>> is_titled("Baroness Neville-Rolfe"), is_titled("Dr. Jo Bloggs"), is_titled("Drax")
    (True, True, False)
    """
    return _TITLED.match(name) is not None
POST_NOMINALS: frozenset[str] = frozenset(_WORDS["post_nominals"])  # as keys: "mp", "qc"
_POST_NOMINAL = re.compile(r",? (?:%s)$" % "|".join(map(re.escape, _WORDS["post_nominals"])))


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """The resolution key of a name: folded, case-folded, without "the" or a possessive.

    Cached: extraction asks for the same few names many times over."""
    s = unicodedata.normalize("NFKC", name).translate(_FOLD).casefold()
    s = " ".join(s.replace("&", " and ").split())
    if s.startswith("the "):
        s = s[4:]
    if s.endswith("'s"):
        s = s[:-2]
    s = s.strip(" ,;:'\"")
    for pattern in (_HONORIFIC, _POST_NOMINAL):  # "Sir Keir Starmer QC" is Keir Starmer
        while (shorter := pattern.sub("", s, count=1)) != s and " " in shorter.strip():
            s = shorter.strip(" ,")
    while True:  # legal forms say nothing about who it is: "Acme Ltd" is Acme
        m = _LEGAL_FORM.search(s)
        if not m or m.start() == 0:
            return s
        s = s[:m.start()].strip(" ,;:'\"")


@lru_cache(maxsize=1 << 16)
def name_rank(name: str) -> tuple:
    """How well ``name`` serves as the name an entity is shown by; the smallest ranks first.
    A fuller name comes first (more words once honorifics, "the" and legal forms are set
    aside), then one in mixed case before one in capitals or in lower case, then one with
    fewer of those words set aside, then the longer (a misspelling more often drops a letter
    than adds one), then the first in code-point order. A total order: whichever order an
    entity's names arrive in, it is shown by the same one.

    >>> sorted(["MICROSOFT CORP", "Microsoft Corporation", "Microsoft"], key=name_rank)
    ['Microsoft', 'Microsoft Corporation', 'MICROSOFT CORP']
    >>> min(["Trump", "Donald Trump"], key=name_rank)
    'Donald Trump'
    >>> min(["Jon Smith", "John Smith"], key=name_rank)
    'John Smith'
    >>> min(["The Rt Hon Francis Maude MP", "Francis Maude"], key=name_rank)
    'Francis Maude'
    """
    letters = [c for c in name if c.isalpha()]
    case = 0 if any(c.isupper() for c in letters) and any(c.islower() for c in letters) \
        else 1 if any(c.isupper() for c in letters) else 2
    words = len(name_key(name).split())
    return -words, case, len(name.split()) - words, -len(name), name


def in_sentence(name: str, type: str | None = None) -> str:
    """``name`` as it reads inside a sentence: with "the" before a public body, council or
    other name that English gives one (``the_first``/``the_last`` in names.toml), never
    before a person's.

    >>> in_sentence("UK government"), in_sentence("HM Treasury")
    ('the UK government', 'HM Treasury')
    >>> in_sentence("Jo Council", "Person")
    'Jo Council'
    """
    words = name.lower().split()
    if type == "Person" or not words or words[0] == "the" or not (
            words[0] in _WORDS["the_first"] or words[-1] in _WORDS["the_last"]):
        return name
    return f"the {name}"


def slug(name: str) -> str:
    """A URL- and id-safe form of a name, stable for the same key."""
    s = unicodedata.normalize("NFKD", name_key(name)).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or "x"
