"""Age, sex and "does this question describe a patient" from a stem (regex; case vignettes are
formulaic: "A 67-year-old man ...", "A 3-week-old girl ...", "A newborn ...")."""

from __future__ import annotations

import re
from dataclasses import dataclass

AGE_RE = re.compile(
    r"\b(?P<v>\d{1,3}(?:\.\d+)?)\s?-?\s?(?P<u>years?|yrs?|months?|mos?|weeks?|wks?|days?|hours?)"
    r"[-\s]old\b"
    r"|\baged?\s(?P<v2>\d{1,3})(?:\s?(?P<u2>years?|yrs?|months?|mos?|weeks?|wks?|days?))?\b"
    r"|\b(?P<v3>\d{1,3})\s?(?:years?|yrs?)\sof\sage\b",
    re.IGNORECASE,
)
_NEWBORN_RE = re.compile(r"\b(newborn|neonate)\b", re.IGNORECASE)
AGE_UNITS = {"y": "year", "m": "month", "w": "week", "d": "day", "h": "hour"}
TO_YEARS = {"year": 1.0, "month": 1 / 12, "week": 7 / 365.25, "day": 1 / 365.25, "hour": 1 / 8766}

_SEX_NOUN_RE = re.compile(
    r"\b(?P<m>man|boy|male|gentleman|son|husband|father|grandfather|brother|M)\b"
    r"|\b(?P<f>woman|girl|female|lady|daughter|wife|mother|grandmother|sister|primigravida|"
    r"multigravida|nulligravida|gravida|pregnant|F|G\d+P\d+)\b"
)
_COMPANION_RE = re.compile(r"\b(?:by|with|and)\s+(?:his|her|their|the)\s+\w*\s*$", re.IGNORECASE)
_PRONOUN_RE = re.compile(r"\b(?P<m>he|him|his)\b|\b(?P<f>she|her|hers)\b", re.IGNORECASE)
_PATIENT_RE = re.compile(
    r"\b(patient|presents?|presented|is brought|was brought|comes to|came to|complains?|"
    r"history of|examination shows|physical exam|admitted|his (?:mother|father|wife)|"
    r"her (?:mother|father|husband)|year-old|month-old|week-old|day-old|newborn|neonate|"
    r"infant|toddler)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Age:
    value: float
    unit: str
    years: float
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Sex:
    value: str  # "male" | "female"
    start: int
    end: int
    text: str


#: An age after a comparator is a criterion ("deaths under 1 year of age", "women over 65 years of age"), not
#: the age of a patient.
_AGE_CRITERION_RE = re.compile(
    r"(?:\b(?:under|below|over|above|less than|more than|older than|younger than|greater than|up to|at least|"
    r"aged? (?:under|over|below|above))|[<>≤≥])\s*$",
    re.IGNORECASE,
)
_RELATIVE_AFTER_RE = re.compile(
    r"\s*(?:son|daughter|brother|sister|sibling|husband|wife|father|mother|cousin|twin)s?\b", re.IGNORECASE
)
_POSSESSIVE_BEFORE_RE = re.compile(r"\b(?:his|her|their)\s+$", re.IGNORECASE)
_PERSON_RE = re.compile(r"\b(?:man|woman|boy|girl|gentleman|lady|patient)\b", re.IGNORECASE)
_BRINGS_RE = re.compile(r"\b(?:brings?|brought|accompanied)\b", re.IGNORECASE)


def age_of(match: re.Match[str]) -> tuple[float, str]:
    """The value and unit of an `AGE_RE` match ("2-month-old", "aged 2 months", "65 years of age")."""
    if match.group("v"):
        return float(match.group("v")), AGE_UNITS[match.group("u")[0].lower()]
    if match.group("v2"):
        unit = match.group("u2")
        return float(match.group("v2")), AGE_UNITS[unit[0].lower()] if unit else "year"
    return float(match.group("v3")), "year"


def _first(pattern: re.Pattern[str], text: str) -> int:
    match = pattern.search(text)
    return len(text) if match is None else match.start()


def find_age(text: str) -> Age | None:
    """The patient's age: the first age in `text` that is neither a population criterion ("under 1 year of
    age") nor a relative's age after the patient was introduced without one ("A man presents with a rash.
    ... His 10-year-old daughter is normal"; a child brought in by a parent, "A woman brings her 3-year-old
    son", is the patient)."""
    person, brings = _first(_PERSON_RE, text), _first(_BRINGS_RE, text)

    def relative(m: re.Match[str]) -> bool:
        return (
            _RELATIVE_AFTER_RE.match(text, m.end()) is not None
            and _POSSESSIVE_BEFORE_RE.search(text, max(0, m.start() - 8), m.start()) is not None
            and person < m.start() <= brings
        )

    def criterion(m: re.Match[str]) -> bool:
        return _AGE_CRITERION_RE.search(text, max(0, m.start() - 20), m.start()) is not None

    m = next((m for m in AGE_RE.finditer(text) if not relative(m) and not criterion(m)), None)
    if m is not None:
        value, unit = age_of(m)
        return Age(value, unit, value * TO_YEARS[unit], m.start(), m.end(), m.group(0))
    m2 = _NEWBORN_RE.search(text)
    if m2 is not None:
        return Age(0.0, "day", 0.0, m2.start(), m2.end(), m2.group(0))
    return None


def find_sex(text: str, after: int = 0) -> Sex | None:
    """The patient's sex: the first gendered noun that is not a companion ("brought by his mother"),
    else the first gendered pronoun."""
    head = text[: max(after + 200, 400)]
    for m in _SEX_NOUN_RE.finditer(head, max(0, after - 5)):
        word = m.group(0)
        if word in ("M", "F") and not re.match(r"\s*[,)]", head[m.end() : m.end() + 2]):
            continue
        if word.lower() in (
            "son",
            "husband",
            "father",
            "grandfather",
            "brother",
            "daughter",
            "wife",
            "mother",
            "grandmother",
            "sister",
        ) and (_COMPANION_RE.search(head[max(0, m.start() - 30) : m.start()]) or m.start() > after + 60):
            continue
        return Sex("male" if m.group("m") else "female", m.start(), m.end(), word)
    p = _PRONOUN_RE.search(text)
    if p is not None:
        return Sex("male" if p.group("m") else "female", p.start(), p.end(), p.group(0))
    return None


#: A person of a vignette: with a presentation cue ("a young man was brought to the ER") the question
#: describes a patient even without an age or a pronoun.
_PERSON_NOUN_RE = re.compile(r"\b(?:man|woman|boy|girl|lady|gentleman|child)\b", re.IGNORECASE)


def describes_patient(text: str, age: Age | None) -> bool:
    if age is not None:
        return True
    return _PATIENT_RE.search(text) is not None and bool(
        _PRONOUN_RE.search(text) or re.search(r"\bpatient\b", text, re.I) or _PERSON_NOUN_RE.search(text)
    )
