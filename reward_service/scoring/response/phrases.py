"""Whole-word phrase matching with one Aho-Corasick pass (`nlp.term_matcher`).

The scorers look for many short cue phrases in long texts ("he", "presents", "on examination",
"consistent with", …). A regex alternation of them costs one attempt per phrase per character in
Python's `re`; an Aho-Corasick automaton finds all of them in one C-level pass, and only the hits
need a Python-level word-boundary check.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

from reward_service.nlp.term_matcher import TermMatcher

T = TypeVar("T")


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class PhraseMatcher(Generic[T]):
    """Find lower-case phrases, as whole words, in a lower-cased text; each phrase carries a value."""

    def __init__(self, phrases: Iterable[tuple[str, T]]) -> None:
        # one payload per distinct phrase: the last value given wins (as a repeated add_word did)
        values: dict[str, T] = {}
        for phrase, value in phrases:
            values[phrase.lower()] = value
        self._automaton: TermMatcher[T] = TermMatcher(values.items())
        self._empty = len(self._automaton) == 0

    def finditer(self, lowered: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int, T]]:
        """(start, end, value) of every whole-word occurrence in `lowered[start:end]`, in end order."""
        if self._empty:
            return
        end = len(lowered) if end is None else end
        for first, after, value in self._automaton.matches_by_end(lowered, start, end):
            last = after - 1
            if first > 0 and _is_word_char(lowered[first - 1]) and _is_word_char(lowered[first]):
                continue
            if last + 1 < len(lowered) and _is_word_char(lowered[last + 1]) and _is_word_char(lowered[last]):
                continue
            yield first, last + 1, value
