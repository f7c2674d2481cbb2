"""Adversarial responses score in linear time, and the linear-time parsers give the old answers.

The old box finder rescanned to the end of the text for every `\\boxed{` (quadratic time, and quadratic
memory for nested boxes), the LaTeX unwrapping looped once per nesting level, and the Clinical-R1
regexes backtracked quadratically: a single 200,000-character response could take minutes. The
reference implementations below are those old versions, kept to prove the new ones agree with them.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reward_service.scoring.answer import clinical_r1
from reward_service.scoring.answer.answers import MAX_WRAPPER_DEPTH, clean_box_content
from reward_service.scoring.engine import ScoringEngine
from reward_service.scoring.response.parse import Box, find_boxes
from schemas import ScoreItem, ScoreRequest

OPTIONS = {"A": "Increased dopamine release from central neurons", "B": "Inhibition of acetylcholine", "C": "x"}
GOLDS = ["A", {"text": "dopamine"}, {"value": 1.0}]
N = 200_000

#: Families of adversarial responses, each filled to N characters: nested, unclosed and repeated
#: boxes, wrappers and tags, the patterns that made the old parsers quadratic.
ADVERSARIAL = {
    "nested unclosed boxes": "\\boxed{\\text{" * (N // 13),
    "nested balanced boxes": "\\boxed{" * (N // 16) + "}" * (N // 16),
    "deep \\text{} wrappers": "\\boxed{" + "\\text{" * (N // 14) + "A" + "}" * (N // 14 + 1),
    "a box per conclusion": "<conclusion>\\boxed{A}</conclusion>" * (N // 35),
    "repeated </think><answer>": "<think></think><answer>" * (N // 23),
    "unclosed boxes on one line": "<think></think><answer>" + "\\boxed{ " * (N // 9) + "</answer>",
    "empty boxes": "<think></think><answer>" + "\\boxed{}" * (N // 9) + "</answer>",
    "open tags": "<dx><think>" * (N // 11),
    "braces": "{" * (N // 2) + "}" * (N // 2),
}

engine = ScoringEngine()


@pytest.mark.timeout(120)  # the old code needed minutes for any one of these; each now takes well under 1 s
@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_adversarial_responses_score_without_hanging(name: str) -> None:
    response = ADVERSARIAL[name][:N]
    for mode in ("crpo", "clinical_r1"):
        for gold in GOLDS:
            options = OPTIONS if gold == "A" else None
            item = ScoreItem(response=response, question="q", options=options, answer=gold)
            result = engine.score(ScoreRequest(items=[item], accuracy_mode=mode, details=True)).results[0]
            assert result.accuracy is not None


def old_find_boxes(text: str) -> tuple[Box, ...]:
    boxes: list[Box] = []
    for match in re.finditer(r"\\boxed", text):
        i, n = match.end(), len(text)
        while i < n and text[i] in " \t":
            i += 1
        if i >= n or text[i] != "{":
            boxes.append(Box(match.start(), match.end(), None))
            continue
        depth, j, content = 0, i, None
        while j < n:
            if text[j] == "{":
                depth += 1
            elif text[j] == "}":
                depth -= 1
                if depth == 0:
                    content = text[i + 1 : j]
                    break
            j += 1
        boxes.append(Box(match.start(), n, None) if content is None else Box(match.start(), j + 1, content))
    return tuple(boxes)


def old_clean_box_content(content: str) -> str:
    wrapper = re.compile(r"\\(?:text|textbf|textit|textrm|mathrm|mathbf|mathit|mbox|emph|operatorname)\s*\{([^{}]*)\}")
    previous = None
    while previous != content:
        previous = content
        content = wrapper.sub(r"\1", content)
    return clean_box_content(content)  # the rest of the cleaning is unchanged


OLD_BOX_RE = re.compile(r"\\boxed{(.*?)}")
OLD_FORMAT_RE = re.compile(r"^<think>.*?</think>\s*<answer>(.*?)</answer>$", re.DOTALL)


def old_clinical_accuracy(response: str, gold_letter: str) -> float:
    n = response.count("\\boxed")
    if n != 1:
        return float(-n)
    match = OLD_BOX_RE.search(response)
    if match is None:
        return -1.0
    return (1.0 if match.group(1) == gold_letter else 0.0) if re.fullmatch("[A-Z]", match.group(1)) else -0.5


def old_clinical_format(response: str) -> float:
    match = OLD_FORMAT_RE.match(response.strip())
    if match is None:
        return 0.0
    answer_part = match.group(1)
    boxes = OLD_BOX_RE.findall(answer_part)
    only_box = OLD_BOX_RE.sub("", answer_part).strip() == ""
    return 1.5 if len(boxes) == 1 and not only_box else 1.0


PIECES = st.sampled_from(
    [
        *["\\boxed", "\\boxed{", "{", "}", " ", "\n", "\t", "A", "B", "x", "\\text{", "\\textbf {", "$", "."],
        *["<think>", "</think>", "<answer>", "</answer>", "<conclusion>", "</conclusion>", "<dx>", "</dx>"],
    ]
)
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=40).map("".join)


@settings(max_examples=600, deadline=None)
@given(TEXTS)
def test_find_boxes_agrees_with_the_old_scan(text: str) -> None:
    new, old = find_boxes(text), old_find_boxes(text)
    assert [(b.start, b.end) for b in new] == [(b.start, b.end) for b in old]
    for index, (b_new, b_old) in enumerate(zip(new, old, strict=True)):
        encloses_next = index + 1 < len(old) and old[index + 1].start < b_old.end and b_old.content is not None
        # A box enclosing another box now has no content of its own; every other box is unchanged.
        assert b_new.content == (None if encloses_next else b_old.content)


@settings(max_examples=600, deadline=None)
@given(TEXTS)
def test_clinical_r1_rule_agrees_with_its_regex_form(text: str) -> None:
    assert clinical_r1.accuracy(text, "A") == old_clinical_accuracy(text, "A")
    assert clinical_r1.format_score(text) == old_clinical_format(text)


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.integers(0, MAX_WRAPPER_DEPTH))
def test_unwrapping_agrees_up_to_the_depth_bound(text: str, depth: int) -> None:
    content = "\\text{" * depth + text + "}" * depth
    if content.count("\\") <= MAX_WRAPPER_DEPTH:  # at most that many wrappers: the same result as before
        assert clean_box_content(content) == old_clean_box_content(content)
