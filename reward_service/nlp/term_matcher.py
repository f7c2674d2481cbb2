"""One compiled multi-pattern matcher for literal terms: every occurrence, overlapping ones included.

Backed by `ahocorasick-rs` (Rust): chosen by measurement over pyahocorasick and hyperscan on the
lexicon scan (`python -m bench.bench_engines`: the same candidates from all three; ahocorasick-rs
about 2x faster than pyahocorasick on real responses, hyperscan slower on long texts because each
match crosses into Python through a callback, and 10x slower to build). Offsets are in characters.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar

import ahocorasick_rs

Payload = TypeVar("Payload")


class TermMatcher(Generic[Payload]):
    """Literal patterns, each with a payload; `matches` returns `(start, end, payload)` of every
    occurrence in a text, overlapping occurrences included."""

    __slots__ = ("_automaton", "_patterns", "_payloads")

    def __init__(self, patterns: Iterable[tuple[str, Payload]], *, compact: bool = False) -> None:
        """``compact``: a contiguous NFA instead of the library's choice, which is a DFA for small pattern
        sets. For the small automata built per question (a case's concepts, option stems) it takes about
        a third of the memory (1,024 cached questions: 58 -> 17 MB for the case lexicons) and scans as
        fast; the matches are the same whichever automaton runs them."""
        pairs = list(patterns)
        self._patterns = [pattern for pattern, _ in pairs]
        self._payloads = [payload for _, payload in pairs]
        options = (
            {"implementation": ahocorasick_rs.Implementation.ContiguousNFA, "store_patterns": False} if compact else {}
        )
        self._automaton = (
            ahocorasick_rs.AhoCorasick(self._patterns, matchkind=ahocorasick_rs.MatchKind.Standard, **options)
            if self._patterns
            else None
        )

    def __len__(self) -> int:
        return len(self._patterns)

    @property
    def patterns(self) -> list[str]:
        return list(self._patterns)

    def matches(self, text: str) -> list[tuple[int, int, Payload]]:
        if self._automaton is None:
            return []
        payloads = self._payloads
        return [
            (start, end, payloads[index])
            for index, start, end in self._automaton.find_matches_as_indexes(text, overlapping=True)
        ]

    def matches_by_end(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, Payload]]:
        """The occurrences inside `text[start:end]` (offsets into `text`), ordered by end and, at the same
        end, longest first: the order a classic Aho-Corasick automaton reports them in."""
        if self._automaton is None:
            return []
        piece = text if start == 0 and end is None else text[start:end]
        found = self.matches(piece)
        found.sort(key=lambda m: (m[1], m[0]))
        if start:
            return [(a + start, b + start, payload) for a, b, payload in found]
        return found
