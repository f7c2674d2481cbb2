"""Clinical reasoning behaviours detected by documented pattern sets (docs/scoring.md).

| behaviour | what counts (case-insensitive phrases) |
| --- | --- |
| `differential` | a differential or explicit subgoals: "differential", "the possibilities", "consider(ing)", "rule out", "first, … then", "step 1", "the question asks", "to answer", "which … ?" posed as a subgoal — or at least `DIFFERENTIAL_MIN_OPTIONS` options weighed (comparing candidates is a differential) |
| `verification` | checking the choice against the case: "confirm", "verify", "check(ing)", "consistent with", "fits", "matches", "accounts for", "explains", "in keeping with", "supports", "corroborat…" |
| `backward_chaining` | reasoning from a hypothesis to what it predicts: "if … would", "would be expected", "would (cause|produce|present|show|give|explain|expect|lead|result|have|see|find|appear)", "expected to" |
| `backtracking` | reconsideration: "however", "although", "but wait", "on second thought", "reconsider", "re-evaluat…", "initially", "at first", "on reflection", "revisit", "actually", "on the other hand", "instead" |

A behaviour counts once, however often it appears (repetition earns nothing), and only in sentences of at
least `MIN_SENTENCE_WORDS` words that carry content of their own (a case fact, a medical concept, a
distinctive word: see `option_reasons`), so neither a bare keyword list nor "this fits the case" triggers it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence

from reward_service.nlp.lang.en.behaviours import BEHAVIOUR_PHRASES
from reward_service.scoring.response.context_lines import lower_same_length
from reward_service.scoring.response.phrases import PhraseMatcher

MIN_SENTENCE_WORDS = 5
DIFFERENTIAL_MIN_OPTIONS = 3


BEHAVIOURS = tuple(BEHAVIOUR_PHRASES)
_MATCHER = PhraseMatcher((phrase, name) for name, phrases in BEHAVIOUR_PHRASES.items() for phrase in phrases)
_WOULD = PhraseMatcher([("would", "would")])
#: A subgoal posed as a question: "Which adenoma carries more malignant risk?"
#: (`\bwhich ...` written with its literal first, the word-start check after it: the regex engine then
#: skips to each "w" instead of trying `\b` at every character; same matches, ~10x faster.)
_WHICH_QUESTION_RE = re.compile(r"w(?<!\w\w)hich (?:\w+ ){0,4}\w+\?")
#: Backward chaining also covers "if X were the cause, we would …" (an "if" at most this far before "would").
IF_WOULD_WINDOW = 120


_WORD_RE = re.compile(r"\w+")


def _hits(lowered: str, sentences: Sequence[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """(start, end, behaviour) of every cue, in text order."""
    hits = list(_MATCHER.finditer(lowered))
    for match in _WHICH_QUESTION_RE.finditer(lowered):
        hits.append((match.start(), match.end(), "differential"))
    for first, last, _ in _WOULD.finditer(lowered):
        window = lowered[max(0, first - IF_WOULD_WINDOW) : first]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "), window.rfind("\n"))
        head = window[cut + 1 :]
        if head.startswith("if ") or " if " in head or "(if " in head:
            hits.append((first, last, "backward_chaining"))
    hits.sort()
    return hits


def find_behaviours(
    text: str,
    sentences: Sequence[tuple[int, int]],
    options_weighed: int = 0,
    excluded: Callable[[int], bool] | None = None,
    lowered: str | None = None,
    has_content: Callable[[int, int], bool] | None = None,
) -> dict[str, list[str]]:
    """Behaviour name -> the first snippet that showed it (empty list when absent).

    One Aho-Corasick pass finds every cue; a cue counts when its sentence has enough words, carries
    content (`has_content(start, end)`: a case fact, medical concept or distinctive word — "this fits the
    case" verifies nothing) and its start is not `excluded` (copied or repeated text).
    """
    found: dict[str, list[str]] = {name: [] for name in BEHAVIOURS}
    if options_weighed >= DIFFERENTIAL_MIN_OPTIONS:
        found["differential"] = [f"{options_weighed} options weighed"]
    lowered = lower_same_length(text) if lowered is None else lowered
    starts = [start for start, _ in sentences]
    long_enough: dict[int, bool] = {}
    for first, last, name in _hits(lowered, sentences):
        if found[name]:
            continue
        index = bisect.bisect_right(starts, first) - 1
        if index < 0 or (excluded is not None and excluded(first)):
            continue
        if index not in long_enough:
            s_start, s_end = sentences[index]
            long_enough[index] = len(_WORD_RE.findall(text, s_start, s_end)) >= MIN_SENTENCE_WORDS and (
                has_content is None or has_content(s_start, s_end)
            )
        if long_enough[index]:
            s_start, s_end = sentences[index]
            found[name] = [text[max(s_start, first - 40) : min(s_end, last + 40)].strip()]
            if all(found.values()):
                break
    return found
