"""How the reasoning treats each option: referenced where, weighed or not, accepted or rejected.

An option is *referenced* by its letter — at the start of a line or bullet (`B.`, `(B)`, `- B,`,
`**B:**`) or inline as `option B` / `choice B` / `(B)` / `option 2` / `Ans. b` — or by its text (at least two thirds of its
content words, compared by 5-letter stems, and more of them than of any other option's).

The *unit* that weighs an option is the rest of its line for a line-start reference, else the clause
(`;`-separated) or sentence around an inline one. The option is *weighed* when that unit, with the
letter and the option's own words removed, keeps at least `MIN_REASON_WORDS` words and a verdict or a
reason marker: a bare verbatim list of options earns nothing.

An inline verdict without a reason of its own may take it from the sentence before, but only when that
sentence is linked to the option (`_lends_reason`: a content word shared with the option, a back-reference
opening the verdict sentence, or a conclusion word such as "therefore"), or from the sentence after when
that one opens with a back-reference ("This test shows ...", `_following_reference`). An unlinked sentence
belongs to another option or to the case summary: moving or removing that option's analysis must not leave
its words lending a reason. Word lists in `nlp/lang/en/reason_links.py`.

Verdicts come from the documented phrase lists below; the first verdict phrase in the unit wins
(negated phrases such as "less consistent with" are listed before their positive forms).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Literal

from rapidfuzz import fuzz

from reward_service.nlp.common_words import FUNCTION_WORDS
from reward_service.nlp.lang.en.reason_links import BACK_REFERENCES, CONCLUSIONS
from reward_service.nlp.lang.en.verdicts import ACCEPT_PHRASES, REJECT_PHRASES
from reward_service.nlp.term_matcher import TermMatcher
from reward_service.scoring.evidence.claim_scope import is_keyword_list
from reward_service.scoring.evidence.guards import Discounts
from reward_service.scoring.evidence.option_reasons import RELATION_WORDS, STEM, ReasonFinder
from reward_service.scoring.response.context_lines import lower_same_length
from reward_service.scoring.response.option_lines import OPTION_LINE_RE, option_line_letter
from reward_service.scoring.response.text_units import clause_around, line_start, piece_around, sentence_around

Verdict = Literal["accepted", "rejected", "considered"]

MIN_REASON_WORDS = 3
MIN_VERDICT_WORDS = 2  # the verdict word and at least one more
TEXT_MATCH_FRACTION = 2 / 3
#: An option word's stem is its first this many characters; a shorter word must match whole.
OPTION_STEM_CHARS = 5
#: A reason whose words (option words removed) match an already credited one this closely is reused.
REUSE_SIMILARITY = 85
#: ... or this closely when it rests on exactly the same anchors.
REUSE_SAME_ANCHORS = 60
#: A unit without a verdict or reason marker still weighs its option when it describes it in prose with at
#: least this many words of its own and an anchor.
DESCRIPTION_MIN_WORDS = 5
PROSE_MIN_FUNCTION_WORDS = 2
#: A reason that only restates the question's words (no word of its own on how they bear on the
#: option) is specific when it lists at least this many of them ("because the patient has a history of
#: smoking, diabetes, and osteoporosis")...
RESTATED_MIN_ANCHORS = 3
#: ... and such a reason of at most this many words besides its anchors is a template when another option
#: has the same words around other case words (counted for the first option only).
TEMPLATE_MAX_WORDS = 8
#: ... in a reason of at most this many words: a longer one that repeats another is caught as a whole
#: (`REUSE_SIMILARITY`), since its case words are then a small part of it.
TEMPLATE_MAX_REASON_WORDS = 12
#: How far back an inline reference's discussion may start (characters).
CONTEXT_CHARS = 600

_VERDICT_RE = re.compile(
    rf"(?P<reject>\b(?:{REJECT_PHRASES})\b)|(?P<accept>\b(?:{ACCEPT_PHRASES})\b)"
    r"|(?P<tail_no>[—–-]\s*no\b|:\s*no\b)|(?P<tail_yes>[—–-]\s*yes\b|:\s*yes\b)",
)  # matched against lower-cased units
#: Words or punctuation that introduce a reason, when no verdict phrase is present.
_REASON_RE = re.compile(
    r"\b(?:because|since|as|due to|given|which|would|causes?|caused|seen|associated|presents?|typically|usually|"
    r"rather|whereas|but|while|than|unlike|instead|so|not|never|cannot|only)\b|[—–:;]|\s-\s",
)  # matched against lower-cased units
# Both are matched against the lower-cased text (IGNORECASE is several times slower); where a
# reference needs an upper-case letter, the original text is checked at the match position.
#: Cheap literal pre-filter: `_INLINE_RE` is only tried where one of these starts (its leading `\b`
#: alternation is slow to attempt at every character of a long text).
_INLINE_START_RE = re.compile(r"option|choice|ans|\(")
_INLINE_RE = re.compile(
    r"\b(?:option|choice|answer)\s*\(?([a-z])\)?(?![\w'])|\(([a-z])\)"  # upper-case letter required
    r"|\b(?:option|choice)\s*#?([1-9])\b"  # "Option 2" = B
    r"|\bans(?:wer)?\b\.?\s*(?:is\s*)?[-:]?\s*['\"(]?([a-z])(?![\w'])",  # "Ans. a.", "Ans-b", "Answer is 'c'"
)
#: "E is the most likely diagnosis", "B would cause ...": a bare capital letter opening a sentence, then a verb.
BARE_LETTER_RE = re.compile(
    r"(?:^|(?<=[.!?:;]\s)|(?<=[.!?:;]\s\s))\(?([A-Z])\)?\s+(?:is|are|would|seems|does|can|could|may|might|must|also)\b",
    re.MULTILINE,
)
#: `BARE_LETTER_RE` without its leading assertions: it starts with a character class, which the regex
#: engine scans for quickly, while the assertions were tried at every character of the text.
_BARE_LETTER_BODY_RE = re.compile(r"[A-Z]\)?\s+(?:is|are|would|seems|does|can|could|may|might|must|also)\b")
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]*|\d+(?:\.\d+)?")
#: The verdict sentence opens with a back-reference (`_lends_reason`), after any bullet or bracket.
_BACK_REFERENCE_RE = re.compile(
    r"[\s\-*•·(\[]*(?:" + "|".join(re.escape(w) for w in sorted(BACK_REFERENCES, key=len, reverse=True)) + r")\b"
)
_CONCLUSION_RE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in CONCLUSIONS) + r")\b")
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
    return [w[:OPTION_STEM_CHARS] for w in (alphabetic or words)]


@dataclass(frozen=True, slots=True)
class OptionMention:
    letter: str
    start: int  # of the reference in the text
    unit_start: int
    unit_end: int
    by: Literal["line", "inline", "text"]


OptionStatus = Literal["specific", "vacuous", "mentioned", "absent"]
_STATUS_RANK: dict[str, int] = {"absent": 0, "mentioned": 1, "vacuous": 2, "specific": 3}


@dataclass(frozen=True, slots=True)
class OptionAssessment:
    letter: str
    status: OptionStatus
    verdict: Verdict | None
    unit: str | None  # the text that weighs it (the unit that decided the status)
    last_verdict: Verdict | None  # the verdict of the last unit that gave one (for consistency)
    reasons: tuple[str, ...] = ()  # the anchors that made the unit specific
    note: str | None = None  # why a unit with a stance is not specific (e.g. a reused reason)
    spans: tuple[tuple[int, int], ...] = ()  # the character spans of its specific units (status specific only)
    #: spans of its units naming it by letter, with a verdict but no credited reason (vacuous, or only the question's
    #: words): the case words they restate cite nothing (`analysis._without_restated_options`)
    restated: tuple[tuple[int, int], ...] = ()

    @property
    def weighed(self) -> bool:
        return self.status == "specific"


@dataclass(frozen=True, slots=True)
class _Unit:
    status: OptionStatus
    verdict: Verdict | None
    text: str
    anchors: tuple[str, ...]
    reason: str
    span: tuple[int, int] = (0, 0)
    frame: str | None = None  # its words that are not the question's, when it cites nothing else (`_frame`)
    note: str | None = None
    case_only: bool = False  # every anchor restates the question
    by_letter: bool = False  # the option is named by its letter ("B. …", "Option B (…): …"), not its words


#: Why a unit whose anchors only restate the question's words is not specific.
RESTATED_NOTE = "only the question's words after the verdict, nothing on how they bear on the option"


def find_option_mentions(
    text: str, options: Mapping[str, str], lowered: str | None = None, stem_index: OptionStemIndex | None = None
) -> list[OptionMention]:
    """Every reference to an option in `text`, with the unit of text that belongs to it.

    `lowered` may pass `lower_same_length(text)`, and `stem_index` the options' `option_stem_index`
    (built once per question), when the caller has them.
    """
    lowered = lower_same_length(text) if lowered is None else lowered
    letters = set(options)
    mentions: list[OptionMention] = []
    line_refs: set[int] = set()
    for match in OPTION_LINE_RE.finditer(lowered):
        letter = option_line_letter(text, match, letters)
        if letter is None:
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
    for match in bare_letters(text):
        raw = match.group(1)
        if raw not in letters or line_start(text, match.start(1)) in line_refs:
            continue
        start, end = sentence_around(text, match.start(1))
        mentions.append(OptionMention(raw, match.start(1), start, end, "inline"))
    if stem_index is None:
        stem_index = option_stem_index(tuple(sorted(options.items())))
    mentions.extend(_text_mentions(text, lowered, stem_index, line_refs))
    mentions.sort(key=lambda m: (m.start, m.letter))
    return mentions


def bare_letters(text: str) -> Iterator[re.Match[str]]:
    """`BARE_LETTER_RE.finditer(text)`, faster: each letter the body finds is checked with the whole
    pattern where its match would start (at the "(" before it, if any). No match can start inside a body
    match that fails (its characters after the letter are ")", spaces and lower-case words)."""
    for body in _BARE_LETTER_BODY_RE.finditer(text):
        at = body.start()
        if at > 0 and text[at - 1] == "(":
            at -= 1
        match = BARE_LETTER_RE.match(text, at)
        if match is not None:
            yield match


#: Per option its content stems, and a matcher finding any of those stems (None without stems).
OptionStemIndex = tuple[dict[str, frozenset[str]], "TermMatcher[str] | None"]


def option_stem_index(options: tuple[tuple[str, str], ...]) -> OptionStemIndex:
    """Per option its content stems, and an Aho-Corasick automaton finding any of those stems."""
    stems = {letter: frozenset(_stems(text)) for letter, text in options}
    stems = {k: v for k, v in stems.items() if v}
    every = {stem for v in stems.values() for stem in v}
    if not every:
        return stems, None
    return stems, TermMatcher(((stem, stem) for stem in sorted(every)), compact=True)


def _text_mentions(text: str, lowered: str, stem_index: OptionStemIndex, line_refs: set[int]) -> list[OptionMention]:
    """Options named by their words (≥ 2/3 of content stems) in sentences without a letter marker.

    One Aho-Corasick pass finds every option stem at a word start; only the pieces that contain one are
    examined.
    """
    option_stems, automaton = stem_index
    if automaton is None:
        return []
    hits_by_piece: dict[tuple[int, int], set[str]] = {}
    piece = (-1, -1)
    for first, after, stem in automaton.matches_by_end(lowered):
        if first > 0 and lowered[first - 1].isalnum():
            continue
        if len(stem) < OPTION_STEM_CHARS and not _word_ends(lowered, after):
            continue  # a short word is its own stem: "Anti E" is not named by "antibodies ... exposed"
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


def _word_ends(lowered: str, at: int) -> bool:
    """Whether a word ends at `at`, allowing a plural ending ("cell" in "cells", "virus" in "viruses")."""
    for suffix in ("", "s", "es"):
        end = at + len(suffix)
        if lowered.startswith(suffix, at) and (end >= len(lowered) or not lowered[end].isalnum()):
            return True
    return False


def verdict_of(unit: str) -> Verdict | None:
    match = _VERDICT_RE.search(unit.lower())
    if match is None:
        return None
    return "rejected" if match.group("reject") or match.group("tail_no") else "accepted"


def _reason_words(unit: str, option_text: str) -> int:
    option_words = set(_WORD_RE.findall(option_text.lower()))
    return sum(1 for w in _WORD_RE.findall(unit.lower()) if w not in option_words and w not in _STOP)


def _is_prose(unit: str) -> bool:
    """At least `PROSE_MIN_FUNCTION_WORDS` function words: a sentence, not a keyword list."""
    return sum(1 for w in _WORD_RE.findall(unit.lower()) if w in FUNCTION_WORDS) >= PROSE_MIN_FUNCTION_WORDS


def _context_starts(text: str, mentions: list[OptionMention]) -> dict[OptionMention, int]:
    """Where the sentence before an inline reference starts — on its line, or the line before when the
    reference opens its line (bullets) — within its paragraph and after any other option's unit
    ("Warfarin crosses the placenta. Option A (warfarin) is incorrect." weighs A with the sentence before, when
    `_lends_reason` links them; at most
    `CONTEXT_CHARS` back). The same sentence counts whether written as prose or as bullets. Each lookup is a
    binary search or a bounded scan, so the work stays linear in the text."""
    starts: dict[OptionMention, int] = {}
    ends = sorted(m.unit_end for m in mentions)
    paragraphs = [m.end() for m in re.finditer(r"\n[ \t]*\n", text)]
    for mention in mentions:
        at = bisect.bisect_right(ends, mention.unit_start) - 1
        previous_end = ends[at] if at >= 0 else 0
        p = bisect.bisect_right(paragraphs, mention.unit_start) - 1
        floor = max(paragraphs[p] if p >= 0 else 0, previous_end, mention.unit_start - CONTEXT_CHARS)
        before = mention.unit_start
        while before > floor and text[before - 1] in " \t\n":
            before -= 1
        if before <= floor:
            starts[mention] = mention.unit_start
            continue
        sentence_start, _ = sentence_around(text, before - 1)
        line = line_start(text, before - 1)
        if text[line:sentence_start].strip(" \t-*•·") == "":
            sentence_start = line
        starts[mention] = max(floor, sentence_start)
    return starts


def _lends_reason(previous: str, verdict_sentence: str, option_text: str) -> bool:
    """Whether the sentence before an inline verdict is that option's reason: it shares a content word
    (5-letter stem) with the option ("Warfarin crosses the placenta. Option A (warfarin) is incorrect."), or
    the verdict sentence refers back to it at its start ("This makes B unlikely") or concludes from it
    ("Therefore B is unlikely"); word lists in `nlp/lang/en/reason_links.py`. Otherwise the sentence belongs to
    another option or the case summary, and lends nothing once that option's analysis is moved or removed."""
    lowered = verdict_sentence.lower()
    if _BACK_REFERENCE_RE.match(lowered) or _CONCLUSION_RE.search(lowered):
        return True
    option = {
        s for s, w in zip(_stems(option_text), _content_words(option_text), strict=True) if w not in FUNCTION_WORDS
    }
    return bool(option & set(_stems(previous)))


