"""The shared analysis of one response against its case, used by faithfulness and comprehensiveness.

Built once per item (cached on the ItemContext): the analysed text (reasoning, then conclusion), its
sentences, which sentences are about the patient, the guards' discounted spans, the clinical mentions,
the claims with their status, the cited key facts, and how each option is weighed.

Claim rules (docs/scoring.md), for questions that describe a patient:

| mention | supported | contradicted | unsupported |
| --- | --- | --- | --- |
| age | same age (±2%, at least ±0.5 y) | another age | — |
| sex, in a patient sentence | same sex | the other sex | — |
| measurement, not hypothetical | same analyte, value within the analyte's tolerance (any unit) | same analyte, other value, in a patient sentence | a lab or vital with no counterpart, in a patient sentence |
| finding, not hypothetical | same concept, compatible assertion (a generic head word such as "pain" also matches a present "abdominal pain") | opposite assertion, in a patient sentence, with a negation cue within 4 words when the response negates | a specific symptom/sign (lexicon label `finding` or a curated symptom, `ClinicalNLP.symptom_keys`; not a generic head word, not a parenthetical gloss, not about another person) asserted for the patient with no counterpart |
| medication | — | — | a drug the patient is said to take ("taking", "started on", …) that the case does not mention |

Option lines never carry contradicted or unsupported claims (they describe the option). Questions that
describe no patient compare the response with the question's premises instead (see `premises.py`):
restated concepts and options are supported, restated quantities and analyte values with another value are
contradicted, and a patient invented for a patient-less question is unsupported, with every finding attributed
to that patient. In both kinds of question a generic quantity bound to one of the question's by its words
("the overall infection rate was 53.5%" for 18.5%) and restated with another value is contradicted
(`bound_quantities.py`, `_bound_quantity_claims`).
Claims repeated with the same key, value and status count once; claims in copied or repeated spans
earn nothing, except a contradicted claim whose numbers the response wrote itself (`_judged_in_copy`).
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from reward_service.nlp.common_words import FUNCTION_WORDS
from reward_service.nlp.lang.en.analyte_disorders import stem_names_analyte
from reward_service.nlp.lang.en.context_triggers import NEGATION_CUES
from reward_service.nlp.lang.en.derived_findings import DERIVED_FINDINGS
from reward_service.nlp.lang.en.patient_cues import PERSON_CUES
from reward_service.nlp.polarity import polarity_of
from reward_service.scoring.evidence.bound_quantities import comparison_group, find_bound_quantities
from reward_service.scoring.evidence.claim_scope import (
    SCOPE_REACH,
    conditional_before,
    is_keyword_list,
    labels_its_line,
    level_sentence_is_general,
    names_other_person_at,
    on_data_line,
    opens_with_age,
    sentence_is_general,
    sentence_names_other_person,
    stated_level,
    threshold_before,
    value_scope,
)
from reward_service.scoring.evidence.guards import (
    Discounts,
    copied_spans,
    merge_spans,
    paraphrased_spans,
    repeated_runs,
    repeated_spans,
)
from reward_service.scoring.evidence.option_reasons import OptionWords, ReasonFinder, Span, stems_of
from reward_service.scoring.evidence.options import (
    OptionAssessment,
    OptionMention,
    assess_options,
    find_option_mentions,
)
from reward_service.scoring.evidence.premises import Premises, find_quantities, keyword_hits
from reward_service.scoring.evidence.term_series import Covered, has_loose_words, woven_series
from reward_service.scoring.evidence.value_readings import judge_reading, level_of, reading_after, reference_range
from reward_service.scoring.response.context_lines import PATIENT_MATCHER
from reward_service.scoring.response.doc import ResponseDoc, SentenceFlags

if TYPE_CHECKING:
    from reward_service.nlp.types import CaseFacts, Fact, Mention
    from reward_service.scoring.question import Question

ClaimStatus = Literal["supported", "contradicted", "unsupported"]

#: Lexicon labels that name things done or looked at, not findings: never contradicted or unsupported.
NEUTRAL_LABELS = frozenset({"procedure", "anatomy"})
NEGATION_WINDOW_WORDS = 4
NEGATION_CUE_RE = re.compile(rf"\b(?:{'|'.join(NEGATION_CUES)})\b", re.I)
INTAKE_RE = re.compile(
    r"\b(?:taking|takes|took|on|started on|starting|prescribed|receiving|received|treated with|uses|using|"
    r"given|administered)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    text: str
    kind: Literal["measurement", "finding", "demographic", "medication", "premise"]
    key: str
    status: ClaimStatus
    polarity: str | None
    sentence: int
    start: int
    fact_text: str | None = None
    fact_id: tuple[object, ...] | None = None
    key_fact: bool = False
    reason: str | None = None
    #: a reading in the response's own words ("(low-normal)", "This is low") of a value it restates: judged
    #: even where the value itself stands in text copied from the question
    own_reading: bool = False

    @property
    def identity(self) -> tuple[object, ...]:
        return (self.kind, self.key, self.status, self.fact_id or self.text.lower())


@dataclass
class ResponseAnalysis:
    """What the evidence stages found in one `ResponseDoc` (the response, read once)."""

    doc: ResponseDoc
    flags: SentenceFlags
    discounts: Discounts
    describes_patient: bool
    claims: list[ClaimRecord] = field(default_factory=list)  # counted, distinct
    discounted: list[str] = field(default_factory=list)  # claims that fell in copied or repeated text
    key_fact_labels: dict[tuple[object, ...], str] = field(default_factory=dict)  # fact id -> label
    options: list[OptionAssessment] = field(default_factory=list)
    reasons: ReasonFinder | None = None  # anchors of option reasons and behaviour cues
    #: the stem restated with small changes (`guards.paraphrased_spans`): its supported claims earn nothing,
    #: while a value it changes is still contradicted
    paraphrased: list[tuple[int, int]] = field(default_factory=list)
    plain_discounts: Discounts | None = None  # the discounts without the paraphrased spans

    # the document's views, by their short names
    @property
    def text(self) -> str:
        return self.doc.text

    @property
    def sentences(self) -> list[tuple[int, int]]:
        return self.doc.sentences

    @property
    def lowered(self) -> str:
        return self.doc.lowered

    @property
    def about_patient(self) -> list[bool]:
        return self.flags.about_patient

    @property
    def option_line(self) -> list[bool]:
        return self.flags.option_line

    @property
    def bare_option_line(self) -> list[bool]:
        return self.flags.bare_option_line

    def sentence_text(self, index: int) -> str:
        return self.doc.sentence_text(index)

    def is_general(self, index: int) -> bool:
        """`sentence_is_general` of sentence `index` (checked once per sentence: several claims share one)."""
        return self._scope_check(sentence_is_general, index)

    def level_is_general(self, index: int) -> bool:
        """`level_sentence_is_general` of sentence `index`, checked once per sentence."""
        return self._scope_check(level_sentence_is_general, index)

    def names_other_person(self, index: int) -> bool:
        """`sentence_names_other_person` of sentence `index`, checked once per sentence."""
        return self._scope_check(sentence_names_other_person, index)

    def is_woven_list(self, start: int, end: int) -> bool:
        """`term_series.is_woven_list` of `text[start:end]`, the options' words counted as anchors."""
        return self._woven_series(start, end) is not None

    def _woven_series(self, start: int, end: int) -> tuple[int, int] | None:
        """`term_series.woven_series` of `text[start:end]`, found once per range (the behaviour check and
        the claim check ask about the same sentences)."""
        memo: dict[tuple[int, int], tuple[int, int] | None] = self.__dict__.setdefault("_series_memo", {})
        if (start, end) not in memo:
            reasons = self.reasons
            memo[(start, end)] = (
                None
                if reasons is None
                else woven_series(self.text, start, end, reasons.anchor_spans(start, end, ()), reasons.question_stems)
            )
        return memo[(start, end)]

    def lists_terms(self, index: int) -> bool:
        """Whether sentence `index` weaves words picked from the case into filler: a woven list
        (`term_series.is_woven_list`) with an item that is no fact or concept ("Considering woman, medical
        and recurrent, the picture fits"), and nothing said of the patient outside its items ("The patient
        has fever, cough and hypoxia" states them). Its supported claims earn nothing; a list of restated
        facts ("Current medications include lisinopril, metformin and aspirin") keeps them. Checked once."""
        memo: dict[int, bool] = self.__dict__.setdefault("_woven_memo", {})
        if index not in memo:
            memo[index] = False
            start, end = self.sentences[index]
            reasons = self.reasons
            if reasons is not None:
                anchors = reasons.anchor_spans(start, end, ())
                span = self._woven_series(start, end)
                if span is not None and has_loose_words(self.text, span, anchors, reasons.question_stems):
                    inside = Covered(anchors)
                    cues = (first for first, _, _ in PATIENT_MATCHER.finditer(self.lowered[start:end]))
                    memo[index] = all(inside.holds(start + c) for c in cues)
        return memo[index]

    def _scope_check(self, check: Callable[[str], bool], index: int) -> bool:
        memo: dict[tuple[Callable[[str], bool], int], bool] = self.__dict__.setdefault("_scope_memo", {})
        key = (check, index)
        if key not in memo:
            memo[key] = check(self.sentence_text(index))
        return memo[key]

    @property
    def cited_key_facts(self) -> list[str]:
        """Distinct key facts supported by the response, in order of first citation."""
        seen: dict[tuple[object, ...], str] = {}
        for claim in self.claims:
            if claim.status == "supported" and claim.fact_id in self.key_fact_labels and claim.fact_id not in seen:
                seen[claim.fact_id] = self.key_fact_labels[claim.fact_id]
        return list(dict.fromkeys(seen.values()))

    def discounted_spans(self, limit: int = 10, width: int = 120) -> list[str]:
        """The copied and repeated spans themselves (shortened), for `details`."""
        out = []
        for kind, spans in (("copied", self.discounts.copied), ("repeated", self.discounts.repeated)):
            for start, end in spans[:limit]:
                snippet = " ".join(self.text[start:end].split())
                out.append(f"{kind}: {snippet[:width]}{'…' if len(snippet) > width else ''}")
        return out

    @property
    def key_fact_count(self) -> int:
        """Distinct key facts (by label: "smoking" present and historical count once), as cited facts are."""
        return len(set(self.key_fact_labels.values()))

    @property
    def redundancy(self) -> float:
        return self.discounts.redundancy(len(self.text))


