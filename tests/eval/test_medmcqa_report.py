"""crpo-eval on MedMCQA expert explanations wrapped as CRPO responses, in MedMCQA's own columns
(opa..opd, cop, subject_name): a `gold` run boxes the gold option everywhere, a `shifted` run (read from
parquet) boxes a wrong option on every third question. Per-subject numbers, McNemar's test, the
bootstrap intervals and the report's reproducibility are checked."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from scipy.stats import binomtest

from crpo_eval.generations import Generation, load_runs
from crpo_eval.pipeline import evaluate
from crpo_eval.scoring import Scored, score_with_progress
from schemas import ScoreResult
from tests.eval.helpers import LETTERS, check_png, mean, medmcqa_explained, medmcqa_generations, write_jsonl
from tests.live import LiveServer
from trainer_client import RewardClient

N = 150
WRONG_EVERY = 3


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    return medmcqa_explained(N)


@pytest.fixture(scope="module")
def files(rows: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("medmcqa")
    gold = write_jsonl(folder / "gold.jsonl", medmcqa_generations(rows, wrong_every=None))
    shifted = folder / "shifted.parquet"
    pq.write_table(pa.Table.from_pylist(medmcqa_generations(rows, wrong_every=WRONG_EVERY)), shifted)
    return {"gold": gold, "shifted": shifted}


class CachedScorer:
    """The real scoring through the live service, done once; later calls return the same results
    (the reproducibility tests rebuild the report from identical scores)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.scored: Scored | None = None
        self.calls = 0

    def __call__(self, generations: list[Generation]) -> Scored:
        self.calls += 1
        if self.scored is None:
            self.scored = score_with_progress(self.url, generations, batch_size=64, concurrency=2)
        assert len(self.scored.results) == len(generations)
        return self.scored


@pytest.fixture(scope="module")
def scorer(live_server: LiveServer) -> CachedScorer:
    return CachedScorer(live_server.url)


@pytest.fixture(scope="module")
def runs(files: dict[str, Path]) -> dict[str, list[Generation]]:
    return load_runs([], [f"gold={files['gold']}", f"shifted={files['shifted']}"])


