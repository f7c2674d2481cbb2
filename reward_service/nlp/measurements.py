"""Measurement extraction: numbers with units, attached to the analyte they measure.

Numbers are found with one compiled regex (value, optional "/value" pair or range, optional unit).
Each number is attached to an analyte by, in order: an analyte named just before it with only filler
words between ("temperature is", "Hemoglobin:", "pulse of"); a unit that implies the analyte
(°F -> temperature, "x/y mm Hg" -> blood pressure, breaths/min -> respiratory rate); the analyte of
the previous measurement in the same sentence ("114/70 mm Hg supine, falling to 92/38"); an analyte
named right after it ("250 mg/dL glucose"); otherwise a generic quantity. Analyte hits come from the
lexicon's Aho-Corasick pass, so this costs one regex scan over the text.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from reward_service.nlp.analytes import Analyte, analytes
from reward_service.nlp.lexicon import Hit
from reward_service.nlp.units import convert, normalize_unit, unit_dimension

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_UNIT = r"""
  [°º˚]\s?[CF](?![a-z]) | ℃ | ℉ | degrees?\s(?:celsius|fahrenheit|[CF])(?![a-z])
| mm\s?(?:of\s)?Hg | mmhg | torr
| cm\s?H2O | mm\s?H2O
| (?:beats|breaths)\s?(?:/|per\s)\s?min(?:ute)?(?![a-z]) | bpm(?![a-z]) | /\s?min(?:ute)?(?![a-z])
| per\sminute
| [x×]\s?10\s?(?:\^|\*\*)?\s?\(?\d{1,2}\)?\s?/\s?(?:L|l|mm3|mm\^3|µL|μL|uL)(?![a-z])
| (?:million|thousand)\s?/\s?(?:mm3|mm\^3|µL|μL|uL)
| (?:cells\s?)?/\s?(?:mm\^?3|mm³|µL|μL|uL|cmm|cumm)(?![a-z]) | /\s?(?:hpf|lpf|HPF|LPF) | /L(?![a-z])
| (?:mg|g|gm|µg|μg|ug|mcg|ng|pg|mmol|µmol|μmol|umol|nmol|pmol|mol|mEq|meq|mOsm|mosm|mOsmol
   |IU|mIU|µIU|μIU|uIU|U|mU|µU|μU|uU)\s?/\s?(?:dL|dl|L|l|mL|ml|kg(?:\s?H2O)?|24\s?h(?:ours?)?|d|day)
   (?![a-z])
| mL/min(?:/1\.73\s?m(?:\^?2|²))? | L/min
| mm/h(?:r|our)?(?![a-z]) | mm\sin\sthe\sfirst\shour
| kg/m(?:\^?2|²)
| mg%|g%|gm%
| (?:fL|fl|µm\^?3|μm\^?3|um3|µm³|μm³)(?![a-z])
| %
| pack-years?
| (?:kg|lbs?|pounds?|oz|ounces?|grams?|g|mg|mcg|µg|μg)(?![a-z])
| (?:cm|mm|m|inches|inch|in|ft|feet|foot)(?![a-z])
| (?:mL|ml|L|liters?|litres?)(?![a-z])
| (?:msec|ms|sec(?:onds?)?|s|min(?:utes?)?|h|hrs?|hours?|days?|d|wks?|weeks?|mos?|months?
   |yrs?|years?)(?![a-z])