def fact_id(fact: Fact) -> tuple[object, ...]:
    if fact.kind == "measurement":
        return ("m", fact.key, round(fact.canonical_value or 0.0, 6))
    return (fact.kind[0], fact.key, fact.assertion)


def analyse(doc: ResponseDoc, question: Question, item_options: Mapping[str, str] | None = None) -> ResponseAnalysis:
    """The analysis of one response; `item_options` are the options in the item's own order (the order
    options are reported in), the question's by default."""
    nlp = question.nlp
    text, sentences, lowered, norm = doc.text, doc.sentences, doc.lowered, doc.norm
    options = question.options
    case = question.case
    flags = doc.classify(options)
    about_patient, option_line = flags.about_patient, flags.option_line
    paraphrased = merge_spans(paraphrased_spans(text, question.stem_runs, norm))
    # a paraphrased stem weighs no option and shows no behaviour (in the discounts), but a value it
    # changes is still contradicted (`_keep_distinct`)
    copied, repeated = _copied(text, question, norm), _repeated(text, sentences, norm)
    discounts = Discounts.build(merge_spans([*copied, *paraphrased]) if paraphrased else copied, repeated)
    analysis = ResponseAnalysis(doc, flags, discounts, case.describes_patient)
    if paraphrased:
        analysis.paraphrased = paraphrased
        analysis.plain_discounts = Discounts.build(copied, repeated)
    # Concepts that match no case fact only matter where a claim about the patient can be made.
    # ... and on data lines ("- Potassium: 6.2 mEq/L", "| HR | 128 |"), where a fabricated value is a claim too
    # ... and sentences that open with an age ("34 years old. This matters because ..."), which state it
    scan = [
        i
        for i, (patient, option) in enumerate(zip(about_patient, option_line, strict=True))
        if not option and (patient or on_data_line(text, sentences[i][0]) or opens_with_age(text, *sentences[i]))
    ]
    if case.describes_patient:
        mentions = nlp.find_mentions(
            text, case, spans=sentences, scan=scan, case_lexicon=question.case_lexicon, norm=norm
        )
        raw = list(
            _patient_claims(text, mentions, analysis, case, nlp.generic_finding_keys, nlp.symptom_keys, question.text)
        )
        key_ids = {fact_id(f): f.text for f in case.key_facts}
    else:
        premises = question.premises
        # a question without a patient: any person the response brings in ("a patient with …") is invented
        persons = _person_sentences(analysis)
        scan = sorted(set(scan) | set(persons))
        mentions = nlp.find_mentions(
            text,
            case,
            spans=sentences,
            scan=scan,
            keys=premises.concepts,
            case_lexicon=question.case_lexicon,
            norm=norm,
        )
        raw = list(_premise_claims(text, mentions, analysis, premises, persons))
        key_ids = premises.ids()
    raw += list(_bound_quantity_claims(text, analysis, question, mentions))
    analysis.key_fact_labels = key_ids
    option_mentions = (
        find_option_mentions(text, options, lowered, question.option_stems) if question.option_items else []
    )
    reasons = _reason_finder(text, norm, options, mentions, nlp, question.option_words, question.question_stems)
    analysis.reasons = reasons
    if options:
        analysis.options = assess_options(
            text,
            dict(item_options) if item_options else options,
            discounts,
            reasoning_end=doc.reasoning_end,
            lowered=lowered,
            reasons=reasons,
            mentions=option_mentions,
        )
        raw = _without_restated_options(raw, analysis, question.option_words.all_stems, option_mentions)
    _keep_distinct(analysis, raw)
    return analysis


