"""The copy guard's question index (`guards.question_ngrams`: token positions, not a set of runs) finds
exactly the runs a set of every `n`-token run of the question finds."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reward_service.nlp.textnorm import match_form
from reward_service.scoring.evidence.guards import COPY_MIN_TOKENS, copied_spans, question_ngrams

STEM = (
    "A 45-year-old man presents with fever, cough and weight loss for 3 weeks. He has a history of "
    "tuberculosis. His temperature is 38.5 C and his pulse is 104/min. A chest x-ray shows a cavity."
)


def reference_spans(text: str, question_text: str, n: int) -> list[tuple[int, int]]:
    """Brute force: every n-token run of the question in a set; runs of the text found in it, merged."""
    q = match_form(question_text).split()
    grams = {tuple(q[p : p + n]) for p in range(len(q) - n + 1)}
    words = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", match_form(text))]
    runs: list[list[int]] = []
    for i in range(len(words) - n + 1):
        if tuple(w for *_, w in words[i : i + n]) in grams:
            if runs and i <= runs[-1][1]:
                runs[-1][1] = i + n
            else:
                runs.append([i, i + n])
    return [(words[a][0], words[b - 1][1]) for a, b in runs]


@pytest.mark.parametrize("n", [3, 5, COPY_MIN_TOKENS])
def test_copied_runs_equal_the_brute_force_on_a_vignette(n: int) -> None:
    response = (
        "The patient is a 45-year-old man presents with fever, cough and weight loss for 3 weeks. "
        "He has a history of tuberculosis, so reactivation is likely. His pulse is 104/min."
    )
    expected = reference_spans(response, STEM, n)
    assert expected  # the example holds copied runs
    assert copied_spans(response, question_ngrams(STEM, n)) == expected


@settings(max_examples=300, deadline=None)
@given(
    question=st.lists(st.sampled_from(["a", "b", "c", "d", "the", "of"]), min_size=0, max_size=40),
    response=st.lists(st.sampled_from(["a", "b", "c", "d", "the", "of", "x"]), min_size=0, max_size=60),
    n=st.integers(min_value=3, max_value=8),
)
def test_copied_runs_equal_the_brute_force_on_repetitive_text(question: list[str], response: list[str], n: int) -> None:
    # a small alphabet: the same 3-token prefix starts many runs, the case the positions must get right
    q, r = " ".join(question), " ".join(response)
    assert copied_spans(r, question_ngrams(q, n)) == reference_spans(r, q, n)


def test_the_index_holds_every_run_and_only_those() -> None:
    grams = question_ngrams(STEM, 4)
    tokens = match_form(STEM).split()
    runs = {tuple(tokens[p : p + 4]) for p in range(len(tokens) - 3)}
    assert all(grams.holds(run) for run in runs)
    others = {tuple(t) for t in itertools.permutations(tokens[:6], 4)} - runs
    assert not any(grams.holds(run) for run in others)


def test_a_run_shorter_than_three_tokens_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 3"):
        question_ngrams(STEM, 2)
