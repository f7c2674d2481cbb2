"""Quantities bound to what they measure, so that a restated quantity with another value is contradicted.

A case or a study states generic quantities — a 3.5 cm lesion, a diameter of 10 cm, an infection rate of
18.5 %, episodes lasting 30 seconds — that no analyte table knows. A response that restates one with
another value ("the overall infection rate was 53.5 %") misstates the question, yet a bare "5 cm" or
"40 %" in a response is often a new quantity (a threshold, a computed result, general knowledge). What
ties a response quantity to one of the question's is its **subject**: the content words next to the
number in its clause ("overall infection rate", "lesion … lateral border"). A response quantity
contradicts the question when

- a question quantity of the same unit shares at least `MIN_SHARED` subject stems with it, or the subject
  word right next to the number ("specificity of 65%" for "100% specificity"),
- its value matches no quantity of the question with that unit and no bare number of it
  (±`RELATIVE_TOLERANCE`, ±0.5 for percentages),
- its own words do not make it a derived value or a limit ("a 12 % difference", "reduced by", "a limit of
  80 hours per week", "0 points for 0 cm dilation", the result after the
  "=" of a calculation), unless the question's quantity is derived in the same words.

The scope checks of claims (option lines, general knowledge, thresholds, other people) are applied by the
caller (`analysis._bound_quantity_claims`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from reward_service.nlp.common_words import FUNCTION_WORDS
from reward_service.nlp.lang.en.generic import GENERIC_QUESTION_WORDS, GENERIC_REASON_WORDS
from schemas.case import CASE_READ_CHARS

_UNITS = (
    r"mm\s?Hg|cm\s?H2O|mg/dL|g/dL|mEq/L|mmol/L|[µμu]mol/L|mIU/mL|mIU/L|IU/L|U/L|ng/mL|ng/dL|pg/mL|[µμu]g/dL|"
    r"mg/L|g/L|mg/kg|mL/min|L/min|mL/kg|kg/m2|%|kg|mg|mcg|[µμu]g|g|cm|mm|mL|ml|dL|L|seconds?|secs?|"
    r"minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?"
)
_NUMBER = r"\d++(?:\.\d++)?+"
QUANTITY_RE = re.compile(
    rf"(?<![\w.,/])(?P<low>{_NUMBER})(?:\s*(?:-|–|to)\s*(?P<high>{_NUMBER}))?(?:\s*/\s*(?P<second>\d{{2,3}}))?"
    rf"\s?(?P<unit>{_UNITS})(?![A-Za-z0-9])"
)
_ANY_NUMBER_RE = re.compile(r"\d++(?:\.\d++)?+")
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z-]{2,}")
#: Where a quantity's clause ends, on either side (not at a colon: "Infection rate: 53.5%" is labelled).
_CLAUSE_BREAK_RE = re.compile(r"[.;()\[\]\n!?](?!\d)|\b(?:while|whereas|but|versus|vs)\b", re.IGNORECASE)
WINDOW_CHARS = 60
WORDS_BEFORE = 4
WORDS_AFTER = 3
STEM = 5
MIN_SHARED = 2
RELATIVE_TOLERANCE = 0.05
#: A percentage is the complement of a question's one when the two add up to 100 within this.
COMPLEMENT_TOLERANCE = 0.051


#: Words that make a number a value computed or compared by the response, not a restatement.
def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


DERIVED_WORDS = _word_set(
    """difference differences differ reduction reduce reduced reduces increase increased increases decrease
    decreased decreases change changes higher lower greater smaller fold times ratio relative absolute total
    combined sum divided multiplied plus minus calculated calculate calculates approximately roughly about
    nearly almost estimated estimate expected predicted each every additional extra another
    limit limits maximum minimum cutoff cut-off threshold target goal recommended recommends allowed
    point points score scores scoring grade criteria"""
)
_NOT_SUBJECT = (
    FUNCTION_WORDS
    | GENERIC_REASON_WORDS
    | GENERIC_QUESTION_WORDS
    | _word_set(
        """patient patients subject subjects group groups showed shows show revealed reveals found level levels
        value values measured measurement measures result results was were respectively range ranged overall
        past last next previous prior ago since over during within recent recently period time duration"""
    )
)


@dataclass(frozen=True, slots=True)
class BoundQuantity:
    """A number with a unit and the content words around it."""

    text: str
    start: int
    end: int
    unit: str
    low: float
    high: float
    second: float | None  # the second half of "80/50 mm Hg"
    subject: frozenset[str]
    derived: frozenset[str]
    formula: bool  # the result of a calculation on its line
    near: tuple[str | None, str | None]  # the nearest subject stem before and after the number

    def agrees_with(self, value: float) -> bool:
        tolerance = 0.5 if self.unit == "%" else 0.0
        return any(
            abs(value - own) <= max(tolerance, RELATIVE_TOLERANCE * max(abs(value), abs(own)))
            for own in (self.low, self.high)
        ) or (self.low <= value <= self.high)


def _unit(raw: str) -> str:
    unit = re.sub(r"\s", "", raw).replace("μ", "u").replace("µ", "u")
    unit = unit if unit in ("L", "%") else unit.lower()
    unit = re.sub(r"^(second|sec|minute|min|hour|hr|day|week|month|year)s?$", r"\1", unit)
    return {"ml": "ml", "sec": "second", "min": "minute", "hr": "hour"}.get(unit, unit)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD_RE.findall(text)]


_PRODUCT_RE = re.compile(r"(?:\d+(?:\.\d+)?\s*(?:cm|mm)?\s*[x×*]\s*)+$")
#: The values before this one in a series that names them once: a mean and its spread ("51 +/- 15%"), values
#: compared or listed ("92% and 73% of SM and GM patients", "123 vs 66 mmHg", "from 15.5% to 51%").
_SERIES_RE = re.compile(rf"(?:{_NUMBER}\s*(?:{_UNITS})?\s*(?:±|\+/-|\+-|vs\.?|versus|and|to|–|-)\s*)+$", re.IGNORECASE)
_OPEN_RE = re.compile(r"\(\s*$")
_CLOSE_RE = re.compile(r"^\s*\)")


#: The inside of a parenthesised comparison of values: "(4.2% versus 0.8%, p<0.0001)", "(33% vs. 24%)".
_GROUP_PART_RE = re.compile(r"[\d.,%\s]*(?:(?:versus|vs\.?|and|or|to)[\d.,%\s]*)*", re.IGNORECASE)


def comparison_group(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole "(A versus B …)" group a quantity stands in, so that both values are bound to the words
    before the parenthesis ("a higher in-hospital death rate (4.2% versus 0.8%)"); else the quantity."""
    opening = text.rfind("(", max(0, start - 30), start)
    if opening < 0 or not _GROUP_PART_RE.fullmatch(text, opening + 1, start):
        return start, end
    closing = text.find(")", end, end + 60)
    if closing < 0 or "(" in text[end:closing]:
        return start, end
    return opening, closing + 1


