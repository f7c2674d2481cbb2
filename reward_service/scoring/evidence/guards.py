"""Reward-hacking guards (docs/scoring.md): text that earns no faithfulness or comprehensiveness credit.

- Copied spans: runs of at least `COPY_MIN_TOKENS` consecutive word tokens (fewer for a short stem: see
  `copy_window`) that also occur, in the same order, in the question (stem and options). Quoting a short
  phrase of the case is citing it; pasting the stem is not.
  A claim that *disagrees* with the case is judged even where it starts inside a copied run, unless
  its values are copied too: a changed number breaks the run it sits in (the run before it still
  covers "her pulse is"), and a value that is not the question's is no copy of it (`values_copied`).
- Paraphrases: the stem restated in its own order with small changes (`paraphrased_spans`).
- Repeats: a sentence (of at least `REPEAT_MIN_WORDS` words) whose normalised text already appeared counts
  once; later copies earn nothing. `redundancy` is the share of characters in such repeats.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from reward_service.nlp.common_words import FUNCTION_WORDS
from reward_service.nlp.lang.en.generic import DISCOURSE_WORDS
from reward_service.nlp.textnorm import match_form

COPY_MIN_TOKENS = 12
#: Short questions ("Dose of dexamethasone given to mother in anticipated preterm delivery:") are copied
#: in runs shorter than COPY_MIN_TOKENS: the run that counts as a copy is COPY_SHORT_SHARE of the stem's
#: tokens, at least COPY_MIN_SHORT.
COPY_MIN_SHORT = 6
COPY_SHORT_SHARE = 0.8
REPEAT_MIN_WORDS = 5
#: A repeat padded with framing words: at most this many at either end are set aside.
REPEAT_TRIM_WORDS = 4

_WORD_RE = re.compile(r"\S+")
_DIGITS_RE = re.compile(r"\d+")


@dataclass(frozen=True)
class QuestionGrams:
    """The question's tokens and where each of its `n`-token runs starts, keyed by the run's first three
    tokens (the cheap pre-filter of `copied_spans`).

    Positions rather than a set of the runs themselves: a set of `n`-tuples cost ~50 KB per question, about
    a quarter of a cached question's memory; this is about a third of it, for the same answers.
    """

    tokens: tuple[str, ...]
    starts: dict[tuple[str, ...], tuple[int, ...]]
    n: int = COPY_MIN_TOKENS

    def holds(self, run: tuple[str, ...]) -> bool:
        """Whether the `n`-token `run` occurs in the question."""
        tokens, n = self.tokens, self.n
        return any(tokens[p : p + n] == run for p in self.starts.get(run[:3], ()))


def copy_window(stem: str) -> int:
    """How many consecutive tokens copied from this question count as a copy."""
    tokens = len(match_form(stem).split())
    return max(3, min(COPY_MIN_TOKENS, max(min(tokens, COPY_MIN_SHORT), math.ceil(COPY_SHORT_SHARE * tokens))))


def question_ngrams(question_text: str, n: int = COPY_MIN_TOKENS) -> QuestionGrams:
    if n < 3:
        raise ValueError(f"a copied run is at least 3 tokens long, not {n}")
    tokens = tuple(sys.intern(t) for t in match_form(question_text).split())  # one copy across cached questions
    starts: dict[tuple[str, ...], list[int]] = {}
    for p in range(len(tokens) - n + 1):
        starts.setdefault(tokens[p : p + 3], []).append(p)
    return QuestionGrams(tokens, {k: tuple(v) for k, v in starts.items()}, n)


def copied_spans(text: str, question: QuestionGrams, norm: str | None = None) -> list[tuple[int, int]]:
    """Character spans of `text` covered by runs copied from the question, merged.

    Only positions whose first three tokens start a question run are checked in full; token offsets are
    computed only when a copied run exists. `norm` may pass `match_form(text)`.
    """
    if not question.starts:
        return []
    norm = norm if norm is not None else match_form(text)
    tokens = norm.split()
    prefixes, n = question.starts, question.n
    runs: list[tuple[int, int]] = []  # token index ranges
    last = len(tokens) - n
    for i, prefix in enumerate(zip(tokens, tokens[1:], tokens[2:], strict=False)):
        if i > last:
            break
        if prefix not in prefixes or not question.holds(tuple(tokens[i : i + n])):
            continue
        if runs and i <= runs[-1][1]:
            runs[-1] = (runs[-1][0], i + n)
        else:
            runs.append((i, i + n))
    if not runs:
        return []
    bounds = [(m.start(), m.end()) for m in itertools.islice(_WORD_RE.finditer(norm), runs[-1][1])]
    return [(bounds[a][0], bounds[b - 1][1]) for a, b in runs]


#: Paraphrase guard, on content tokens (function words left out on both sides, so dropping or changing
#: them changes nothing): runs of at least `PARAPHRASE_MIN_RUN` tokens copied from the stem, chained when at
#: most `PARAPHRASE_MAX_GAP` tokens (on either side) separate one from the next, count as copied when the
#: chain holds `COPY_MIN_TOKENS` copied tokens: the stem cut into short bullets, with a word changed here and
#: there ("comes in" for "presents", "hx of" for "history of") or in telegraphic style, is still the stem.
PARAPHRASE_MIN_RUN = 4
PARAPHRASE_MAX_GAP = 3
#: A stem with fewer content tokens than `COPY_MIN_TOKENS` is copied when all of them (at least this many)
#: are restated in order ("Which following not true about glomerular capillaries").
PARAPHRASE_SHORT_MIN = 3


@dataclass(frozen=True)
class StemIndex:
    """The stem's tokens and where each of its `PARAPHRASE_MIN_RUN`-token runs starts (built once per question)."""

    tokens: tuple[str, ...]
    starts: dict[tuple[str, ...], tuple[int, ...]]
    #: copied tokens a chain needs: `COPY_MIN_TOKENS`, or the whole stem's content when it is shorter
    needed: int = COPY_MIN_TOKENS
    run: int = PARAPHRASE_MIN_RUN


