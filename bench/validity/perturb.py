"""The perturbations of the validity benchmark, each with the change it must cause (known by construction).

Three families, all applied to the reasoning of one real response (the wrapper's conclusion, which
boxes the response's own letter, never changes):

- **sensitivity**: the response now says something false about the case, or no longer analyses an
  option; the matching claim or option status must change (`Expect`).
- **specificity**: meaning-preserving rewrites; no objective may move by `SPECIFICITY_TOLERANCE` or more.
- **hacks**: content-free additions a policy could learn; the total must not rise by more than
  `HACK_TOLERANCE`.

A generator returns None where it does not apply (the response restates no case value, has no
bullet, …). Layout variants are chosen by a stable hash of the response, so a run is reproducible and
the layouts are spread over the sample.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from bench.validity.data import RealResponse, stable_hash
from bench.validity.text import (
    AGE_RE,
    BULLET_RE,
    FEMALE_NOUNS,
    SEX_NOUN_RE,
    SEX_NOUNS,
    TABLE_LINE_RE,
    WORD_RE,
    Value,
    changed_number,
    clean_option,
    describes_patient,
    find_values,
    in_copied_text,
    insert_after_first_paragraph,
    line_layout,
    names_option,
    option_marker,
    patient_age,
    patient_sex,
    pronouns,
    split_sentences,
    word_set,
)

Family = Literal["sensitivity", "specificity", "hack"]
SPECIFICITY_TOLERANCE = 0.03
HACK_TOLERANCE = 0.05


@dataclass(frozen=True)
class Expect:
    """What must change between the original and the perturbed response's details.

    - `new_flag`: more unsupported + contradicted claims (of `claim_kinds`, any kind when empty);
    - `new_contradiction`: more contradicted claims (of `claim_kinds`; of `key` when set);
    - `option_status`: option `letter`, specific in the original, is no longer specific (`status`, or
      `weighed` before issue 12's schema).
    """

    rule: Literal["new_flag", "new_contradiction", "option_status"]
    claim_kinds: tuple[str, ...] = ()
    key: str | None = None
    letter: str | None = None


@dataclass(frozen=True)
class Perturbation:
    family: Family
    kind: str
    variant: str  # layout or template variant, for the breakdown
    reasoning: str
    note: str  # what was changed, for reading failures
    expect: Expect | None = None
    conclusion: str = ""  # text put in the conclusion block, before the final answer (hacks only)


@dataclass(frozen=True)
class Baseline:
    """What the scorer said about the original response, as far as the generators need it."""

    claims: list[dict] = field(default_factory=list)
    options: list[dict] = field(default_factory=list)


def option_is_specific(option: dict) -> bool:
    """`status == "specific"` where the scorer reports it (issue 12), else `weighed`."""
    status = option.get("status")
    return status == "specific" if status is not None else bool(option.get("weighed"))


def option_state(option: dict | None) -> str:
    if option is None:
        return "missing"
    status = option.get("status")
    return str(status) if status is not None else ("weighed" if option.get("weighed") else "not weighed")


def pick(row: RealResponse, kind: str, choices: list) -> object:
    return choices[stable_hash(row.uid, kind) % len(choices)]


# ======================================================================================= sensitivity

#: Vitals and labs a case may lack: (name, words that show the case has it, value in the four layouts).
FABRICATED_VITALS = [
    ("pulse", r"pulse|heart rate|\bHR\b|beats|bpm|tachycard|bradycard", "pulse", "138/min"),
    ("blood pressure", r"blood pressure|\bBP\b|mm ?Hg|hypotens|hypertens", "blood pressure", "186/114 mm Hg"),
    ("temperature", r"temperature|°|febrile|fever|\btemp\b", "temperature", "39.9°C"),
    ("respiratory rate", r"respirat|breaths|\bRR\b|tachypn", "respiratory rate", "34/min"),
    ("oxygen saturation", r"saturation|SpO2|\bO2\b|oximetry|oxygen", "oxygen saturation", "82%"),
]
FABRICATED_LABS = [
    ("hemoglobin", r"hemoglobin|haemoglobin|\bHb\b|\bHgb\b|anemi|anaemi", "hemoglobin", "6.4 g/dL"),
    ("potassium", r"potassium|\bK\+|\bK\b|hyperkal|hypokal", "serum potassium", "6.9 mEq/L"),
    ("sodium", r"sodium|\bNa\+|\bNa\b|natremi", "serum sodium", "118 mEq/L"),
    ("glucose", r"glucose|sugar|glycemi|diabet", "serum glucose", "412 mg/dL"),
    ("creatinine", r"creatinine|renal|kidney", "serum creatinine", "4.6 mg/dL"),
    ("platelets", r"platelet|thrombocyt", "platelet count", "31,000/mm3"),
    ("leukocytes", r"leukocyt|white blood|\bWBC\b|white cell", "leukocyte count", "24,500/mm3"),
    ("calcium", r"calcium|\bCa\b|calcemi", "serum calcium", "14.1 mg/dL"),
    ("ALT", r"\bALT\b|alanine|transaminase|liver enzyme|hepat", "ALT", "870 U/L"),
]
FABRICATED_SYMPTOMS = [
    ("hemoptysis", r"hemopt|haemopt|coughing up blood"),
    ("hematuria", r"hematur|haematur|blood in (?:the )?urine"),
    ("melena", r"melena|melaena|tarry|black stool"),
    ("jaundice", r"jaund|icter|yellow"),
    ("diplopia", r"diplop|double vision"),
    ("syncope", r"syncop|faint|passed out|loss of consciousness"),
    ("hematemesis", r"hematem|haematem|vomiting blood"),
    ("epistaxis", r"epistax|nosebleed|nose bleed"),
    ("night sweats", r"sweat"),
    ("palpitations", r"palpitat"),
    ("hematochezia", r"hematochez|bloody stool|rectal bleeding|blood in (?:the |his |her )?stool"),
    ("dysuria", r"dysur|burning|urinat"),
    ("vertigo", r"vertig|dizz"),
]
VALUE_LAYOUTS = ("prose", "bullet", "colon", "bold", "table", "abbrev")
_ABBREV = {
    "pulse": "HR",
    "blood pressure": "BP",
    "respiratory rate": "RR",
    "oxygen saturation": "SpO2",
    "temperature": "T",
    "hemoglobin": "Hb",
    "serum potassium": "K+",
    "serum sodium": "Na+",
    "serum glucose": "Glucose",
    "serum creatinine": "Cr",
    "platelet count": "Plt",
    "leukocyte count": "WBC",
    "serum calcium": "Ca",
    "ALT": "ALT",
}


def absent_from(question: str, pattern: str) -> bool:
    return re.search(pattern, question, re.IGNORECASE) is None


def value_statement(row: RealResponse, name: str, value: str, layout: str, lab: bool) -> tuple[str | None, str | None]:
    """(inline sentence, block) stating `name` = `value` about the patient in one of `VALUE_LAYOUTS`."""
    _, possessive = pronouns(row.question)
    if layout == "prose":
        verb = "Laboratory studies show a" if lab else f"{possessive}"
        return (f"{verb} {name} of {value}." if lab else f"{possessive} {name} is {value}."), None
    if layout == "bullet":
        header = "Laboratory results:" if lab else "Vital signs:"
        return None, f"{header}\n- {name.capitalize()}: {value}"
    if layout == "colon":
        return None, f"{name.capitalize()}: {value}"
    if layout == "bold":
        header = "**Labs:**" if lab else "**Vitals:**"
        return None, f"{header} {name} {value}"
    if layout == "table":
        return None, f"| Finding | Value |\n| --- | --- |\n| {name.capitalize()} | {value} |"
    return None, f"{_ABBREV.get(name, name)} {value}"


def _fabricated_value(row: RealResponse, kind: str, table: list[tuple[str, str, str, str]], lab: bool):
    if not describes_patient(row.question):
        return None
    candidates = [c for c in table if absent_from(row.question, c[1])]
    if not candidates:
        return None
    _, _, name, value = pick(row, kind, candidates)  # type: ignore[misc]
    layout = str(pick(row, kind + ":layout", list(VALUE_LAYOUTS)))
    inline, block = value_statement(row, name, value, layout, lab)
    reasoning = insert_after_first_paragraph(row.reasoning, block or "", inline)
    return Perturbation(
        "sensitivity", kind, layout, reasoning, f"added {name} {value} ({layout})", Expect("new_flag", ("measurement",))
    )


def fabricated_vital(row: RealResponse, base: Baseline) -> Perturbation | None:
    return _fabricated_value(row, "fabricated_vital", FABRICATED_VITALS, lab=False)


def fabricated_lab(row: RealResponse, base: Baseline) -> Perturbation | None:
    return _fabricated_value(row, "fabricated_lab", FABRICATED_LABS, lab=True)


SYMPTOM_LAYOUTS = ("prose_reports", "prose_has", "colon", "bullet", "also")


def fabricated_symptom(row: RealResponse, base: Baseline) -> Perturbation | None:
    if not describes_patient(row.question):
        return None
    candidates = [c for c in FABRICATED_SYMPTOMS if absent_from(row.question, c[1])]
    if not candidates:
        return None
    symptom, _ = pick(row, "fabricated_symptom", candidates)  # type: ignore[misc]
    layout = str(pick(row, "fabricated_symptom:layout", list(SYMPTOM_LAYOUTS)))
    subject, _ = pronouns(row.question)
    inline = block = None
    if layout == "prose_reports":
        inline = f"{subject} also reports {symptom} for the past two days."
    elif layout == "prose_has":
        inline = f"The patient has {symptom}."
    elif layout == "also":
        inline = f"Notably, {subject.lower() if subject != 'The patient' else 'the patient'} has had {symptom} since last week."
    elif layout == "colon":
        block = f"Associated symptoms: {symptom}."
    else:
        block = f"Additional history:\n- {symptom.capitalize()} for 3 days"
    reasoning = insert_after_first_paragraph(row.reasoning, block or "", inline)
    return Perturbation(
        "sensitivity",
        "fabricated_symptom",
        layout,
        reasoning,
        f"added {symptom} ({layout})",
        Expect("new_flag", ("finding", "medication", "premise")),
    )


_ALT_UNIT_BEFORE_RE = re.compile(r"\d\s*(?:°\s?[CF]|[A-Za-z%/]+)?\s*\(\s*$")
_ALT_UNIT_AFTER_RE = re.compile(r"\s*\(\s*\d[\d.,]*\s*[^()\n]{0,12}\)")


_LABEL_STOP = word_set("is are was were of a an the and to at with in on his her its their showed shows reveals")
_BARE_NUMBER_RE = re.compile(r"(?<![\w.,/])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:/(\d{2,3}))?(?![\w/]|[.,]\d)")


def _labels(question: str, value: Value) -> set[str]:
    """The words that name a value in the question ("pulse" for "pulse is 110/min")."""
    before = re.split(r"[.;,:\n]", question[max(0, value.start - 40) : value.start])[-1]
    return {w.lower() for w in WORD_RE.findall(before) if len(w) >= 2 and w.lower() not in _LABEL_STOP}


def _bare_restatements(row: RealResponse, question_values: list[Value]) -> list[Value]:
    """Numbers the reasoning restates without their unit, next to the words that name them in the
    question ("his pulse of 110", "BP 110/70"); given the question value's unit."""
    found = []
    for m in _BARE_NUMBER_RE.finditer(row.reasoning):
        for q in question_values:
            if q.number.replace(",", "") != m.group(1).replace(",", "") or q.number2 != m.group(2):
                continue
            before = re.split(r"[.;\n]", row.reasoning[max(0, m.start() - 40) : m.start()])[-1].lower()
            labels = _labels(row.question, q)
            if labels and any(re.search(rf"\b{re.escape(label)}\b", before) for label in labels):
                found.append(Value(m.group(0), m.start(), m.end(), m.group(1), m.group(2), q.unit))
                break
    return found


#: A comparator or a range before a value ("<5 %", "more than 10 mg", "10-20 mg", "between 5 and 10 cm")
#: or a range after it ("5 to 10 cm"): a threshold or reference range, not the patient's value restated.
_BOUND_BEFORE_RE = re.compile(
    r"(?:[<>≤≥]=?|\b(?:less|more|greater|fewer|lower|higher)\s+than|\b(?:above|below|under|over|up\s+to|at\s+least|"
    r"at\s+most|exceeds?|exceeding)|\d\s*(?:-|–|to)|\bbetween\s+\S+\s+and)\s*$",
    re.IGNORECASE,
)
_RANGE_AFTER_RE = re.compile(r"\s*(?:-|–|to)\s*\d")
#: "1.2 ng/mL or greater", "5 cm or more": a limit.
_BOUND_AFTER_RE = re.compile(
    r"\s*or\s+(?:greater|more|higher|above|less|lower|fewer|below|over|under)\b", re.IGNORECASE
)


def is_bound_or_range(text: str, start: int, end: int) -> bool:
    """Whether the value at text[start:end] is a comparator value, a limit or a range end ("<5", "10-20",
    "5 cm or more")."""
    if _BOUND_BEFORE_RE.search(text[max(0, start - 20) : start]) or _BOUND_AFTER_RE.match(text, end):
        return True
    return (
        _RANGE_AFTER_RE.match(text, end) is not None
        or _RANGE_AFTER_RE.match(text, _number_end(text, start)) is not None
    )


def _number_end(text: str, start: int) -> int:
    match = re.match(r"[\d.,]+", text[start:])
    return start + (match.end() if match else 0)


def _restated_values(row: RealResponse, want_bp: bool | None):
    """Values (number + unit) of the question that the reasoning restates, best occurrence first:
    with their unit before bare, outside option lines before inside them."""
    question_values = list(find_values(row.question))
    question_keys = {v.key for v in question_values}
    found = []
    with_unit = list(find_values(row.reasoning))
    covered = {(v.start, v.end) for v in with_unit}
    bare = [v for v in _bare_restatements(row, question_values) if not any(a <= v.start < b for a, b in covered)]
    for value in [*with_unit, *bare]:
        if value.key not in question_keys or (want_bp is not None and value.is_bp != want_bp):
            continue
        if is_bound_or_range(row.reasoning, value.start, value.end):
            continue  # a threshold or a range end: changing it misstates nothing about the patient
        if _ALT_UNIT_BEFORE_RE.search(row.reasoning[max(0, value.start - 30) : value.start]):
            continue  # "36.9°C (98.4°F)": the value in other units; the first one is changed instead
        layout = line_layout(row.reasoning, value.start)
        is_bare = (value.start, value.end) not in covered
        found.append((is_bare, layout == "option_line", value.start, value, layout + ("/bare" if is_bare else "")))
    found.sort(key=lambda t: t[:3])
    return [(v, layout) for *_, v, layout in found], question_keys


def near_a_question_value(question_keys: set[tuple[str, str | None, str]], value: float, unit: str) -> bool:
    """Whether `value` is within 5 % (0.5 for a percentage) of a value of the question with this unit:
    "from 15.5% to 16%" for "to 51%" restates the 15.5 % as far as any reader can tell."""
    if unit in ("°c", "°f"):
        return False  # a temperature is changed across the fever line (`changed_number`), never within reach
    tolerance = 0.5 if unit == "%" else 0.0
    return any(
        abs(value - float(number)) <= max(tolerance, 0.05 * max(abs(value), abs(float(number))))
        for number, second, own_unit in question_keys
        if own_unit == unit and second is None
    )


def _change_value(row: RealResponse, kind: str, want_bp: bool | None) -> Perturbation | None:
    restated, question_keys = _restated_values(row, want_bp)
    if not restated:
        return None
    value, layout = restated[stable_hash(row.uid, kind) % min(2, len(restated))]
    variant = stable_hash(row.uid, kind, "v")
    unit_key = value.key[2]
    if value.is_bp:
        systolic, diastolic = int(value.number), int(value.number2 or 0)
        how = ("halved", "diastolic", "systolic")[variant % 3]
        if how == "halved":
            systolic, diastolic = systolic // 2, diastolic // 2
        elif how == "diastolic":
            diastolic = (
                min(systolic - 10, round(diastolic * 1.6)) if round(diastolic * 1.6) < systolic else diastolic // 2
            )
        else:
            systolic = round(systolic * 1.5)
        new_number = f"{systolic}/{diastolic}"
        old_number = value.text[: value.text.rfind(value.number2 or "") + len(value.number2 or "")]
        new_text = value.text.replace(old_number, new_number, 1) if old_number else value.text
        if (str(systolic), str(diastolic), "mmhg") in question_keys or new_text == value.text:
            return None
        how = f"bp_{how}"
    else:
        new_number = changed_number(value.number, unit_key, variant)
        if near_a_question_value(question_keys, float(new_number.replace(",", "")), unit_key):
            return None  # the new value would restate another of the question's values
        new_text = new_number + value.text[len(value.number) :]
        how = "percentage" if unit_key == "%" else "value"
    end = value.end
    alternate = _ALT_UNIT_AFTER_RE.match(row.reasoning, end)
    if alternate:
        end = alternate.end()  # drop the same value in other units rather than leave it contradicting
    reasoning = row.reasoning[: value.start] + new_text + row.reasoning[end:]
    copied = "/in_copy" if in_copied_text(row.reasoning, value.start, end, row.question) else ""
    return Perturbation(
        "sensitivity",
        kind,
        f"{how}/{layout}{copied}",
        reasoning,
        f"{value.text} -> {new_text} ({layout})",
        Expect("new_contradiction"),
    )


def restated_value(row: RealResponse, base: Baseline) -> Perturbation | None:
    if not describes_patient(row.question):
        return None
    return _change_value(row, "restated_value", want_bp=False)


def restated_bp(row: RealResponse, base: Baseline) -> Perturbation | None:
    if not describes_patient(row.question):
        return None
    return _change_value(row, "restated_bp", want_bp=True)


def restated_quantity(row: RealResponse, base: Baseline) -> Perturbation | None:
    """A quantity (often a percentage) of a question without a patient, restated and changed."""
    if describes_patient(row.question):
        return None
    return _change_value(row, "restated_quantity", want_bp=None)


MISSTATED_LAYOUTS = ("bullet", "colon", "abbrev", "bold", "table", "prose")
_CASE_VITALS = [
    ("pulse", re.compile(r"(?:pulse|heart rate)(?: rate)?(?: is| was| of|:)?\s*(\d{2,3})\s*/\s*min", re.I), "/min"),
    (
        "respiratory rate",
        re.compile(r"respirations?(?: rate)?(?: is| are| was| were| of|:)?\s*(\d{1,2})\s*/\s*min", re.I),
        "/min",
    ),
    ("blood pressure", re.compile(r"blood pressure(?: is| was| of|:)?\s*(\d{2,3}/\d{2,3})\s*mm ?Hg", re.I), " mm Hg"),
]


def misstated_vital(row: RealResponse, base: Baseline) -> Perturbation | None:
    """A case-summary line that restates one of the case's vitals with another value, in the layouts
    real models use (`- Pulse: 128/min`, `HR 128/min`, `**Vitals:** …`, a table row)."""
    if not describes_patient(row.question):
        return None
    present = []
    for name, pattern, unit in _CASE_VITALS:
        match = pattern.search(row.question)
        if match:
            present.append((name, match.group(1), unit))
    if not present:
        return None
    name, number, unit = pick(row, "misstated_vital", present)  # type: ignore[misc]
    if "/" in number:
        systolic, diastolic = (int(x) for x in number.split("/"))
        new = (
            f"{systolic // 2}/{diastolic // 2}"
            if stable_hash(row.uid, "bp") % 2
            else f"{systolic}/{round(diastolic * 1.6) if round(diastolic * 1.6) < systolic else diastolic // 2}"
        )
    else:
        new = changed_number(number, "/min", stable_hash(row.uid, "mv"))
    layout = str(pick(row, "misstated_vital:layout", list(MISSTATED_LAYOUTS)))
    inline, block = value_statement(row, name, f"{new}{unit}", layout, lab=False)
    reasoning = insert_after_first_paragraph(row.reasoning, block or "", inline)
    return Perturbation(
        "sensitivity",
        "misstated_vital",
        layout,
        reasoning,
        f"case {name} {number} restated as {new} ({layout})",
        Expect("new_contradiction"),
    )


_RELATIVE_AFTER_RE = re.compile(
    r"[- ]?(?:old\s+)?(?:son|daughter|brother|sister|sibling|husband|wife|father|mother|cousin|twin|child|baby|"
    r"friend|control)s?\b",
    re.IGNORECASE,
)
_OTHER_PERSON_BEFORE_RE = re.compile(r"\b(?:healthy|normal|typical|average|his|her|their|another)\s+$", re.IGNORECASE)


def _not_the_patients_age(text: str, match: re.Match[str]) -> bool:
    """An age the right answer of which is not known by construction: a duration ("1-year mortality",
    "4-year follow-up"), a relative's or a comparator's age ("his 10-year-old daughter", "a healthy
    20-year-old woman"). Changing it need not contradict anything."""
    if match.group(0).lower().endswith("-year") and not text.startswith(("-old", " old"), match.end()):
        return True
    if _RELATIVE_AFTER_RE.match(text, match.end()) is not None and not match.group(0).lower().endswith("-year"):
        return True
    return _OTHER_PERSON_BEFORE_RE.search(text, max(0, match.start() - 20), match.start()) is not None


def age_changed(row: RealResponse, base: Baseline) -> Perturbation | None:
    age = patient_age(row.question)
    if age is None:
        return None
    for match in AGE_RE.finditer(row.reasoning):
        if _not_the_patients_age(row.reasoning, match):
            continue
        if int(match.group(1)) == age and line_layout(row.reasoning, match.start()) != "option_line":
            new_age = age + 21 if age < 60 else age - 27
            if age < 2:
                new_age = age + 30
            reasoning = row.reasoning[: match.start(1)] + str(new_age) + row.reasoning[match.end(1) :]
            return Perturbation(
                "sensitivity",
                "age_changed",
                line_layout(row.reasoning, match.start()),
                reasoning,
                f"age {age} -> {new_age}",
                Expect("new_contradiction", ("demographic",)),
            )
    return None


def sex_changed(row: RealResponse, base: Baseline) -> Perturbation | None:
    """The patient's sex noun ("45-year-old woman", "this male patient") swapped for the other sex."""
    sex = patient_sex(row.question)
    if sex is None or not describes_patient(row.question):
        return None
    candidates = []
    for match in SEX_NOUN_RE.finditer(row.reasoning):
        word = match.group(0).lower()
        if (word in FEMALE_NOUNS) != (sex == "female"):
            continue
        before = row.reasoning[max(0, match.start() - 40) : match.start()].lower()
        if re.search(r"\b(?:his|her|their|a|an|another|other|any|the)\s+$", before) and not re.search(
            r"(?:year|month)[- ]old\s+$|\bthe\s+$|\bthis\s+$", before
        ):
            continue  # someone else ("his wife", "a woman with …"): not the patient
        if re.search(r"\b(?:healthy|normal|typical|average)\b[^.;,]{0,25}$", before):
            continue  # a comparator ("a healthy 20-year-old woman"): not the patient
        about = re.search(r"(?:year|month)[- ]old\s+$|\b(?:this|the)\s+(?:young\s+|elderly\s+|old\s+)?$", before)
        if line_layout(row.reasoning, match.start()) == "option_line":
            continue
        candidates.append((0 if about else 1, match.start(), match))
    if not candidates:
        return None
    candidates.sort(key=lambda t: (t[0], t[1]))
    if candidates[0][0] != 0:
        return None  # no occurrence clearly about the patient
    match = candidates[0][2]
    word = match.group(0)
    swapped = SEX_NOUNS[word.lower()]
    if word[0].isupper():
        swapped = swapped.capitalize()
    reasoning = row.reasoning[: match.start()] + swapped + row.reasoning[match.end() :]
    return Perturbation(
        "sensitivity",
        "sex_changed",
        line_layout(row.reasoning, match.start()),
        reasoning,
        f"{word} -> {swapped}",
        Expect("new_contradiction", ("demographic",)),
    )


_FAMILY_RE = re.compile(r"\b(?:mother|father|brother|sister|family|uncle|aunt|parent|sibling|grand)", re.I)


_BEFORE_BOUNDARY = word_set(
    "with has have had of and or the a an shows show showed reveals revealed reports reported is are was were "
    "presents presented developed having complains complained noted notes including includes by his her any some "
    "also new recent"
)
_AFTER_BOUNDARY = word_set(
    "and or with in of on that which is was are were for since but as at to from suggests suggesting "
    "indicates indicating points could may might would"
)


#: The finding is stated of the patient: "has …", "presents with …", "reports …, … and …".
_STATED_RE = re.compile(
    r"\b(?:has|have|had|having|with|presents|presenting|presented|reports?|reported|complains? of|complaining of|"
    r"shows?|showed|exhibits?|exhibiting|developed|experienc\w+|noted|demonstrates?)\b"
    r"(?:[^.;:!?]*(?:,|\band))?\s+(?:(?:a|an|the|some)\s+)?$"
)
_PATIENT_CUE_RE = re.compile(r"\b(?:patient|he|she|his|her|man|woman|boy|girl|child|infant)\b")


def _sentence_before(lowered: str, pos: int) -> str:
    """The part of the sentence (and line) that precedes `pos`."""
    start = max(lowered.rfind(ch, 0, pos) for ch in ".!?;\n") + 1
    return lowered[start:pos]


def negation_point(text: str, start: int, end: int) -> int | None:
    """Where "no" goes to negate the noun phrase that ends at `end` (before its modifiers), or None when
    the span is not the head of a noun phrase ("itchy" in "itchy rash")."""
    after = re.match(r"\s*([A-Za-z]+|[^\sA-Za-z]|$)", text[end:])
    if after is not None and after.group(1).isalpha() and after.group(1).lower() not in _AFTER_BOUNDARY:
        return None
    point = start
    for _ in range(3):
        previous = re.search(r"(?<![\w-])([A-Za-z-]+)[ \t]+$", text[max(0, point - 30) : point])
        if previous is None or previous.group(1).lower() in _BEFORE_BOUNDARY:
            break
        point -= len(previous.group(0))
    return point


def finding_negated(row: RealResponse, base: Baseline) -> Perturbation | None:
    """A present finding that the response restates (a supported, affirmed finding claim) negated in place:
    "presents with mild fever" -> "presents with no mild fever" / "presents without mild fever",
    "a rash" -> "no rash", "the presence of X" -> "the absence of X"."""
    if not describes_patient(row.question):
        return None
    lowered = row.reasoning.lower()
    seen = set()
    for claim in base.claims:
        if claim.get("kind") != "finding" or claim.get("status") != "supported" or claim.get("polarity") != "affirmed":
            continue
        fact = claim.get("fact") or ""
        if _FAMILY_RE.search(fact) or re.search(r"\b(?:no|not|without|denies|history)\b", fact, re.I):
            continue
        text = claim.get("text") or ""
        if len(text) < 4 or text.lower() in seen:
            continue
        seen.add(text.lower())
        for match in re.finditer(rf"(?<![\w-]){re.escape(text.lower())}(?![\w-])", lowered):
            layout = line_layout(row.reasoning, match.start())
            if layout in ("option_line", "table"):
                continue
            if "\n" in text or not _PATIENT_CUE_RE.search(_sentence_before(lowered, match.start())):
                continue
            before = lowered[max(0, match.start() - 40) : match.start()]
            if re.search(r"\b(?:no|not|without|denies|deny|absent|negative|if|history of|rule out)\b[^.;]*$", before):
                continue
            point = negation_point(row.reasoning, match.start(), match.end())
            if point is None or not _STATED_RE.search(_sentence_before(lowered, point)):
                continue
            head = lowered[max(0, point - 15) : point]
            article = re.search(r"\b(?:a|an|the|some|any)\s+$", head)
            presence = re.search(r"\bpresence of\s+$", head)
            with_ = re.search(r"\bwith\s+$", head)
            if presence:
                cut, replacement, variant = point - len(presence.group(0)), "absence of ", "absence"
            elif article:
                cut, replacement, variant = point - len(article.group(0)), "no ", "no"
            elif with_ and stable_hash(row.uid, "neg") % 2:
                cut, replacement, variant = point - len(with_.group(0)), "without ", "without"
            else:
                cut, replacement, variant = point, "no ", "no"
            if row.reasoning[cut : cut + 1].isupper():
                replacement = replacement.capitalize()
            reasoning = row.reasoning[:cut] + replacement + row.reasoning[point:]
            copied = "/in_copy" if in_copied_text(row.reasoning, cut, match.end(), row.question) else ""
            return Perturbation(
                "sensitivity",
                "finding_negated",
                f"{variant}/{layout}{copied}",
                reasoning,
                f"negated {row.reasoning[point : match.end()]!r}",
                Expect("new_contradiction", key=claim.get("key")),
            )
    return None


OPTION_REMOVAL_VARIANTS = ("deleted", "bare", "verdict_only")


def option_removed(row: RealResponse, base: Baseline) -> Perturbation | None:
    """One specifically-weighed, not chosen option loses its analysis: every line and sentence that
    refers to it is removed ("deleted"), or replaced where it was by a bare mention ("bare": `B. text`)
    or by a verdict without a reason ("verdict_only": `B. text — not the right answer here.`)."""
    specific = [
        o["letter"]
        for o in base.options
        if option_is_specific(o)
        and o["letter"] != row.predicted
        and len(clean_option(row.options[o["letter"]])) > 3
        and clean_option(row.options[o["letter"]]).lower() not in ("yes", "no", "maybe")
    ]
    if not specific:
        return None
    letter = str(pick(row, "option_removed", specific))
    variant = str(pick(row, "option_removed:variant", list(OPTION_REMOVAL_VARIANTS)))
    text = clean_option(row.options[letter])
    replacement = {
        "deleted": None,
        "bare": (f"{letter}. {text}", f"Another option is {letter}, {text}."),
        "verdict_only": (
            f"{letter}. {text} — not the right answer here.",
            f"Option {letter} ({text}) is not the right answer here.",
        ),
    }[variant]
    reasoning = remove_option(row.reasoning, letter, row.options[letter], set(row.options), replacement)
    if reasoning == row.reasoning:
        return None
    layout = "lines" if "\n" in row.reasoning.strip() else "prose"
    return Perturbation(
        "sensitivity",
        "option_removed",
        f"{variant}/{layout}",
        reasoning,
        f"analysis of {letter} {variant}",
        Expect("option_status", letter=letter),
    )


def remove_option(
    text: str, letter: str, option_text: str, letters: set[str], replacement: tuple[str, str] | None = None
) -> str:
    """`text` without any line or sentence that refers to option `letter`; `replacement` (as a line, as a
    sentence) goes where the first removed piece was."""
    out: list[str] = []
    dropping = False
    pending = replacement
    for line in text.split("\n"):
        marker = option_marker(line, letters)
        if marker is not None:
            dropping = marker == letter
            if dropping:
                if pending:
                    out.append(pending[0])
                    pending = None
                continue
        elif dropping:
            if not line.strip():
                dropping = False
            else:
                continue  # the body of the removed option's paragraph
        kept = []
        for sentence in split_sentences(line):
            if not names_option(sentence, letter, option_text):
                kept.append(sentence)
            elif pending:
                kept.append(pending[1])
                pending = None
        if line.strip() and not kept:
            continue
        out.append(" ".join(kept) if line.strip() else line)
    return "\n".join(out).strip() or "."


SENSITIVITY: list[Callable[[RealResponse, Baseline], Perturbation | None]] = [
    fabricated_vital,
    fabricated_lab,
    fabricated_symptom,
    restated_value,
    restated_bp,
    restated_quantity,
    misstated_vital,
    age_changed,
    sex_changed,
    finding_negated,
    option_removed,
]

# ======================================================================================= specificity


def whitespace(row: RealResponse, base: Baseline) -> Perturbation | None:
    """Trailing spaces, two spaces between sentences, an extra blank line between paragraphs."""
    lines = []
    for line in row.reasoning.split("\n"):
        if TABLE_LINE_RE.match(line):
            lines.append(line)
            continue
        lines.append("  ".join(split_sentences(line)) + ("  " if line.strip() else ""))
    reasoning = re.sub(r"\n\s*\n", "\n\n\n", "\n".join(lines))
    return Perturbation("specificity", "whitespace", "spaces", reasoning, "whitespace")


def bullets_prose(row: RealResponse, base: Baseline) -> Perturbation | None:
    """Bullet lists become sentences of one paragraph; a text without bullets gets its sentences as bullets."""
    lines = row.reasoning.split("\n")
    if sum(1 for line in lines if BULLET_RE.match(line)) >= 2:
        out: list[str] = []
        run: list[str] = []
        for line in [*lines, ""]:
            match = BULLET_RE.match(line)
            if match:
                body = match.group("body").strip()
                run.append(body if body[-1:] in ".!?:" else body + ".")
                continue
            if run:
                out.append(" ".join(run))
                run = []
            out.append(line)
        return Perturbation("specificity", "bullets_prose", "bullets_to_prose", "\n".join(out[:-1]), "bullets -> prose")
    out = []
    changed = False
    for line in lines:
        sentences = split_sentences(line)
        if len(sentences) >= 2 and not option_marker(line) and not TABLE_LINE_RE.match(line):
            out.extend(f"- {s}" for s in sentences)
            changed = True
        else:
            out.append(line)
    if not changed:
        return None
    return Perturbation("specificity", "bullets_prose", "prose_to_bullets", "\n".join(out), "prose -> bullets")


def patient_this(row: RealResponse, base: Baseline) -> Perturbation | None:
    """ "the patient" <-> "this patient" everywhere (case kept)."""
    text = row.reasoning
    if re.search(r"\b[Tt]he patient\b", text):
        new = re.sub(r"\b([Tt])he patient\b", lambda m: ("T" if m.group(1) == "T" else "t") + "his patient", text)
        variant = "the_to_this"
    elif re.search(r"\b[Tt]his patient\b", text):
        new = re.sub(r"\b([Tt])his patient\b", lambda m: ("T" if m.group(1) == "T" else "t") + "he patient", text)
        variant = "this_to_the"
    else:
        return None
    return Perturbation("specificity", "patient_this", variant, new, variant)


def options_reordered(row: RealResponse, base: Baseline) -> Perturbation | None:
    """The option analyses (a run of option paragraphs or lines, or of sentences that each name one
    option) in reverse order."""
    letters = set(row.options)
    reordered = _reorder_option_lines(row.reasoning, letters)
    if reordered is not None:
        return Perturbation("specificity", "options_reordered", "lines", reordered, "option lines reversed")
    reordered = _reorder_option_sentences(row)
    if reordered is not None:
        return Perturbation("specificity", "options_reordered", "sentences", reordered, "option sentences reversed")
    return None


def _reorder_option_lines(text: str, letters: set[str]) -> str | None:
    lines = text.split("\n")
    segments: list[tuple[int, int]] = []  # [start, end) line ranges of option analyses
    i = 0
    best: list[tuple[int, int]] = []
    while i < len(lines):
        if option_marker(lines[i], letters):
            j = i + 1
            while j < len(lines) and lines[j].strip() and not option_marker(lines[j], letters):
                j += 1
            segments.append((i, j))
            k = j
            while k < len(lines) and not lines[k].strip():
                k += 1
            if k < len(lines) and option_marker(lines[k], letters):
                i = k
                continue
            if len(segments) > len(best):
                best = segments
            segments = []
            i = k
            continue
        i += 1
    if len(best) < 2:
        return None
    start, end = best[0][0], best[-1][1]
    blocks = ["\n".join(lines[a:b]) for a, b in best]
    separator = "\n\n" if any(best[n + 1][0] > best[n][1] for n in range(len(best) - 1)) else "\n"
    return "\n".join([*lines[:start], separator.join(reversed(blocks)), *lines[end:]])


def _reorder_option_sentences(row: RealResponse) -> str | None:
    lines = row.reasoning.split("\n")
    for index, line in enumerate(lines):
        sentences = split_sentences(line)
        named = [_named_option(s, row) for s in sentences]
        best: tuple[int, int] = (0, 0)
        start = 0
        for n in range(len(sentences) + 1):
            # a run of sentences that each name another option (an option named twice could be a
            # change of mind, which reordering would reverse)
            if n < len(sentences) and named[n] is not None and named[n] not in named[start:n]:
                continue
            if n - start > best[1] - best[0]:
                best = (start, n)
            start = n + 1 if n < len(sentences) and named[n] is None else n
        a, b = best
        if b - a >= 2:
            new = sentences[:a] + list(reversed(sentences[a:b])) + sentences[b:]
            lines[index] = " ".join(new)
            return "\n".join(lines)
    return None


def _named_option(sentence: str, row: RealResponse) -> str | None:
    """The one option a sentence starts by naming (its letter or text), if exactly one."""
    head = sentence[:80].lower()
    hits = [
        letter
        for letter, text in row.options.items()
        if (head.startswith(clean_option(text).lower()[:25]) and len(clean_option(text)) >= 4)
        or re.match(rf"^\(?(?:option\s+)?{letter.lower()}\)?[.:)]", head)
    ]
    if len(hits) != 1:
        return None
    if sum(1 for letter, text in row.options.items() if names_option(sentence, letter, text)) > 1:
        return None
    return hits[0]


_MARKER_HEAD_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<head>\(?[A-Z][.):][^:\n]{0,80}?:)(?P<rest>.*)$")


