"""Bounds on the text that reaches super-linear steps: what spaCy tokenises, and how much of a question
case-fact extraction reads.

spaCy's tokenizer strips prefix/suffix punctuation one character at a time and searches the suffix
pattern over the whole remaining token each time, so a token made of n punctuation characters
(`$$$$…`, `{{{{…`, `{}{}…`) costs O(n²): seconds at 4,000 characters, about half an hour at 100,000.
`spacy_safe` rewrites such text into a form with the same length (so every character offset still
points at the same place in the original) whose tokens are short:

- in a run of one repeated non-alphanumeric, non-space character, the characters after the first
  `KEEP_RUN` become spaces (`"-----"` → `"---  "`);
- in a whitespace-free chunk longer than `MAX_CHUNK`, every non-alphanumeric character becomes a
  space (`"{}{}{}…"` → spaces; long words and numbers are kept as they are).

Only the spaCy pipeline (abbreviations, ConText assertion cues) sees the rewritten text; the lexicon,
the measurement extractor and the demographics read the original.

`CASE_READ_CHARS` caps how much of a question case-fact extraction reads (the longest real question
in the project's third-party data is ~4,700 characters). `/v1/case` reports the number read and
whether the question was cut (`question_chars_read`, `question_truncated`).
"""

from __future__ import annotations

import re

from schemas.case import CASE_READ_CHARS  # characters of a question case-fact extraction reads

__all__ = ["CASE_READ_CHARS", "case_text", "spacy_safe"]
#: Characters kept at the start of a run of one repeated punctuation character.
KEEP_RUN = 3
#: Longest whitespace-free chunk passed to spaCy unchanged.
MAX_CHUNK = 64

_RUN_RE = re.compile(rf"([^\w\s])\1{{{KEEP_RUN},}}")
_CHUNK_RE = re.compile(rf"(?<!\S)\S{{{MAX_CHUNK + 1},}}")
_NON_ALNUM_RE = re.compile(r"[^\w]|_")


def _blank_run(match: re.Match[str]) -> str:
    run = match.group(0)
    return run[:KEEP_RUN] + " " * (len(run) - KEEP_RUN)


def _blank_punctuation(match: re.Match[str]) -> str:
    return _NON_ALNUM_RE.sub(" ", match.group(0))


def spacy_safe(text: str) -> str:
    """``text`` with the same length, and no token on which spaCy's tokenizer is super-linear."""
    text = _RUN_RE.sub(_blank_run, text)
    return _CHUNK_RE.sub(_blank_punctuation, text)


def case_text(question: str) -> str:
    """The part of a question that case-fact extraction reads (its first `CASE_READ_CHARS` characters)."""
    return question[:CASE_READ_CHARS]