def _content_tokens(norm: str) -> list[tuple[str, int, int]]:
    """The tokens of a `match_form` text that are not function words, with their character offsets."""
    return [(m.group(0), m.start(), m.end()) for m in _WORD_RE.finditer(norm) if m.group(0) not in FUNCTION_WORDS]


def stem_index(stem: str) -> StemIndex:
    tokens = tuple(sys.intern(t) for t, _, _ in _content_tokens(match_form(stem)))
    needed = min(COPY_MIN_TOKENS, max(PARAPHRASE_SHORT_MIN, len(tokens)))
    run = min(PARAPHRASE_MIN_RUN, needed)
    starts: dict[tuple[str, ...], list[int]] = {}
    for i in range(len(tokens) - run + 1):
        starts.setdefault(tokens[i : i + run], []).append(i)
    return StemIndex(tokens, {k: tuple(v) for k, v in starts.items()}, needed, run)


def paraphrased_spans(text: str, stem: StemIndex, norm: str | None = None) -> list[tuple[int, int]]:
    """Character spans of `text` that restate the stem in its own order with small changes (see
    `PARAPHRASE_MIN_RUN`): chains of copied runs holding at least `COPY_MIN_TOKENS` copied tokens.

    Each response token starts at most one run (the longest from any stem position of its first
    `PARAPHRASE_MIN_RUN` tokens) and a run's tokens are skipped, so the work is linear in the text for a
    stem without long self-repeats."""
    if not stem.starts:
        return []
    norm = norm if norm is not None else match_form(text)
    content = _content_tokens(norm)
    bounds = [(a, b) for _, a, b in content]
    tokens = [t for t, _, _ in content]
    q = stem.tokens
    runs: list[tuple[int, int, int]] = []  # (response token, stem token, length)
    i, n = 0, len(tokens)
    while i <= n - stem.run:
        positions = stem.starts.get(tuple(tokens[i : i + stem.run]))
        if not positions:
            i += 1
            continue
        best, at = 0, 0
        for p in positions[:8]:
            length = stem.run
            while i + length < n and p + length < len(q) and tokens[i + length] == q[p + length]:
                length += 1
            if length > best:
                best, at = length, p
        runs.append((i, at, best))
        i += best
    spans: list[tuple[int, int]] = []
    chain_start, chain_tokens, previous = -1, 0, None
    for run in [*runs, None]:  # type: ignore[list-item]
        linked = (
            run is not None
            and previous is not None
            and 0 <= run[0] - (previous[0] + previous[2]) <= PARAPHRASE_MAX_GAP
            and 0 <= run[1] - (previous[1] + previous[2]) <= PARAPHRASE_MAX_GAP
        )
        if not linked:
            if previous is not None and chain_tokens >= stem.needed:
                spans.append((bounds[chain_start][0], bounds[previous[0] + previous[2] - 1][1]))
            if run is not None:
                chain_start, chain_tokens = run[0], 0
        if run is not None:
            chain_tokens += run[2]
        previous = run
    return spans


def repeated_spans(text: str, sentences: Sequence[tuple[int, int]], norm: str | None = None) -> list[tuple[int, int]]:
    """Spans of sentences that repeat an earlier sentence (normalised), in order.

    A repeat need not be exact: framing a sentence as a restatement ("To restate, …", "In other words, …",
    "…, as noted above") adds no content. A sentence is compared by its *core*: its words without up to
    `REPEAT_TRIM_WORDS` function or discourse words at either end (`DISCOURSE_WORDS`). Content words are
    never trimmed, so parallel sentences that differ in a finding ("… has a history of hypertension." /
    "… of diabetes.") stay distinct.

    `norm` may pass the text with punctuation as spaces and lower case (`match_form`), so a sentence's
    words are one `str.split` away.
    """
    norm = norm if norm is not None else match_form(text)
    seen: set[str] = set()
    repeats: list[tuple[int, int]] = []
    for start, end in sentences:
        words = norm[start:end].split()
        if len(words) < REPEAT_MIN_WORDS:
            continue
        keys = {" ".join(words), _core(words)}
        if not seen.isdisjoint(keys):
            repeats.append((start, end))
        seen.update(keys)
    return repeats


