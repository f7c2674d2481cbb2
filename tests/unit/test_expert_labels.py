"""The expert-style label set (data/expert_labels) and the agreement computation of bench/bench_agreement.py."""

from __future__ import annotations

import importlib.util
import json
import math
from collections import Counter
from pathlib import Path

import pytest

from bench.bench_agreement import (
    LABELS_PATH,
    LabelledResponse,
    load_labels,
    matches,
    misstatement_recall,
    option_agreement,
    option_pairs,
    pairwise_agreement,
    score,
    scorer_option_status,
    wrap,
)
from schemas import ScoreResult
from schemas.details import Claim

LABEL_DIR = LABELS_PATH.parent


@pytest.fixture(scope="module")
def rows() -> list[LabelledResponse]:
    return load_labels()


def test_label_file_schema_and_design(rows: list[LabelledResponse]) -> None:
    real = [r for r in rows if not r.perturbed]
    assert len(real) >= 40
    assert len({r.id for r in rows}) == len(rows)
    groups = Counter(r.group for r in real)
    assert all(n >= 2 for n in groups.values()), "every question is answered by several models (pairs exist)"
    assert {r.dataset for r in real} >= {"medqa", "medmcqa", "mmlu-med", "pubmedqa"}
    labels = Counter(o.label for r in real for o in r.option_labels.values())
    assert set(labels) == {"specific", "vacuous", "mentioned", "absent"}
    for r in rows:
        assert r.source_file.endswith(".jsonl.gz") and r.row_index >= 0
        if r.perturbed:
            assert r.derived_from in {x.id for x in real} and r.misstatements, r.id


