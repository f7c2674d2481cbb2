"""Whole-word phrase matching with one Aho-Corasick pass (pyahocorasick).

The scorers look for many short cue phrases in long texts ("he", "presents", "on examination",
"consistent with", …). A regex alternation of them costs one attempt per phrase per character in
Python's `re`; an Aho-Corasick automaton finds all of them in one C-level pass, and only the hits
need a Python-level word-boundary check.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

import ahocorasick

T = TypeVar("T")


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class PhraseMatcher(Generic[T]):
    """Find lower-case phrases, as whole words, in a lower-cased text; each phrase carries a value."""

    def __init__(self, phrases: Iterable[tuple[str, T]]) -> None:
        self._automaton = ahocorasick.Automaton()
        for phrase, value in phrases:
            phrase = phrase.lower()
            self._automaton.add_word(phrase, (len(phrase), value))
        self._empty = len(self._automaton) == 0
        if not self._empty:
            self._automaton.make_automaton()

    def finditer(self, lowered: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int, T]]:
        """(start, end, value) of every whole-word occurrence in `lowered[start:end]`, in end order."""
        if self._empty:
            return
        end = len(lowered) if end is None else end
        for last, (length, value) in self._automaton.iter(lowered, start, end):
            first = last - length + 1
            if first > 0 and _is_word_char(lowered[first - 1]) and _is_word_char(lowered[first]):
                continue
            if last + 1 < len(lowered) and _is_word_char(lowered[last + 1]) and _is_word_char(lowered[last]):
                continue
            yield first, last + 1, value
