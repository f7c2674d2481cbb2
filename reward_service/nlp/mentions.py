"""Mention finder for reasoning text: the hot path of faithfulness/comprehensiveness scoring.

Per text: one ``match_form`` translate, one Aho-Corasick pass (concepts and analyte cues), one
number regex scan (measurements), a regex segmentation into sentences/lines/bullets, and trigger
regexes only for sentences that contain a mention. No spaCy.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Collection

from reward_service.nlp.analytes import analytes
from reward_service.nlp.demographics import AGE_RE, TO_YEARS, age_of
from reward_service.nlp.lexicon import Hit, LexEntry, Lexicon, resolve_overlaps
from reward_service.nlp.measurements import MeasurementExtractor, RawMeasurement
from reward_service.nlp.polarity import SentencePolarity
from reward_service.nlp.segment import is_labelled_value, sentence_spans
from reward_service.nlp.textnorm import match_form
from reward_service.nlp.types import CaseFacts, Fact, Mention, Polarity

_SEX_RE = re.compile(r"\b(?P<m>man|boy|male|gentleman)\b|\b(?P<f>woman|girl|female|lady)\b", re.IGNORECASE)
_COMPATIBLE: dict[str, frozenset[str]] = {
    "affirmed": frozenset({"present", "historical"}),
    "historical": frozenset({"historical", "present"}),
    "negated": frozenset({"absent"}),
    "family": frozenset({"family"}),
    "hypothetical": frozenset({"present", "historical", "absent", "family", "hypothetical"}),
}


class MentionFinder:
    def __init__(self, lexicon: Lexicon, measurer: MeasurementExtractor) -> None:
        self.lexicon = lexicon
        self.measurer = measurer
        self._analytes = analytes()

    def find(
        self,
        text: str,
        case: CaseFacts | None = None,
        spans: list[tuple[int, int]] | None = None,
        scan: Collection[int] | None = None,
        keys: Collection[str] = (),
        case_lexicon: Lexicon | None = None,
        norm: str | None = None,
    ) -> list[Mention]:
        """Mentions in ``text``. ``spans`` may pass ``sentence_spans(text)``, ``norm`` ``match_form(text)``,
        and ``case_lexicon`` ``case_lexicon(case, keys)``, when the caller keeps them (a response's views
        are computed once per response, a case lexicon once per question).

        Scorers need every mention of a case fact but other concepts only where a claim can be made:
        with ``scan`` (sentence indices) a mention that matches no case fact is kept only inside
        those sentences or when its key is in ``keys``. Polarity is computed for kept mentions only.
        """
        if not text:
            return []
        spans = sentence_spans(text) if spans is None else spans
        norm = match_form(text) if norm is None else norm
        within: list[tuple[int, int]] | None = None
        scan_spans: list[tuple[int, int]] = []
        if scan is None:
            hits = self.lexicon.find(text, norm)
        else:
            # The case's own concepts (and analytes) everywhere; the full lexicon only where wanted.
            scan_spans = [spans[i] for i in sorted(set(scan)) if 0 <= i < len(spans)]
            cands = self._analyte_lexicon.candidates(text, norm, 0, len(text))
            if case_lexicon is None:
                case_lexicon = self.case_lexicon(case, keys)
            cands += case_lexicon.candidates(text, norm, 0, len(text))
            for lo, hi in scan_spans:
                cands += self.lexicon.candidates(text, norm, lo, hi)
            hits = resolve_overlaps(cands, len(text))
            # numbers only matter next to an analyte or in a wanted sentence
            starts = [s for s, _ in spans]
            wanted_spans = set(scan_spans)
            for h in hits:
                if h.entry.label == "analyte":
                    index = bisect.bisect_right(starts, h.start) - 1
                    if index >= 0:
                        wanted_spans.add(spans[index])
            within = sorted(wanted_spans)
        if case is not None and case.abbreviations:
            hits = _case_abbreviation_hits(text, hits, case, self.lexicon)
        measures = self.measurer.extract(text, hits, spans, within)
        pol = _PolarityCache(text, spans)
        out: list[Mention] = []

        covered = bytearray(len(text) + 1)
        wanted = _Relevance(spans, scan, keys)
        case_keys = frozenset(f.key for f in case.facts if f.kind != "measurement") if case else frozenset()
        # an analyte the case measures is worth finding anywhere, also without a value ("elevated CK")
        measured = frozenset(f.key for f in case.facts if f.kind == "measurement") if case else frozenset()
        for m in measures:
            covered[m.start : m.end] = b"\x01" * (m.end - m.start)
            cue_s = m.analyte_start if 0 <= m.analyte_start < m.start else m.start
            fact, related = _match_measurement(case, m.key, m.canonical_value, self._analytes)
            if fact is None and related is None and not wanted(cue_s, m.key) and not _opens_line(text, m):
                if m.analyte_start >= 0:
                    covered[m.analyte_start : m.start] = b"\x01" * (m.start - m.analyte_start)
                continue
            polarity, si = pol.at(cue_s, m.end)
            out.append(
                Mention(
                    "measurement",
                    text[cue_s : m.end],
                    cue_s,
                    m.end,
                    m.key,
                    polarity,
                    si,
                    value=m.value,
                    unit=m.unit,
                    canonical_value=m.canonical_value,
                    canonical_unit=m.canonical_unit,
                    label="analyte" if m.key in self._analytes else "quantity",
                    fact=fact,
                    related=related,
                    value_high=m.value_high,
                )
            )
            if m.analyte_start >= 0:
                covered[m.analyte_start : m.start] = b"\x01" * (m.start - m.analyte_start)

        for h in hits:
            e = h.entry
            if e.cue_only or covered.find(1, h.start, h.end) != -1:
                continue
            if e.label == "analyte" and len(e.term) <= 2:
                continue
            if (
                e.key not in case_keys
                and not (e.label == "analyte" and e.key in measured)
                and not wanted(h.start, e.key)
            ):
                continue
            polarity, si = pol.at(h.start, h.end)
            if e.negated:
                polarity = "negated" if polarity == "affirmed" else polarity
            fact, related = _match_concept(case, e.key, polarity)
            ref = fact or related
            kind = ref.kind if ref is not None else "concept"
            out.append(
                Mention(
                    kind,
                    text[h.start : h.end],
                    h.start,
                    h.end,
                    e.key,
                    polarity,
                    si,
                    label=e.label,
                    fact=fact,
                    related=related,
                )
            )

        # Demographics: the whole text, or (with ``scan``) the wanted sentences only — an age or sex
        # mention outside them cannot be a claim about the patient.
        demographic_spans = [(0, len(text))] if scan is None else scan_spans
        ages = (m for lo, hi in demographic_spans for m in AGE_RE.finditer(text, lo, hi))
        sexes = (m for lo, hi in demographic_spans for m in _SEX_RE.finditer(text, lo, hi))
        for m in ages:
            value, unit = age_of(m)
            polarity, si = pol.at(m.start(), m.end())
            fact, related = _match_demographic(case, "age", value * TO_YEARS[unit], None)
            out.append(
                Mention(
                    "demographic",
                    m.group(0),
                    m.start(),
                    m.end(),
                    "age",
                    polarity,
                    si,
                    value=value,
                    unit=unit,
                    canonical_value=value * TO_YEARS[unit],
                    canonical_unit="year",
                    fact=fact,
                    related=related,
                )
            )
        for m in sexes:
            sex = "male" if m.group("m") else "female"
            polarity, si = pol.at(m.start(), m.end())
            fact, related = _match_demographic(case, "sex", None, sex)
            out.append(
                Mention(
                    "demographic",
                    m.group(0),
                    m.start(),
                    m.end(),
                    "sex",
                    polarity,
                    si,
                    fact=fact,
                    related=related,
                    value_text=sex,
                )
            )
        out.sort(key=lambda x: (x.start, x.end, x.kind, x.key))
        return out

    @functools.cached_property
    def _analyte_lexicon(self) -> Lexicon:
        """Every analyte spelling (shared by all cases)."""
        return self.lexicon.subset(None)

    def case_lexicon(self, case: CaseFacts | None, keys: Collection[str] = ()) -> Lexicon:
        """The lexicon restricted to the case's concepts and ``keys`` (built anew; callers keep it)."""
        wanted = frozenset(f.key for f in case.facts) if case is not None else frozenset()
        return self.lexicon.subset(wanted | frozenset(keys))


