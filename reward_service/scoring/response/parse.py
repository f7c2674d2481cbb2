"""Split a generated response into reasoning and conclusion, and find its boxed answers.

Two layouts are accepted (docs/scoring.md): the CRPO profile `<dx>…</dx><conclusion>…</conclusion>` and
the R1 profile `<think>…</think><answer>…</answer>`; `auto` picks the one the response uses. Parsing is
tolerant: unclosed or missing tags still yield usable reasoning/conclusion text (the `format` score is
where structure is judged), so the other objectives can score any string.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Literal

ProfileName = Literal["crpo", "r1"]

#: End-of-sequence markers of common chat templates; a response is cut at the first one.
EOS_MARKERS: tuple[str, ...] = (
    "<|im_end|>",
    "<|endoftext|>",
    "<|eot_id|>",
    "<|end_of_text|>",
    "<|end|>",
    "<end_of_turn>",
    "</s>",
    "<eos>",
)
_EOS_RE = re.compile("|".join(re.escape(m) for m in EOS_MARKERS))
# `<\think>` (a backslash instead of a slash) is a frequent generation typo; treat it as a closing tag.
_BACKSLASH_CLOSE_RE = re.compile(r"<\\\s*(dx|think|conclusion|answer)\s*>", re.IGNORECASE)

PROFILE_TAGS: dict[ProfileName, tuple[str, str]] = {"crpo": ("dx", "conclusion"), "r1": ("think", "answer")}
_TAG_RE = re.compile(r"<\s*(/?)\s*(dx|think|conclusion|answer)\s*>", re.IGNORECASE)
_BOXED_RE = re.compile(r"\\boxed")
_BRACE_RE = re.compile(r"[{}]")


@dataclass(frozen=True, slots=True)
class Box:
    """One `\\boxed` occurrence. `content` is None when no balanced `{…}` follows it."""

    start: int
    end: int
    content: str | None


@dataclass(frozen=True, slots=True)
class Section:
    start: int  # offset of the opening tag
    end: int  # offset just after the closing tag (or end of text when unclosed)
    text_start: int
    text_end: int
    closed: bool


@dataclass(frozen=True, slots=True)
class ParsedResponse:
    text: str  # the response after EOS cut and typo repair
    profile: ProfileName | None  # the layout found (None: no recognised tags)
    reasoning_sections: tuple[Section, ...]
    conclusion_sections: tuple[Section, ...]
    boxes: tuple[Box, ...]
    stray_tags: int  # tags of the profile that do not pair up

    @property
    def reasoning(self) -> str:
        """Text of every reasoning block; without any, the whole response outside the conclusion."""
        if self.reasoning_sections:
            return "\n".join(self.text[s.text_start : s.text_end] for s in self.reasoning_sections)
        if self.conclusion_sections:
            first = self.conclusion_sections[0]
            return _strip_tags(self.text[: first.start])
        return _strip_tags(self.text)

    @property
    def conclusion(self) -> str:
        """Text of the last conclusion block ('' when there is none)."""
        if not self.conclusion_sections:
            return ""
        last = self.conclusion_sections[-1]
        return self.text[last.text_start : last.text_end]

    def box_in_conclusion(self, box: Box) -> bool:
        # Sections are disjoint and in text order: only the last one starting at or before the box can hold it.
        index = bisect.bisect_right(self.conclusion_sections, box.start, key=lambda s: s.text_start) - 1
        return index >= 0 and box.end <= self.conclusion_sections[index].text_end


def _strip_tags(text: str) -> str:
    return _TAG_RE.sub(" ", text)


def clean_response(response: str) -> str:
    """Cut at the first EOS marker and repair `<\\think>`-style closing tags."""
    match = _EOS_RE.search(response)
    if match:
        response = response[: match.start()]
    if "<\\" in response:
        response = _BACKSLASH_CLOSE_RE.sub(lambda m: f"</{m.group(1)}>", response)
    return response


def _matching_braces(text: str) -> dict[int, int]:
    """Offset of every `{` that is closed -> offset of its `}` (one pass; unclosed `{` are absent)."""
    matches: dict[int, int] = {}
    stack: list[int] = []
    for match in _BRACE_RE.finditer(text):
        if match.group() == "{":
            stack.append(match.start())
        elif stack:
            matches[stack.pop()] = match.start()
    return matches


def find_boxes(text: str) -> tuple[Box, ...]:
    """Every `\\boxed` occurrence with its brace-balanced content (nested braces allowed).

    Linear in the length of the text: braces are matched in one pass, and a box that encloses another
    `\\boxed` gets no content of its own (None, like an unbalanced box; the inner boxes carry the
    answer), so adversarial nestings cannot make parsing quadratic in time or memory.
    """
    starts = [match.start() for match in _BOXED_RE.finditer(text)]
    if not starts:
        return ()
    closing = _matching_braces(text)
    boxes: list[Box] = []
    n = len(text)
    for index, start in enumerate(starts):
        i = start + len("\\boxed")
        while i < n and text[i] in " \t":
            i += 1
        if i >= n or text[i] != "{":
            boxes.append(Box(start, start + len("\\boxed"), None))
            continue
        j = closing.get(i)
        if j is None:
            boxes.append(Box(start, n, None))
        elif index + 1 < len(starts) and starts[index + 1] < j:
            boxes.append(Box(start, j + 1, None))  # encloses the next box
        else:
            boxes.append(Box(start, j + 1, text[i + 1 : j]))
    return tuple(boxes)


def _sections(text: str, tags: list[tuple[int, int, bool, str]], name: str) -> tuple[list[Section], int]:
    """Pair opening and closing tags of one name; returns sections and the count of unpaired tags."""
    sections: list[Section] = []
    stray = 0
    open_at: tuple[int, int] | None = None
    for start, end, closing, tag in tags:
        if tag != name:
            continue
        if not closing:
            if open_at is not None:
                stray += 1
            open_at = (start, end)
        elif open_at is None:
            stray += 1
        else:
            sections.append(Section(open_at[0], end, open_at[1], start, True))
            open_at = None
    if open_at is not None:
        stray += 1
        # An unclosed block runs to the next tag of another name, or to the end of the text.
        following = [s for s, _, _, t in tags if s > open_at[0] and t != name]
        stop = min(following) if following else len(text)
        sections.append(Section(open_at[0], stop, open_at[1], stop, False))
    return sections, stray


def detect_profile(tags: list[tuple[int, int, bool, str]]) -> ProfileName | None:
    names = {t for _, _, _, t in tags}
    if names & {"dx", "conclusion"}:
        return "crpo"
    if names & {"think", "answer"}:
        return "r1"
    return None


def parse_response(response: str, profile: Literal["auto", "crpo", "r1"] = "auto") -> ParsedResponse:
    text = clean_response(response)
    tags = [(m.start(), m.end(), bool(m.group(1)), m.group(2).lower()) for m in _TAG_RE.finditer(text)]
    chosen: ProfileName | None = detect_profile(tags) if profile == "auto" else profile
    reasoning: list[Section] = []
    conclusion: list[Section] = []
    stray = 0
    if chosen is not None:
        reasoning_tag, conclusion_tag = PROFILE_TAGS[chosen]
        reasoning, stray_r = _sections(text, tags, reasoning_tag)
        conclusion, stray_c = _sections(text, tags, conclusion_tag)
        stray = stray_r + stray_c
        if not reasoning and not conclusion:
            chosen = None if profile == "auto" else chosen
    return ParsedResponse(
        text=text,
        profile=chosen,
        reasoning_sections=tuple(reasoning),
        conclusion_sections=tuple(conclusion),
        boxes=find_boxes(text),
        stray_tags=stray,
    )
