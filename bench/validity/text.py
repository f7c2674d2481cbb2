"""Text helpers of the perturbations: sentences, lines, option references, case values, the patient.

Deliberately independent of the scorer's own NLP (regexes and word lists only), so that whether a
perturbation applies is decided without asking the system under test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'*])")
WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]*")
BULLET_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*•]|\d{1,2}[.)])[ \t]+(?P<body>\S.*)$")
TABLE_LINE_RE = re.compile(r"^\s*\|.*\|\s*$")

#: Describes a patient: an age ("45-year-old"), or a person introduced by an article.
PATIENT_QUESTION_RE = re.compile(
    r"\b\d{1,3}[- ](?:year|month|week|day)s?[- ]old\b"
    r"|\b(?:a|an)\s+(?:[\w-]+\s+){0,3}(?:man|woman|boy|girl|infant|newborn|neonate|child|toddler|patient|gentleman|lady)\b",
    re.IGNORECASE,
)
AGE_RE = re.compile(r"\b(\d{1,3})(?:[- ](?:year|yr)s?[- ]old\b|\s*(?:yo|y/o|y\.o\.)\b|-year\b)", re.IGNORECASE)
FEMALE_RE = re.compile(r"\b(?:woman|women|girl|female|lady|she|her|mother of|pregnant)\b", re.IGNORECASE)
MALE_RE = re.compile(r"\b(?:man|boy|male|gentleman|he|his|him)\b", re.IGNORECASE)
SEX_NOUNS = {
    "man": "woman",
    "woman": "man",
    "male": "female",
    "female": "male",
    "boy": "girl",
    "girl": "boy",
    "gentleman": "lady",
    "lady": "gentleman",
}
SEX_NOUN_RE = re.compile(r"\b(?:man|woman|male|female|boy|girl|gentleman|lady)\b", re.IGNORECASE)
FEMALE_NOUNS = frozenset({"woman", "female", "girl", "lady"})


def word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_STOP = word_set(
    "a an the of to in on at for with by from and or is are was were be been this that these those it its as "
    "than into which who whom whose what not no"
)


def describes_patient(question: str) -> bool:
    return PATIENT_QUESTION_RE.search(question[:600]) is not None


def patient_sex(question: str) -> str | None:
    """ "female" / "male" by the majority of sex words in the first part of the stem, else None."""
    head = question[:400]
    female, male = len(FEMALE_RE.findall(head)), len(MALE_RE.findall(head))
    if female > male:
        return "female"
    if male > female:
        return "male"
    return None


def patient_age(question: str) -> int | None:
    match = AGE_RE.search(question[:400])
    return int(match.group(1)) if match else None


def pronouns(question: str) -> tuple[str, str]:
    """Subject and possessive for the patient: ("She", "Her"), ("He", "His") or ("The patient", "The patient's")."""
    sex = patient_sex(question)
    if sex == "female":
        return "She", "Her"
    if sex == "male":
        return "He", "His"
    return "The patient", "The patient's"


TOKEN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9'-]*")


def content_stems(text: str) -> set[str]:
    """5-letter stems of the content tokens ("H2SO4" and "HF" count; articles and "of" do not)."""
    return {w.lower()[:5] for w in TOKEN_RE.findall(text) if w.lower() not in _STOP and len(w) > 1}


def clean_option(text: str) -> str:
    return " ".join(text.replace('"', " ").split()).strip(" .")


# --- lines and sentences -------------------------------------------------------------------------------


def split_sentences(line: str) -> list[str]:
    """Sentences of one line (keeps their text exactly; joining with single spaces restores the line)."""
    parts = SENTENCE_END_RE.split(line)
    return [p for p in parts if p]


def paragraphs(text: str) -> list[str]:
    return re.split(r"\n\s*\n", text)


def insert_after_first_paragraph(text: str, block: str, inline: str | None = None) -> str:
    """Insert `block` (lines) as its own paragraph after the first paragraph, or after the first
    sentence when the text has a single paragraph; `inline` (a sentence), when given, goes right after
    the first sentence of the first patient-describing paragraph instead."""
    if inline is not None:
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if len(line.strip()) > 30 and not BULLET_RE.match(line) and not option_marker(line):
                sentences = split_sentences(line)
                sentences.insert(1, inline)
                lines[i] = " ".join(sentences)
                return "\n".join(lines)
        return f"{inline}\n{text}"
    match = re.search(r"\n\s*\n", text)
    if match:
        return f"{text[: match.start()]}\n\n{block}\n\n{text[match.end() :]}"
    sentences = split_sentences(text)
    if len(sentences) > 1:
        return f"{sentences[0]}\n\n{block}\n\n{' '.join(sentences[1:])}"
    return f"{text}\n\n{block}"


# --- options -------------------------------------------------------------------------------------------

_MARKER = r"^[ \t]*(?:[-*•]\s*)?(?:\*\*)?(?:(?:[Oo]ption|[Cc]hoice|[Aa]nswer)\s+)?\(?(?P<letter>[A-Z])\)?(?:\*\*)?\s*(?:[.:)\]—–]|-\s)"
OPTION_MARKER_RE = re.compile(_MARKER)


def option_marker(line: str, letters: set[str] | None = None) -> str | None:
    """The option letter a line starts with ("B. …", "(B) …", "- **B**: …", "Option B: …"), if any."""
    match = OPTION_MARKER_RE.match(line)
    if match is None:
        return None
    letter = match.group("letter")
    if letters is not None and letter not in letters:
        return None
    return letter


def inline_reference_re(letter: str) -> re.Pattern[str]:
    return re.compile(
        rf"\b(?:[Oo]ption|[Cc]hoice|[Aa]nswer)\s*\(?{letter}\)?(?![\w'])|\({letter}\)|(?<![\w.]){letter}\)"
        rf"|\b{letter}\.\s+(?=[A-Z])|\b(?:is|was|be)\s+{letter}\b"
    )


def names_option(sentence: str, letter: str, text: str) -> bool:
    """Does a sentence refer to option `letter` by letter or by (most of) its words?"""
    if inline_reference_re(letter).search(sentence):
        return True
    cleaned = clean_option(text).lower()
    if len(cleaned) >= 4 and cleaned in sentence.lower():
        return True
    stems = content_stems(text)
    needed = 2 / 3 if len(stems) <= 3 else 0.5
    return bool(stems) and len(stems & content_stems(sentence)) / len(stems) >= needed


# --- case values ---------------------------------------------------------------------------------------

UNITS = (
    r"mm\s?Hg|breaths/min|beats/min|/min|bpm|°\s?[CF]|℃|℉|mg/dL|g/dL|mEq/L|mmol/L|[µμu]mol/L|mIU/L|IU/L|U/L|"
    r"[µμu]U/mL|mU/L|ng/mL|ng/dL|pg/mL|[µμu]g/dL|mg/L|g/L|/mm3|/mm\^3|/[µμu]L|cells/mm3|kg/m2|kg/m\^2|"
    r"mL/min|L/min|fL|[µμu]m3|%|kg|cm|mm|mL|seconds|sec"
)
NUMBER = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"
VALUE_RE = re.compile(
    rf"(?<![\w.,/])(?P<num>{NUMBER})(?:\s*/\s*(?P<num2>\d{{2,3}}))?\s?(?P<unit>{UNITS})(?![A-Za-z0-9])"
)


@dataclass(frozen=True)
class Value:
    text: str
    start: int
    end: int
    number: str
    number2: str | None
    unit: str

    @property
    def key(self) -> tuple[str, str | None, str]:
        unit = re.sub(r"\s", "", self.unit).lower().replace("μ", "u").replace("µ", "u")
        unit = {"℃": "°c", "℉": "°f"}.get(unit, unit)
        return (self.number.replace(",", ""), self.number2, unit)

    @property
    def is_bp(self) -> bool:
        return self.number2 is not None and self.key[2] == "mmhg"


def find_values(text: str) -> Iterator[Value]:
    for m in VALUE_RE.finditer(text):
        if m.group("num2") and not re.match(r"mm\s?Hg", m.group("unit")):
            continue  # "110/70" without mm Hg, or a ratio: not a value we can change safely
        yield Value(m.group(0), m.start(), m.end(), m.group("num"), m.group("num2"), m.group("unit"))


def line_layout(text: str, pos: int) -> str:
    """How the line around `pos` is laid out: table, bullet, option_line, colon (label: value) or prose."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start : end if end >= 0 else len(text)]
    if TABLE_LINE_RE.match(line):
        return "table"
    if option_marker(line):
        return "option_line"
    if BULLET_RE.match(line):
        return "bullet"
    if re.match(r"^\s*(?:\*\*)?[A-Za-z][\w /()-]{0,30}(?:\*\*)?:", line) and pos - start < 60:
        return "colon"
    return "prose"