def _repeated(text: str, sentences: list[tuple[int, int]], norm: str) -> list[tuple[int, int]]:
    """Repeated sentences, and repeated runs of content tokens wherever the sentence boundaries fall."""
    runs = repeated_runs(text, norm)
    spans = repeated_spans(text, sentences, norm)
    return merge_spans([*spans, *runs]) if runs else spans


def _copied(text: str, question: Question, norm: str) -> list[tuple[int, int]]:
    """Runs copied from the question: `COPY_MIN_TOKENS` tokens of stem and options, or fewer of a short
    stem (`copy_window`); quoting the options' list is not pasting the stem."""
    spans = copied_spans(text, question.copy_grams, norm)
    if question.stem_grams is not None:
        spans = sorted({*spans, *copied_spans(text, question.stem_grams, norm)})
    return spans


def _reason_finder(
    text: str,
    norm: str,
    options: dict[str, str],
    mentions: list[Mention],
    nlp,
    option_words: OptionWords,
    question_stems: frozenset[str] = frozenset(),
) -> ReasonFinder:
    """Anchors for option reasons: the case facts the response names, and lexicon concepts in a unit."""
    case_spans = [
        Span(m.start, m.end, m.text, m.key, True) for m in mentions if m.fact is not None or m.related is not None
    ]

    def lexicon_hits(spans: list[tuple[int, int]]) -> list[Span]:
        return [
            Span(h.start, h.end, text[h.start : h.end], h.entry.key)
            for h in nlp.lexicon.find(text, norm, spans)
            if not h.entry.cue_only
        ]

    return ReasonFinder(text, options, lexicon_hits, case_spans, nlp.generic_finding_keys, option_words, question_stems)


