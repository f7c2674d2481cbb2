"""bench.published_accuracy: the published figures file and the table built from a crpo-eval summary (on the
copied sample of MIRAGE's outputs, data/realgen_sample)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from bench.published_accuracy import PUBLISHED, by_source, table
from tests.live import DATA

SAMPLE = DATA / "realgen_sample" / "mirage__gpt-4-32k__cot.jsonl.gz"


def test_every_published_figure_names_its_setting_and_every_source_its_citation() -> None:
    published = json.loads(PUBLISHED.read_text(encoding="utf-8"))
    for source in published["sources"].values():
        assert source["citation"]
        assert source["figures"] or source["searched"]
        for figure in source["figures"]:
            assert set(figure) == {"model", "dataset", "published", "n"}
            assert 0 <= figure["published"] <= 100 and figure["n"] > 0


def test_the_sources_scorer_counts_a_missing_or_foreign_letter_as_its_fallback() -> None:
    rows = [
        {"dataset": "d", "answer": "A", "predicted": None},
        {"dataset": "d", "answer": "A", "predicted": "E"},
        {"dataset": "d", "answer": "B", "predicted": "B"},
        {"dataset": "d", "answer": "C", "predicted": "D"},
    ]
    result = by_source(rows, {"scorer_letters": "ABCD", "scorer_fallback": "A"})["d"]
    assert result == {"rows": 4, "letters": 0.25, "scorer_correct": 3, "flag": None}


def test_a_table_row_puts_crpo_evals_figure_next_to_the_published_one(tmp_path: Path) -> None:
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    medqa = [r for r in rows if r["dataset"] == "medqa"]
    summary = {
        "runs": {"gpt-4-32k": {"files": [str(SAMPLE)]}},
        "results": {
            "gpt-4-32k": {
                "datasets": {
                    "medqa": {
                        "responses": len(medqa),
                        "metrics": {
                            "accuracy": {"value": 0.8, "ci": [0.7, 0.9]},
                            "valid_answer": {"value": 1.0},
                            "strict_valid": {"value": 0.0},
                        },
                    }
                }
            }
        },
    }
    (tmp_path / "summary.json").write_text(json.dumps(summary))
    lines = table([tmp_path], json.loads(PUBLISHED.read_text(encoding="utf-8")))
    row = next(line for line in lines if "| MedQA-US |" in line)
    letters = sum(r["predicted"] == r["answer"] for r in medqa) / len(medqa)
    assert f"| {len(medqa):,} (1,273) | 80.0% [70.0%, 90.0%] |" in row
    assert f"| {100 * letters:.1f}% |" in row
    assert "| 83.97% (1,069 of 1,273) | -4.0 |" in row
    # the datasets the source publishes but the file lacks are listed, not dropped
    assert any("| MMLU-Med | 0 (1,089) | not in the file |" in line for line in lines)
