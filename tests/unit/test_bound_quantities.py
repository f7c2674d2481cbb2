"""Quantities bound to the question quantity they restate (`scoring/evidence/bound_quantities.py`)."""

from __future__ import annotations

import pytest

from reward_service.scoring.evidence.bound_quantities import QuestionQuantities, find_bound_quantities


def _restated(question: str, response: str, value: str) -> list[str]:
    own = QuestionQuantities.of(question)
    (q,) = [q for q in find_bound_quantities(response) if q.text == value]
    return [c.text for c in own.restated_by(q)]


def test_every_value_of_a_series_is_bound_to_the_words_before_it() -> None:
    (mean_sd, later_sd) = find_bound_quantities("The FAC increased significantly from 51 +/- 15% to 57 +/- 46%")
    assert mean_sd.subject == later_sd.subject and "fac" in later_sd.subject
    both = find_bound_quantities("chemotherapy was used in 92% and 73% of SM and GM patients")
    assert both[0].subject == both[1].subject and "chemo" in both[1].subject


def test_a_changed_spread_of_a_series_is_contradicted() -> None:
    question = "The FAC increased significantly from 51 +/- 15% to 57 +/- 11% in 18 hearts."
    response = "The FAC increased significantly from 51 +/- 15% to 57 +/- 46% in 18 hearts."
    assert _restated(question, response, "46%") == ["15%", "11%"]  # tied: the caller skips the one it states


def test_the_best_bound_quantity_wins_a_tie_of_the_next_word() -> None:
    question = "The procedure presented a mortality rate of 3.125% (1:32) and a morbidity rate of 6.25%."
    response = "The procedure presented a mortality rate of 3.125% (1:32) and a morbidity rate of 41.25%."
    assert _restated(question, response, "41.25%") == ["6.25%"]


def test_derived_words_compare_by_stem() -> None:
    question = "Cardiac catheterization shows a 50% reduction in the diameter of the left circumflex artery."
    response = "The diameter of the left circumflex artery has been reduced by 85% due to occlusion."
    assert _restated(question, response, "85%") == ["50%"]


@pytest.mark.parametrize(("value", "contradicted"), [("82.1%", False), ("62.1%", True)])
def test_the_rest_of_a_stated_share_is_computed(value: str, contradicted: bool) -> None:
    question = "Only 124 (17.9%) of the women remained pregnant 1 week after AC."
    response = f"So {value} of the women did not remain pregnant 1 week after AC."
    assert bool(_restated(question, response, value)) is contradicted