def _following_reference(text: str, end: int, unit_starts: list[int]) -> int:
    """Where the sentence after a verdict unit ends when it opens with a back-reference ("This test
    involves ...") and holds no option reference of its own, else `end`: that sentence is the option's reason."""
    at = end
    while at < len(text) and text[at] in " \t\n.!?" and not text.startswith("\n\n", at):
        at += 1
    if at >= len(text) or text[at] == "\n" or not _BACK_REFERENCE_RE.match(text[at : at + 40].lower()):
        return end
    _, sentence_end = sentence_around(text, at)
    nxt = bisect.bisect_left(unit_starts, at)
    if nxt < len(unit_starts) and unit_starts[nxt] < sentence_end:
        return end
    return sentence_end


def _content_words(text: str) -> list[str]:
    """The words `_stems` stems, unstemmed (same order)."""
    words = [w.lower() for w in _WORD_RE.findall(text) if w.lower() not in _STOP]
    alphabetic = [w for w in words if not w[0].isdigit()]
    return alphabetic or words


def _reused(unit: _Unit, credited: list[_Unit]) -> bool:
    """The same reason as one already credited to another option (fuzzy, option words removed)."""
    for other in credited:
        similarity = fuzz.token_sort_ratio(unit.reason, other.reason)
        if similarity >= REUSE_SIMILARITY or (
            set(unit.anchors) == set(other.anchors) and similarity >= REUSE_SAME_ANCHORS
        ):
            return True
    return False


