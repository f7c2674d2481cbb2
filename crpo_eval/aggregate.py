"""Metrics of one run over a scope (all responses, one dataset, one subject) with bootstrap intervals.

A metric's value is the mean over the responses where it is defined (each response counts once; with
one response per question this is the mean over questions). Its interval is the cluster-bootstrap
interval over questions (see `bootstrap`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from crpo_eval.bootstrap import multiplicities, ratio_intervals, rng_for
from crpo_eval.metrics import METRICS

OUTCOMES = ("correct", "wrong", "unresolved", "ambiguous", "no_box", "no_answer", "conflicting_boxes")


def question_table(records: Sequence[dict[str, Any]]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(question keys in sorted order, sums, counts): per question and metric, the sum of the defined
    values and how many there are."""
    keys = sorted({r["question_key"] for r in records})
    index = {key: i for i, key in enumerate(keys)}
    sums = np.zeros((len(keys), len(METRICS)))
    counts = np.zeros((len(keys), len(METRICS)))
    for r in records:
        i = index[r["question_key"]]
        for j, metric in enumerate(METRICS):
            value = r.get(metric.name)
            if value is not None:
                sums[i, j] += float(value)
                counts[i, j] += 1.0
    return keys, sums, counts


def summarise(
    records: Sequence[dict[str, Any]], *, names: Sequence[str], resamples: int, seed: int, confidence: float
) -> dict[str, Any]:
    """The scope's size, accuracy outcomes, and every metric's value, n and interval.

    `names` (run, scope, ...) seed this scope's resamples."""
    keys, sums, counts = question_table(records)
    weights = multiplicities(len(keys), resamples, rng_for(seed, *names))
    intervals = ratio_intervals(sums, counts, weights, confidence)
    totals, ns = sums.sum(axis=0), counts.sum(axis=0)
    metrics: dict[str, Any] = {}
    for j, metric in enumerate(METRICS):
        n = int(ns[j])
        interval = intervals[j] if n else None
        metrics[metric.name] = {
            "value": _round(totals[j] / n) if n else None,
            "ci": [_round(interval[0]), _round(interval[1])] if interval else None,
            "n": n,
        }
    outcomes = Counter(r["outcome"] for r in records if r["outcome"] is not None)
    return {
        "responses": len(records),
        "questions": len(keys),
        "outcomes": {name: outcomes.get(name, 0) for name in OUTCOMES},
        "metrics": metrics,
    }


def _round(value: float) -> float:
    return round(float(value), 6)


def summarise_run(
    run: str, records: Sequence[dict[str, Any]], *, resamples: int, seed: int, confidence: float
) -> dict[str, Any]:
    """`all`, per dataset and per (dataset, subject) summaries of one run, in sorted order."""
    settings = {"resamples": resamples, "seed": seed, "confidence": confidence}
    datasets = sorted({r["dataset"] for r in records})
    by_subject: dict[str, dict[str, Any]] = {}
    for dataset in datasets:
        rows = [r for r in records if r["dataset"] == dataset and r["subject"] is not None]
        subjects = sorted({r["subject"] for r in rows})
        if subjects:
            by_subject[dataset] = {
                s: summarise([r for r in rows if r["subject"] == s], names=(run, "subject", dataset, s), **settings)
                for s in subjects
            }
    return {
        "all": summarise(records, names=(run, "all"), **settings),
        "datasets": {
            d: summarise([r for r in records if r["dataset"] == d], names=(run, "dataset", d), **settings)
            for d in datasets
        },
        "subjects": by_subject,
    }