def _without_restated_options(
    raw: list[ClaimRecord],
    analysis: ResponseAnalysis,
    option_stems: set[str],
    mentions: list[OptionMention],
) -> list[ClaimRecord]:
    """Drop supported claims that only restate an option's words in a sentence that refers to an option
    ("D. Use LMW heparin — rejected, it does not fit", "Option D (Use LMW heparin) is incorrect"), unless the
    option is weighed there for a specific reason: repeating a candidate answer cites nothing of the case.
    A restated option with another value ("5% Lysol" for "2% Lysol") stays contradicted."""
    starts = [start for start, _ in analysis.sentences]
    text = analysis.doc.text
    # a mention found by option words starts with its piece, after ". " at the space: the sentence it
    # refers from is the one holding its first word (a bullet and a prose sentence alike)
    referring = {bisect.bisect_right(starts, _first_word(text, m.start)) - 1 for m in mentions}
    weighed = merge_spans(span for o in analysis.options for span in o.spans)
    weighed_starts = [a for a, _ in weighed]
    # units that only paste the question's words after a verdict ("B. Asthma — unlikely given the cough")
    pasted = merge_spans(span for o in analysis.options for span in o.restated)
    pasted_starts = [a for a, _ in pasted]
    kept = []
    for claim in raw:
        in_option_sentence = claim.sentence in referring or (
            0 <= claim.sentence < len(analysis.option_line) and analysis.option_line[claim.sentence]
        )
        stems = stems_of(claim.text)
        restated = in_option_sentence and stems and stems <= option_stems
        at = bisect.bisect_right(weighed_starts, claim.start) - 1
        inside = at >= 0 and claim.start < weighed[at][1]
        if restated and claim.status == "supported" and not inside:
            continue
        at = bisect.bisect_right(pasted_starts, claim.start) - 1
        if (
            in_option_sentence
            and claim.status == "supported"
            and not inside
            and at >= 0
            and claim.start < pasted[at][1]
        ):
            continue  # a case word pasted after a verdict cites nothing
        kept.append(claim)
    return kept


def _first_word(text: str, pos: int) -> int:
    end = min(len(text), pos + 8)  # a piece starts after at most a few spaces
    while pos < end and text[pos].isspace():
        pos += 1
    return pos


#: Supported claims that a bare list of terms does not earn (`claim_scope.is_keyword_list`) ...
LISTED_KINDS = frozenset({"finding", "medication", "premise", "demographic"})
_BARE_VALUE_RE = re.compile(r"[-+−]?\.?\d")
_DIGIT_RE = re.compile(r"\d")


def _bare_value(claim: ClaimRecord) -> bool:
    """... and a measurement given as a bare value ("38°C", "125/85 mm Hg"): its analyte is implied by the
    unit, not named, so a list of the case's values earns nothing either; likewise an analyte named
    without its value ("platelets" in a list of the case's words). A labelled value ("Hemoglobin
    10.8 g/dL", "HR 128") in a lab or vitals line still counts."""
    if claim.kind != "measurement":
        return False
    return _BARE_VALUE_RE.match(claim.text) is not None or not _DIGIT_RE.search(claim.text)


def _keep_distinct(analysis: ResponseAnalysis, raw: list[ClaimRecord]) -> None:
    seen: set[tuple[object, ...]] = set()
    lists: dict[int, bool] = {}
    paraphrase_starts = [a for a, _ in analysis.paraphrased]
    for claim in sorted(raw, key=lambda c: c.start):
        at = bisect.bisect_right(paraphrase_starts, claim.start) - 1
        paraphrase = at >= 0 and claim.start < analysis.paraphrased[at][1]
        if paraphrase and claim.status == "supported":
            analysis.discounted.append(f"paraphrase: {claim.text}")
            continue
        covered = analysis.plain_discounts if paraphrase and analysis.plain_discounts else analysis.discounts
        if covered.covers(claim.start) and not _judged_in_copy(covered, claim):
            analysis.discounted.append(claim.text)
            continue
        if claim.status == "supported" and (claim.kind in LISTED_KINDS or _bare_value(claim)):
            if claim.sentence not in lists:
                lists[claim.sentence] = is_keyword_list(analysis.sentence_text(claim.sentence), FUNCTION_WORDS)
            if lists[claim.sentence]:
                analysis.discounted.append(f"list: {claim.text}")
                continue
            if analysis.describes_patient and analysis.lists_terms(claim.sentence):
                analysis.discounted.append(f"list: {claim.text}")
                continue
        if claim.identity in seen:
            continue
        seen.add(claim.identity)
        analysis.claims.append(claim)


def _judged_in_copy(discounts: Discounts, claim: ClaimRecord) -> bool:
    """A contradicted claim that starts in a copied run but whose value the response wrote itself ("…
    blood pressure is 120/80 mm Hg, pulse is 45/min" with the stem's pulse 90/min): a copy of the case
    cannot disagree with it, so the changed value is judged, not discounted (docs/scoring.md §7)."""
    if claim.status != "contradicted" or discounts.in_repeat(claim.start):
        return False
    return claim.own_reading or not discounts.values_copied(claim.start, claim.text)


def _claim(m: Mention, kind: str, status: ClaimStatus, fact: Fact | None, key_ids: set, reason: str | None = None):
    fid = fact_id(fact) if fact is not None else None
    return ClaimRecord(
        text=m.text,
        kind=kind,  # type: ignore[arg-type]
        key=m.key,
        status=status,
        polarity=m.polarity,
        sentence=m.sentence,
        start=m.start,
        fact_text=fact.text if fact is not None else None,
        fact_id=fid,
        key_fact=fid in key_ids,
        reason=reason,
    )


def _containing_fact(case: CaseFacts, m: Mention, generic: frozenset[str]) -> Fact | None:
    """A present finding of the case that a mention names in other words: by its head word ("pain" for
    "abdominal pain"), inside a longer phrase ("acute abdominal pain" for "abdominal pain"), or more
    specifically than a vague case finding ("distended abdomen" for the stem's "distended")."""
    if m.polarity not in ("affirmed", "historical"):
        return None
    words = set(m.key.split())
    surface = m.text.lower()
    for fact in case.facts:
        if fact.kind != "finding" or fact.assertion not in ("present", "historical"):
            continue
        fact_words = set(fact.key.split())
        if words < fact_words or (len(fact.key) > 3 and fact.key in surface):
            return fact
        if fact.key in generic and fact_words < words:
            return fact
    return None