TEMPLATE_NOTE = "the same words around other case words for several options (a template)"


def _drop_templates(units_by_letter: dict[str, list[_Unit]]) -> None:
    """Short reasons that only cite the question's words, with the same words around them for two or more
    options ("the fever argues against it" / "the cough argues against it"), are a template: none of them
    is specific (which option would the reason belong to?)."""
    framed = [(letter, i, u) for letter, units in units_by_letter.items() for i, u in enumerate(units) if u.frame]
    templated: set[tuple[str, int]] = set()
    for a, (letter_a, index_a, unit_a) in enumerate(framed):
        for letter_b, index_b, unit_b in framed[a + 1 :]:
            if (
                letter_a != letter_b
                and set(unit_a.anchors) != set(unit_b.anchors)  # the same reason twice is reuse (`_reused`)
                and fuzz.token_sort_ratio(unit_a.frame, unit_b.frame) >= REUSE_SIMILARITY
            ):
                templated.update({(letter_a, index_a), (letter_b, index_b)})
    for letter, index in templated:
        unit = units_by_letter[letter][index]
        if unit.status == "specific":
            units_by_letter[letter][index] = replace(unit, status="vacuous", note=TEMPLATE_NOTE)


def _without_verdicts(unit: str) -> str:
    """The lower-cased unit without its verdict phrases, except their relation words ("would not *cause*")."""
    return _VERDICT_RE.sub(lambda m: " ".join(w for w in m.group(0).split() if w in RELATION_WORDS) or " ", unit)