| mV | (?:IU|units)(?![a-z])
| pg(?![a-z])
"""
_NUMBER_RE = re.compile(
    rf"(?<![\w.,/])(?P<neg>[-−])?(?P<v1>{_NUM})"
    rf"(?:\s?/\s?(?P<v2>{_NUM}))?"
    rf"(?:\s?(?:-|–|—|to)\s?(?P<v3>{_NUM}))?"
    rf"(?:\s?-?\s?(?P<unit>{_UNIT}))?",
    re.VERBOSE,
)
_FILLER = (
    r"is|was|are|were|be|been|of|at|to|from|by|now|initially|currently|approximately|about|"
    r"around|measured|measures|measuring|shows?|showed|reveals?|revealed|reading|readings|value|"
    r"values|level|levels|count|concentration|increased|decreased|elevated|reduced|rose|fell|"
    r"rising|falling|dropped|drops|low|high|greater|less|than|over|under|below|above|the|his|her|"
    r"their|a|an|serum|plasma|blood|arterial|venous|in|on|with|remains|remained|has|had|have|"
    r"recorded|documented|noted|found|obtained|repeat|repeated|was\s+found\s+to\s+be|total|"
    r"fasting|random|mild|mildly|markedly|significantly|slightly|normal|abnormal|only|just|"
    r"approx|nearly|almost|up|down|supine|sitting|standing|lying|upon|after|while|and|then|"
    r"peak|peaked|maximum|minimum|of\s+about|per|cent"
)
_GAP_RE = re.compile(
    rf"^[+⁺−\-]*\s*(?:\([A-Za-z0-9\-+]{{1,10}}\))?[\s:=(),~≈≥≤<>*+⁺−\-–|]*"
    rf"(?:(?:{_FILLER})\b[\s:=(,~≈≥≤<>*\-–|]*){{0,6}}$",
    re.IGNORECASE,
)
_VALUE_BEFORE_GAP_RE = re.compile(r"[\s,('’]*(?:of\s+|serum\s+|blood\s+|estimated\s+)?")
_AGE_AFTER_RE = re.compile(
    r"\s?-?\s?(?:years?|yrs?|months?|mos?|weeks?|wks?|days?|hours?)"
    r"[-\s]old\b|\s?-?\s?(?:years?|yrs?|months?)\s+of\s+age\b",
    re.I,
)
_PERCENTILE_RE = re.compile(r"(?:st|nd|rd|th)?\s?(?:-\s?)?percentile\b(?:\s+for\s+(\w+))?", re.IGNORECASE)
_ORDINAL_RE = re.compile(r"(?:st|nd|rd|th)\b")
_FT_IN_RE = re.compile(r"(?P<ft>\d)\s?(?:ft|feet|foot|')\s?(?P<inch>\d{1,2})\s?(?:in|inches|\"|'')?", re.IGNORECASE)

_DIGIT_RE = re.compile(r"\d")
_UNIT_IMPLIES = {"°C": "temperature", "°F": "temperature", "kg/m2": "body mass index", "pack-year": "pack-years"}
_TIME_UNITS = frozenset({"sec", "min", "hour", "day", "week", "month", "year"})
# analytes a bare unit-less number may be attached to only with an explicit analyte cue
_DIM_CANONICAL = {
    "mass": "kg",
    "length": "cm",
    "time": "day",
    "volume": "mL",
    "mass_conc": "mg/dL",
    "molar_conc": "mmol/L",
    "eq_conc": "mEq/L",
    "count_conc": "/mm3",
    "activity": "U/L",
    "fraction": "%",
    "pressure": "mm Hg",
    "rate": "/min",
    "temperature": "°C",
}


@dataclass(frozen=True, slots=True)
class RawMeasurement:
    key: str  # analyte key, "duration", "quantity:<dimension>", "<analyte> percentile"
    start: int
    end: int
    value: float
    unit: str | None  # canonical symbol of the written unit (None: unit-less)
    canonical_value: float | None
    canonical_unit: str | None
    value_high: float | None = None
    analyte_start: int = -1  # where the analyte cue was named (or -1)
    alt_start: int = -1  # a parenthesised restatement in another unit: "38.9°C (102°F)"
    alt_end: int = -1


def parse_number(s: str) -> float:
    return float(s.replace(",", "").replace("−", "-"))


def _is_ratio_pair(unit: str | None) -> bool:
    return unit in (None, "mm Hg")


class MeasurementExtractor:
    """Stateless extractor; analytes and compiled regexes are shared by all calls."""

    def __init__(self) -> None:
        self._analytes = analytes()

    def extract(
        self,
        text: str,
        hits: list[Hit],
        spans: list[tuple[int, int]],
        within: list[tuple[int, int]] | None = None,
    ) -> list[RawMeasurement]:
        """Measurements in ``text``; ``hits`` are the lexicon hits, ``spans`` the sentences.

        ``within`` (sorted character ranges) restricts the numbers considered to those ranges.
        """
        if _DIGIT_RE.search(text) is None:
            return []
        analyte_hits = [h for h in hits if h.entry.label == "analyte"]
        self._used: set[int] = set()
        out: list[RawMeasurement] = []
        consumed_to = -1
        prev: tuple[str, int, int] | None = None  # (analyte key, end offset, sentence idx)
        span_idx = 0
        numbers = (
            _NUMBER_RE.finditer(text)
            if within is None
            else (m for lo, hi in within for m in _NUMBER_RE.finditer(text, lo, hi))
        )
        for m in numbers:
            if m.start() < consumed_to:
                continue
            while span_idx + 1 < len(spans) and spans[span_idx + 1][0] <= m.start():
                span_idx += 1
            sent_start = spans[span_idx][0] if spans else 0
            if _AGE_AFTER_RE.match(text, m.end("v1")) is not None:
                continue
            got = self._percentile(text, m)
            if got is not None:
                out.append(got)
                continue
            if m.group("unit") is None and _ORDINAL_RE.match(text, m.end()):
                continue
            ftin = _FT_IN_RE.match(text, m.start())
            if ftin is not None and m.group("v2") is None:
                inches = int(ftin.group("ft")) * 12 + int(ftin.group("inch"))
                out.append(self._make("height", m.start(), ftin.end(), float(inches), "in"))
                consumed_to = ftin.end()
                prev = ("height", ftin.end(), span_idx)
                continue
            unit = normalize_unit(m.group("unit")) if m.group("unit") else None
            if m.group("unit") and unit is None:
                unit = None
            v1 = parse_number(m.group("v1"))
            if m.group("neg"):
                v1 = -v1
            v2 = parse_number(m.group("v2")) if m.group("v2") else None
            v3 = parse_number(m.group("v3")) if m.group("v3") else None
            analyte, cue_start = self._attach(text, m, unit, v2 is not None, analyte_hits, sent_start, prev, span_idx)
            end = m.end()
            # a parenthesised alternate unit "38.9°C (102°F)" is the same measurement
            alt = re.match(
                r"\s?\((?:[^()\d]{0,12})?(" + _NUM + r")\s?(" + _UNIT + r")\)", text[end : end + 40], re.VERBOSE
            )
            if analyte is not None:
                a = self._analytes[analyte]
                if a.pair and v2 is not None:
                    out.extend(self._bp_pair(m.start(), end, v1, v2, unit, cue_start))
                    prev = (analyte, end, span_idx)
                    consumed_to = end
                    continue
                if a.key == "temperature" and unit is None and v1 > 45:
                    unit = "°F"
                got = self._make(a.key, m.start(), end, v1, unit, v3, cue_start)
                if alt is not None:
                    consumed_to = end + alt.end()
                    got = dataclasses.replace(got, alt_start=end + alt.start(1), alt_end=end + alt.end())
                out.append(got)
                prev = (analyte, end, span_idx)
                continue
            if v2 is not None and unit in (None, "mm Hg") and self._looks_like_bp(v1, v2, unit):
                out.extend(self._bp_pair(m.start(), end, v1, v2, unit, -1))
                prev = ("blood pressure", end, span_idx)
                continue
            if unit is None or v2 is not None:
                continue
            dim = unit_dimension(unit)
            key = "duration" if unit in _TIME_UNITS else f"quantity:{dim}"
            canon_unit = _DIM_CANONICAL.get(dim or "", unit)
            cv = convert(v1, unit, canon_unit)
            out.append(RawMeasurement(key, m.start(), end, v1, unit, cv, canon_unit if cv is not None else unit, v3))
        return out

    # ------------------------------------------------------------------------------ helpers
    def _attach(
        self,
        text: str,
        m: re.Match,
        unit: str | None,
        is_pair: bool,
        analyte_hits: list[Hit],
        sent_start: int,
        prev: tuple[str, int, int] | None,
        span_idx: int,
    ) -> tuple[str | None, int]:
        start = m.start()
        # 1. analyte named before, only filler words between (and not already given its value)
        before = [h for h in analyte_hits if sent_start <= h.start and h.end <= start and h.start not in self._used]
        for h in reversed(before[-3:]):
            gap = text[h.end : start]
            if len(gap) > 60 or any(c.isdigit() for c in gap):
                break
            if h.end - h.start == 1 and gap.startswith("("):
                break  # "P(MTC) = 0.5": a probability in function notation, not a one-letter label
            if _GAP_RE.match(gap):
                a = self._analytes[h.entry.key]
                if self._compatible(a, unit, is_pair):
                    return a.key, h.start
                if a.key == "blood pressure" and not is_pair:
                    continue
            break
        # 2. a unit that implies its analyte
        if unit in _UNIT_IMPLIES:
            return _UNIT_IMPLIES[unit], -1
        raw_unit = (m.group("unit") or "").lower()
        if "breath" in raw_unit:
            return "respiratory rate", -1
        if "beat" in raw_unit or raw_unit.startswith("bpm"):
            return "heart rate", -1
        if is_pair and unit == "mm Hg":
            return "blood pressure", -1
        # 3. the previous measurement's analyte, same sentence, short non-numeric gap
        if prev is not None and prev[2] == span_idx and start - prev[1] <= 48:
            gap = text[prev[1] : start]
            a = self._analytes.get(prev[0])
            if (
                a is not None
                and not any(c.isdigit() for c in gap)
                and not any(prev[1] <= h.start < start for h in analyte_hits)
                and unit is not None
                and self._compatible(a, unit, is_pair)
                and unit not in _TIME_UNITS
            ):
                return a.key, -1
        # 4. analyte named right after the value ("250 mg/dL glucose")
        # (the analyte term may start inside the unit: "18 weeks' gestation" matches "weeks' gestation")
        after = [h for h in analyte_hits if h.start >= m.end() or (m.start() < h.start and h.end > m.end())][:1]
        if after and unit is not None:
            gap = text[m.end() : after[0].start] if after[0].start >= m.end() else ""
            # never across a line break: in a lab table the next line's analyte owns the next line's value
            if len(gap) <= 16 and "\n" not in gap and _VALUE_BEFORE_GAP_RE.fullmatch(gap):
                a = self._analytes[after[0].entry.key]
                if self._compatible(a, unit, is_pair) and not after[0].entry.cue_only:
                    self._used.add(after[0].start)  # "18 weeks' gestation with 1 week": 1 week is not GA
                    return a.key, after[0].start
        return None, -1

    @staticmethod
    def _compatible(a: Analyte, unit: str | None, is_pair: bool) -> bool:
        if is_pair:
            return a.pair or a.key in ("fev1/fvc ratio",)
        if a.pair:
            return False
        if unit is None:
            return True
        if unit in _TIME_UNITS and a.dimension != "time":
            return False
        return a.accepts(unit)

    @staticmethod
    def _looks_like_bp(v1: float, v2: float, unit: str | None) -> bool:
        return unit == "mm Hg" or (60 <= v1 <= 260 and 30 <= v2 <= 160 and v1 > v2)

    def _bp_pair(
        self, start: int, end: int, sys_v: float, dia_v: float, unit: str | None, cue_start: int
    ) -> list[RawMeasurement]:
        return [
            self._make("systolic blood pressure", start, end, sys_v, unit or "mm Hg", None, cue_start),
            self._make("diastolic blood pressure", start, end, dia_v, unit or "mm Hg", None, cue_start),
        ]

    def _make(
        self,
        key: str,
        start: int,
        end: int,
        value: float,
        unit: str | None,
        value_high: float | None = None,
        cue_start: int = -1,
    ) -> RawMeasurement:
        a = self._analytes[key]
        cv = a.to_canonical(value, unit)
        return RawMeasurement(
            key, start, end, value, unit or a.unit if cv is not None else unit, cv, a.unit, value_high, cue_start
        )

    def _percentile(self, text: str, m: re.Match) -> RawMeasurement | None:
        if m.group("unit") or m.group("v2"):
            return None
        pm = _PERCENTILE_RE.match(text, m.end())
        if pm is None or "percentile" not in pm.group(0).lower():
            return None
        what = (pm.group(1) or "").lower()
        key = f"{what} percentile" if what else "percentile"
        v = parse_number(m.group("v1"))
        return RawMeasurement(key, m.start(), pm.end(), v, "percentile", v, "percentile")