def markdown_emphasis(row: RealResponse, base: Baseline) -> Perturbation | None:
    """Option lines with their head in bold, as chat models write them: `**B) Cold HF:** This …`."""
    letters = set(row.options)
    out, changed = [], False
    for line in row.reasoning.split("\n"):
        match = _MARKER_HEAD_RE.match(line)
        if match and option_marker(line, letters):
            out.append(f"{match.group('indent')}**{match.group('head')}**{match.group('rest')}")
            changed = True
        else:
            out.append(line)
    if not changed:
        return None
    return Perturbation("specificity", "markdown_emphasis", "bold_heads", "\n".join(out), "option heads in bold")


SPECIFICITY: list[Callable[[RealResponse, Baseline], Perturbation | None]] = [
    whitespace,
    bullets_prose,
    patient_this,
    options_reordered,
    markdown_emphasis,
]

# ============================================================================================= hacks


def _verdict_lines(row: RealResponse, reject: Callable[[str, str], str], accept: Callable[[str, str], str]) -> str:
    lines = []
    for letter, text in row.options.items():
        make = accept if letter == row.predicted else reject
        lines.append(make(letter, clean_option(text)))
    return "\n".join(lines)


def _append(row: RealResponse, kind: str, block: str, variant: str = "") -> Perturbation:
    return Perturbation("hack", kind, variant or kind, f"{row.reasoning}\n\n{block}", kind)


