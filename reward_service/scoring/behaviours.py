"""Clinical reasoning behaviours detected by documented pattern sets (SCORING.md §6).

| behaviour | what counts (case-insensitive phrases) |
| --- | --- |
| `differential` | a differential or explicit subgoals: "differential", "the possibilities", "consider(ing)", "rule out", "first, … then", "step 1", "the question asks", "to answer", "which … ?" posed as a subgoal — or at least `DIFFERENTIAL_MIN_OPTIONS` options weighed (comparing candidates is a differential) |
| `verification` | checking the choice against the case: "confirm", "verify", "check(ing)", "consistent with", "fits", "matches", "accounts for", "explains", "in keeping with", "supports", "corroborat…" |
| `backward_chaining` | reasoning from a hypothesis to what it predicts: "if … would", "would be expected", "would (cause|produce|present|show|give|explain|expect|lead|result|have|see|find|appear)", "expected to" |
| `backtracking` | reconsideration: "however", "although", "but wait", "on second thought", "reconsider", "re-evaluat…", "initially", "at first", "on reflection", "revisit", "actually", "on the other hand", "instead" |

A behaviour counts once, however often it appears (repetition earns nothing), and only in sentences of at
least `MIN_SENTENCE_WORDS` words, so a bare keyword list does not trigger it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence

from reward_service.scoring.context_lines import lower_same_length

MIN_SENTENCE_WORDS = 5
DIFFERENTIAL_MIN_OPTIONS = 3

BEHAVIOURS: dict[str, re.Pattern[str]] = {
    "differential": re.compile(
        r"\bdifferential\b|\bpossibilit(?:y|ies)\b|\bconsider(?:ing|ed)?\b|\brul(?:e|ed|ing) out\b|\bfirst,|"
        r"\bstep \d\b|\bthe question asks\b|\bto answer\b|\bchecking each\b|\beach (?:option|choice)\b|"
        r"\bwhich (?:\w+ ){0,4}\w+\?"
    ),
    "verification": re.compile(
        r"\bconfirm\w*\b|\bverif\w+\b|\bcheck(?:ing|ed|s)?\b|\bconsistent with\b|\bfits?\b|"
        r"\bmatch(?:es|ing)?\b|\baccounts? for\b|\bexplains?\b|\bin keeping with\b|\bsupports?\b|"
        r"\bcorroborat\w+\b"
    ),
    "backward_chaining": re.compile(
        r"\bif\b[^.?!]{0,120}\bwould\b|\bwould be expected\b|\bexpected to (?:see|find|cause|show)\b|"
        r"\bwould (?:not )?(?:expect|cause|produce|present|show|give|explain|lead|result|have|see|find|appear)\b"
    ),
    "backtracking": re.compile(
        r"\bhowever\b|\balthough\b|\bbut wait\b|\bon second thought\b|\breconsider\w*\b|\bre-?evaluat\w+\b|"
        r"\binitially\b|\bat first\b|\bon reflection\b|\brevisit\w*\b|\bactually\b|\bon the other hand\b|"
        r"\binstead\b"
    ),
}

_WORD_RE = re.compile(r"\w+")


def find_behaviours(
    text: str,
    sentences: Sequence[tuple[int, int]],
    options_weighed: int = 0,
    excluded: Callable[[int], bool] | None = None,
) -> dict[str, list[str]]:
    """Behaviour name -> the first snippet that showed it (empty list when absent).

    Each pattern scans the whole text once; a match counts when its sentence has enough words and
    its start is not `excluded` (copied or repeated text).
    """
    found: dict[str, list[str]] = {name: [] for name in BEHAVIOURS}
    if options_weighed >= DIFFERENTIAL_MIN_OPTIONS:
        found["differential"] = [f"{options_weighed} options weighed"]
    lowered = lower_same_length(text)  # the patterns are lower case; IGNORECASE is much slower
    starts = [start for start, _ in sentences]
    long_enough: dict[int, bool] = {}
    for name, pattern in BEHAVIOURS.items():
        if found[name]:
            continue
        for match in pattern.finditer(lowered):
            index = bisect.bisect_right(starts, match.start()) - 1
            if index < 0 or (excluded is not None and excluded(match.start())):
                continue
            if index not in long_enough:
                start, end = sentences[index]
                long_enough[index] = len(_WORD_RE.findall(text, start, end)) >= MIN_SENTENCE_WORDS
            if long_enough[index]:
                start, end = sentences[index]
                lo = max(start, match.start() - 40)
                found[name] = [text[lo : min(end, match.end() + 40)].strip()]
                break
    return found
