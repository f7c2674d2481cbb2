"""read -> score -> records -> summary -> report directory: what `crpo-eval` does, as a function."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from crpo_eval.generations import Generation
from crpo_eval.metrics import record
from crpo_eval.report import build_summary, markdown, write_csv, write_json, write_responses
from crpo_eval.scoring import Scored

ScoreFn = Callable[[Sequence[Generation]], Scored]


def evaluate(
    runs: dict[str, list[Generation]],
    score: ScoreFn,
    out: Path,
    *,
    files: dict[str, list[str]] | None = None,
    baseline: str | None = None,
    resamples: int = 2000,
    seed: int = 0,
    confidence: float = 0.95,
    plots: bool = True,
) -> dict[str, Any]:
    """Scores every run's generations with `score` (all runs in one pass) and writes the report to `out`:
    summary.json, report.md, metrics.csv, responses.jsonl and the PNG figures. Returns the summary."""
    baseline = baseline or next(iter(runs))
    if baseline not in runs:
        raise ValueError(f"--baseline {baseline!r} is not one of the runs: {', '.join(runs)}")
    flat = [g for generations in runs.values() for g in generations]
    scored = score(flat)
    records: dict[str, list[dict[str, Any]]] = {name: [] for name in runs}
    for generation, result in zip(flat, scored.results, strict=True):
        records[generation.run].append(record(generation, result))
    service = {
        "spec_version": scored.spec_version,
        "accuracy_mode": scored.accuracy_mode,
        "answer_extraction": scored.answer_extraction,
        "weights": scored.weights.model_dump(),
    }
    summary = build_summary(
        records,
        files or {},
        service=service,
        baseline=baseline,
        resamples=resamples,
        seed=seed,
        confidence=confidence,
    )
    out.mkdir(parents=True, exist_ok=True)
    figures: list[str] = []
    if plots:
        from crpo_eval.plots import write_all

        figures = [p.name for p in write_all(summary, records, out)]
    summary["figures"] = figures
    write_json(summary, out / "summary.json")
    write_responses(records, out / "responses.jsonl")
    write_csv(summary, out / "metrics.csv")
    (out / "report.md").write_text(markdown(summary, figures))
    return summary