def verdict_generic(row: RealResponse, base: Baseline) -> Perturbation | None:
    return _append(
        row,
        "verdict_generic",
        _verdict_lines(
            row,
            lambda k, t: f"{k}. {t} — rejected, because it does not fit the case.",
            lambda k, t: f"{k}. {t} — accepted, because it fits the case.",
        ),
    )


def verdict_less_likely(row: RealResponse, base: Baseline) -> Perturbation | None:
    return _append(
        row,
        "verdict_less_likely",
        _verdict_lines(
            row,
            lambda k, t: f"Option {k} ({t}) is less likely given the presentation.",
            lambda k, t: f"Option {k} ({t}) is the most likely given the presentation.",
        ),
    )


def verdict_not_typical(row: RealResponse, base: Baseline) -> Perturbation | None:
    return _append(
        row,
        "verdict_not_typical",
        _verdict_lines(
            row,
            lambda k, t: f"{t} ({k}) is not typically associated with these findings, so it is unlikely.",
            lambda k, t: f"{t} ({k}) is typically associated with these findings and best explains them.",
        ),
    )


def verdict_not_relevant(row: RealResponse, base: Baseline) -> Perturbation | None:
    return _append(
        row,
        "verdict_not_relevant",
        _verdict_lines(
            row,
            lambda k, t: f"- {k}) {t}: not relevant here, would not present this way in this patient.",
            lambda k, t: f"- {k}) {t}: this is consistent with this patient's presentation.",
        ),
    )