def _opens_line(text: str, m: RawMeasurement) -> bool:
    """A value labelled by its analyte at the start of its line ("HR 138/min", "**Glucose** 412 mg/dL"):
    a data line, a statement about the patient wherever it stands, so its value is worth finding."""
    return 0 <= m.analyte_start < m.start and is_labelled_value(text, m.analyte_start, m.end)


class _Relevance:
    """Whether a mention that matches no case fact is wanted (see ``MentionFinder.find``)."""

    __slots__ = ("_keys", "_scan", "_starts")

    def __init__(self, spans: list[tuple[int, int]], scan: Collection[int] | None, keys: Collection[str]) -> None:
        self._scan = None if scan is None else frozenset(scan)
        self._keys = keys
        self._starts = [s for s, _ in spans]

    def __call__(self, pos: int, key: str) -> bool:
        if self._scan is None or key in self._keys:
            return True
        return (bisect.bisect_right(self._starts, pos) - 1) in self._scan


class _PolarityCache:
    __slots__ = ("_cache", "_spans", "_text")

    def __init__(self, text: str, spans: list[tuple[int, int]]) -> None:
        self._text = text
        self._spans = spans
        self._cache: dict[int, SentencePolarity] = {}

    def at(self, start: int, end: int) -> tuple[Polarity, int]:
        spans = self._spans
        i = bisect.bisect_right(spans, (start, 1 << 62)) - 1
        if i < 0:
            return "affirmed", -1
        s0, s1 = spans[i]
        sp = self._cache.get(i)
        if sp is None:
            sp = self._cache[i] = SentencePolarity(self._text[s0:s1])
        return sp.polarity(start - s0, end - s0), i


