"""Case-fact extraction against hand-annotated MedQA stems (see annotation_eval for matching)."""

from __future__ import annotations

from tests.nlp.annotation_eval import evaluate, load_stems


def test_fixture_is_substantial():
    stems = load_stems()
    assert len(stems) >= 40
    for s in stems:
        exp = s["expected"]
        assert len(exp["measurements"]) >= 3, s["id"]
        assert len(exp["findings"]) >= 3, s["id"]
    negated = sum(f["assertion"] == "absent" for s in stems for f in s["expected"]["findings"])
    assert negated >= 25


def test_precision_and_recall_at_least_0_9(nlp):
    total = evaluate(nlp, load_stems())
    report = {k: (round(s.precision, 3), round(s.recall, 3)) for k, s in total.items()}
    for name, score in total.items():
        assert score.precision >= 0.9, (name, report, score.errors[:20])
        assert score.recall >= 0.9, (name, report, score.errors[:20])