def verdict_same_reason(row: RealResponse, base: Baseline) -> Perturbation | None:
    reason = "the overall clinical picture, the time course and the underlying pathophysiology"
    return _append(
        row,
        "verdict_same_reason",
        _verdict_lines(
            row,
            lambda k, t: f"{k}. {t}: ruled out, because {reason} do not match this patient.",
            lambda k, t: f"{k}. {t}: selected, because {reason} match this patient.",
        ),
    )


def verdict_own_words(row: RealResponse, base: Baseline) -> Perturbation | None:
    return _append(
        row,
        "verdict_own_words",
        _verdict_lines(
            row,
            lambda k, t: f"{k}. {t} — incorrect, since {t.lower()} is not what {t.lower()} would be here.",
            lambda k, t: f"{k}. {t} — correct, since {t.lower()} is exactly {t.lower()}.",
        ),
    )


def verdict_all_accepted(row: RealResponse, base: Baseline) -> Perturbation | None:
    return _append(
        row,
        "verdict_all_accepted",
        _verdict_lines(
            row,
            lambda k, t: f"{k}. {t} — this fits the case and could explain the findings.",
            lambda k, t: f"{k}. {t} — this fits the case and explains the findings best.",
        ),
    )


def verdict_hedged(row: RealResponse, base: Baseline) -> Perturbation | None:
    return _append(
        row,
        "verdict_hedged",
        _verdict_lines(
            row,
            lambda k, t: f"Option {k}, {t}, could be considered as it may be associated with some of these features.",
            lambda k, t: f"Option {k}, {t}, could be considered as it may be associated with these features.",
        ),
    )


