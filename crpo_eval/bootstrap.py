"""Seeded cluster bootstrap: confidence intervals that resample questions, not responses.

Several responses to one question (verl's n rollouts, or pass@k sampling) are not independent, so a
resample draws questions with replacement and keeps all of each drawn question's responses. A
resample is a vector of multiplicities (how often each question was drawn, a multinomial draw), so the
statistic of every metric is one matrix product: Σ_q w_q · sum_q / Σ_q w_q · count_q. The interval is
the percentile interval of the resampled statistics.

Determinism: each interval's generator is seeded from (seed, the names of the run, scope and
comparison), never from call order, so a report is identical whatever is computed before it.
"""

from __future__ import annotations

import zlib

import numpy as np

#: resamples are drawn in blocks of this many (memory stays at BLOCK x questions); a constant, so the
#: draws never depend on the machine
BLOCK = 500


def rng_for(seed: int, *names: str) -> np.random.Generator:
    """A generator seeded from `seed` and stable hashes of `names`."""
    return np.random.default_rng(np.random.SeedSequence([seed, *(zlib.crc32(n.encode()) for n in names)]))


def multiplicities(n_clusters: int, resamples: int, rng: np.random.Generator) -> np.ndarray:
    """(resamples, n_clusters) counts: how often each cluster is drawn in each resample."""
    if n_clusters == 0:
        return np.zeros((resamples, 0))
    uniform = np.full(n_clusters, 1.0 / n_clusters)
    blocks = [
        rng.multinomial(n_clusters, uniform, size=min(BLOCK, resamples - start)) for start in range(0, resamples, BLOCK)
    ]
    return np.concatenate(blocks).astype(np.float64)


def percentile_interval(samples: np.ndarray, confidence: float) -> tuple[float, float] | None:
    finite = samples[np.isfinite(samples)]
    if finite.size == 0:
        return None
    tail = (1.0 - confidence) / 2.0 * 100.0
    low, high = np.percentile(finite, [tail, 100.0 - tail])
    return float(low), float(high)


def ratio_intervals(
    sums: np.ndarray, counts: np.ndarray, weights: np.ndarray, confidence: float
) -> list[tuple[float, float] | None]:
    """Per column (metric) of `sums`/`counts` (questions x metrics): the interval of Σw·sum / Σw·count."""
    numerators = weights @ sums
    denominators = weights @ counts
    with np.errstate(invalid="ignore", divide="ignore"):
        stats = numerators / denominators
    return [percentile_interval(stats[:, j], confidence) for j in range(sums.shape[1])]


def paired_bootstrap(
    differences: np.ndarray, defined: np.ndarray, weights: np.ndarray, confidence: float
) -> tuple[tuple[float, float] | None, float | None]:
    """Interval of the mean per-question difference and its two-sided p-value.

    `differences` and `defined` (1 where the question counts, 0 elsewhere) are per question;
    `weights` are the resamples' multiplicities of those questions. The resampled mean difference is
    Σ w·d / Σ w·defined. p = (1 + #{|Δ* − Δ| ≥ |Δ|}) / (B + 1): how often a resampled difference,
    centred on the observed one (the null distribution's shape), lands at least as far from zero as
    the observed one.
    """
    if defined.sum() == 0:
        return None, None
    observed = float(differences.sum() / defined.sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        resampled = (weights @ differences) / (weights @ defined)
    interval = percentile_interval(resampled, confidence)
    finite = resampled[np.isfinite(resampled)]
    extreme = int(np.sum(np.abs(finite - observed) >= abs(observed) - 1e-12))
    return interval, (1 + extreme) / (finite.size + 1)
