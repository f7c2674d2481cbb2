"""crpo-eval's accuracy per model and dataset next to the figure the source publishes (prints a markdown table).

    python -m bench.published_accuracy REPORT_DIR [REPORT_DIR ...] [--published data/published_accuracy.json]

Each REPORT_DIR is the `--out` of a crpo-eval run over files of ../shared/data/realgen (docs/eval.md shows
the commands). Per run and dataset the table gives crpo-eval's accuracy with its interval, the valid and
strict-format-valid rates, the accuracy by the source's own letters (`predicted`) and correctness flags on
the same rows, and the published figure with the number of questions the source scored
(`data/published_accuracy.json`, figures read in text, with their citation). The files often hold fewer
questions than the source scored (a repository that lacks some predictions), so the responses column
shows both counts.
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.answer_agreement import FLAG_FIELDS, flag

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "data" / "published_accuracy.json"
#: the files' dataset names -> the names each source publishes under
DATASET_LABEL = {
    "mirage": {
        "medqa": "MedQA-US",
        "medmcqa": "MedMCQA",
        "mmlu-med": "MMLU-Med",
        "pubmedqa": "PubMedQA*",
        "bioasq": "BioASQ-Y/N",
    },
    "lievin2022": {"medqa": "MedQA-USMLE (dev)", "medmcqa": "MedMCQA (dev)", "pubmedqa": "PubMedQA"},
}


def label(source: str, dataset: str) -> str:
    return DATASET_LABEL.get(source, {}).get(dataset, dataset)


def rows_of(files: list[str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for name in files:
        with gzip.open(name, "rt", encoding="utf-8") as handle:
            rows.extend(json.loads(line) for line in handle if line.strip())
    return rows


def source_name(files: list[str]) -> str:
    return Path(files[0]).name.split("__")[0]


def by_source(rows: list[dict[str, Any]], scorer: dict[str, Any]) -> dict[str, dict[str, float | int | None]]:
    """Per dataset: accuracy by the source's letters, by its scorer (MIRAGE: a letter outside `scorer_letters`,
    or none, counts as `scorer_fallback`) and by its correctness flag."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row.get("dataset") or "default"].append(row)
    out: dict[str, dict[str, float | int | None]] = {}
    for dataset, group in groups.items():
        flags = [flag(next((r[f] for f in FLAG_FIELDS if f in r), None)) for r in group]
        known = [f for f in flags if f is not None]
        letters, fallback = set(scorer.get("scorer_letters") or ""), scorer.get("scorer_fallback")
        scored = None
        if fallback is not None:
            scored = sum(
                (r.get("predicted") if r.get("predicted") in letters else fallback) == r["answer"] for r in group
            )
        out[dataset] = {
            "rows": len(group),
            "letters": sum(r.get("predicted") == r["answer"] for r in group) / len(group),
            "scorer_correct": scored,
            "flag": sum(known) / len(known) if known else None,
        }
    return out


def pct(value: float | int | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def table(reports: list[Path], published: dict[str, Any]) -> list[str]:
    lines = [
        "| source | model | dataset | responses (source's n) | crpo-eval accuracy [95% CI] | valid answer"
        " | strict-format valid | by the source's letters | by the source's scorer (correct) | by the source's flag"
        " | published (correct of n) | crpo-eval − published |",
        "| --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for report in reports:
        summary = json.loads((report / "summary.json").read_text(encoding="utf-8"))
        for run, info in summary["runs"].items():
            source = source_name(info["files"])
            rows = [r for r in rows_of(info["files"]) if r.get("model", run) == run] or rows_of(info["files"])
            about = published["sources"].get(source, {})
            theirs = by_source(rows, about)
            figures = {(f["model"], f["dataset"]): f for f in about.get("figures", [])}
            for dataset, result in sorted(summary["results"][run]["datasets"].items()):
                metrics = result["metrics"]
                accuracy = metrics["accuracy"]
                figure = figures.get((run, dataset))
                n = f"{result['responses']:,}"
                if figure is not None:
                    n += f" ({figure['n']:,})"
                shown = about.get("no_figure", "not found in text")
                if figure:
                    shown = f"{figure['published']:.2f}% ({round(figure['published'] * figure['n'] / 100):,} of {figure['n']:,})"
                ours = theirs[dataset]
                by_scorer = "–"
                if ours["scorer_correct"] is not None:
                    by_scorer = f"{pct(ours['scorer_correct'] / ours['rows'])} ({ours['scorer_correct']:,})"
                delta = f"{100 * accuracy['value'] - figure['published']:+.1f}" if figure else "–"
                lines.append(
                    f"| {source} | {run} | {label(source, dataset)} | {n}"
                    f" | {pct(accuracy['value'])} [{pct(accuracy['ci'][0])}, {pct(accuracy['ci'][1])}]"
                    f" | {pct(metrics['valid_answer']['value'])} | {pct(metrics['strict_valid']['value'])}"
                    f" | {pct(ours['letters'])} | {by_scorer} | {pct(ours['flag'])} | {shown} | {delta} |"
                )
            for (model, dataset), figure in sorted(figures.items()):
                if model == run and dataset not in summary["results"][run]["datasets"]:
                    lines.append(
                        f"| {source} | {run} | {label(source, dataset)} | 0 ({figure['n']:,})"
                        f" | not in the file | – | – | – | – | – | {figure['published']:.2f}% | – |"
                    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("reports", nargs="+", type=Path, help="crpo-eval --out directories")
    parser.add_argument("--published", type=Path, default=PUBLISHED)
    args = parser.parse_args()
    published = json.loads(args.published.read_text(encoding="utf-8"))
    print("\n".join(table(args.reports, published)))


if __name__ == "__main__":
    main()