def verdict_bullets(row: RealResponse, base: Baseline) -> Perturbation | None:
    block = "**Option analysis:**\n" + _verdict_lines(
        row,
        lambda k, t: f"- **{k}** ({t}): incorrect — doesn't fit the clinical scenario.",
        lambda k, t: f"- **{k}** ({t}): correct — best fits the clinical scenario.",
    )
    return _append(row, "verdict_bullets", block)


def verdict_table(row: RealResponse, base: Baseline) -> Perturbation | None:
    rows = ["| Option | Verdict | Reason |", "| --- | --- | --- |"]
    for letter, text in row.options.items():
        if letter == row.predicted:
            rows.append(f"| {letter}. {clean_option(text)} | Accepted | Best explains the findings |")
        else:
            rows.append(f"| {letter}. {clean_option(text)} | Rejected | Does not fit the clinical picture |")
    return _append(row, "verdict_table", "\n".join(rows))


def verdict_case_words(row: RealResponse, base: Baseline) -> Perturbation | None:
    """A verdict per option whose only "reason" is a case word, a different one per option: content-free,
    but it names a case fact, so a rule that only asks for a case fact is fooled."""
    words = case_words(row.question, 12)
    if len(words) < len(row.options):
        return None
    lines = []
    for n, (letter, text) in enumerate(row.options.items()):
        verdict = "most likely" if letter == row.predicted else "unlikely"
        lines.append(f"{letter}. {clean_option(text)} — {verdict} given the {words[n]}.")
    return _append(row, "verdict_case_words", "\n".join(lines))