def _frame(reason: str, question_stems: frozenset[str]) -> str | None:
    """The words of a reason that are not the question's: the template a case word is pasted into
    ("the fever argues against it" -> "argues against"); None when empty or longer than
    `TEMPLATE_MAX_WORDS` (a long reason is compared as a whole, `_reused`)."""
    every = reason.split()
    if len(every) > TEMPLATE_MAX_REASON_WORDS:
        return None
    words = [w for w in every if w[:STEM] not in question_stems]
    return " ".join(words) if 0 < len(words) <= TEMPLATE_MAX_WORDS else None


def assess_options(
    text: str,
    options: Mapping[str, str],
    discounts: Discounts | None = None,
    reasoning_end: int | None = None,
    lowered: str | None = None,
    reasons: ReasonFinder | None = None,
    mentions: list[OptionMention] | None = None,
) -> list[OptionAssessment]:
    """Per option: its status (specific / vacuous / mentioned / absent), the verdict and the unit.

    A unit with a stance (a verdict phrase and `MIN_VERDICT_WORDS` words of its own, or a reason marker
    and `MIN_REASON_WORDS`) is *specific* when `reasons` finds an anchor in it, else *vacuous*; a
    reference without a stance is *mentioned*. An option's status is the best of its units; a specific
    reason that repeats (fuzzy) one already credited to another option counts for that option only.
    References inside `discounts` (text copied from the question, or repeats) earn nothing.
    `last_verdict` only reads units that start before `reasoning_end` (the conclusion is what the
    reasoning is checked against, so it must not vote). Without `reasons` every stance is specific.
    """
    by_letter: dict[str, list[OptionMention]] = {letter: [] for letter in options}
    for mention in find_option_mentions(text, options, lowered) if mentions is None else mentions:
        if discounts is None or not discounts.covers(mention.start):
            by_letter[mention.letter].append(mention)
    every = [m for ms in by_letter.values() for m in ms]
    context_start = _context_starts(text, every)
    unit_starts = sorted(m.unit_start for m in every)
    # a unit that names several options ("The options are 3% Cetrimide, 100% Alcohol, ...") cannot use
    # any of their words as a reason
    named: dict[tuple[int, int], set[str]] = {}
    for m in every:
        named.setdefault((m.unit_start, m.unit_end), set()).add(m.letter)
    units_by_letter: dict[str, list[_Unit]] = {}
    last_verdicts: dict[str, Verdict | None] = {}
    votes_by_letter: dict[str, list[tuple[int, Verdict]]] = {}
    for letter, mentions in by_letter.items():
        units: list[_Unit] = []
        votes: list[tuple[int, Verdict]] = []  # (unit index, verdict) of the units that may vote
        for mention in mentions:
            unit = text[mention.unit_start : mention.unit_end]
            if mention.by == "line":
                unit_body = unit
            else:  # drop the reference itself so "Answer: B." has nothing left
                rel = mention.start - mention.unit_start
                unit_body = unit[:rel] + unit[rel + 1 :]
            verdict = verdict_of(unit_body)
            words = _reason_words(unit_body, options[letter])
            stance = (verdict is not None and words >= MIN_VERDICT_WORDS) or (
                words >= MIN_REASON_WORDS and _REASON_RE.search(unit_body.lower()) is not None
            )
            if stance and mention.by == "text" and verdict is None and is_keyword_list(unit_body, FUNCTION_WORDS):
                stance = False  # an option's words inside a bare list of terms weigh nothing
            if not stance and reasons is not None and words >= DESCRIPTION_MIN_WORDS and _is_prose(unit_body):
                # a description of the option in prose ("The pancreas ... secretes insulin"): a stance
                # only when it carries content of its own (checked below)
                stance = bool(
                    reasons.anchors(mention.unit_start, mention.unit_end, named[(mention.unit_start, mention.unit_end)])
                )
            if not stance:
                units.append(_Unit("mentioned", None, unit.strip(), (), ""))
                continue
            anchors: tuple[str, ...] = ()
            said = unit_body  # the text the anchors come from (with the sentence before, when that is used)
            if reasons is not None:
                anchors = tuple(
                    reasons.anchors(mention.unit_start, mention.unit_end, named[(mention.unit_start, mention.unit_end)])
                )
                lead = context_start[mention]
                if (
                    not anchors
                    and mention.by != "line"
                    and lead < mention.unit_start
                    and _lends_reason(text[lead : mention.unit_start], unit, options[letter])
                ):
                    # "... so warfarin harms the fetus. Option A (warfarin) is incorrect."
                    anchors = tuple(
                        reasons.anchors(lead, mention.unit_end, named[(mention.unit_start, mention.unit_end)])
                    )
                    said = text[lead : mention.unit_start] + " " + unit_body
                follow = _following_reference(text, mention.unit_end, unit_starts)
                if not anchors and mention.by != "line" and follow > mention.unit_end:
                    # "Option A, an MRI of the adrenal glands, is next. This can identify an adrenal mass."
                    anchors = tuple(
                        reasons.anchors(mention.unit_start, follow, named[(mention.unit_start, mention.unit_end)])
                    )
                    said = unit_body + " " + text[mention.unit_end : follow]
            specific = bool(anchors) or reasons is None
            reason = (
                reasons.reason_text(unit_body, named[(mention.unit_start, mention.unit_end)])
                if reasons is not None
                else unit_body.lower()
            )
            frame, unit_note = None, None
            case_only = reasons is not None and bool(anchors) and all(reasons.restates_question(a) for a in anchors)
            if case_only:
                # "B. Asthma — unlikely given the cough": a case word after a verdict says nothing about
                # the option unless the unit adds words of its own
                letters_named = named[(mention.unit_start, mention.unit_end)]
                new_words = reasons.new_words(_without_verdicts(said.lower()), letters_named)
                if not new_words and len(anchors) < RESTATED_MIN_ANCHORS:
                    specific, unit_note = False, RESTATED_NOTE
            if reasons is not None and (case_only or not anchors):
                frame = _frame(reason, reasons.question_stems)
            units.append(
                _Unit(
                    "specific" if specific else "vacuous",
                    verdict or "considered",
                    unit.strip(),
                    anchors,
                    reason,
                    (mention.unit_start, mention.unit_end),
                    frame,
                    unit_note,
                    case_only,
                    mention.by != "text",
                )
            )
            # only reasons with content vote on what the reasoning argued for (a vacuous "D — accepted"
            # appended to the reasoning must not lift the consistency cap)
            if specific and verdict is not None and (reasoning_end is None or mention.unit_start < reasoning_end):
                votes.append((len(units) - 1, verdict))
        units_by_letter[letter] = units
        votes_by_letter[letter] = votes
    _drop_templates(units_by_letter)
    for letter, votes in votes_by_letter.items():
        cast = [verdict for index, verdict in votes if units_by_letter[letter][index].status == "specific"]
        last_verdicts[letter] = cast[-1] if cast else None
    credited: list[_Unit] = []
    results: list[OptionAssessment] = []
    for letter in options:
        units = units_by_letter[letter]
        note = None
        chosen = next((u for u in units if u.status == "specific" and not _reused(u, credited)), None)
        if chosen is not None:
            credited.append(chosen)
        else:
            if any(u.status == "specific" for u in units):
                note = "reason reused from another option"
                reused = next(u for u in units if u.status == "specific")
                units = [_Unit("vacuous", reused.verdict, reused.text, (), reused.reason)]
            chosen = max(units, key=lambda u: _STATUS_RANK[u.status], default=None)
        if chosen is None:
            results.append(OptionAssessment(letter, "absent", None, None, last_verdicts[letter]))
            continue
        if chosen.status == "vacuous" and note is None:
            note = chosen.note or "no case fact, medical concept or distinctive word beyond the verdict"
        results.append(
            OptionAssessment(
                letter,
                chosen.status,
                chosen.verdict,
                chosen.text if chosen.status != "mentioned" else None,
                last_verdicts[letter],
                chosen.anchors,
                note,
                tuple(u.span for u in units if u.status == "specific") if chosen.status == "specific" else (),
                tuple(
                    u.span
                    for u in units_by_letter[letter]
                    if u.by_letter
                    and (
                        u.status == "vacuous"
                        or (u.case_only and (chosen.status != "specific" or u.status != "specific"))
                    )
                ),
            )
        )
    return results