def _context(text: str, start: int, end: int) -> tuple[list[str], list[str]]:
    """The words before the number (nearest last) and after its unit (nearest first), in its clause. A
    quantity in parentheses ("nine (24%) improved") is bound to the words around the parentheses."""
    opening = _OPEN_RE.search(text, max(0, start - 3), start)
    closing = _CLOSE_RE.match(text[end : end + 3])
    if opening and closing:
        start, end = opening.start(), end + closing.end()
    else:
        start, end = comparison_group(text, start, end)
    before = text[max(0, start - WINDOW_CHARS) : start]
    cuts = [m.end() for m in _CLAUSE_BREAK_RE.finditer(before)]
    before = before[cuts[-1] :] if cuts else before
    after = text[end : end + WINDOW_CHARS]
    stop = _CLAUSE_BREAK_RE.search(after)
    after = after[: stop.start()] if stop else after
    # the other sides of "2.5 x 3.5 cm" belong to the quantity; another number ends the reach
    before = _PRODUCT_RE.sub("", before)
    before = _SERIES_RE.sub("", before)  # every value of a series is bound to the words before it
    before = _ANY_NUMBER_RE.split(before)[-1]
    after = _ANY_NUMBER_RE.split(after)[0]
    return _words(before), _words(after)


def _content(words: list[str]) -> list[str]:
    return [w[:STEM] for w in words if w not in _NOT_SUBJECT and w not in DERIVED_WORDS]


#: A calculation: an operator between numbers or after a unit ("99 kg * 15 mg/kg", "800 mL / 9 cmH2O").
_LINE_BREAK_RE = re.compile("\n")
_OPERATOR_RE = re.compile(r"[\d)A-Za-z%]\s*[*×÷+^]\s*[\d(]|\s/\s*[\d(-]")