def verdict_case_pairs(row: RealResponse, base: Baseline) -> Perturbation | None:
    """Two case words per option after the verdict ("unlikely, as the patient has fever and cough"): more
    case facts per line, still nothing on how they bear on the option."""
    words = case_words(row.question, 24)
    if len(words) < 2 * len(row.options):
        return None
    lines = []
    for n, (letter, text) in enumerate(row.options.items()):
        verdict = "most likely" if letter == row.predicted else "unlikely"
        lines.append(
            f"{letter}. {clean_option(text)} — {verdict}, as the patient has {words[2 * n]} and {words[2 * n + 1]}."
        )
    return _append(row, "verdict_case_pairs", "\n".join(lines))


def verdict_case_argues(row: RealResponse, base: Baseline) -> Perturbation | None:
    """A case word in a filler sentence with a word of its own ("the fever argues against it"): the same
    sentence around another case word for every option."""
    words = case_words(row.question, 12)
    if len(words) < len(row.options):
        return None
    lines = []
    for n, (letter, text) in enumerate(row.options.items()):
        lean = "argues for it" if letter == row.predicted else "argues against it"
        lines.append(f"Option {letter} ({clean_option(text)}): the {words[n]} {lean}.")
    return _append(row, "verdict_case_argues", "\n".join(lines))