def format_like(number: float, template: str) -> str:
    """`number` written like `template` (decimals, thousands separators)."""
    decimals = len(template.split(".")[1]) if "." in template else 0
    if decimals:
        return f"{number:.{decimals}f}"
    rounded = round(number)
    return f"{rounded:,}" if "," in template else str(rounded)


def changed_number(number: str, unit_key: str, variant: int) -> str:
    """Another value, clearly outside any tolerance, written the same way."""
    v = float(number.replace(",", ""))
    if unit_key in ("°c",):
        return format_like(36.2 if v >= 37.5 else 39.6, number if "." in number else number + ".0")
    if unit_key in ("°f",):
        return format_like(97.2 if v >= 99.5 else 103.3, number if "." in number else number + ".0")
    if unit_key == "%":
        new = v - 35 if v > 50 else v + 35
        return format_like(max(1.0, min(99.0, new)), number)
    factor = (1.6, 0.5)[variant % 2] if v >= 4 else 2.5
    new = v * factor
    if format_like(new, number) == format_like(v, number):
        new = v + 3
    return format_like(new, number)


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def in_copied_text(text: str, start: int, end: int, question: str, run: int = 12) -> bool:
    """Is text[start:end] flanked by a run of `run` words copied from the question (before or after)?
    The scorer's copy guard discounts such runs, and with them any claim inside."""
    grams = set()
    words = _tokens(question)
    for i in range(len(words) - run + 1):
        grams.add(tuple(words[i : i + run]))
    before, after = _tokens(text[:start])[-run:], _tokens(text[end:])[:run]
    return tuple(before) in grams or tuple(after) in grams
