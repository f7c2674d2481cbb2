"""`ResponseDoc`: one response, read once, shared by every evidence stage.

The analysed text is the reasoning followed by the conclusion. Its views — lower-cased (same length,
so offsets carry over), the `match_form` the lexicon scans, the sentence spans — are computed on first
use and then read by claims, options, guards and behaviours alike; none of them lower-cases, splits or
normalises the text again. The per-sentence flags (about the patient, option line, bare option line)
depend on the question's options and are set once by `classify`.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from reward_service.nlp.segment import sentence_spans
from reward_service.nlp.textnorm import match_form
from reward_service.scoring.response.context_lines import classify_sentences, lower_same_length


@dataclass(frozen=True, slots=True)
class SentenceFlags:
    """Per sentence of a `ResponseDoc`: about the patient, an option line, an option line with no reason."""

    about_patient: list[bool]
    option_line: list[bool]
    bare_option_line: list[bool]


@dataclass(eq=False)
class ResponseDoc:
    reasoning: str
    conclusion: str = ""
    text: str = field(init=False)

    def __post_init__(self) -> None:
        self.text = f"{self.reasoning}\n\n{self.conclusion}" if self.conclusion else self.reasoning

    @property
    def reasoning_end(self) -> int:
        """Where the reasoning ends in `text` (the conclusion, if any, follows after a blank line)."""
        return len(self.reasoning)

    @cached_property
    def lowered(self) -> str:
        return lower_same_length(self.text)

    @cached_property
    def norm(self) -> str:
        return match_form(self.text)

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        return sentence_spans(self.text)

    @cached_property
    def sentence_starts(self) -> list[int]:
        return [start for start, _ in self.sentences]

    def sentence_of(self, pos: int) -> int:
        """Index of the sentence holding character `pos` (-1 before the first)."""
        return bisect.bisect_right(self.sentence_starts, pos) - 1

    def sentence_text(self, index: int) -> str:
        if 0 <= index < len(self.sentences):
            start, end = self.sentences[index]
            return self.text[start:end]
        return ""

    def classify(self, options: Mapping[str, str]) -> SentenceFlags:
        """The sentence flags for a question with these options (computed once per document)."""
        flags = self.__dict__.get("_flags")
        if flags is None:
            flags = SentenceFlags(*classify_sentences(self.text, self.sentences, dict(options), self.lowered))
            self.__dict__["_flags"] = flags
        return flags
