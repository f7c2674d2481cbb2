"""The trainer environment's installed dependency tree is exactly what constraints/train.txt pins."""

from __future__ import annotations

from tests.pins import unpinned_installed


def test_the_trainer_environment_is_exactly_the_pinned_one() -> None:
    assert unpinned_installed("train") == []
