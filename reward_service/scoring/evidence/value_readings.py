"""How a response reads one of the case's values: high, low or normal, and when a reading cannot be wrong.

A value near a limit of its reference range is borderline: a creatinine of 1.2 mg/dL (range 0.6–1.2) is
"normal" to one reader and "slightly elevated" to another, so either reading is no misstatement. Only the
side of the range the value is near is open: a platelet count of 175,000/mm³ (150,000–400,000) may be read
as low-normal, never as high.

Readings are found where real responses write them about a value they restate: in a bracket right after
it ("Serum calcium 8.0 mg/dL (low-normal)"), in the value's own clause ("a hematocrit of 48%, which is
low", "creatinine of 1.2 mg/dL is elevated"), or as the next sentence when the value ends its sentence
("… a hematocrit of 48%. This is low.").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Level = Literal["high", "low", "normal"]

#: The share of the reference range's width, at either limit, within which a value is borderline.
BORDERLINE_SHARE = 0.1

_HEDGES = r"slightly|mildly|minimally|marginally|borderline|somewhat|a bit|a little"
_DEGREE = r"(?:(?:also|still)\s+)?(?:(?P<hedge>" + _HEDGES + r")\s+|(?:moderately|markedly|significantly|severely|very|"
_DEGREE += r"quite|abnormally|considerably|extremely)\s+)?"
_READING_WORD = (
    r"(?P<normal>(?:low|high|upper|lower)[- ]normal|normal|within (?:the )?normal (?:range|limits)|unremarkable)|"
    r"(?P<high>elevated|raised|high|increased)|(?P<low>low|decreased|reduced|depressed|diminished)"
)
_BE = r"(?:is|was|are|were|appears|seems|remains)"
#: "(low-normal)", "(elevated)", "(which is low)": a bracket that opens right after the value.
_BRACKET_RE = re.compile(rf"\s*\(\s*(?:which is\s+|{_BE}\s+)?{_DEGREE}(?:{_READING_WORD})\s*\)", re.IGNORECASE)
#: ", which is low", " is elevated", " - high": the value's own clause goes on with its reading.
_CLAUSE_RE = re.compile(
    rf"\s*(?:,\s*(?:which|that)\s+{_BE}|{_BE}|\s[-–—])\s+{_DEGREE}(?:{_READING_WORD})\b(?!\s+(?:of|in|for|to)\b)",
    re.IGNORECASE,
)
#: "This is low.", "That value is elevated": the next sentence reads the value that ended the last one.
_NEXT_SENTENCE_RE = re.compile(
    rf"\s*(?:this|that|it|which)(?:\s+(?:value|level|count|result|reading|number))?\s+{_BE}\s+{_DEGREE}"
    rf"(?:{_READING_WORD})\b(?!\s+(?:of|in|for|to)\b)",
    re.IGNORECASE,
)
#: Between a value and the end of its sentence: only closing marks (so "This" can refer to the value).
_SENTENCE_TAIL_RE = re.compile(r"[\s)\]*_]*[.;!]")


@dataclass(frozen=True, slots=True)
class Reading:
    level: Level
    start: int
    end: int
    hedged: bool = False  # "slightly elevated", "mildly low": a claim of nearness to a limit


def _level_of(match: re.Match[str]) -> Level:
    return "high" if match.group("high") else "low" if match.group("low") else "normal"


def reading_after(text: str, value_end: int, sentence_end: int) -> Reading | None:
    """The reading the response gives the value ending at `value_end`, if any (module docstring)."""
    found = _BRACKET_RE.match(text, value_end) or _CLAUSE_RE.match(text, value_end, sentence_end)
    if found is None:
        tail = _SENTENCE_TAIL_RE.match(text, value_end)
        if tail is not None and tail.end() >= min(sentence_end, len(text)) - 1:
            found = _NEXT_SENTENCE_RE.match(text, tail.end())
    if found is None:
        return None
    level = next(name for name in ("normal", "high", "low") if found.group(name))
    return Reading(level, found.start(level), found.end(level), found.group("hedge") is not None)  # type: ignore[arg-type]


def level_of(value: float, ref: tuple[float, float]) -> Level:
    return "high" if value > ref[1] + 1e-9 else "low" if value < ref[0] - 1e-9 else "normal"


def compatible_levels(value: float, ref: tuple[float, float]) -> frozenset[Level]:
    """The readings of `value` that are no misstatement: its level, and at a borderline value the level
    on the other side of the limit it is near."""
    low, high = ref
    margin = BORDERLINE_SHARE * (high - low)
    levels: set[Level] = {level_of(value, ref)}
    if abs(value - high) <= margin + 1e-9:
        levels |= {"normal", "high"}
    if abs(value - low) <= margin + 1e-9:
        levels |= {"normal", "low"}
    return frozenset(levels)


def judge_reading(
    stated: Level, value: float, ref: tuple[float, float], hedged: bool = False
) -> Literal["agrees", "borderline", "wrong"]:
    """A stated level against the value: its own level, a borderline reading (no claim either way), or
    wrong (a misstatement of the case). A hedged high or low ("slightly elevated") of a value inside the
    range is borderline too: it claims nearness to a limit, and where the limit lies depends on the
    table (a fasting glucose of 105 mg/dL is "slightly elevated" by the diabetes criteria, normal by a
    random-glucose range)."""
    actual = level_of(value, ref)
    if stated == actual:
        return "agrees"
    if hedged and stated != "normal" and actual == "normal":
        return "borderline"
    return "borderline" if stated in compatible_levels(value, ref) else "wrong"


#: Awake resting ranges of a child's heart rate and respiratory rate by age band (upper age in years,
#: heart rate /min, respiratory rate /min), after the usual paediatric vital-sign tables (PALS, Harriet
#: Lane; rounded). The analyte table's adult ranges of these vitals do not apply below 18 years, so
#: without these a child's "tachycardia" or "high respiratory rate" could not be judged at all.
PEDIATRIC_VITALS: tuple[tuple[float, tuple[float, float], tuple[float, float]], ...] = (
    (0.25, (100, 160), (30, 60)),
    (1.0, (100, 160), (30, 50)),
    (3.0, (90, 150), (24, 40)),
    (6.0, (80, 140), (22, 34)),
    (12.0, (70, 120), (18, 30)),
    (18.0, (60, 100), (12, 20)),
)
_PEDIATRIC_COLUMN = {"heart rate": 1, "respiratory rate": 2}


def reference_range(key: str, sex: str | None, age_years: float | None) -> tuple[float, float] | None:
    """The reference range of analyte `key` for this patient: the analyte table's (adult; by sex where it
    differs), and a child's heart rate and respiratory rate by age band (`PEDIATRIC_VITALS`)."""
    from reward_service.nlp.analytes import analytes

    column = _PEDIATRIC_COLUMN.get(key)
    if column is not None and age_years is not None and age_years < 18:
        band = next(row for row in PEDIATRIC_VITALS if age_years < row[0])
        return band[column]  # type: ignore[return-value]
    analyte = analytes().get(key)
    return analyte.reference(sex, age_years) if analyte is not None else None