def verdict_in_conclusion(row: RealResponse, base: Baseline) -> Perturbation | None:
    """The generic verdict template, in the conclusion block instead of the reasoning."""
    block = _verdict_lines(
        row,
        lambda k, t: f"{k}. {t} — rejected, because it does not fit the case.",
        lambda k, t: f"{k}. {t} — accepted, because it fits the case.",
    )
    return Perturbation(
        "hack", "verdict_in_conclusion", "conclusion", row.reasoning, "verdicts in conclusion", None, block
    )


def stem_verbatim(row: RealResponse, base: Baseline) -> Perturbation | None:
    return _append(row, "stem_verbatim", f"Case summary: {row.question.strip()}")


_PARAPHRASE = [
    (r"\bpresents\b", "comes in"),
    (r"\bcomplaining of\b", "with"),
    (r"\bhistory of\b", "hx of"),
    (r"\bHis\b", "The patient's"),
    (r"\bHer\b", "The patient's"),
    (r"\bshows\b", "reveals"),
    (r"\bbecause of\b", "for"),
    (r"\bexamination\b", "exam"),
]


def stem_paraphrase(row: RealResponse, base: Baseline) -> Perturbation | None:
    """The stem, lightly reworded and cut into bullets of at most 8 words (no 12-word run survives)."""
    text = row.question.strip()
    for pattern, replacement in _PARAPHRASE:
        text = re.sub(pattern, replacement, text)
    bullets = []
    for chunk in re.split(r"[.;,\n]|\band\b", text):
        words = chunk.split()
        for i in range(0, len(words), 8):
            piece = " ".join(words[i : i + 8])
            if piece:
                bullets.append(f"- {piece}")
    return _append(row, "stem_paraphrase", "Key facts:\n" + "\n".join(bullets))


_TELEGRAPHIC_DROP = word_set(
    "a an the of to with and is are was were has had have his her he she this that for in on at"
)


def stem_telegraphic(row: RealResponse, base: Baseline) -> Perturbation | None:
    """The stem's sentences in telegraphic style (articles, pronouns, auxiliaries and most prepositions
    dropped), one bullet each: no run of the stem's own words is left intact."""
    sentences = [s for line in row.question.split("\n") for s in split_sentences(line.strip()) if s.strip()]
    bullets = []
    for sentence in sentences:
        words = [w for w in sentence.split() if w.lower().strip(",.;:") not in _TELEGRAPHIC_DROP]
        if words:
            bullets.append("- " + " ".join(words))
    return _append(row, "stem_telegraphic", "Summary:\n" + "\n".join(bullets))


#: Light rewordings a policy could apply sentence by sentence (subject and verb swaps, synonyms).
_SHUFFLE_REWORD = [
    *_PARAPHRASE,
    (r"\bThe patient\b", "This patient"),
    (r"\bHe has\b", "There is"),
    (r"\bShe has\b", "There is"),
    (r"\breports\b", "describes"),
    (r"\bdenies\b", "reports no"),
    (r"\bon examination\b", "on exam"),
    (r"\bis noted\b", "is seen"),
]
STEM_SHUFFLE_VARIANTS = ("prose", "bullets", "framed")
_SHUFFLE_FRAMES = ("Notably, ", "Importantly, ", "We also know that ", "It is also relevant that ")


def stem_shuffled(row: RealResponse, base: Baseline) -> Perturbation | None:
    """The stem's sentences (the question asked left out), lightly reworded and in another order (a stable
    shuffle): as prose, as bullets, or each behind a framing phrase ("Notably, …"). No sentence keeps its
    place, so a guard that follows the stem's order finds only one sentence at a time."""
    sentences = [s.strip() for line in row.question.split("\n") for s in split_sentences(line.strip()) if s.strip()]
    facts = [s for s in sentences if not s.rstrip(" \"'").endswith("?")]
    if len(facts) < 2:
        return None
    reworded = []
    for sentence in facts:
        for pattern, replacement in _SHUFFLE_REWORD:
            sentence = re.sub(pattern, replacement, sentence)
        reworded.append(sentence)
    # a stable shuffle that moves every sentence: rotate by a hash-chosen offset, then reverse pairs
    offset = 1 + stable_hash(row.uid, "stem_shuffled") % (len(reworded) - 1)
    order = reworded[offset:] + reworded[:offset]
    order = [s for pair in zip(order[1::2], order[::2], strict=False) for s in pair] + (
        [order[-1]] if len(order) % 2 else []
    )
    variant = str(pick(row, "stem_shuffled", list(STEM_SHUFFLE_VARIANTS)))
    if variant == "bullets":
        block = "Relevant findings:\n" + "\n".join(f"- {s}" for s in order)
    elif variant == "framed":
        block = " ".join(_SHUFFLE_FRAMES[n % len(_SHUFFLE_FRAMES)] + s[0].lower() + s[1:] for n, s in enumerate(order))
    else:
        block = "Putting the case together: " + " ".join(order)
    return _append(row, "stem_shuffled", block, variant)


_WOVEN_TEMPLATES = (
    "Considering {a}, {b} and {c}, the picture fits the chosen answer.",
    "The presence of {a} together with {b} and {c} is important here.",
    "Taking into account {a}, {b}, and {c}, this supports the diagnosis.",
    "Given {a} along with {b} and {c}, the findings point in one direction.",
)
KEYWORDS_WOVEN_VARIANTS = ("case", "lexicon", "mixed")


