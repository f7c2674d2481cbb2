"""Which sentences of a response talk about *this* patient or case, and which analyse an option.

Claims (docs/scoring.md) are statements about the patient; a sentence about a drug's usual side effects
("benztropine causes dry mouth, not livedo") is not one, even though it names findings. A sentence is
*about the patient* when it

- refers to the patient: "patient" (singular), "he", "she", "his", "her", "man", "woman", "child",
  "a 32-year-old", … ("in a patient on levodopa, …" — an indefinite person — is generic);
- reports case data: "presents", "reports", "complains", "denies", "on examination", "labs show",
  "vital signs", "biopsy reveals", …; or
- sits in a case-summary block: a line starting "Key facts:", "Case details:", "Findings:", "Associated
  symptoms:", "Additional history:" … and the bullet lines that follow such a header up to the next
  blank line ("Family history:" is no such header: it is about relatives).

An *option line* is a line or bullet that starts with an option marker ("B. …", "- B, …"); its
findings describe the option, not the patient.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Sequence

from reward_service.nlp.lang.en.patient_cues import PATIENT_CUES, PERSON_NOUNS
from reward_service.scoring.response.option_lines import option_line_at
from reward_service.scoring.response.phrases import PhraseMatcher

PATIENT_MATCHER: PhraseMatcher[str] = PhraseMatcher((cue, cue) for cue in PATIENT_CUES)
_INDEFINITE_RE = re.compile(r"(?:^|[^a-z0-9])an? $")


#: Words that qualify a header as the case's ("Associated symptoms:", "Past medical history:").
_HEADER_QUALIFIER = (
    r"(?:key|relevant|pertinent|clinical|additional|associated|other|presenting|past|medical|current|new|"
    r"recent|reported|chief|patient'?s?) "
)
HEADER_RE = re.compile(
    r"^[ \t]*(?:\*\*)?(?:"
    rf"(?:{_HEADER_QUALIFIER}){{0,2}}(?:case|facts?|findings?|features?|points?|details|history|presentation|"
    r"summary|data|stem)"
    # "Symptoms:" alone may head a disease's description; qualified ("Presenting symptoms:") it is the case's
    rf"|(?:{_HEADER_QUALIFIER}){{1,2}}(?:symptoms?|signs?|complaints?)(?: and (?:signs|symptoms))?"
    r")(?: (?:of|from) the (?:case|stem|question|vignette))?"
    r"(?: facts| details| findings| summary)?(?:\*\*)?\s*:",
    re.IGNORECASE,
)
BARE_LINE_MAX_WORDS = 3
_WORD_RE = re.compile(r"[A-Za-z]{2,}")
BULLET_RE = re.compile(r"^[ \t]*(?:[-*•·]|\d+[.)])\s+")


def lower_same_length(text: str) -> str:
    """`text.lower()`, except characters whose lower case is longer (e.g. "İ") stay as they are, so
    offsets in the result are offsets in `text`."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in re.finditer(r"\n", text))]


def classify_sentences(
    text: str,
    sentences: Sequence[tuple[int, int]],
    options: dict[str, str] | None = None,
    lowered: str | None = None,
) -> tuple[list[bool], list[bool], list[bool]]:
    """(about the patient, is an option line, is a bare option line) for every sentence span of `text`.

    A *bare* option line restates an option and adds fewer than `BARE_LINE_MAX_WORDS` words of its own.
    """
    letters = set(options or {})
    lowered = lower_same_length(text) if lowered is None else lowered
    starts = line_starts(text)
    summary_lines = _summary_block_lines(text, lowered, starts, letters)
    sentence_starts = [start for start, _ in sentences]
    mentions_patient = {
        bisect.bisect_right(sentence_starts, first) - 1
        for first, _, cue in PATIENT_MATCHER.finditer(lowered)
        if not (cue in PERSON_NOUNS and _INDEFINITE_RE.search(lowered, max(0, first - 4), first))
    }
    option_words = {w.lower() for t in (options or {}).values() for w in _WORD_RE.findall(t)}
    about_patient: list[bool] = []
    option_line: list[bool] = []
    bare_line: list[bool] = []
    for index, (start, _end) in enumerate(sentences):
        line_index = bisect.bisect_right(starts, start) - 1
        line_start = starts[line_index]
        marker = option_line_at(text, lowered, line_start, letters)
        is_option = marker is not None
        option_line.append(is_option)
        if marker is not None:
            line_end = text.find("\n", line_start)
            rest = text[marker.end() : len(text) if line_end < 0 else line_end]
            own_words = [w for w in _WORD_RE.findall(rest) if w.lower() not in option_words]
            bare_line.append(len(own_words) < BARE_LINE_MAX_WORDS)
        else:
            bare_line.append(False)
        about_patient.append(not is_option and (line_index in summary_lines or index in mentions_patient))
    return about_patient, option_line, bare_line


def _summary_block_lines(text: str, lowered: str, starts: Sequence[int], letters: Collection[str]) -> set[int]:
    """Indices of lines inside a case-summary block (a header line and the bullets after it); a bulleted
    option line ends the block."""
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
        if not in_block:
            continue
        is_option = option_line_at(text, lowered, starts[index], letters) is not None
        if BULLET_RE.match(line) or not is_option:
            if is_option:  # a bulleted option line ends the block
                in_block = False
                continue
            inside.add(index)
    return inside
