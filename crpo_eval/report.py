"""The report directory: summary.json, responses.jsonl, metrics.csv, report.md and the figures."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from crpo_eval.aggregate import OUTCOMES, summarise_run
from crpo_eval.compare import compare_all
from crpo_eval.metrics import METRIC_BY_NAME, METRICS
from crpo_eval.monitors import all_monitors

OBJECTIVE_COLUMNS = ("accuracy", "valid_answer", "strict_valid", "faithfulness", "comprehensiveness", "format", "total")
NOTION_COLUMNS = (
    "evidence_citations",
    "drc",
    "distractors_rejected",
    "hallucination",
    "hallucinated_claims",
    "consistent",
    "subgoals",
    "verification",
    "backward_chaining",
    "backtracking",
)
COMPARED_IN_REPORT = (
    "accuracy",
    "valid_answer",
    "faithfulness",
    "comprehensiveness",
    "format",
    "total",
    "evidence_citations",
    "drc",
    "hallucination",
)


def build_summary(
    records: dict[str, list[dict[str, Any]]],
    files: dict[str, list[str]],
    *,
    service: dict[str, Any],
    baseline: str,
    resamples: int,
    seed: int,
    confidence: float,
) -> dict[str, Any]:
    """Everything the report states, as one JSON-able dict (runs in the order given; groups sorted)."""
    settings = {"resamples": resamples, "seed": seed, "confidence": confidence}
    return {
        "tool": "crpo-eval",
        "service": service,
        "settings": {"baseline": baseline, "bootstrap_resamples": resamples, "seed": seed, "confidence": confidence},
        "metrics": {m.name: {"label": m.label, "kind": m.kind, "description": m.description} for m in METRICS},
        "runs": {
            run: {
                "files": files.get(run, []),
                "responses": len(rows),
                "questions": len({r["question_key"] for r in rows}),
                "datasets": sorted({r["dataset"] for r in rows}),
            }
            for run, rows in records.items()
        },
        "results": {run: summarise_run(run, rows, **settings) for run, rows in records.items()},
        "comparisons": compare_all(records, baseline, **settings) if len(records) > 1 else [],
        "monitors": all_monitors(records, service["weights"]),
    }


def write_json(summary: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")


def write_responses(records: dict[str, list[dict[str, Any]]], path: Path) -> None:
    with path.open("w") as handle:
        for rows in records.values():
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_csv(summary: dict[str, Any], path: Path) -> None:
    """Long format: one line per run, scope, metric."""
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["run", "dataset", "subject", "metric", "value", "ci_low", "ci_high", "n", "questions"])
        for run, results in summary["results"].items():
            scopes = [("all", None, results["all"])]
            scopes += [(d, None, s) for d, s in results["datasets"].items()]
            scopes += [(d, subj, s) for d, subjects in results["subjects"].items() for subj, s in subjects.items()]
            for dataset, subject, stats in scopes:
                for metric, entry in stats["metrics"].items():
                    ci = entry["ci"] or [None, None]
                    writer.writerow(
                        [
                            run,
                            dataset,
                            subject or "",
                            metric,
                            entry["value"],
                            ci[0],
                            ci[1],
                            entry["n"],
                            stats["questions"],
                        ]
                    )


def fmt(entry: dict[str, Any] | None, metric: str) -> str:
    """`0.833 [0.583, 1.000]`; counts with 2 decimals, words with none; `–` when undefined."""
    if entry is None or entry["value"] is None:
        return "–"
    digits = 0 if metric == "words" else 2 if METRIC_BY_NAME[metric].kind == "count" else 3
    value = f"{entry['value']:.{digits}f}"
    if entry["ci"] is None:
        return value
    low, high = entry["ci"]
    return f"{value} [{low:.{digits}f}, {high:.{digits}f}]"


def _p(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.2g}" if value < 0.001 else f"{value:.3f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], left: int = 1) -> list[str]:
    """A Markdown table; the first `left` columns are text (left-aligned), the others numbers."""
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(" --- " if i < left else " ---: " for i in range(len(header))) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _metric_table(summary: dict[str, Any], scope: Any, columns: Sequence[str]) -> list[str]:
    header = ["run", "n", *[METRIC_BY_NAME[m].label for m in columns]]
    rows = []
    for run, results in summary["results"].items():
        stats = scope(results)
        if stats is None:
            continue
        rows.append([run, str(stats["responses"]), *[fmt(stats["metrics"][m], m) for m in columns]])
    return _table(header, rows)


def markdown(summary: dict[str, Any], figures: Sequence[str]) -> str:
    """report.md: tables of every run side by side, the paired comparisons, and the figures."""
    s = summary["settings"]
    service = summary["service"]
    weights = ", ".join(f"{k} {v:g}" for k, v in service["weights"].items())
    level = f"{s['confidence']:.0%}"
    out = [
        "# crpo-eval report",
        "",
        f"Scored by the CRPO reward service ({service['spec_version']}, accuracy mode {service['accuracy_mode']}, "
        f"answer extraction {service.get('answer_extraction', 'strict')}, "
        f"weights: {weights}). Values are means over responses; brackets hold the {level} cluster-bootstrap "
        f"interval over questions ({s['bootstrap_resamples']} resamples, seed {s['seed']}).",
        "",
        "## Runs",
        "",
    ]
    out += _table(
        ["run", "datasets", "files", "responses", "questions"],
        [
            [
                run,
                ", ".join(info["datasets"]),
                ", ".join(f"`{f}`" for f in info["files"]),
                str(info["responses"]),
                str(info["questions"]),
            ]
            for run, info in summary["runs"].items()
        ],
        left=3,
    )
    out += ["", "## Objectives", ""]
    out += _metric_table(summary, lambda r: r["all"], OBJECTIVE_COLUMNS)
    out += [
        "",
        "Accuracy is the share of responses whose boxed answer is the gold option; a *valid answer* boxes exactly one existing option. Outcomes:",
        "",
    ]
    out += _table(
        ["run", *OUTCOMES],
        [[run, *(str(r["all"]["outcomes"][o]) for o in OUTCOMES)] for run, r in summary["results"].items()],
    )
    out += _figure("objectives.png", "Objectives per run", figures)
    out += _figure("distributions.png", "Distribution of each objective per run", figures)
    out += ["", "## Clinical reasoning notions", ""]
    out += _metric_table(summary, lambda r: r["all"], NOTION_COLUMNS)
    out += [
        "",
        "Rule-based counts from the service's details: *evidence citations* = distinct key case facts cited correctly per "
        "response; *distractor rejection coverage* = share of options weighed with a reason; *distractors rejected* = "
        "share of the wrong options explicitly rejected; *hallucination rate* = share of responses with at least one "
        "contradicted or unsupported claim about the case; behaviours = share of responses that show them.",
    ]
    out += _figure("notions.png", "Clinical reasoning notions per run", figures)
    datasets = sorted({d for r in summary["results"].values() for d in r["datasets"]})
    if len(datasets) > 1:
        out += ["", "## Per dataset", ""]
        for dataset in datasets:
            out += [f"### {dataset}", ""]
            out += _metric_table(summary, lambda r, d=dataset: r["datasets"].get(d), OBJECTIVE_COLUMNS)
            out += [""]
        out += _figure("datasets.png", "Per dataset", figures)
    out += _subjects(summary, figures)
    out += _comparisons(summary, figures)
    out += _figure("length_vs_score.png", "Response length vs score", figures, heading="## Response length vs score")
    out += _monitors(summary, figures)
    out += [
        "",
        "Files: `summary.json` (every number above, per run, dataset and subject), `metrics.csv` (the same, long format), `responses.jsonl` (one scored record per response).",
        "",
    ]
    return "\n".join(out)


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _monitors(summary: dict[str, Any], figures: Sequence[str]) -> list[str]:
    """The reward-hacking monitors of every run (checkpoints, in the order given)."""
    monitors = summary.get("monitors") or {}
    if not monitors:
        return []
    objectives = sorted({k for m in monitors.values() for k in m["decided_by_share"]})
    header = ["run", "chars", "vacuous verdicts", "all accepted", "copied", "repeated", "groups"]
    header += [f"decided by {k}" for k in objectives]
    rows = []
    for run, m in monitors.items():
        chars = m["response_chars_mean"]
        rows.append(
            [
                run,
                "—" if chars is None else f"{chars:.0f}",
                _share(m["vacuous_verdict_share"]),
                _share(m["all_options_accepted_share"]),
                _share(m["copied_share_mean"]),
                _share(m["repeated_share_mean"]),
                str(m["groups"]),
                *(_share(m["decided_by_share"].get(k)) for k in objectives),
            ]
        )
    out = ["", "## Reward-hacking monitors", ""]
    out += _table(header, rows)
    out += [
        "",
        "Per run: mean response length (characters); the share of option verdicts without a specific reason; of "
        "responses that accept every option; of characters copied from the question and repeated; and, grouping "
        "the responses to one question as a GRPO group, the share of groups (with spread) whose advantage one "
        "objective alone decides. Rising vacuous verdicts and comprehensiveness deciding the groups are the signs "
        "of a drift into a verdict template.",
    ]
    out += _figure("monitors.png", "Reward-hacking monitors per run", figures)
    return out


def _figure(name: str, alt: str, figures: Sequence[str], heading: str | None = None) -> list[str]:
    if name not in figures:
        return []
    return (["", heading] if heading else []) + ["", f"![{alt}]({name})"]


def _subjects(summary: dict[str, Any], figures: Sequence[str]) -> list[str]:
    keys = sorted(
        {(d, s) for r in summary["results"].values() for d, subjects in r["subjects"].items() for s in subjects}
    )
    if not keys:
        return []
    runs = list(summary["results"])
    several = len({d for d, _ in keys}) > 1
    out = ["", "## Per subject", ""]
    for metric in ("accuracy", "faithfulness"):
        out += [f"**{METRIC_BY_NAME[metric].label}**", ""]
        rows = []
        for dataset, subject in keys:
            label = f"{dataset} / {subject}" if several else subject
            cells, n = [], []
            for run in runs:
                stats = summary["results"][run]["subjects"].get(dataset, {}).get(subject)
                cells.append(fmt(stats["metrics"][metric] if stats else None, metric))
                n.append(str(stats["responses"]) if stats else "0")
            rows.append([label, "/".join(n), *cells])
        out += _table(["subject", "n", *runs], rows)
        out += [""]
    out += _figure("subjects.png", "Per subject accuracy and faithfulness", figures)
    return out


def _comparisons(summary: dict[str, Any], figures: Sequence[str]) -> list[str]:
    rows = [c for c in summary["comparisons"] if c["scope"] == "all" and c["metric"] in COMPARED_IN_REPORT]
    if not rows:
        return []
    baseline = summary["settings"]["baseline"]
    level = f"{summary['settings']['confidence']:.0%}"
    out = [
        "",
        f"## Paired comparison against `{baseline}`",
        "",
        f"On the questions both runs answered; Δ = run − {baseline} (per-question means), with the {level} paired-bootstrap "
        "interval and p-value, and McNemar's exact test (binary metrics, one response per question) or the Wilcoxon "
        "signed-rank test. p-values are not corrected for multiple comparisons; per-dataset comparisons are in "
        "`summary.json`.",
        "",
    ]
    table_rows = []
    for c in rows:
        metric = c["metric"]
        digits = 2 if METRIC_BY_NAME[metric].kind == "count" else 3
        delta = "–" if c["delta"] is None else f"{c['delta']:+.{digits}f}"
        if c["ci"] is not None:
            delta += f" [{c['ci'][0]:+.{digits}f}, {c['ci'][1]:+.{digits}f}]"
        table_rows.append(
            [
                c["run"],
                METRIC_BY_NAME[metric].label,
                str(c["questions"]),
                "–" if c["baseline_mean"] is None else f"{c['baseline_mean']:.{digits}f}",
                "–" if c["run_mean"] is None else f"{c['run_mean']:.{digits}f}",
                delta,
                _p(c["p_bootstrap"]),
                f"{_p(c['p_test'])} ({c['test'].replace('_exact', '')})" if c["test"] else "–",
            ]
        )
    out += _table(
        ["run", "metric", "questions", baseline, "run", f"Δ [{level} CI]", "p (bootstrap)", "p (test)"],
        table_rows,
        left=2,
    )
    out += _figure("paired_deltas.png", f"Paired differences against {baseline}", figures)
    return out