def test_label_file_is_built_from_the_hand_labels() -> None:
    """labels.jsonl is exactly what build_labels.py makes of sample.jsonl + hand_labels.yaml."""
    spec = importlib.util.spec_from_file_location("build_labels", LABEL_DIR / "build_labels.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    committed = [json.loads(line) for line in LABELS_PATH.read_text(encoding="utf-8").splitlines()]
    assert module.build() == committed


FIRST_DRAW = 54  # lines of sample.jsonl drawn by the first draw (seed 12); the second draw's lines follow


def test_second_draw_adds_whole_new_question_groups(rows: list[LabelledResponse]) -> None:
    """The second draw (select_sample.py, SECOND_SEED) adds >= 50 real responses in whole question groups the
    first draw does not contain, several models per question; the first draw's lines come first, unchanged."""
    real = [r for r in rows if not r.perturbed]
    first, second = real[:FIRST_DRAW], real[FIRST_DRAW:]
    assert len(second) >= 50
    assert not {r.question for r in first} & {r.question for r in second}, "no question of the first draw again"
    groups: dict[str, list[LabelledResponse]] = {}
    for r in second:
        groups.setdefault(r.group, []).append(r)
    for name, members in groups.items():
        assert len(members) >= 2 and len({r.model for r in members}) == len(members), name
        assert len({(r.question, tuple(sorted(r.options.items()))) for r in members}) == 1, name
    sample = [json.loads(line) for line in (LABEL_DIR / "sample.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [s["id"] for s in sample] == [r.id for r in real], "labels.jsonl keeps the sample's order"
    assert all(r.chosen in r.options for r in second)


def test_a_bad_row_is_refused_naming_it(rows: list[LabelledResponse], tmp_path: Path) -> None:
    bad = rows[0].model_dump()
    letter = next(iter(bad["option_labels"]))
    bad["option_labels"][letter] = {"label": "specific", "span": "words that are not in the response"}
    path = tmp_path / "labels.jsonl"
    path.write_text(json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=rf"(?s)labels.jsonl:1: .*option {letter}: span is not verbatim"):
        load_labels(path)


def test_wrap_boxes_the_chosen_letter(rows: list[LabelledResponse]) -> None:
    row = rows[0]
    text = wrap(row)
    assert text.startswith("<dx>" + row.response) and text.endswith(f"\\boxed{{{row.chosen}}}</conclusion>")


def test_agreement_computation_on_a_few_items(rows: list[LabelledResponse]) -> None:
    """Score one question group for real, then check the computation's bookkeeping on it."""
    group = [r for r in rows if r.group == rows[0].group and not r.perturbed]
    results = score(group)
    pairs = option_pairs(group, results)
    assert len(pairs) == sum(len(r.options) for r in group)
    for row, result in zip(group, results, strict=True):
        assert set(scorer_option_status(result)) <= set(row.options)
    agreement = option_agreement(pairs)
    assert 0.0 <= agreement["accuracy"] <= 1.0 and agreement["n"] == len(pairs)
    by_hand = sum((label == "specific") == (status in ("specific", "weighed")) for *_, label, status in pairs)
    assert agreement["accuracy"] == pytest.approx(by_hand / len(pairs))


def test_kappa_and_accuracy_on_known_tables() -> None:
    perfect = [("m", "A", "specific", "weighed"), ("m", "B", "vacuous", "not weighed")] * 3
    assert option_agreement(perfect) == {"n": 6, "accuracy": 1.0, "kappa": 1.0}
    # 2×2 table [[a, b], [c, d]] = [[4, 1], [2, 3]]: p_o = 0.7, p_e = 0.5·0.6 + 0.5·0.4 = 0.5, κ = 0.4
    table = (
        [("m", "A", "specific", "weighed")] * 4
        + [("m", "A", "specific", "not weighed")]
        + [("m", "A", "absent", "weighed")] * 2
        + [("m", "A", "absent", "not weighed")] * 3
    )
    result = option_agreement(table)
    assert result["accuracy"] == pytest.approx(0.7) and result["kappa"] == pytest.approx(0.4)
    # the scorer's 4-way status (issue 12): only "specific" counts as weighed
    assert option_agreement([("m", "A", "vacuous", "vacuous"), ("m", "B", "specific", "specific")])["accuracy"] == 1.0


def test_pairwise_agreement_skips_label_ties_and_counts_scorer_ties(rows: list[LabelledResponse]) -> None:
    base = rows[0]
    made = [base.model_copy(update={"id": f"x{i}", "group": "g"}) for i in range(3)]
    values = {"x0": 3, "x1": 1, "x2": 1}  # label order: x0 > x1 = x2 -> pairs (x0,x1), (x0,x2)
    assert pairwise_agreement(made, [0.9, 0.1, 0.9], lambda r: values[r.id]) == {
        "pairs": 2,
        "agree": 1,
        "scorer_ties": 1,
        "agreement": 0.5,
    }
    assert math.isnan(pairwise_agreement(made[1:], [0.0, 1.0], lambda r: values[r.id])["agreement"])
    # keep: only pairs whose two responses are both kept (the "both make >= 1 claim" row)
    kept = pairwise_agreement(made, [0.9, 0.1, 0.9], lambda r: values[r.id], keep=[True, True, False])
    assert kept == {"pairs": 1, "agree": 1, "scorer_ties": 0, "agreement": 1.0}


def claim(text: str, status: str) -> Claim:
    return Claim(text=text, kind="measurement", key="k", status=status, sentence=f"... {text} ...")  # type: ignore[arg-type]


def result_with(claims: list[Claim]) -> ScoreResult:
    faithfulness = {
        "value": 0.5,
        "describes_patient": True,
        "claims": [c.model_dump() for c in claims],
        "supported": 0,
        "contradicted": 0,
        "unsupported": 0,
        "grounding_precision": 0.0,
        "evidence_citation": 0.0,
        "cited_key_facts": [],
        "citation_target": 0,
        "consistency": {"boxed": None, "argued_for": [], "rejected": [], "consistent": True},
    }
    return ScoreResult.model_validate({"total": 0.0, "details": {"faithfulness": faithfulness}})


def test_misstatement_recall_matches_claims_to_spans(rows: list[LabelledResponse]) -> None:
    perturbed = next(r for r in rows if r.perturbed and len(r.misstatements) == 2)
    first, second = (m.span for m in perturbed.misstatements)
    assert matches(claim(first, "contradicted"), first)
    assert not matches(claim("pulse 80/min", "contradicted"), "she has had two miscarriages")
    results = [result_with([claim(first, "contradicted"), claim(second, "unsupported")])]
    recall = misstatement_recall([perturbed], results, perturbed=True)
    assert recall["misstatements"] == 2 and recall["contradicted"] == 1 and recall["contradicted_or_unsupported"] == 2
    assert misstatement_recall([perturbed], results, perturbed=False)["misstatements"] == 0
