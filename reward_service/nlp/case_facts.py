"""Case-fact extraction (docs/scoring.md section 4): demographics, findings with assertion status,
measurements, medications; key facts; premises of questions that describe no patient.

Key-fact rule: age and sex; findings (label finding/disease) and medications asserted present or
historical (a past medical history is part of the case); measurements flagged abnormal by the
analyte table's reference ranges. Questions that describe no patient: every concept and quantity
the stem states is a premise and a key fact.
"""

from __future__ import annotations

import re

from reward_service.nlp.analytes import analytes
from reward_service.nlp.bounded_text import case_text
from reward_service.nlp.context_pipeline import ContextPipeline
from reward_service.nlp.demographics import describes_patient, find_age, find_sex
from reward_service.nlp.lexicon import Hit, Lexicon
from reward_service.nlp.measurements import MeasurementExtractor, RawMeasurement
from reward_service.nlp.segment import sentence_index, sentence_spans
from reward_service.nlp.types import CaseFacts, Fact

_FINDING_LABELS = {"finding", "disease"}
_PATIENT_LABELS = {"finding", "disease", "drug", "procedure"}
_KEY_ASSERTIONS = {"present", "historical"}
_NON_KEY_MEASURES = ("duration", "quantity:", "percentile")


class CaseFactExtractor:
    def __init__(self, lexicon: Lexicon, measurer: MeasurementExtractor) -> None:
        self.lexicon = lexicon
        self.measurer = measurer
        self.context = ContextPipeline()

    def extract(self, question: str, options: dict[str, str] | None = None) -> CaseFacts:
        text = case_text(question or "")  # bounded: CASE_READ_CHARS
        spans = sentence_spans(text)
        doc = self.context.prepare(text)
        abbrevs = self._abbreviations(doc)
        hits = self.lexicon.find(text)
        hits = _add_abbreviation_hits(text, hits, abbrevs, self.lexicon)
        measures = self.measurer.extract(text, hits, spans)
        age = find_age(text)
        sex = find_sex(text, after=age.end if age else 0)
        patient = describes_patient(text, age)

        facts: list[Fact] = []
        if age is not None:
            facts.append(
                Fact(
                    "demographic",
                    age.text,
                    "age",
                    value=age.value,
                    unit=age.unit,
                    canonical_value=age.years,
                    canonical_unit="year",
                    surface_forms=(age.text,),
                    is_key=True,
                    start=age.start,
                    end=age.end,
                    sentence=sentence_index(spans, age.start),
                )
            )
        if sex is not None and patient:
            facts.append(
                Fact(
                    "demographic",
                    sex.value,
                    "sex",
                    surface_forms=(sex.text, sex.value),
                    is_key=True,
                    start=sex.start,
                    end=sex.end,
                    sentence=sentence_index(spans, sex.start),
                )
            )

        measured = [(m.start, m.end) for m in measures]
        concept_hits = [h for h in hits if self._is_fact_hit(h, patient, measured)]
        assertions = self.context.assertions(doc, [(h.start, h.end) for h in concept_hits])
        facts.extend(self._concept_facts(text, concept_hits, assertions, spans, patient))
        sex_v = sex.value if sex else None
        age_y = age.years if age else None
        facts.extend(self._measurement_facts(text, measures, spans, sex_v, age_y, patient))
        if not patient:
            taken = [(f.start, f.end) for f in facts]
            facts.extend(_premise_terms(text, taken, spans))
        facts.sort(key=lambda f: (f.start, f.kind, f.key))
        key_facts = tuple(f for f in facts if f.is_key)
        return CaseFacts(
            facts=tuple(facts),
            describes_patient=patient,
            abbreviations=tuple(abbrevs),
            sex=sex_v,
            age_years=age_y,
            key_facts_=key_facts,
            option_facts=self._option_facts(options),
        )

    def _option_facts(self, options: dict[str, str] | None) -> tuple[Fact, ...]:
        """Concepts and quantities of each option (no assertion: options are candidates)."""
        out: list[Fact] = []
        for letter in sorted(options or {}):
            text = str((options or {})[letter] or "")
            spans = sentence_spans(text)
            hits = self.lexicon.find(text)
            for m in self.measurer.extract(text, hits, spans):
                out.append(
                    Fact(
                        "measurement",
                        text[m.start : m.end],
                        m.key,
                        value=m.value,
                        unit=m.unit,
                        canonical_value=m.canonical_value,
                        canonical_unit=m.canonical_unit,
                        start=m.start,
                        end=m.end,
                        in_options=True,
                        option=letter,
                        value_high=m.value_high,
                    )
                )
            for h in hits:
                if h.entry.cue_only or (h.entry.label == "analyte" and len(h.entry.term) <= 2):
                    continue
                kind = "medication" if h.entry.label == "drug" else "finding"
                out.append(
                    Fact(
                        kind,
                        text[h.start : h.end],
                        h.entry.key,
                        label=h.entry.label,
                        source_ids=(h.entry.source_id,),
                        surface_forms=self.lexicon.surface_forms(h.entry.key),
                        start=h.start,
                        end=h.end,
                        in_options=True,
                        option=letter,
                    )
                )
        return tuple(out)

    # ------------------------------------------------------------------------------ helpers
    def _abbreviations(self, doc) -> list[tuple[str, str]]:
        out = []
        for short, long in self.context.abbreviations(doc):
            entry = self.lexicon.lookup(long)
            if entry is not None and entry.label != "analyte":
                out.append((short, entry.key))
        return out

    @staticmethod
    def _is_fact_hit(h: Hit, patient: bool, measured: list[tuple[int, int]]) -> bool:
        e = h.entry
        if e.label == "analyte":
            return not patient and not e.cue_only and len(e.term) > 2
        if patient and e.label not in _PATIENT_LABELS:
            return False
        return not any(ms <= h.start < me for ms, me in measured)

    def _concept_facts(
        self,
        text: str,
        hits: list[Hit],
        assertions: dict[tuple[int, int], str],
        spans: list[tuple[int, int]],
        patient: bool,
    ) -> list[Fact]:
        merged: dict[tuple[str, str], list] = {}
        order: list[tuple[str, str]] = []
        for h in hits:
            e = h.entry
            assertion = assertions.get((h.start, h.end), "present")
            if e.negated:
                assertion = "absent" if assertion == "present" else assertion
            ident = (e.key, assertion)
            if ident not in merged:
                merged[ident] = [h, []]
                order.append(ident)
            merged[ident][1].append(text[h.start : h.end])
        out = []
        for ident in order:
            h, surfaces = merged[ident]
            e = h.entry
            kind = "medication" if e.label == "drug" else "finding"
            forms = tuple(dict.fromkeys([*surfaces, *self.lexicon.surface_forms(e.key)]))
            if patient:
                is_key = ident[1] in _KEY_ASSERTIONS and (e.label in _FINDING_LABELS or kind == "medication")
            else:
                is_key = ident[1] == "present"
            out.append(
                Fact(
                    kind,
                    text[h.start : h.end],
                    e.key,
                    assertion=ident[1],
                    label=e.label,
                    source_ids=self.lexicon.source_ids(e.key) or (e.source_id,),
                    surface_forms=forms,
                    is_key=is_key,
                    start=h.start,
                    end=h.end,
                    sentence=sentence_index(spans, h.start),
                )
            )
        return out

    def _measurement_facts(
        self,
        text: str,
        measures: list[RawMeasurement],
        spans: list[tuple[int, int]],
        sex: str | None,
        age_years: float | None,
        patient: bool,
    ) -> list[Fact]:
        table = analytes()
        out = []
        for m in measures:
            a = table.get(m.key)
            abnormal = a.abnormal(m.canonical_value, sex, age_years) if a else None
            start = m.analyte_start if 0 <= m.analyte_start < m.start else m.start
            surface = text[start : m.end]
            forms = [surface, text[m.start : m.end]]
            if m.alt_start >= 0:
                forms.append(text[m.alt_start : m.alt_end])
            if a is not None:
                forms += [s.text for s in a.synonyms if not s.cue_only][:8]
            is_key = (bool(abnormal) and not m.key.startswith(_NON_KEY_MEASURES)) if patient else True
            out.append(
                Fact(
                    "measurement",
                    surface,
                    m.key,
                    value=m.value,
                    unit=m.unit,
                    canonical_value=m.canonical_value,
                    canonical_unit=m.canonical_unit,
                    abnormal=abnormal,
                    label="analyte" if a else "quantity",
                    source_ids=(f"analyte_table:{m.key}",) if a else (),
                    surface_forms=tuple(dict.fromkeys(forms)),
                    is_key=is_key,
                    start=start,
                    end=m.end,
                    sentence=sentence_index(spans, m.start),
                    value_high=m.value_high,
                )
            )
        return out


