"""crpo-eval on the graded responses: the 8 variants of data/graded as 8 runs over the same 12 questions,
scored by the live service, run exactly as docs/eval.md's example (its Python snippet writes the files,
its command writes the report). The report's numbers are checked against a direct computation from the
service's own results, and its comparisons against the orderings data/graded/README.md expects."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from scipy.stats import binomtest

from schemas import ScoreResult
from tests.eval.helpers import (
    VARIANTS,
    check_png,
    doc_command,
    doc_python,
    graded_rows,
    mean,
    run_cli,
    write_jsonl,
)
from tests.live import DATA, LiveServer
from trainer_client import RewardClient

FIGURES = (
    "objectives.png",
    "distributions.png",
    "notions.png",
    "length_vs_score.png",
    "datasets.png",
    "paired_deltas.png",
    "monitors.png",
)


@pytest.fixture(scope="module")
def graded() -> dict[str, list[dict[str, Any]]]:
    return graded_rows()


@pytest.fixture(scope="module")
def report(live_server: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("graded")
    (folder / "data").symlink_to(DATA)  # the snippets run from the repository root
    done = subprocess.run([sys.executable, "-c", doc_python("graded_runs")], cwd=folder, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert sorted(p.stem for p in (folder / "graded_runs").iterdir()) == sorted(VARIANTS)
    done = run_cli(doc_command("--run ideal=", live_server.url), cwd=folder)
    assert done.returncode == 0, done.stderr
    assert "96 responses in 8 run(s)" in done.stderr
    return folder / "eval-report"


@pytest.fixture(scope="module")
def summary(report: Path) -> dict[str, Any]:
    return json.loads((report / "summary.json").read_text())


@pytest.fixture(scope="module")
def direct(graded: dict[str, list[dict[str, Any]]], live_server: LiveServer) -> dict[str, list[ScoreResult]]:
    """The same items scored straight through the client, per variant."""
    with RewardClient(live_server.url) as client:
        return {
            variant: client.score(
                [{k: r[k] for k in ("question", "options", "answer", "response")} for r in rows], details=True
            )
            for variant, rows in graded.items()
        }


def direct_values(result: ScoreResult) -> dict[str, float | None]:
    """Each metric of one response, computed here from the service's details (not crpo-eval's code)."""
    details = result.details
    assert details is not None and details.faithfulness is not None and details.comprehensiveness is not None
    faith, comp = details.faithfulness, details.comprehensiveness
    reason = details.accuracy.reason if details.accuracy else None
    behaviours = {name: bool(comp.behaviours.get(name)) for name in comp.behaviours}
    return {
        "accuracy": 1.0 if reason == "correct" else 0.0,
        "valid_answer": 1.0 if reason in ("correct", "wrong") else 0.0,
        "faithfulness": result.faithfulness,
        "comprehensiveness": result.comprehensiveness,
        "format": result.format,
        "total": result.total,
        "evidence_citations": float(len(set(faith.cited_key_facts))),
        "hallucination": float(any(c.status != "supported" for c in faith.claims)),
        "hallucinated_claims": float(sum(c.status != "supported" for c in faith.claims)),
        "drc": comp.drc,
        "consistent": float(faith.consistency.consistent),
        "subgoals": float(behaviours["differential"]),
        "verification": float(behaviours["verification"]),
        "backward_chaining": float(behaviours["backward_chaining"]),
        "backtracking": float(behaviours["backtracking"]),
        "behaviours": float(sum(behaviours.values())),
    }


def test_report_directory_has_every_file_and_valid_pngs(report: Path, summary: dict[str, Any]) -> None:
    for name in ("summary.json", "report.md", "metrics.csv", "responses.jsonl", *FIGURES):
        assert (report / name).is_file(), name
    assert summary["figures"] == list(FIGURES)
    for name in FIGURES:
        check_png(report / name)
    assert "subjects.png" not in summary["figures"]  # the graded rows carry no subject
    text = (report / "report.md").read_text()
    for name in FIGURES:
        assert f"]({name})" in text
    assert "## Paired comparison against `ideal`" in text


def test_summary_matches_a_direct_computation(
    summary: dict[str, Any], direct: dict[str, list[ScoreResult]], graded: dict[str, list[dict[str, Any]]]
) -> None:
    assert list(summary["runs"]) == list(VARIANTS)
    for variant, results in direct.items():
        values = [direct_values(r) for r in results]
        stats = summary["results"][variant]["all"]
        assert stats["responses"] == 12 and stats["questions"] == 12
        for metric in values[0]:
            expected = mean(v[metric] for v in values)
            got = stats["metrics"][metric]
            assert got["value"] == pytest.approx(expected, abs=1e-6), (variant, metric)
            assert got["n"] == 12
            low, high = got["ci"]
            assert low - 1e-9 <= got["value"] <= high + 1e-9, (variant, metric)
        # per dataset: 10 MedQA and 2 MedMCQA questions
        for dataset in ("medqa_dev", "medmcqa_dev"):
            picked = [v for v, row in zip(values, graded[variant], strict=True) if row["dataset"] == dataset]
            scoped = summary["results"][variant]["datasets"][dataset]
            assert scoped["responses"] == len(picked) == (10 if dataset == "medqa_dev" else 2)
            for metric in ("accuracy", "faithfulness", "comprehensiveness", "hallucination"):
                assert scoped["metrics"][metric]["value"] == pytest.approx(mean(v[metric] for v in picked), abs=1e-6)


def test_outcomes_and_responses_file(
    report: Path, summary: dict[str, Any], direct: dict[str, list[ScoreResult]]
) -> None:
    records = [json.loads(line) for line in (report / "responses.jsonl").read_text().splitlines()]
    assert len(records) == 96
    for variant, results in direct.items():
        reasons = [r.details.accuracy.reason for r in results]
        outcomes = summary["results"][variant]["all"]["outcomes"]
        assert outcomes["correct"] == reasons.count("correct")
        assert outcomes["wrong"] == reasons.count("wrong")
        mine = [r for r in records if r["run"] == variant]
        assert [r["total"] for r in mine] == [r.total for r in results]  # input order kept


def comparison(summary: dict[str, Any], run: str, metric: str, scope: str = "all") -> dict[str, Any]:
    rows = [c for c in summary["comparisons"] if (c["run"], c["metric"], c["scope"]) == (run, metric, scope)]
    assert len(rows) == 1
    return rows[0]


def test_paired_comparisons_reflect_the_expected_orderings(summary: dict[str, Any]) -> None:
    assert summary["settings"]["baseline"] == "ideal"
    # accuracy: McNemar's exact test on 12 discordant pairs (ideal right, wrong_but_careful wrong)
    row = comparison(summary, "wrong_but_careful", "accuracy")
    assert row["test"] == "mcnemar_exact" and row["questions"] == 12
    assert row["delta"] == -1.0
    assert row["p_test"] == pytest.approx(binomtest(0, 12, 0.5).pvalue, rel=1e-3)
    assert row["p_bootstrap"] < 0.01
    # same accuracy: no discordant pair, p = 1
    assert comparison(summary, "terse", "accuracy")["p_test"] == 1.0
    # README expectations: comp(ideal) > comp(terse), > single_option, > copy_stuffing; faith(ideal) > hallucinated
    for run, metric in (
        ("terse", "comprehensiveness"),
        ("single_option", "comprehensiveness"),
        ("copy_stuffing", "comprehensiveness"),
        ("hallucinated", "faithfulness"),
        ("inconsistent", "faithfulness"),
    ):
        row = comparison(summary, run, metric)
        assert row["test"] == "wilcoxon"
        assert row["delta"] < -0.05 and row["ci"][1] < 0, (run, metric, row)
        assert row["p_test"] < 0.05 and row["p_bootstrap"] < 0.05, (run, metric, row)
    # a run against itself would give zero; ideal_r1 is the same quality: no significant accuracy difference
    assert comparison(summary, "ideal_r1", "accuracy")["delta"] == 0.0
    # hallucinated responses hallucinate more often than ideal ones
    assert comparison(summary, "hallucinated", "hallucination")["delta"] > 0
    # per-dataset comparisons exist for both datasets
    assert comparison(summary, "terse", "comprehensiveness", "dataset:medqa_dev")["questions"] == 10
    assert comparison(summary, "terse", "comprehensiveness", "dataset:medmcqa_dev")["questions"] == 2


def test_metrics_csv_is_the_summary_in_long_format(report: Path, summary: dict[str, Any]) -> None:
    import csv

    with (report / "metrics.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    ideal = {r["metric"]: r for r in rows if r["run"] == "ideal" and r["dataset"] == "all"}
    assert (
        float(ideal["faithfulness"]["value"]) == summary["results"]["ideal"]["all"]["metrics"]["faithfulness"]["value"]
    )
    per_run = 3 * len(summary["metrics"])  # all + 2 datasets
    assert len(rows) == len(VARIANTS) * per_run


def test_the_documented_three_run_comparison(
    graded: dict[str, list[dict[str, Any]]], live_server: LiveServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/eval.md's first command (base/grpo/crpo, each from a MedQA and a MedMCQA file), in-process."""
    from typer.testing import CliRunner

    from crpo_eval.cli import app

    stand_ins = {"base": "terse", "grpo": "single_option", "crpo": "ideal"}
    for run, variant in stand_ins.items():
        for dataset, name in (("medqa_dev", "medqa"), ("medmcqa_dev", "medmcqa")):
            rows = [r for r in graded[variant] if r["dataset"] == dataset]
            write_jsonl(tmp_path / f"{run}_{name}.jsonl", rows)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, doc_command("--run grpo=", live_server.url))
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "report" / "summary.json").read_text())
    assert list(summary["runs"]) == ["base", "grpo", "crpo"] and summary["settings"]["baseline"] == "base"
    assert summary["runs"]["crpo"]["files"] == ["crpo_medqa.jsonl", "crpo_medmcqa.jsonl"]
    assert all(info["responses"] == 12 for info in summary["runs"].values())
    row = comparison(summary, "crpo", "comprehensiveness")
    assert row["baseline"] == "base" and row["delta"] > 0 and row["p_test"] < 0.05