def _patient_claims(
    text: str,
    mentions: list[Mention],
    analysis: ResponseAnalysis,
    case: CaseFacts,
    generic: frozenset[str],
    symptoms: frozenset[str] = frozenset(),
    stem: str = "",
):
    key_ids = {fact_id(f) for f in case.key_facts}
    for m in mentions:
        s = m.sentence
        patient = 0 <= s < len(analysis.about_patient) and analysis.about_patient[s]
        option = 0 <= s < len(analysis.option_line) and analysis.option_line[s]
        if 0 <= s < len(analysis.bare_option_line) and analysis.bare_option_line[s]:
            continue
        if m.kind == "demographic":
            # the patient's age or sex stated inside a framing such as "the first thing to consider is that
            # the patient is 31 years old" is still stated: only a conditional makes it hypothetical
            if m.polarity == "hypothetical" and conditional_before(text, m.start, _sentence_start(analysis, s)):
                continue
            if not (m.key == "age" or patient) or names_other_person_at(text, m.start, m.end):
                continue  # "a healthy 20-year-old woman", "his 10-year-old daughter": not the patient
            if m.fact:
                yield _claim(m, "demographic", "supported", m.fact, key_ids)
            elif m.related:
                yield _claim(m, "demographic", "contradicted", m.related, key_ids, f"the case says {m.related.text}")
            continue
        if m.polarity == "hypothetical":
            continue
        sentence = analysis.sentence_text(s)
        if m.kind == "measurement":
            if m.fact is not None:
                yield _claim(m, "measurement", "supported", m.fact, key_ids)
                reading = None if option else _reading_claim(text, m, analysis, case, key_ids)
                if reading is not None:
                    yield reading
                continue
            scope = _value_scope(text, analysis, m)
            if option or sentence_is_general(scope) or sentence_names_other_person(scope):
                continue
            if threshold_before(text, _value_start(text, m)) or _part_of_name(text, m):
                continue
            # a value of one of the case's analytes restates the case wherever it stands (bullets, tables,
            # "HR 128"); a generic quantity ("400 mg" vs a weight of 80 kg) is never contradicted
            data_line = on_data_line(text, m.start) or labels_its_line(text, m.start, m.text)
            restated = patient or data_line or (m.related is not None and m.label == "analyte")
            if m.related is not None and restated and m.label == "analyte":
                yield _claim(m, "measurement", "contradicted", m.related, key_ids, f"the case says {m.related.text}")
            elif (patient or data_line) and m.label == "analyte" and m.canonical_value is not None:
                yield _claim(m, "measurement", "unsupported", None, key_ids, "no such measurement in the case")
            continue
        if m.label == "analyte" and m.kind == "concept":
            claim = _level_claim(text, m, analysis, case, key_ids, option)
            if claim is None and patient and not option:
                claim = _unmeasured_level_claim(text, m, analysis, case, stem)
            if claim is not None:
                yield claim
            continue
        # findings, medications and other lexicon concepts
        fact = m.fact or (_containing_fact(case, m, generic) if m.related is None else None)
        if fact is not None:
            kind = "medication" if fact.kind == "medication" else "finding"
            yield _claim(m, kind, "supported", fact, key_ids)
        elif m.related is not None and not _opposed(m.polarity, m.related.assertion):
            continue  # the case states it in another scope (family, hypothetical, the question's own): no claim
        elif m.related is not None and patient and m.label not in NEUTRAL_LABELS and _clear_polarity(text, m):
            yield _claim(
                m,
                "finding",
                "contradicted",
                m.related,
                key_ids,
                f"the case says {m.related.text} ({m.related.assertion})",
            )
        elif (derived := _derived_finding_claim(text, m, analysis, case, key_ids, patient and not option))[0]:
            if derived[1] is not None:  # None: a borderline value, no claim
                yield derived[1]
        elif (
            patient
            and not option
            and m.polarity == "affirmed"
            and not _parenthetical(text, m)
            and not sentence_names_other_person(sentence)  # "epistaxis in his father": not the patient's
        ):
            if (m.label == "finding" or m.key in symptoms) and m.key not in generic:
                yield _claim(m, "finding", "unsupported", None, key_ids, "not in the case")
            elif m.label == "drug" and INTAKE_RE.search(text, max(0, m.start - 40), m.start):
                yield _claim(m, "medication", "unsupported", None, key_ids, "the case mentions no such medication")


def _value_scope(text: str, analysis: ResponseAnalysis, m: Mention) -> str:
    """The part of a measurement's sentence that can make it general or another person's (`value_scope`)."""
    if not 0 <= m.sentence < len(analysis.sentences):
        return analysis.sentence_text(m.sentence)
    start, end = analysis.sentences[m.sentence]
    return value_scope(text, max(start, m.start - SCOPE_REACH), end, max(m.end, start))


def _case_level(case: CaseFacts, key: str) -> tuple[Fact, tuple[float, float]] | None:
    """The case's measurement of analyte `key` and the analyte's reference range for this patient (a
    child's heart and respiratory rate by age band, `value_readings.reference_range`)."""
    for fact in case.facts:
        if fact.kind == "measurement" and fact.key == key and fact.canonical_value is not None:
            ref = reference_range(key, case.sex, case.age_years)
            return None if ref is None else (fact, ref)
    return None