def _words(block: str) -> list[str]:
    """Whitespace-separated words of a text block (keeps long word lists readable)."""
    return block.split()


_QUESTION_WORDS = frozenset(
    _words("""
following true false correct incorrect except which what most least likely best all none
statement statements regarding seen found known called used given true/false cause causes caused
feature features finding findings associated
""")
)
_CHUNK_RE = re.compile(r"[A-Za-z][A-Za-z0-9'\-]*(?:\s+[A-Za-z][A-Za-z0-9'\-]*)*")
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z0-9'\-]*")


def _premise_terms(text: str, taken: list[tuple[int, int]], spans: list[tuple[int, int]]) -> list[Fact]:
    """Premises of a question about no patient that the lexicon does not name: maximal runs of
    content words ("myelinated nerve fibers"), keyed by their lower-cased text."""
    from spacy.lang.en.stop_words import STOP_WORDS

    out: list[Fact] = []
    run: list[re.Match] = []

    def flush() -> None:
        if run:
            s, e = run[0].start(), run[-1].end()
            if not any(ts < e and s < te for ts, te in taken):
                phrase = text[s:e]
                key = " ".join(w.lower() for w in phrase.split())
                out.append(
                    Fact(
                        "finding",
                        phrase,
                        key,
                        assertion="present",
                        label="term",
                        source_ids=("text",),
                        surface_forms=(phrase,),
                        is_key=True,
                        start=s,
                        end=e,
                        sentence=sentence_index(spans, s),
                    )
                )
            run.clear()

    prev_end = -1
    for m in _WORD_RE.finditer(text):
        w = m.group(0).lower()
        content = w not in STOP_WORDS and w not in _QUESTION_WORDS and len(w) > 2
        gap = text[prev_end : m.start()] if prev_end >= 0 else " "
        if not content or (run and gap.strip()):
            flush()
        if content:
            run.append(m)
        prev_end = m.end()
    flush()
    return out


def _add_abbreviation_hits(text: str, hits: list[Hit], abbrevs: list[tuple[str, str]], lexicon: Lexicon) -> list[Hit]:
    """Occurrences of stem-defined short forms ("pulmonary embolism (PE)") as hits of the long
    form's concept, where the lexicon had nothing there."""
    if not abbrevs:
        return hits
    from reward_service.nlp.lexicon import LexEntry

    extra: list[Hit] = []
    for short, key in abbrevs:
        label = lexicon.label_of(key) or "finding"
        entry = LexEntry(short, key, label, f"abbreviation:{short}", case_sensitive=True)
        for m in re.finditer(rf"(?<!\w){re.escape(short)}(?!\w)", text):
            if not any(h.start < m.end() and m.start() < h.end for h in hits):
                extra.append(Hit(m.start(), m.end(), entry))
    return sorted([*hits, *extra], key=lambda h: h.start)
