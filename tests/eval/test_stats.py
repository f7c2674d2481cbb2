"""The statistics of crpo-eval: cluster bootstrap, paired bootstrap, McNemar / Wilcoxon."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from scipy.stats import binomtest, wilcoxon

from crpo_eval.aggregate import summarise
from crpo_eval.bootstrap import multiplicities, paired_bootstrap, ratio_intervals, rng_for
from crpo_eval.compare import classical_test, compare_runs
from crpo_eval.metrics import METRIC_BY_NAME, METRICS


def records(values: list[float], *, copies: int = 1, run: str = "r") -> list[dict[str, Any]]:
    """Synthetic per-response records: question i has `copies` responses with faithfulness values[i]."""
    out = []
    for i, v in enumerate(values):
        for _ in range(copies):
            row: dict[str, Any] = dict.fromkeys(m.name for m in METRICS)
            row |= {"run": run, "question_key": f"q{i:03d}", "dataset": "d", "subject": None, "outcome": "correct"}
            row |= {"faithfulness": v, "accuracy": float(v > 0.5)}
            out.append(row)
    return out


def test_multiplicities_are_resamples_of_the_questions() -> None:
    weights = multiplicities(37, 1200, rng_for(0, "a"))
    assert weights.shape == (1200, 37)
    assert np.all(weights.sum(axis=1) == 37)
    assert np.array_equal(weights, multiplicities(37, 1200, rng_for(0, "a")))
    assert not np.array_equal(weights, multiplicities(37, 1200, rng_for(0, "b")))
    assert abs(weights.mean() - 1.0) < 0.01


def test_ratio_intervals_match_a_loop_over_the_same_resamples() -> None:
    rng = np.random.default_rng(3)
    sums = rng.uniform(0, 3, size=(25, 2))
    counts = rng.integers(1, 4, size=(25, 2)).astype(float)
    weights = multiplicities(25, 400, rng_for(1, "x"))
    got = ratio_intervals(sums, counts, weights, 0.9)
    for j in range(2):
        stats = [
            sum(w[q] * sums[q, j] for q in range(25)) / sum(w[q] * counts[q, j] for q in range(25)) for w in weights
        ]
        low, high = np.percentile(stats, [5, 95])
        assert got[j] == pytest.approx((low, high), abs=1e-12)


def test_cluster_bootstrap_resamples_questions_not_responses() -> None:
    values = list(np.random.default_rng(7).uniform(0, 1, 40))
    settings = {"names": ("r", "all"), "resamples": 1000, "seed": 0, "confidence": 0.95}
    once = summarise(records(values), **settings)
    thrice = summarise(records(values, copies=3), **settings)
    assert thrice["responses"] == 120 and thrice["questions"] == 40
    # identical copies of each response add no information: the interval does not narrow
    assert thrice["metrics"]["faithfulness"]["ci"] == once["metrics"]["faithfulness"]["ci"]
    assert thrice["metrics"]["faithfulness"]["value"] == pytest.approx(float(np.mean(values)), abs=1e-6)
    low, high = once["metrics"]["faithfulness"]["ci"]
    assert low < np.mean(values) < high
    assert once["metrics"]["total"] == {"value": None, "ci": None, "n": 0}  # undefined everywhere


def test_paired_bootstrap_p_values() -> None:
    weights = multiplicities(30, 2000, rng_for(0, "p"))
    defined = np.ones(30)
    interval, p = paired_bootstrap(np.zeros(30), defined, weights, 0.95)
    assert interval == (0.0, 0.0) and p == 1.0
    interval, p = paired_bootstrap(np.full(30, 0.4), defined, weights, 0.95)
    assert interval == pytest.approx((0.4, 0.4)) and p == pytest.approx(1 / 2001)
    noise = np.random.default_rng(0).normal(0, 1, 30)
    interval, p = paired_bootstrap(noise - noise.mean(), defined, weights, 0.95)
    assert interval[0] < 0 < interval[1] and p > 0.9


def test_classical_tests() -> None:
    accuracy = METRIC_BY_NAME["accuracy"]
    base = [(1.0, 1)] * 10 + [(0.0, 1)] * 2
    other = [(0.0, 1)] * 7 + [(1.0, 1)] * 3 + [(1.0, 1)] * 2
    assert classical_test(accuracy, base, other) == ("mcnemar_exact", pytest.approx(binomtest(2, 9, 0.5).pvalue))
    # several responses per question: Wilcoxon on the per-question means
    test, p = classical_test(accuracy, [(0.5, 2)] * 3 + [(1.0, 2)] * 6, [(1.0, 2)] * 9)
    assert test == "wilcoxon" and p == pytest.approx(wilcoxon([0.5] * 3 + [0.0] * 6, method="asymptotic").pvalue)
    faith = METRIC_BY_NAME["faithfulness"]
    d = [0.31, -0.05, 0.12, 0.2, 0.07, 0.44, 0.15, -0.02, 0.09, 0.27]
    test, p = classical_test(faith, [(0.0, 1)] * 10, [(x, 1) for x in d])
    assert test == "wilcoxon" and p == pytest.approx(wilcoxon(d, method="exact").pvalue)
    assert classical_test(faith, [(0.3, 1)] * 4, [(0.3, 1)] * 4) == ("wilcoxon", 1.0)


def test_compare_runs_uses_shared_questions_only() -> None:
    base = records([0.2, 0.4, 0.6, 0.8], run="a")
    other = records([0.5, 0.7, 0.9, 0.1, 0.3], run="b")[1:]  # drops q000, adds q004
    rows = {
        r["metric"]: r for r in compare_runs("a", "b", base, other, scope="all", resamples=500, seed=0, confidence=0.95)
    }
    faith = rows["faithfulness"]
    assert faith["questions"] == 3
    assert faith["baseline_mean"] == pytest.approx(0.6) and faith["run_mean"] == pytest.approx((0.7 + 0.9 + 0.1) / 3)
    assert faith["delta"] == pytest.approx(((0.7 - 0.4) + (0.9 - 0.6) + (0.1 - 0.8)) / 3, abs=1e-6)
    assert rows["total"]["questions"] == 0 and rows["total"]["delta"] is None
