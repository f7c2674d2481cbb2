"""How the reasoning treats each option: referenced where, weighed or not, accepted or rejected.

An option is *referenced* by its letter — at the start of a line or bullet (`B.`, `(B)`, `- B,`,
`**B:**`) or inline as `option B` / `choice B` / `(B)` / `option 2` / `Ans. b` — or by its text (at least two thirds of its
content words, compared by 5-letter stems, and more of them than of any other option's).

The *unit* that weighs an option is the rest of its line for a line-start reference, else the clause
(`;`-separated) or sentence around an inline one. The option is *weighed* when that unit, with the
letter and the option's own words removed, keeps at least `MIN_REASON_WORDS` words and a verdict or a
reason marker: a bare verbatim list of options earns nothing.

Verdicts come from the documented phrase lists below; the first verdict phrase in the unit wins
(negated phrases such as "less consistent with" are listed before their positive forms).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import ahocorasick

from reward_service.scoring.context_lines import lower_same_length
from reward_service.scoring.guards import Discounts
from reward_service.scoring.text_units import clause_around, line_start, piece_around

Verdict = Literal["accepted", "rejected", "considered"]

MIN_REASON_WORDS = 3
MIN_VERDICT_WORDS = 2  # the verdict word and at least one more
TEXT_MATCH_FRACTION = 2 / 3

REJECT_PHRASES = (
    r"rejected|reject|incorrect|wrong|unlikely|less likely|least likely|not likely|ruled out|rules? out|"
    r"excluded|excludes?|eliminated|eliminates?|not the answer|not correct|not the (?:best|right|correct|most likely)|"
    r"does not fit|doesn't fit|do not fit|not fit(?:ting)?|less fitting|less consistent|inconsistent|"
    r"not consistent|does not explain|doesn't explain|would not explain|cannot explain|can't explain|"
    r"does not account|argues? (?:strongly )?against|speaks? against|not supported|no role|not indicated|"
    r"not responsible|unrelated|implausible|outlier(?! is)|not (?:the )?cause|not (?:a |the )?mechanism|"
    r"not seen here|not applicable|discard(?:ed)?|drop(?:ped)?|not chosen|not selected"
)
ACCEPT_PHRASES = (
    r"accepted|accept|correct|right answer|best answer|the answer|best explains?|best fits?|fits best|"
    r"most likely|most consistent|consistent with|fits?|explains?|accounts? for|supported|supports?|"
    r"selected|select|chosen|choose|favou?red|favou?rs?|matches|confirms?|confirmed|is the mechanism|"
    r"is the cause|the evidence supports|expected finding|keep(?: it)?|retain(?:ed)?"
)
_VERDICT_RE = re.compile(
    rf"(?P<reject>\b(?:{REJECT_PHRASES})\b)|(?P<accept>\b(?:{ACCEPT_PHRASES})\b)"
    r"|(?P<tail_no>[—–-]\s*no\b|:\s*no\b)|(?P<tail_yes>[—–-]\s*yes\b|:\s*yes\b)",
)  # matched against lower-cased units
#: Words or punctuation that introduce a reason, when no verdict phrase is present.
_REASON_RE = re.compile(
    r"\b(?:because|since|as|due to|given|which|would|causes?|caused|seen|associated|presents?|typically|usually|"
    r"rather|whereas|but|while|than|unlike|instead|so)\b|[—–:;]|\s-\s",
)  # matched against lower-cased units
# Both are matched against the lower-cased text (IGNORECASE is several times slower); where a
# reference needs an upper-case letter, the original text is checked at the match position.
_LINE_MARKER_RE = re.compile(
    r"^[ \t]*(?:[-*•·]\s*)?(?:\*\*)?(?:option\s+|choice\s+)?\(?([a-z])\)?(?:\*\*)?\s*(?:[.,:)\]—–]|-\s)(?:\*\*)?",
    re.MULTILINE,
)
#: Cheap literal pre-filter: `_INLINE_RE` is only tried where one of these starts (its leading `\b`
#: alternation is slow to attempt at every character of a long text).
_INLINE_START_RE = re.compile(r"option|choice|ans|\(")
_INLINE_RE = re.compile(
    r"\b(?:option|choice|answer)\s*\(?([a-z])\)?(?![\w'])|\(([a-z])\)"  # upper-case letter required
    r"|\b(?:option|choice)\s*#?([1-9])\b"  # "Option 2" = B
    r"|\bans(?:wer)?\b\.?\s*(?:is\s*)?[-:]?\s*['\"(]?([a-z])(?![\w'])",  # "Ans. a.", "Ans-b", "Answer is 'c'"
)
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]*|\d+(?:\.\d+)?")
#: What may precede an inline reference on a line that starts with a line marker for it to be that marker.
_MARKER_LEAD_RE = re.compile(r"[ \t\-*•(]*")
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "and",
        "or",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "as",
        "than",
        "into",
        "which",
        "who",
        "whom",
        "whose",
        "what",
    ]
)


def _stems(text: str) -> list[str]:
    words = [w.lower() for w in _WORD_RE.findall(text) if w.lower() not in _STOP]
    alphabetic = [w for w in words if not w[0].isdigit()]
    return [w[:5] for w in (alphabetic or words)]


@dataclass(frozen=True, slots=True)
class OptionMention:
    letter: str
    start: int  # of the reference in the text
    unit_start: int
    unit_end: int
    by: Literal["line", "inline", "text"]


@dataclass(frozen=True, slots=True)
class OptionAssessment:
    letter: str
    weighed: bool
    verdict: Verdict | None
    unit: str | None  # the text that weighs it (the first weighing unit)
    last_verdict: Verdict | None  # the verdict of the last unit that gave one (for consistency)


def find_option_mentions(text: str, options: Mapping[str, str], lowered: str | None = None) -> list[OptionMention]:
    """Every reference to an option in `text`, with the unit of text that belongs to it.

    `lowered` may pass `lower_same_length(text)` when the caller has it.
    """
    lowered = lower_same_length(text) if lowered is None else lowered
    letters = set(options)
    mentions: list[OptionMention] = []
    line_refs: set[int] = set()
    for match in _LINE_MARKER_RE.finditer(lowered):
        original = text[match.start(1)]
        letter = original.upper()
        if letter not in letters or (original.islower() and "option" not in match.group(0)):
            continue
        line_end = text.find("\n", match.end())
        line_end = len(text) if line_end < 0 else line_end
        mentions.append(OptionMention(letter, match.start(1), match.end(), line_end, "line"))
        line_refs.add(text.rfind("\n", 0, match.start(1)) + 1)
    lead_ends: dict[int, int] = {}  # line start -> end of its run of marker-lead characters
    for start_match in _INLINE_START_RE.finditer(lowered):
        at = start_match.start()
        if at > 0 and lowered[at].isalpha() and lowered[at - 1].isalnum():
            continue  # inside a word ("trans", "plans")
        match = _INLINE_RE.match(lowered, at)
        if match is None:
            continue
        raw = None
        for group in (1, 2):
            if match.group(group) and text[match.start(group)].isupper():
                raw = text[match.start(group)]
        if raw is None and match.group(3):
            raw = chr(ord("A") + int(match.group(3)) - 1)
        if raw is None and match.group(4):
            raw = match.group(4).upper()
        if raw is None or raw not in letters:
            continue
        begins = line_start(text, match.start())
        if begins in line_refs and begins not in lead_ends:
            lead_ends[begins] = _MARKER_LEAD_RE.match(text, begins).end()  # once per line: long leads
        if begins in line_refs and lead_ends[begins] >= match.start():
            continue  # this is the line marker itself
        start, end = clause_around(text, match.start())
        mentions.append(OptionMention(raw, match.start(), start, end, "inline"))
    mentions.extend(_text_mentions(text, lowered, options, line_refs))
    mentions.sort(key=lambda m: (m.start, m.letter))
    return mentions


@lru_cache(maxsize=1024)
def _option_stem_index(
    options: tuple[tuple[str, str], ...],
) -> tuple[dict[str, frozenset[str]], ahocorasick.Automaton | None]:
    """Per option its content stems, and an Aho-Corasick automaton finding any of those stems."""
    stems = {letter: frozenset(_stems(text)) for letter, text in options}
    stems = {k: v for k, v in stems.items() if v}
    every = {stem for v in stems.values() for stem in v}
    if not every:
        return stems, None
    automaton = ahocorasick.Automaton()
    for stem in every:
        automaton.add_word(stem, stem)
    automaton.make_automaton()
    return stems, automaton


def _text_mentions(text: str, lowered: str, options: Mapping[str, str], line_refs: set[int]) -> list[OptionMention]:
    """Options named by their words (≥ 2/3 of content stems) in sentences without a letter marker.

    One Aho-Corasick pass finds every option stem at a word start; only the pieces that contain one are
    examined.
    """
    option_stems, automaton = _option_stem_index(tuple(sorted(options.items())))
    if automaton is None:
        return []
    hits_by_piece: dict[tuple[int, int], set[str]] = {}
    piece = (-1, -1)
    for last, stem in automaton.iter(lowered):
        first = last - len(stem) + 1
        if first > 0 and lowered[first - 1].isalnum():
            continue
        if not piece[0] <= first < piece[1]:
            piece = piece_around(text, first)
        hits_by_piece.setdefault(piece, set()).add(stem)
    found: list[OptionMention] = []
    for start, end in sorted(hits_by_piece):
        present = hits_by_piece[(start, end)]
        if line_start(text, start) in line_refs:
            continue
        scores = {
            letter: len(stems & present) / len(stems)
            for letter, stems in option_stems.items()
            if len(stems & present) / len(stems) >= TEXT_MATCH_FRACTION
        }
        best = max(scores.values(), default=0.0)
        for letter, score in scores.items():
            # several options may be named in one sentence: keep the best-covered ones (and any fully named)
            if score < best and score < 1.0:
                continue
            found.append(OptionMention(letter, start, start, end, "text"))
    return found


def verdict_of(unit: str) -> Verdict | None:
    match = _VERDICT_RE.search(unit.lower())
    if match is None:
        return None
    return "rejected" if match.group("reject") or match.group("tail_no") else "accepted"


def _reason_words(unit: str, option_text: str) -> int:
    option_words = set(_WORD_RE.findall(option_text.lower()))
    return sum(1 for w in _WORD_RE.findall(unit.lower()) if w not in option_words and w not in _STOP)


def assess_options(
    text: str,
    options: Mapping[str, str],
    discounts: Discounts | None = None,
    reasoning_end: int | None = None,
    lowered: str | None = None,
) -> list[OptionAssessment]:
    """Per option: is it weighed (referenced + a reason or verdict in the same unit), and the verdict.

    References inside `discounts` (text copied from the question, or repeats) earn nothing.
    `last_verdict` only reads units that start before `reasoning_end` (the conclusion is what the
    reasoning is checked against, so it must not vote).
    """
    by_letter: dict[str, list[OptionMention]] = {letter: [] for letter in options}
    for mention in find_option_mentions(text, options, lowered):
        if discounts is None or not discounts.covers(mention.start):
            by_letter[mention.letter].append(mention)
    results: list[OptionAssessment] = []
    for letter, mentions in by_letter.items():
        weighed, first_unit, first_verdict, last_verdict = False, None, None, None
        for mention in mentions:
            unit = text[mention.unit_start : mention.unit_end]
            if mention.by == "line":
                unit_body = unit
            else:  # drop the reference itself so "Answer: B." has nothing left
                rel = mention.start - mention.unit_start
                unit_body = unit[:rel] + unit[rel + 1 :]
            verdict = verdict_of(unit_body)
            words = _reason_words(unit_body, options[letter])
            if (verdict is not None and words >= MIN_VERDICT_WORDS) or (
                words >= MIN_REASON_WORDS and _REASON_RE.search(unit_body.lower()) is not None
            ):
                if not weighed:
                    weighed, first_unit = True, unit.strip()
                    first_verdict = verdict or "considered"
                if verdict is not None and (reasoning_end is None or mention.unit_start < reasoning_end):
                    last_verdict = verdict
        results.append(OptionAssessment(letter, weighed, first_verdict, first_unit, last_verdict))
    return results
