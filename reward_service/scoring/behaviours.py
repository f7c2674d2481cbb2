"""Clinical reasoning behaviours detected by documented pattern sets (SCORING.md §6).

| behaviour | what counts (case-insensitive phrases) |
| --- | --- |
| `differential` | a differential or explicit subgoals: "differential", "the possibilities", "consider(ing)", "rule out", "first, … then", "step 1", "the question asks", "to answer", "key facts/findings", "options:", "checking each choice", "which … ?" posed as a subgoal |
| `verification` | checking the choice against the case: "confirm", "verify", "check(ing)", "consistent with", "fits the …", "matches", "accounts for", "this explains", "in keeping with", "supports", "corroborat…" |
| `backward_chaining` | reasoning from a hypothesis to what it predicts: "if … were/had …, (we) would expect", "would be expected", "would (cause|produce|present|show|explain)", "we would see", "would have" |
| `backtracking` | reconsideration: "however", "but wait", "on second thought", "reconsider", "re-evaluat…", "initially", "at first", "on reflection", "revisit", "actually", "rather than" |

A behaviour counts once, however often it appears (repetition earns nothing), and only in sentences of at
least `MIN_SENTENCE_WORDS` words, so a bare keyword list does not trigger it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MIN_SENTENCE_WORDS = 6

BEHAVIOURS: dict[str, re.Pattern[str]] = {
    "differential": re.compile(
        r"\bdifferential\b|\bpossibilit(?:y|ies)\b|\bconsider(?:ing|ed)?\b|\brul(?:e|ed|ing) out\b|\bfirst,|"
        r"\bstep \d\b|\bthe question asks\b|\bto answer\b|\bkey (?:facts|findings|points)\b|\boptions\s*:|"
        r"\bchecking each\b|\beach (?:option|choice)\b|\bnow the choices\b|\bwhich (?:\w+ ){0,4}\w+\?",
        re.IGNORECASE,
    ),
    "verification": re.compile(
        r"\bconfirm\w*\b|\bverif\w+\b|\bcheck(?:ing|ed|s)?\b|\bconsistent with\b|\bfits? (?:the|this|his|her|a)\b|"
        r"\bmatch(?:es|ing)?\b|\baccounts? for\b|\bthis explains\b|\bin keeping with\b|\bsupports?\b|"
        r"\bcorroborat\w+\b|\bexplains? (?:the|his|her|this|all)\b",
        re.IGNORECASE,
    ),
    "backward_chaining": re.compile(
        r"\bif\b[^.?!]{0,80}\b(?:were|was|had|is)\b[^.?!]{0,80}\bwould\b|\bwould be expected\b|\bwe would (?:expect|see)\b|"
        r"\bwould (?:expect|cause|produce|present|show|explain|lead|result|have)\b|\bexpected to (?:see|find|cause)\b",
        re.IGNORECASE,
    ),
    "backtracking": re.compile(
        r"\bhowever\b|\bbut wait\b|\bon second thought\b|\breconsider\w*\b|\bre-?evaluat\w+\b|\binitially\b|"
        r"\bat first\b|\bon reflection\b|\brevisit\w*\b|\bactually\b|\brather than\b",
        re.IGNORECASE,
    ),
}

_WORD_RE = re.compile(r"\w+")


def find_behaviours(sentences: Iterable[str]) -> dict[str, list[str]]:
    """Behaviour name -> the first snippet that showed it (empty list when absent)."""
    found: dict[str, list[str]] = {name: [] for name in BEHAVIOURS}
    for sentence in sentences:
        if len(_WORD_RE.findall(sentence)) < MIN_SENTENCE_WORDS:
            continue
        for name, pattern in BEHAVIOURS.items():
            if found[name]:
                continue
            match = pattern.search(sentence)
            if match:
                lo = max(0, match.start() - 40)
                found[name] = [sentence[lo : match.end() + 40].strip()]
        if all(found.values()):
            break
    return found