#: Repeated runs: a run of this many content tokens (function and discourse words left out) that already
#: appeared earlier in the text is a repeat, wherever the sentence boundaries fall (lines joined into one
#: paragraph, "To restate," before each copy).
REPEAT_RUN_TOKENS = 10


def repeated_runs(text: str, norm: str) -> list[tuple[int, int]]:
    """Character spans (merged) of runs of `REPEAT_RUN_TOKENS` content tokens of the `match_form` text
    `norm` (of `text`) that occurred before, not overlapping their first occurrence. A run stays inside one
    paragraph, so moving paragraphs around (option analyses reordered) changes nothing. One pass, one dict
    of runs."""
    breaks = [m.start() for m in re.finditer(r"\n[ \t]*\n", text)]
    tokens = [
        (m.group(0), m.start(), m.end())
        for m in _WORD_RE.finditer(norm)
        if m.group(0) not in FUNCTION_WORDS and m.group(0) not in DISCOURSE_WORDS
    ]
    paragraph = [bisect.bisect_right(breaks, start) for _, start, _ in tokens]
    n = REPEAT_RUN_TOKENS
    words = [t for t, _, _ in tokens]
    first: dict[tuple[str, ...], int] = {}
    spans: list[tuple[int, int]] = []
    for i in range(len(tokens) - n + 1):
        if paragraph[i] != paragraph[i + n - 1]:
            continue
        run = tuple(words[i : i + n])
        at = first.setdefault(run, i)
        if at + n <= i:
            start, end = tokens[i][1], tokens[i + n - 1][2]
            if spans and start <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(spans[-1][1], end))
            else:
                spans.append((start, end))
    return spans


#: Function words that change what a sentence says: never set aside as framing.
_MEANING_WORDS = frozenset({"no", "not", "nor", "never", "none", "without", "neither", "cannot", "only"})


def _is_frame_word(word: str) -> bool:
    return (word in FUNCTION_WORDS or word in DISCOURSE_WORDS) and word not in _MEANING_WORDS


def _core(words: list[str]) -> str:
    """The sentence without up to `REPEAT_TRIM_WORDS` framing words at each end (never shorter than
    `REPEAT_MIN_WORDS` words)."""
    lead, tail, n = 0, 0, len(words)
    while lead < REPEAT_TRIM_WORDS and n - lead - tail > REPEAT_MIN_WORDS and _is_frame_word(words[lead]):
        lead += 1
    while tail < REPEAT_TRIM_WORDS and n - lead - tail > REPEAT_MIN_WORDS and _is_frame_word(words[n - 1 - tail]):
        tail += 1
    return " ".join(words[lead : n - tail])


@dataclass(frozen=True)
class Discounts:
    """Sorted, merged character spans that earn nothing; `covers(pos)` is a binary search."""

    spans: tuple[tuple[int, int], ...]
    copied_chars: int
    repeated_chars: int
    copied: list[tuple[int, int]] = field(default_factory=list)
    repeated: list[tuple[int, int]] = field(default_factory=list)
    copied_merged: tuple[tuple[int, int], ...] = ()
    repeated_merged: tuple[tuple[int, int], ...] = ()

    @classmethod
    def build(cls, copied: list[tuple[int, int]], repeated: list[tuple[int, int]]) -> Discounts:
        return cls(
            _merge(copied + repeated),
            sum(e - s for s, e in copied),
            sum(e - s for s, e in repeated),
            copied,
            repeated,
            _merge(copied),
            _merge(repeated),
        )

    def covers(self, pos: int) -> bool:
        return _inside(self.spans, pos)

    def in_repeat(self, pos: int) -> bool:
        """Whether `pos` lies in a repeated span (a binary search over the merged repeats)."""
        return _inside(self.repeated_merged, pos)

    def values_copied(self, start: int, text: str) -> bool:
        """Every number of `text` (a claim's words, starting at `start`) lies inside a copied run.

        Copying the case verbatim copies its numbers; a value that differs from the question's breaks
        the run, so a claim whose number is outside every copied run was written by the response."""
        return all(
            _inside(self.copied_merged, start + m.start()) and _inside(self.copied_merged, start + m.end() - 1)
            for m in _DIGITS_RE.finditer(text)
        )

    def redundancy(self, total_chars: int) -> float:
        return self.repeated_chars / total_chars if total_chars else 0.0


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """`spans` sorted, with overlapping and touching ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _merge(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    return tuple(merge_spans(spans))


def _inside(spans: tuple[tuple[int, int], ...], pos: int) -> bool:
    index = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= pos < spans[index][1]