def _match_measurement(
    case: CaseFacts | None, key: str, canonical: float | None, table: dict
) -> tuple[Fact | None, Fact | None]:
    if case is None:
        return None, None
    a = table.get(key)
    same = [f for f in case.facts if f.kind == "measurement" and f.key == key]
    if not same:
        return None, None
    if canonical is not None:
        for f in same:
            if f.canonical_value is None:
                continue
            ok = (
                a.same_value(f.canonical_value, canonical)
                if a is not None
                else abs(f.canonical_value - canonical) <= 0.015 * max(abs(canonical), 1e-9)
            )
            if ok:
                return f, None
    return None, same[0]


def _match_concept(case: CaseFacts | None, key: str, polarity: Polarity) -> tuple[Fact | None, Fact | None]:
    if case is None:
        return None, None
    same = [f for f in case.facts if f.key == key and f.kind != "measurement"]
    if not same:
        return None, None
    ok = _COMPATIBLE[polarity]
    for f in same:
        if f.assertion in ok:
            return f, None
    return None, same[0]


def _match_demographic(
    case: CaseFacts | None, key: str, years: float | None, sex: str | None
) -> tuple[Fact | None, Fact | None]:
    if case is None:
        return None, None
    for f in case.facts:
        if f.kind != "demographic" or f.key != key:
            continue
        if key == "age" and f.canonical_value is not None and years is not None:
            tol = max(0.5, 0.02 * f.canonical_value) if f.unit == "year" else max(0.01, 0.1 * f.canonical_value)
            return (f, None) if abs(f.canonical_value - years) <= tol else (None, f)
        if key == "sex":
            return (f, None) if f.text == sex else (None, f)
    return None, None


def _case_abbreviation_hits(text: str, hits: list[Hit], case: CaseFacts, lexicon: Lexicon) -> list[Hit]:
    extra: list[Hit] = []
    for short, key in case.abbreviations:
        if short not in text:
            continue
        entry = LexEntry(short, key, lexicon.label_of(key) or "finding", f"abbreviation:{short}", case_sensitive=True)
        for m in re.finditer(rf"(?<!\w){re.escape(short)}(?!\w)", text):
            if not any(h.start < m.end() and m.start() < h.end for h in hits):
                extra.append(Hit(m.start(), m.end(), entry))
    return sorted([*hits, *extra], key=lambda h: h.start) if extra else hits
