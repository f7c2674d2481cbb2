"""CRPO group advantages against hand-computed values (docs/scoring.md)."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest

from crpo_core.advantages import compute_advantages, sample_std

W = {"accuracy": 10.0, "faithfulness": 1.0, "comprehensiveness": 1.0, "format": 0.0}


def row(acc: float, faith: float, comp: float) -> dict[str, float]:
    return {"accuracy": acc, "faithfulness": faith, "comprehensiveness": comp, "format": 1.0}


def test_sample_std_is_unbiased() -> None:
    assert sample_std([1.0, 0.0]) == pytest.approx(0.7071067811865476)
    assert sample_std([5.0]) == 0.0


def test_sum_mode_hand_computed() -> None:
    # totals 12, 10, 0: mean 7.3333, sample std sqrt(82.6667 / 2) = 6.42910
    scores = [row(1, 1, 1), row(1, 0, 0), row(0, 0, 0)]
    result = compute_advantages(["g"] * 3, scores, W, "sum")
    assert result.advantages == pytest.approx([0.7258662, 0.4147807, -1.1406469], abs=1e-6)


def test_sum_mode_without_std_is_dr_grpo() -> None:
    scores = [row(1, 1, 1), row(1, 0, 0), row(0, 0, 0)]
    result = compute_advantages(["g"] * 3, scores, W, "sum", scale_by_std=False)
    assert result.advantages == pytest.approx([12 - 22 / 3, 10 - 22 / 3, -22 / 3])


def test_zero_spread_group_and_singleton_get_zero() -> None:
    scores = [row(1, 0.5, 0.5), row(1, 0.5, 0.5), row(0, 0.1, 0.2)]
    result = compute_advantages(["same", "same", "alone"], scores, W, "sum")
    assert result.advantages == [0.0, 0.0, 0.0]
    diag = result.diagnostics
    assert diag["singleton_groups"] == 1 and diag["groups"] == 2
    assert diag["zero_spread_fraction"]["total"] == 1.0
    assert diag["distinct_advantages_per_group"] == {"same": 1, "alone": 1}


def test_decoupled_mode_hand_computed() -> None:
    scores = [
        row(1, 0.8, 0.5),  # group a
        row(0, 0.4, 0.5),
        row(1, 0.3, 0.3),  # group s (singleton)
        row(1, 0.2, 0.9),  # group b: accuracy and comprehensiveness... accuracy has no spread
        row(1, 0.6, 0.9),
    ]
    result = compute_advantages(["a", "a", "s", "b", "b"], scores, W, "decoupled")
    # group a: z_acc = ±0.70711, z_faith = ±0.70711, comp no spread -> A = ±(10 + 1) * 0.70711 = ±7.77817
    # group b: z_faith = ∓0.70711 -> A = ∓0.70711; singleton 0
    # batch whitening of [7.77817, -7.77817, 0, -0.70711, 0.70711]: mean 0, sample std sqrt(30.5) = 5.52268
    expected = [1.408403, -1.408403, 0.0, -0.128037, 0.128037]
    assert result.advantages == pytest.approx(expected, abs=1e-5)
    assert result.advantages[2] == 0.0
    zero = result.diagnostics["zero_spread_fraction"]
    assert zero["accuracy"] == 0.5 and zero["comprehensiveness"] == 1.0 and zero["faithfulness"] == 0.0


def test_decoupled_keeps_weak_objective_signal_that_sum_drowns() -> None:
    # `sum` standardises each group's total, so a group that differs only in faithfulness gets the same
    # ±0.707 as a group that differs in accuracy; `decoupled` standardises per objective and weights
    # the z-scores, so the accuracy group's advantage stays ~11x larger, as the weights say.
    scores = [row(1, 0.9, 0.5), row(0, 0.1, 0.5), row(1, 0.9, 0.5), row(1, 0.1, 0.5)]
    groups = ["acc-spread", "acc-spread", "faith-only", "faith-only"]
    summed = compute_advantages(groups, scores, W, "sum").advantages
    decoupled = compute_advantages(groups, scores, W, "decoupled").advantages
    assert summed[2] == pytest.approx(summed[0], rel=1e-4)  # sum: both groups normalise to ±0.707
    assert abs(decoupled[2]) < abs(decoupled[0])  # decoupled: accuracy's weight dominates, as weighted


def test_missing_objective_is_left_out_of_the_group() -> None:
    scores = [{"accuracy": 1.0, "faithfulness": None}, {"accuracy": 0.0, "faithfulness": 0.5}]
    result = compute_advantages(["g", "g"], scores, W, "decoupled")
    assert result.advantages == pytest.approx([0.7071, -0.7071], abs=1e-3)


def test_order_does_not_change_any_bit() -> None:
    rng = random.Random(7)
    scores = [row(rng.choice([1, 0, -1]), rng.random(), rng.random()) for _ in range(40)]
    groups = [f"g{i // 5}" for i in range(40)]
    for mode in ("sum", "decoupled"):
        base = compute_advantages(groups, scores, W, mode).advantages
        order = list(range(40))
        rng.shuffle(order)
        shuffled = compute_advantages([groups[i] for i in order], [scores[i] for i in order], W, mode).advantages
        assert [shuffled[order.index(i)] for i in range(40)] == base


def test_unknown_mode_and_length_mismatch() -> None:
    with pytest.raises(ValueError, match="unknown advantage mode"):
        compute_advantages(["g"], [row(1, 1, 1)], W, "max")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="group ids"):
        compute_advantages(["g", "h"], [row(1, 1, 1)], W)


def test_importing_the_math_pulls_no_heavy_dependency() -> None:
    code = "import sys, crpo_core.advantages; bad = {'numpy', 'torch', 'spacy', 'verl'} & set(sys.modules); print(bad)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "set()"