def find_bound_quantities(text: str) -> list[BoundQuantity]:
    out: list[BoundQuantity] = []
    breaks = [m.start() for m in _LINE_BREAK_RE.finditer(text)]
    lines: dict[int, tuple[int, bool]] = {}  # line start -> (offset of its last "=", whether it computes)
    for m in QUANTITY_RE.finditer(text):
        low = float(m.group("low"))
        high = float(m.group("high")) if m.group("high") else low
        before, after = _context(text, m.start(), m.end())
        # each line is read once (a long line with many quantities stays linear). A result of a
        # calculation stands after the last "=" of a line that computes something; its inputs, and a plain
        # assignment of a given value ("Interstitial oncotic pressure = 7 mm Hg"), restate values.
        at = bisect.bisect_left(breaks, m.start())
        line_start = breaks[at - 1] + 1 if at else 0
        if line_start not in lines:
            line_end = breaks[at] if at < len(breaks) else len(text)
            line = text[line_start:line_end]
            lines[line_start] = (line.rfind("="), _OPERATOR_RE.search(line) is not None)
        last_equals, computes = lines[line_start]
        words_before, words_after = _content(before), _content(after)
        out.append(
            BoundQuantity(
                m.group(0),
                m.start(),
                m.end(),
                _unit(m.group("unit")),
                min(low, high),
                max(low, high),
                float(m.group("second")) if m.group("second") else None,
                frozenset(words_before[-WORDS_BEFORE:] + words_after[:WORDS_AFTER]),
                frozenset(w for w in before[-WORDS_BEFORE:] + after[:WORDS_AFTER] if w in DERIVED_WORDS),
                computes and 0 <= last_equals < m.start() - line_start,
                (words_before[-1] if words_before else None, words_after[0] if words_after else None),
            )
        )
    return out


@dataclass(frozen=True)
class QuestionQuantities:
    """The question's bound quantities and every number it states (a value equal to one of them is never
    contradicted: it restates the question, perhaps in another unit or layout)."""

    quantities: tuple[BoundQuantity, ...]
    numbers: frozenset[float]  # the numbers it states without a unit

    @classmethod
    def of(cls, question: str) -> QuestionQuantities:
        """Read from the question's first `CASE_READ_CHARS` characters, as its case facts are."""
        question = question[:CASE_READ_CHARS]
        quantities = tuple(find_bound_quantities(question))
        with_unit = [(q.start, q.end) for q in quantities]  # in text order, not overlapping
        starts = [a for a, _ in with_unit]

        def inside_a_quantity(pos: int) -> bool:
            at = bisect.bisect_right(starts, pos) - 1
            return at >= 0 and pos < with_unit[at][1]

        numbers = frozenset(
            float(m.group(0)) for m in _ANY_NUMBER_RE.finditer(question) if not inside_a_quantity(m.start())
        )
        return cls(quantities, numbers)

    def _stated(self, value: float, unit: str) -> bool:
        """The question gives this value: with the same unit, or as a bare number ("2/230 (1%)")."""
        return any(q.unit == unit and q.agrees_with(value) for q in self.quantities) or any(
            abs(value - n) <= RELATIVE_TOLERANCE * max(abs(value), abs(n)) for n in self.numbers
        )

    def _complement_stated(self, value: float) -> bool:
        """100 % minus `value` is one of the question's percentages, to the digit written."""
        return any(
            own.unit == "%" and abs(100 - value - own.low) < COMPLEMENT_TOLERANCE and own.low == own.high
            for own in self.quantities
        )

    def contradicted_by(self, q: BoundQuantity) -> BoundQuantity | None:
        """The question quantity that `q` restates with another value, if any."""
        return next(iter(self.restated_by(q)), None)

    def restated_by(self, q: BoundQuantity) -> list[BoundQuantity]:
        """The question quantities that `q` restates with another value: those bound best, by shared subject
        stems (the word next to the number counting as `MIN_SHARED`), then by the stems shared outright, in
        text order; several when they tie ("51 +/- 15%" and "57 +/- 11%" have the same words). Empty when `q`
        restates a question quantity with its value, or none binds."""
        if q.formula or not q.subject:
            return []
        values = [q.low, q.high] + ([q.second] if q.second is not None else [])
        if all(self._stated(v, q.unit) for v in values):
            return []
        if q.unit == "%" and all(self._complement_stated(v) for v in values):
            return []  # the rest of a stated share ("17.9% remained pregnant ... the majority (82.1%)"): computed
        ranked: list[tuple[int, int, int, BoundQuantity]] = []
        for index, own in enumerate(self.quantities):
            if own.unit != q.unit:
                continue
            shared = raw = len(own.subject & q.subject)
            if shared >= 1 and own.agrees_with(q.low) and (q.second is None or own.second == q.second):
                return []  # it restates this quantity
            # the word right next to the number ("100% specificity", "specificity of 65%") binds as much as two words around it
            if {w for w in own.near if w} & {w for w in q.near if w}:
                shared = max(shared, MIN_SHARED)
            if shared >= MIN_SHARED and _stems_within(q.derived, own.derived):
                ranked.append((-shared, -raw, index, own))
        ranked.sort(key=lambda t: t[:3])
        return [own for shared, raw, _, own in ranked if (shared, raw) == ranked[0][:2]]


def _stems_within(words: frozenset[str], others: frozenset[str]) -> bool:
    """Every word of `words` has its stem among `others`' ("reduced by 85%" is derived like "a 50% reduction")."""
    stems = {w[:STEM] for w in others}
    return all(w[:STEM] in stems for w in words)
