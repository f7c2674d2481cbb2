"""Which sentences of a response talk about *this* patient or case, and which analyse an option.

Claims (SCORING.md §5) are statements about the patient; a sentence about a drug's usual side effects
("benztropine causes dry mouth, not livedo") is not one, even though it names findings. A sentence is
*about the patient* when it

- refers to the patient: "the/this patient", "he", "she", "his", "her", "this man", "a 32-year-old",
  "the child", …;
- reports case data: "presents", "reports", "complains", "denies", "on examination", "labs show",
  "vital signs", "biopsy reveals", …; or
- sits in a case-summary block: a line starting "Key facts:", "Case details:", "Findings:" … and the
  bullet lines that follow such a header up to the next blank line.

An *option line* is a line or bullet that starts with an option marker ("B. …", "- B, …"); its
findings describe the option, not the patient.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

PATIENT_RE = re.compile(
    r"\b(?:the|this|our|a|an) (?:\w+ ){0,2}?(?:patient|man|woman|boy|girl|child|infant|baby|neonate|newborn|"
    r"toddler|adolescent|teenager|gentleman|lady|mother|father)\b|"
    r"\bpatient's\b|\bpatient\b(?!s)|\b(?:he|she|his|her|him|hers)\b|\b\d+[- ](?:year|month|week|day)[- ]old\b|"
    r"\b(?:presents?|presented|presenting|reports?|reported|complains?|complained|denies|denied|admits)\b|"
    r"\b(?:on|at) (?:physical |rectal |neurologic(?:al)? |abdominal |pelvic |cardiac )?exam(?:ination)?\b|"
    r"\bexamination (?:shows|showed|reveals|revealed|demonstrates|demonstrated|finds|found)\b|"
    r"\b(?:labs?|laboratory (?:studies|tests|results|values)|vital signs|vitals)\b|"
    r"\b(?:biopsy|endoscopy|colonoscopy|imaging|x-ray|radiograph|ct|mri|ultrasound|ecg|ekg|audiometry|"
    r"angiography|echocardiography) (?:shows?|showed|reveals?|revealed|demonstrates?|demonstrated|finds|found)\b",
    re.IGNORECASE,
)
HEADER_RE = re.compile(
    r"^[ \t]*(?:\*\*)?(?:key |relevant |pertinent |clinical )?(?:case|facts?|findings?|features?|points?|details|"
    r"history|presentation|summary|data|stem)(?: (?:of|from) the (?:case|stem|question|vignette))?"
    r"(?: facts| details| findings| summary)?(?:\*\*)?\s*:",
    re.IGNORECASE,
)
OPTION_LINE_RE = re.compile(
    r"^[ \t]*(?:[-*•·]\s*)?(?:\*\*)?(?:option\s+|choice\s+)?\(?[A-Z]\)?(?:\*\*)?\s*(?:[.,:)\]—–]|-\s)"
)
BARE_LINE_MAX_WORDS = 3
_WORD_RE = re.compile(r"[A-Za-z]{2,}")
BULLET_RE = re.compile(r"^[ \t]*(?:[-*•·]|\d+[.)])\s+")


def line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in re.finditer(r"\n", text))]


def classify_sentences(
    text: str, sentences: Sequence[tuple[int, int]], options: dict[str, str] | None = None
) -> tuple[list[bool], list[bool], list[bool]]:
    """(about the patient, is an option line, is a bare option line) for every sentence span of `text`.

    A *bare* option line restates an option and adds fewer than `BARE_LINE_MAX_WORDS` words of its own.
    """
    summary_lines = _summary_block_lines(text)
    starts = line_starts(text)
    about_patient: list[bool] = []
    option_line: list[bool] = []
    bare_line: list[bool] = []
    option_words = {w.lower() for t in (options or {}).values() for w in _WORD_RE.findall(t)}

    for start, end in sentences:
        line_index = bisect.bisect_right(starts, start) - 1
        line_start = starts[line_index]
        line_end = text.find("\n", line_start)
        line = text[line_start : len(text) if line_end < 0 else line_end]
        marker = OPTION_LINE_RE.match(line)
        is_option = marker is not None
        option_line.append(is_option)
        own_words = (
            [w for w in _WORD_RE.findall(line[marker.end() :]) if w.lower() not in option_words] if marker else []
        )
        bare_line.append(is_option and len(own_words) < BARE_LINE_MAX_WORDS)
        about_patient.append(
            not is_option and (line_index in summary_lines or PATIENT_RE.search(text, start, end) is not None)
        )
    return about_patient, option_line, bare_line


def _summary_block_lines(text: str) -> set[int]:
    """Indices of lines inside a case-summary block (a header line and the bullets after it)."""
    lines = text.split("\n")
    inside: set[int] = set()
    in_block = False
    for index, line in enumerate(lines):
        if HEADER_RE.match(line):
            inside.add(index)
            in_block = True
            continue
        if not line.strip():
            in_block = False
            continue
        if in_block and (BULLET_RE.match(line) or not OPTION_LINE_RE.match(line)):
            if OPTION_LINE_RE.match(line):
                in_block = False
                continue
            inside.add(index)
    return inside