def _level_claim(text: str, m: Mention, analysis: ResponseAnalysis, case: CaseFacts, key_ids, option: bool):
    """A case analyte named with a level in words ("elevated creatine kinase", "normal AST"): supported when
    the case's value is at that level, contradicted when it is not, and no claim when the value is
    borderline and the level is the one across the limit it is near (`value_readings`)."""
    if option or m.polarity == "hypothetical":
        return None
    if analysis.level_is_general(m.sentence) or analysis.names_other_person(m.sentence):
        return None
    case_level = _case_level(case, m.key)
    if case_level is None:
        return None
    start, end = analysis.sentences[m.sentence] if 0 <= m.sentence < len(analysis.sentences) else (0, len(text))
    level = stated_level(text, m.start, m.end, start, end)
    if level is None:
        return None
    fact, ref = case_level
    verdict = judge_reading(level, fact.canonical_value, ref)  # type: ignore[arg-type]
    if verdict == "agrees":
        return _claim(m, "measurement", "supported", fact, key_ids)
    if verdict == "borderline":
        return None
    actual = level_of(fact.canonical_value, ref)  # type: ignore[arg-type]
    return _claim(m, "measurement", "contradicted", fact, key_ids, f"the case says {fact.text} ({actual})")


def _derived_finding_claim(
    text: str, m: Mention, analysis: ResponseAnalysis, case: CaseFacts, key_ids, patient: bool
) -> tuple[bool, ClaimRecord | None]:
    """A finding that names the level of a value the case gives ("fever" for 38.9 °C, "tachycardia" for a
    pulse of 128/min in an adult, `nlp/lang/en/derived_findings.py`): supported when the value is at that
    level for the patient's age and sex, contradicted when it is not ("tachypnea" for 42/min at 3 weeks),
    in a patient sentence that is not general and not another person's; a borderline value makes no claim.
    Returns (judged here, the claim)."""
    derived = DERIVED_FINDINGS.get(m.key)
    if derived is None or m.related is not None or not patient or m.polarity not in ("affirmed", "negated"):
        return False, None
    if m.polarity == "negated" and not _clear_polarity(text, m):
        return False, None
    if analysis.is_general(m.sentence) or analysis.names_other_person(m.sentence) or _parenthetical(text, m):
        return False, None
    case_level = _case_level(case, derived[0])
    if case_level is None:
        return False, None
    fact, ref = case_level
    stated = "normal" if m.polarity == "negated" else derived[1]
    verdict = judge_reading(stated, fact.canonical_value, ref)  # type: ignore[arg-type]
    if verdict == "agrees":
        return True, _claim(m, "finding", "supported", fact, key_ids)
    if verdict == "borderline":
        return True, None
    actual = level_of(fact.canonical_value, ref)  # type: ignore[arg-type]
    return True, _claim(m, "finding", "contradicted", fact, key_ids, f"the case says {fact.text} ({actual})")


def _unmeasured_level_claim(
    text: str, m: Mention, analysis: ResponseAnalysis, case: CaseFacts, stem: str
) -> ClaimRecord | None:
    """A level stated for the patient of an analyte the case never measured ("The patient has a normal
    blood pH" with no blood gas): unsupported, as a fabricated value is. The stem naming the analyte or
    its disorder ("hypokalemia", `nlp/lang/en/analyte_disorders.py`) leaves it no claim."""
    if m.polarity == "hypothetical" or any(f.kind == "measurement" and f.key == m.key for f in case.facts):
        return None
    if analysis.level_is_general(m.sentence) or analysis.names_other_person(m.sentence):
        return None
    start, end = analysis.sentences[m.sentence] if 0 <= m.sentence < len(analysis.sentences) else (0, len(text))
    if stated_level(text, m.start, m.end, start, end) is None or stem_names_analyte(stem, m.key, m.text):
        return None
    return _claim(m, "measurement", "unsupported", None, set(), "the case reports no such measurement")


#: The halves of a blood pressure: a reading of "145/92 mm Hg" is of the pair.
_PRESSURE_HALVES = ("systolic blood pressure", "diastolic blood pressure")


def _reading_claim(text: str, m: Mention, analysis: ResponseAnalysis, case: CaseFacts, key_ids) -> ClaimRecord | None:
    """A case value the response restates and then reads wrongly ("a hematocrit of 48%. This is low" for a
    woman's 48 %, "Serum calcium 8.0 mg/dL (low-normal)"): contradicted. A right or borderline reading adds
    no claim (the value is already supported), so annotating values earns nothing. A blood pressure is read
    as a pair: wrong only when wrong for both halves ("138/56 mm Hg, which is elevated" is not), judged once."""
    from reward_service.nlp.analytes import analytes

    analyte = analytes().get(m.key)
    if analyte is None or analyte.pair or not 0 <= m.sentence < len(analysis.sentences):
        return None
    pressure = m.key in _PRESSURE_HALVES
    if pressure and m.key == _PRESSURE_HALVES[1] and _case_level(case, _PRESSURE_HALVES[0]) is not None:
        return None  # the systolic half's mention judges the pair
    levels = [lv for key in (_PRESSURE_HALVES if pressure else (m.key,)) if (lv := _case_level(case, key))]
    if not levels:
        return None
    reading = reading_after(text, m.end, analysis.sentences[m.sentence][1])
    if reading is None:
        return None
    if any(judge_reading(reading.level, f.canonical_value, ref, reading.hedged) != "wrong" for f, ref in levels):  # type: ignore[arg-type]
        return None
    fact, ref = levels[0]
    actual = level_of(fact.canonical_value, ref)  # type: ignore[arg-type]
    claim = _claim(m, "measurement", "contradicted", fact, key_ids, f"the case says {fact.text} ({actual})")
    return dataclasses.replace(claim, text=text[m.start : reading.end], own_reading=True)


