"""The line, sentence, clause and piece around a position of a response, in time independent of the
text's length.

Option matching asks for the unit around every option reference. Scanning back to the line start and
forward through the line's sentence breaks for each reference cost O(references x line length): a
100,000-character line of "Option A. " took minutes. Here the break positions of a text are found once
(cached for the last few texts) and each question is a binary search; the results are the same as the
scans they replace. `UNIT_WINDOW` bounds an inline reference's unit to that many characters on either
side, so the work done on each unit (verdict and reason patterns) is bounded too.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

#: Characters of context on either side of an inline option reference that its unit may span.
UNIT_WINDOW = 300

#: A sentence break inside a line: whitespace after . ! ? and before a capital or "(".
_SENTENCE_GAP_RE = re.compile(r"(?<=[.!?])[^\S\n]+(?=[A-Z(])")
_PIECE_END_RE = re.compile(r"[.!?;\n]")


@dataclass(frozen=True, slots=True)
class Breaks:
    length: int
    newlines: list[int]
    gap_starts: list[int]
    gap_ends: list[int]
    semicolons: list[int]
    piece_ends: list[int]


@lru_cache(maxsize=8)
def breaks(text: str) -> Breaks:
    gaps = [m.span() for m in _SENTENCE_GAP_RE.finditer(text)]
    return Breaks(
        len(text),
        [m.start() for m in re.finditer("\n", text)],
        [s for s, _ in gaps],
        [e for _, e in gaps],
        [m.start() for m in re.finditer(";", text)],
        [m.start() for m in _PIECE_END_RE.finditer(text)],
    )


def line_start(text: str, pos: int) -> int:
    """``text.rfind("\\n", 0, pos) + 1``."""
    newlines = breaks(text).newlines
    index = bisect.bisect_left(newlines, pos)
    return newlines[index - 1] + 1 if index else 0


def line_end(text: str, pos: int) -> int:
    """The first line break at or after ``pos`` (or the text's end)."""
    b = breaks(text)
    index = bisect.bisect_left(b.newlines, pos)
    return b.newlines[index] if index < len(b.newlines) else b.length


def sentence_around(text: str, pos: int) -> tuple[int, int]:
    """The sentence of ``pos``'s line that contains it: bounded by the line and the sentence gaps."""
    b = breaks(text)
    start, end = line_start(text, pos), line_end(text, pos)
    before = bisect.bisect_left(b.gap_starts, pos)  # gaps starting before pos
    if before and b.gap_starts[before - 1] >= start:
        start = b.gap_ends[before - 1]
    if before < len(b.gap_starts) and b.gap_starts[before] < end:
        end = b.gap_starts[before]
    return start, end


def clause_around(text: str, pos: int) -> tuple[int, int]:
    """The `;`-separated clause of ``pos``'s sentence that contains it, at most `UNIT_WINDOW` each side."""
    start, end = sentence_around(text, pos)
    if start <= pos < end:
        semicolons = breaks(text).semicolons
        index = bisect.bisect_left(semicolons, pos)
        if index < len(semicolons) and semicolons[index] == pos:  # on a ";": in no clause
            return max(start, pos - UNIT_WINDOW), min(end, pos + UNIT_WINDOW)
        if index and semicolons[index - 1] >= start:
            start = semicolons[index - 1] + 1
        if index < len(semicolons) and semicolons[index] < end:
            end = semicolons[index]
    return max(start, pos - UNIT_WINDOW), min(end, pos + UNIT_WINDOW)


def piece_around(text: str, pos: int) -> tuple[int, int]:
    """The piece (ended by . ! ? ; or a line break, kept unless a line break) that contains ``pos``."""
    b = breaks(text)
    index = bisect.bisect_left(b.piece_ends, pos)
    start = b.piece_ends[index - 1] + 1 if index else 0
    end = b.piece_ends[index] if index < len(b.piece_ends) else b.length
    if end < b.length and text[end] != "\n":
        end += 1
    return start, end
