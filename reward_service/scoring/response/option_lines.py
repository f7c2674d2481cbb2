"""Option lines: one rule, read by the sentence classes and by option assessment alike.

A line is an option line when it starts with a label of one of the question's options — "B.", "(C)",
"**D)**", "- E:", "Option B:", "option b —" — optionally after a bullet and bold markers. A lower-case
letter counts only after the word "option" ("a." starts many an ordinary line). The match runs on the
lower-cased text (same length as the original, `lower_same_length`); the letter's case is read from the
original. Before this module the two readers had drifted apart: one needed an upper-case letter and a
lower-case "option", the other took "Option B:" too, so such a line could both weigh option B and carry
claims about the patient.
"""

from __future__ import annotations

import re
from collections.abc import Collection

#: Matched against lower-cased text at a line start; group 1 is the letter.
OPTION_LINE_RE = re.compile(
    r"^[ \t]*(?:[-*•·]\s*)?(?:\*\*)?(?:option\s+|choice\s+)?\(?([a-z])\)?(?:\*\*)?\s*(?:[.,:)\]—–]|-\s)(?:\*\*)?",
    re.MULTILINE,
)


def option_line_letter(text: str, match: re.Match[str], letters: Collection[str]) -> str | None:
    """The option a line-start match labels, or None when it is no option of `letters`."""
    original = text[match.start(1)]
    letter = original.upper()
    if letter not in letters or (original.islower() and "option" not in match.group(0)):
        return None
    return letter


def option_line_at(text: str, lowered: str, pos: int, letters: Collection[str]) -> re.Match[str] | None:
    """The option label starting the line at `pos` (a line start), if it labels one of `letters`."""
    match = OPTION_LINE_RE.match(lowered, pos)
    return match if match is not None and option_line_letter(text, match, letters) else None