def _opposed(polarity: str | None, assertion: str | None) -> bool:
    """A response mention and a case fact of the same concept disagree only as present vs absent."""
    if polarity in ("affirmed", "historical"):
        return assertion == "absent"
    if polarity == "negated":
        return assertion in ("present", "historical")
    return False


def _part_of_name(text: str, m: Mention) -> bool:
    """A number inside a name ("glucose-6-phosphate", "IL-6-mediated"), not a value."""
    return text[m.end : m.end + 1] == "-" and text[m.end + 1 : m.end + 2].isalpha()


_VALUE_DIGIT_RE = re.compile(r"(?<![A-Za-z0-9-])[-−]?\d")


def _value_start(text: str, m: Mention) -> int:
    """Where the number of a measurement mention starts (its text may begin with the analyte's name, whose
    own digits are no value: "SpO2 < 90%", "HbA1c 7%")."""
    found = _VALUE_DIGIT_RE.search(text[m.start : m.end])
    return m.start + found.start() if found else m.start


def _parenthetical(text: str, m: Mention) -> bool:
    """A mention inside parentheses glosses what precedes it ("lacy, purple rash (livedo reticularis)"):
    an interpretation, not a new statement about the patient."""
    opening = text.rfind("(", max(0, m.start - 80), m.start)
    if opening < 0 or text.find(")", opening, m.start) >= 0:
        return False
    closing = text.find(")", m.end, m.end + 80)
    return closing >= 0 and text.find("(", m.end, closing) < 0


def _clear_polarity(text: str, m: Mention) -> bool:
    """A negated mention counts against the case only with a negation cue right before it."""
    if m.polarity != "negated":
        return True
    window = " ".join(text[max(0, m.start - 60) : m.start].split()[-NEGATION_WINDOW_WORDS:])
    return NEGATION_CUE_RE.search(window) is not None


def _premise_claims(
    text: str,
    mentions: list[Mention],
    analysis: ResponseAnalysis,
    premises: Premises,
    persons: dict[int, tuple[int, int, str]],
):
    premise_ids = premises.ids()
    for m in mentions:
        if m.kind == "measurement" and m.polarity != "hypothetical":
            claim = _premise_measurement(text, m, analysis)
            if claim is not None:
                yield claim
            continue
        if m.polarity == "hypothetical":
            continue
        if 0 <= m.sentence < len(analysis.bare_option_line) and analysis.bare_option_line[m.sentence]:
            continue
        if m.key in premises.concepts:
            fid = ("p", m.key)
            yield ClaimRecord(m.text, "premise", m.key, "supported", m.polarity, m.sentence, m.start, m.key, fid, True)
    for stem, start, end in keyword_hits(text, premises.keywords):
        sentence = _sentence_at(analysis, start)
        if sentence >= 0 and analysis.bare_option_line[sentence]:
            continue
        fid = ("k", stem)
        word = premise_ids[fid]
        yield ClaimRecord(
            text[start:end], "premise", f"keyword:{word}", "supported", None, sentence, start, word, fid, True
        )
    for q in find_quantities(text):
        same = [p for p in premises.quantities if p.subject == q.subject]
        if not same:
            continue
        sentence = _sentence_at(analysis, q.start)
        match = next((p for p in same if p.agrees_with(q)), None)
        if match is not None:
            fid = ("q", match.subject, match.unit, match.low, match.high)
            yield ClaimRecord(q.text, "premise", q.subject, "supported", None, sentence, q.start, match.text, fid, True)
        else:
            p = same[0]
            fid = ("q", p.subject, p.unit, p.low, p.high)
            yield ClaimRecord(
                q.text,
                "premise",
                q.subject,
                "contradicted",
                None,
                sentence,
                q.start,
                p.text,
                fid,
                True,
                f"the question states {p.text}",
            )
    # A patient invented for a question that has none: the subject and what is attributed to it.
    for index, person in persons.items():
        start, end = analysis.sentences[index]
        yield ClaimRecord(
            text=text[person[0] : person[1]],
            kind="premise",
            key="subject:patient",
            status="unsupported",
            polarity=None,
            sentence=index,
            start=person[0],
            reason="the question describes no patient",
        )
        for m in mentions:
            if (
                start <= m.start < end
                and m.kind in ("concept", "finding")
                and m.label in ("finding", "disease")
                and m.key not in premises.concepts
                and m.polarity == "affirmed"
            ):
                yield ClaimRecord(
                    text=m.text,
                    kind="finding",
                    key=m.key,
                    status="unsupported",
                    polarity=m.polarity,
                    sentence=index,
                    start=m.start,
                    reason="attributed to a patient the question does not describe",
                )