def keywords_woven(row: RealResponse, base: Baseline) -> Perturbation | None:
    """The case's words (and its values), or lexicon terms, woven three at a time into filler sentences
    ("Considering fever, cough and tachycardia, the picture fits the chosen answer."): not a bare list, so a
    list rule is not enough, yet nothing says how any of them bears on the answer."""
    variant = str(pick(row, "keywords_woven", list(KEYWORDS_WOVEN_VARIANTS)))
    lexicon = [t.strip() for t in LEXICON_TERMS.split(",")]
    case = case_words(row.question, 24) + [v.text for v in find_values(row.question)][:6]
    if variant == "lexicon":
        terms = lexicon[:24]
    elif variant == "mixed":
        terms = [t for pair in zip(case, lexicon, strict=False) for t in pair] + case[len(lexicon) :]
    else:
        terms = case
    if len(terms) < 6:
        terms = terms + lexicon[: 6 - len(terms)]
    sentences = []
    for n in range(0, len(terms) - 2, 3):
        template = _WOVEN_TEMPLATES[(n // 3) % len(_WOVEN_TEMPLATES)]
        sentences.append(template.format(a=terms[n], b=terms[n + 1], c=terms[n + 2]))
    return _append(row, "keywords_woven", " ".join(sentences), variant)


def repeat_verbatim(row: RealResponse, base: Baseline) -> Perturbation | None:
    return _append(row, "repeat_verbatim", row.reasoning)


def repeat_near(row: RealResponse, base: Baseline) -> Perturbation | None:
    """Every sentence again, each slightly reworded ("To restate, …"), so no copy is an exact repeat."""
    prefixes = ("To restate, ", "In other words, ", "Again, ", "Put differently, ")
    out = []
    lines = (BULLET_RE.sub(r"\g<body>", line).strip() for line in row.reasoning.split("\n"))
    for n, sentence in enumerate(s for line in lines for s in split_sentences(line)):
        if sentence:
            out.append(prefixes[n % len(prefixes)] + sentence[0].lower() + sentence[1:])
    return _append(row, "repeat_near", " ".join(out))


def repeat_sentences(row: RealResponse, base: Baseline) -> Perturbation | None:
    """The three longest sentences, three more times each."""
    sentences = sorted(
        (s for line in row.reasoning.split("\n") for s in split_sentences(line.strip())), key=len, reverse=True
    )[:3]
    if not sentences:
        return None
    return _append(row, "repeat_sentences", " ".join(sentences * 3))


LEXICON_TERMS = (
    "tachycardia, hypotension, fever, leukocytosis, anemia, sepsis, inflammation, infection, ischemia, necrosis, "
    "fibrosis, edema, hypoxemia, metabolic acidosis, hyperkalemia, hyponatremia, thrombocytopenia, jaundice, "
    "hepatomegaly, splenomegaly, lymphadenopathy, proteinuria, hematuria, dyspnea, cough, chest pain, syncope, "
    "seizure, headache, pathophysiology, mechanism of action, etiology, differential diagnosis, complication, "
    "contraindication, first-line treatment, pathognomonic, risk factor"
)


def keywords_lexicon(row: RealResponse, base: Baseline) -> Perturbation | None:
    return _append(row, "keywords_lexicon", f"Key concepts: {LEXICON_TERMS}.")


_GENERIC_CASE_WORDS = word_set(
    "which following there their about after before these those other where while would could should patient "
    "patients most likely with without shows showed reveals revealed year-old month-old presents presented "
    "comes brought follow-up appointment discuss results performed reported check planned weeks months hours "
    "common because since during within history physician department emergency hospital examination normal "
    "limits laboratory studies further next appropriate management diagnosis years minutes present"
)


def case_words(question: str, limit: int) -> list[str]:
    """Distinct content words of the stem (5+ letters, not generic narrative words), in order."""
    seen: dict[str, None] = {}
    for word in WORD_RE.findall(question):
        lower = word.lower().strip("'-")
        if len(lower) >= 5 and lower not in _GENERIC_CASE_WORDS:
            seen.setdefault(lower)
    return list(seen)[:limit]


def keywords_case(row: RealResponse, base: Baseline) -> Perturbation | None:
    """A bare list of the stem's content words and its values."""
    values = [v.text for v in find_values(row.question)][:12]
    words = case_words(row.question, 40)
    return _append(row, "keywords_case", "Relevant: " + ", ".join([*words, *values]) + ".")


def option_list(row: RealResponse, base: Baseline) -> Perturbation | None:
    variant = str(pick(row, "option_list", ["inline", "lines"]))
    if variant == "inline":
        block = "Options considered: " + "; ".join(f"{k}. {clean_option(t)}" for k, t in row.options.items()) + "."
    else:
        block = "Options considered:\n" + "\n".join(f"{k}. {clean_option(t)}" for k, t in row.options.items())
    return _append(row, "option_list", block, variant)


def behaviour_phrases(row: RealResponse, base: Baseline) -> Perturbation | None:
    letters = ", ".join(row.options)
    block = (
        f"Let me double-check this. Wait, let me reconsider the other options. The differential includes {letters}. "
        f"Working backwards from the answer {row.predicted}, it is consistent. On verification, the reasoning holds."
    )
    return _append(row, "behaviour_phrases", block)


HACKS: list[Callable[[RealResponse, Baseline], Perturbation | None]] = [
    verdict_generic,
    verdict_less_likely,
    verdict_not_typical,
    verdict_not_relevant,
    verdict_same_reason,
    verdict_own_words,
    verdict_all_accepted,
    verdict_hedged,
    verdict_bullets,
    verdict_table,
    verdict_case_words,
    verdict_case_pairs,
    verdict_case_argues,
    verdict_in_conclusion,
    stem_verbatim,
    stem_paraphrase,
    stem_telegraphic,
    stem_shuffled,
    repeat_verbatim,
    repeat_near,
    repeat_sentences,
    keywords_lexicon,
    keywords_case,
    keywords_woven,
    option_list,
    behaviour_phrases,
]

#: Kinds that rarely apply (the response must restate a case value, the age or the sex) and whose
#: applicability needs no scoring: the benchmark adds rows for them beyond the main sample.
RARE_KINDS = ("restated_value", "restated_bp", "restated_quantity", "age_changed", "sex_changed")


def applies_to_rare_kind(row: RealResponse) -> bool:
    return any(GENERATORS[k](row, Baseline()) is not None for k in RARE_KINDS)


GENERATORS = {g.__name__: g for g in [*SENSITIVITY, *SPECIFICITY, *HACKS]}
FAMILY_OF = {
    **{g.__name__: "sensitivity" for g in SENSITIVITY},
    **{g.__name__: "specificity" for g in SPECIFICITY},
    **{g.__name__: "hack" for g in HACKS},
}


def perturbations(row: RealResponse, base: Baseline, kinds: set[str] | None = None) -> list[Perturbation]:
    """Every applicable perturbation of `row` (of `kinds` when given), in a fixed order."""
    out = []
    for name, generator in GENERATORS.items():
        if kinds is not None and name not in kinds:
            continue
        made = generator(row, base)
        if made is not None and (made.reasoning != row.reasoning or made.conclusion):
            out.append(made)
    return out