@pytest.fixture(scope="module")
def report(runs: dict[str, list[Generation]], scorer: CachedScorer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("medmcqa-report")
    evaluate(runs, scorer, out, resamples=1000, seed=0)
    return out


@pytest.fixture(scope="module")
def summary(report: Path) -> dict[str, Any]:
    return json.loads((report / "summary.json").read_text())


@pytest.fixture(scope="module")
def direct(rows: list[dict[str, Any]], live_server: LiveServer) -> dict[str, list[ScoreResult]]:
    """Both runs scored straight through the client, built from the raw MedMCQA rows."""
    out = {}
    with RewardClient(live_server.url) as client:
        for name, generations in (
            ("gold", medmcqa_generations(rows, wrong_every=None)),
            ("shifted", medmcqa_generations(rows, wrong_every=WRONG_EVERY)),
        ):
            items = [
                {
                    "question": g["question"],
                    "options": dict(zip(LETTERS, (g["opa"], g["opb"], g["opc"], g["opd"]), strict=True)),
                    "answer": LETTERS[g["cop"] - 1],
                    "response": g["response"],
                }
                for g in generations
            ]
            out[name] = client.score(items, details=True)
    return out


def test_reads_medmcqa_columns_and_parquet(runs: dict[str, list[Generation]], rows: list[dict[str, Any]]) -> None:
    assert list(runs) == ["gold", "shifted"]
    for name in runs:
        assert len(runs[name]) == N
        first = runs[name][0]
        assert first.options == dict(
            zip(LETTERS, (rows[0]["opa"], rows[0]["opb"], rows[0]["opc"], rows[0]["opd"]), strict=True)
        )
        assert first.answer == LETTERS[rows[0]["cop"] - 1]
        assert first.subject == rows[0]["subject_name"] and first.dataset == "medmcqa"
    assert runs["shifted"][0].source.endswith("shifted.parquet[0]")
    assert [g.question_key for g in runs["gold"]] == [g.question_key for g in runs["shifted"]]


def test_per_subject_numbers_match_a_direct_computation(
    summary: dict[str, Any], direct: dict[str, list[ScoreResult]], rows: list[dict[str, Any]]
) -> None:
    for name, results in direct.items():
        by_subject: dict[str, list[ScoreResult]] = defaultdict(list)
        for row, result in zip(rows, results, strict=True):
            by_subject[row["subject_name"]].append(result)
        subjects = summary["results"][name]["subjects"]["medmcqa"]
        assert sorted(subjects) == sorted(by_subject)
        for subject, results_ in by_subject.items():
            stats = subjects[subject]
            assert stats["responses"] == len(results_)
            accuracy = mean(1.0 if r.details.accuracy.reason == "correct" else 0.0 for r in results_)
            assert stats["metrics"]["accuracy"]["value"] == pytest.approx(accuracy, abs=1e-6)
            assert stats["metrics"]["faithfulness"]["value"] == pytest.approx(
                mean(r.faithfulness for r in results_), abs=1e-6
            )
            assert stats["metrics"]["comprehensiveness"]["value"] == pytest.approx(
                mean(r.comprehensiveness for r in results_), abs=1e-6
            )
        overall = summary["results"][name]["all"]["metrics"]
        assert overall["accuracy"]["value"] == pytest.approx(
            mean(1.0 if r.details.accuracy.reason == "correct" else 0.0 for r in results), abs=1e-6
        )


def test_mcnemar_on_the_shifted_answers(summary: dict[str, Any], direct: dict[str, list[ScoreResult]]) -> None:
    gold_right = [r.details.accuracy.reason == "correct" for r in direct["gold"]]
    shifted_right = [r.details.accuracy.reason == "correct" for r in direct["shifted"]]
    worse = sum(a and not b for a, b in zip(gold_right, shifted_right, strict=True))
    better = sum(b and not a for a, b in zip(gold_right, shifted_right, strict=True))
    assert worse >= 45  # every third question boxes a wrong option
    row = next(
        c for c in summary["comparisons"] if (c["run"], c["metric"], c["scope"]) == ("shifted", "accuracy", "all")
    )
    assert row["test"] == "mcnemar_exact" and row["questions"] == N
    assert row["delta"] == pytest.approx((better - worse) / N, abs=1e-6)
    assert row["p_test"] == pytest.approx(binomtest(better, worse + better, 0.5).pvalue, rel=1e-3)
    assert row["ci"][1] < 0 and row["p_bootstrap"] < 0.01


def test_bootstrap_interval_agrees_with_a_plain_resampling(
    summary: dict[str, Any], direct: dict[str, list[ScoreResult]]
) -> None:
    """One response per question: the cluster bootstrap is the ordinary one; an index-resampling
    bootstrap written here (another generator) gives the same interval up to Monte-Carlo error."""
    values = np.array([1.0 if r.details.accuracy.reason == "correct" else 0.0 for r in direct["shifted"]])
    rng = np.random.default_rng(12345)
    means = values[rng.integers(0, len(values), size=(20000, len(values)))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    got = summary["results"]["shifted"]["all"]["metrics"]["accuracy"]["ci"]
    assert got[0] == pytest.approx(low, abs=0.03) and got[1] == pytest.approx(high, abs=0.03)


def test_report_is_reproducible_and_seeded(
    report: Path, runs: dict[str, list[Generation]], scorer: CachedScorer, tmp_path: Path
) -> None:
    again = evaluate(runs, scorer, tmp_path / "again", resamples=1000, seed=0)
    assert (tmp_path / "again" / "summary.json").read_bytes() == (report / "summary.json").read_bytes()
    assert (tmp_path / "again" / "report.md").read_bytes() == (report / "report.md").read_bytes()
    assert (tmp_path / "again" / "subjects.png").read_bytes() == (report / "subjects.png").read_bytes()
    other = evaluate(runs, scorer, tmp_path / "seed1", resamples=1000, seed=1, plots=False)
    first = json.loads((report / "summary.json").read_text())
    metric = lambda s: s["results"]["shifted"]["all"]["metrics"]["faithfulness"]  # noqa: E731
    assert metric(other)["value"] == metric(first)["value"]
    assert metric(other)["ci"] != metric(first)["ci"]
    assert other["figures"] == []
    assert again["figures"] == first["figures"]


def test_subject_figures(report: Path, summary: dict[str, Any]) -> None:
    assert "subjects.png" in summary["figures"]
    assert "datasets.png" not in summary["figures"]  # one dataset
    width, height = check_png(report / "subjects.png")
    assert height > width  # one row per subject: 20 subjects make a tall figure
    text = (report / "report.md").read_text()
    assert "## Per subject" in text and "Pediatrics" in text