def _bound_quantity_claims(text: str, analysis: ResponseAnalysis, question: Question, mentions: list[Mention]):
    """Generic quantities the response restates with another value ("the lesion is 2.5 x 8.8 cm" for the
    stem's 2.5 x 3.5 cm lesion, "the overall infection rate was 53.5%" for 18.5%): contradicted when bound
    to a question quantity by their words (`bound_quantities`), with the scope checks of measurements.
    Values the analyte rules or the premise quantities ("2% Lysol") already judge are left to them."""
    own = question.quantities
    if not own.quantities:
        return
    taken = [
        (m.start, m.end)
        for m in mentions
        if m.kind == "demographic" or (m.kind == "measurement" and m.label == "analyte")
    ]
    if not analysis.describes_patient:
        taken += [(q.start, q.end) for q in find_quantities(text)]
    kind = "measurement" if analysis.describes_patient else "premise"
    starts = [start for start, _ in analysis.sentences]
    taken = merge_spans(taken)
    taken_starts = [a for a, _ in taken]
    for q in find_bound_quantities(text):
        at = bisect.bisect_left(taken_starts, q.end) - 1  # the last taken span starting before q ends
        if at >= 0 and q.start < taken[at][1]:
            continue
        index = bisect.bisect_right(starts, q.start) - 1
        if index < 0 or analysis.option_line[index] or analysis.bare_option_line[index]:
            continue
        start, end = analysis.sentences[index]
        start = max(start, q.start - SCOPE_REACH)  # cues reach a bounded way back: linear work per value
        scope = value_scope(text, start, end, q.end)
        if sentence_is_general(scope) or sentence_names_other_person(scope) or threshold_before(text, q.start):
            continue
        # only a trigger before the number makes it hypothetical ("if …, the rate would fall to 9%"); one after
        # it is about what follows ("the 5 x 2 cm collection is likely an abscess"), and the "versus" of a
        # comparison of values ("(4.2% versus 35.8%)", one statement) is none
        group_start, group_end = comparison_group(text, q.start, q.end)
        before = text[start : min(group_start, q.start)].ljust(q.start - start) + text[q.start : q.end]
        if text[q.end : q.end + 1] == "-" or polarity_of(before, q.start - start, q.end - start) == "hypothetical":
            continue
        rest = text[start : min(group_start, _product_start(text, q.start))] + " " + text[max(q.end, group_end) : end]
        # a question quantity whose value the sentence also gives is not the one restated: the other number is
        # derived from it, or restates another one bound as well ("from 51 +/- 15% to 57 +/- 46%")
        stated = next((c for c in own.restated_by(q) if not _states_number(rest, c.low)), None)
        if stated is None:
            continue
        yield ClaimRecord(
            q.text,
            kind,  # type: ignore[arg-type]
            f"quantity:{q.unit}",
            "contradicted",
            None,
            index,
            q.start,
            stated.text,
            ("bq", stated.start),
            False,
            f"the question states {stated.text}",
        )


_SENTENCE_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")


_PRODUCT_BEFORE_RE = re.compile(r"(?:\d+(?:\.\d+)?\s*(?:cm|mm)?\s*[x×*]\s*)+$")


def _product_start(text: str, pos: int) -> int:
    """Where "5 x 2 cm" starts, for the quantity at `pos` ("2 cm"): its other sides are not other values."""
    found = _PRODUCT_BEFORE_RE.search(text, max(0, pos - 30), pos)
    return found.start() if found else pos


def _states_number(sentence: str, value: float) -> bool:
    return any(abs(float(n) - value) < 1e-9 for n in _SENTENCE_NUMBER_RE.findall(sentence))


_PRESSURE_PAIR_RE = re.compile(r"\d{2,3}\s*/\s*\d{2,3}\s*mm\s?hg", re.IGNORECASE)


def _premise_measurement(text: str, m: Mention, analysis: ResponseAnalysis) -> ClaimRecord | None:
    """A value of an analyte the question states, restated with another value ("the mean systolic blood
    pressure is 200 mm Hg" for the question's 125 mm Hg): contradicted, with the scope checks of patient
    measurements. A restated value that agrees earns nothing here (it is a premise quantity at most)."""
    if m.label != "analyte" or m.fact is not None or m.related is None:
        return None
    if _BARE_VALUE_RE.match(m.text) and not _PRESSURE_PAIR_RE.match(m.text):
        return None  # a bare value ("the SE is 1 mm Hg") names no analyte; "40/25 mm Hg" is a blood pressure
    s = m.sentence
    if not 0 <= s < len(analysis.sentences) or analysis.option_line[s] or analysis.bare_option_line[s]:
        return None
    scope = _value_scope(text, analysis, m)
    if sentence_is_general(scope) or sentence_names_other_person(scope):
        return None
    if threshold_before(text, _value_start(text, m)) or _part_of_name(text, m):
        return None
    fid = ("m", m.related.key, round(m.related.canonical_value or 0.0, 6))
    return ClaimRecord(
        m.text,
        "premise",
        m.key,
        "contradicted",
        m.polarity,
        s,
        m.start,
        m.related.text,
        fid,
        False,
        f"the question states {m.related.text}",
    )


def _person_sentences(analysis: ResponseAnalysis) -> dict[int, tuple[int, int, str]]:
    """Sentence index -> the first person it names ("a patient", "a 28-year-old"), outside option lines."""
    lowered = analysis.lowered
    found: dict[int, tuple[int, int, str]] = {}
    for index, (start, end) in enumerate(analysis.sentences):
        if analysis.option_line[index]:
            continue
        person = next((hit for hit in PATIENT_MATCHER.finditer(lowered, start, end) if hit[2] in PERSON_CUES), None)
        if person is not None:
            found[index] = person
    return found


def _sentence_start(analysis: ResponseAnalysis, index: int) -> int:
    return analysis.sentences[index][0] if 0 <= index < len(analysis.sentences) else 0


def _sentence_at(analysis: ResponseAnalysis, pos: int) -> int:
    for index, (start, end) in enumerate(analysis.sentences):
        if start <= pos < end:
            return index
    return -1
