"""Paired comparison of a run against the baseline run, on the questions both answered.

Each question is one pair: its metric is averaged over the question's responses in each run, and the
difference (run − baseline) is taken per question. Two tests, both two-sided:

- paired bootstrap (every metric): questions resampled with replacement; the interval is the
  percentile interval of the mean difference, the p-value the centred-bootstrap one (`bootstrap`);
- a classical test: McNemar's exact test (binomial test on the discordant pairs) for a binary metric
  (accuracy, hallucination, ...) when every shared question has exactly one response in each run;
  otherwise the Wilcoxon signed-rank test on the per-question differences (`zero_method="wilcox"`:
  zero differences are dropped; p = 1 when every difference is zero), exact for at most 50 pairs
  without zeros or ties, else the normal approximation with tie correction.

p-values are per comparison and metric, not corrected for multiple comparisons.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np

from crpo_eval.bootstrap import multiplicities, paired_bootstrap, rng_for
from crpo_eval.metrics import METRICS, Metric


def per_question(records: Sequence[dict[str, Any]], metric: str) -> dict[str, tuple[float, int]]:
    """question key -> (mean of the metric over its responses, number of responses), defined values only."""
    sums: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for r in records:
        value = r.get(metric)
        if value is not None:
            sums[r["question_key"]] += float(value)
            counts[r["question_key"]] += 1
    return {key: (sums[key] / counts[key], counts[key]) for key in counts}


def classical_test(metric: Metric, base: list[tuple[float, int]], other: list[tuple[float, int]]) -> tuple[str, float]:
    from scipy.stats import binomtest, wilcoxon

    singles = all(n == 1 for _, n in base) and all(n == 1 for _, n in other)
    if metric.binary and singles:
        worse = sum(1 for (a, _), (b, _) in zip(base, other, strict=True) if a > b)
        better = sum(1 for (a, _), (b, _) in zip(base, other, strict=True) if b > a)
        if worse + better == 0:
            return "mcnemar_exact", 1.0
        return "mcnemar_exact", float(binomtest(better, worse + better, 0.5).pvalue)
    differences = [b - a for (a, _), (b, _) in zip(base, other, strict=True)]
    nonzero = [abs(d) for d in differences if d != 0]
    if not nonzero:
        return "wilcoxon", 1.0
    exact = len(nonzero) == len(differences) and len(set(nonzero)) == len(nonzero) and len(nonzero) <= 50
    return "wilcoxon", float(wilcoxon(differences, method="exact" if exact else "asymptotic").pvalue)


def compare_runs(
    baseline: str,
    run: str,
    base_records: Sequence[dict[str, Any]],
    run_records: Sequence[dict[str, Any]],
    *,
    scope: str,
    resamples: int,
    seed: int,
    confidence: float,
) -> list[dict[str, Any]]:
    """One row per metric: means on the shared questions, the difference, its interval and p-values.

    One set of resamples of the questions both runs answered serves every metric (a metric undefined
    on a question leaves it out of that metric's mean)."""
    keys = sorted({r["question_key"] for r in base_records} & {r["question_key"] for r in run_records})
    weights = multiplicities(len(keys), resamples, rng_for(seed, "compare", baseline, run, scope))
    rows: list[dict[str, Any]] = []
    for metric in METRICS:
        base_q = per_question(base_records, metric.name)
        run_q = per_question(run_records, metric.name)
        mask = np.array([k in base_q and k in run_q for k in keys], dtype=np.float64)
        shared = [k for k in keys if k in base_q and k in run_q]
        row: dict[str, Any] = {"baseline": baseline, "run": run, "scope": scope, "metric": metric.name}
        row["questions"] = len(shared)
        if not shared:
            empty = dict.fromkeys(("baseline_mean", "run_mean", "delta", "ci", "p_bootstrap", "test", "p_test"))
            rows.append(row | empty)
            continue
        base = [base_q[k] for k in shared]
        other = [run_q[k] for k in shared]
        differences = np.array([run_q[k][0] - base_q[k][0] if m else 0.0 for k, m in zip(keys, mask, strict=True)])
        interval, p_boot = paired_bootstrap(differences, mask, weights, confidence)
        test, p_test = classical_test(metric, base, other)
        delta = float(differences.sum() / mask.sum())
        rows.append(
            row
            | {
                "baseline_mean": _round(sum(a for a, _ in base) / len(base)),
                "run_mean": _round(sum(b for b, _ in other) / len(other)),
                "delta": _round(delta),
                "ci": [_round(interval[0]), _round(interval[1])] if interval else None,
                "p_bootstrap": _round(p_boot) if p_boot is not None else None,
                "test": test,
                "p_test": _round_p(p_test),
            }
        )
    return rows


def _round(value: float) -> float:
    return round(float(value), 6)


def _round_p(value: float) -> float:
    """p-values keep 4 significant digits (tiny McNemar p-values stay distinguishable from 0)."""
    return float(f"{value:.4g}")


def compare_all(
    runs: dict[str, list[dict[str, Any]]], baseline: str, *, resamples: int, seed: int, confidence: float
) -> list[dict[str, Any]]:
    """Every other run against `baseline`, over all questions and per dataset both runs have."""
    settings = {"resamples": resamples, "seed": seed, "confidence": confidence}
    rows: list[dict[str, Any]] = []
    base = runs[baseline]
    for name, records in runs.items():
        if name == baseline:
            continue
        rows += compare_runs(baseline, name, base, records, scope="all", **settings)
        datasets = sorted({r["dataset"] for r in base} & {r["dataset"] for r in records})
        for dataset in datasets:
            rows += compare_runs(
                baseline,
                name,
                [r for r in base if r["dataset"] == dataset],
                [r for r in records if r["dataset"] == dataset],
                scope=f"dataset:{dataset}",
                **settings,
            )
    return rows
