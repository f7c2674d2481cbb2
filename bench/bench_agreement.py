"""Agreement of the scorers with the project's expert-style label set (`data/expert_labels/`).

    python -m bench.bench_agreement [--labels data/expert_labels/labels.jsonl] [--show 10]

Each labelled response is wrapped as `<dx>response</dx><conclusion>Final answer: \\boxed{X}</conclusion>`
(X: the letter the response concludes with, `chosen` in the label file) and scored in-process by the
project's engine with details. Printed (the definitions are in data/expert_labels/README.md):

- option agreement: the scorer weighs an option (`status == "specific"` where the option details carry
  `status`, else `weighed`) vs the label is `specific`: accuracy and Cohen's κ, the label × scorer table
  (4 × 4 when `status` exists, 4 × 2 on `weighed`), per model family;
- within-question pairwise agreement: over pairs of responses to the same question whose label-derived
  order is strict, the share the scorer orders the same way (a scorer tie does not agree).
  Comprehensiveness: more `specific` options is better. Faithfulness: fewer misstatements is better;
  real responses only, and with the perturbed variants added to their question's group; and how many
  perturbed variants score below their own original;
- false contradictions: share of real responses free of misstatements with ≥ 1 `contradicted` claim
  (and the claims);
- misstatement recall: share of labelled misstatements (real; perturbed) matched by a `contradicted`
  claim, and by a `contradicted` or `unsupported` one.

Numbers only, nothing asserted: tests/unit/test_expert_labels.py checks the computation itself.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from rapidfuzz import fuzz

from reward_service.scoring.engine import ScoringEngine
from schemas import ScoreRequest, ScoreResult

LABELS_PATH = Path(__file__).resolve().parents[1] / "data/expert_labels/labels.jsonl"
LABELS = ("specific", "vacuous", "mentioned", "absent")
Label = Literal["specific", "vacuous", "mentioned", "absent"]
CONCLUSION = "Final answer: \\boxed{{{letter}}}"


class OptionLabel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: Label
    span: str | None = Field(description="the response's words that justify the label; null when absent")


class Misstatement(BaseModel):
    model_config = ConfigDict(extra="forbid")

    span: str
    case_says: str
    kind: Literal["misstated_value", "fabricated_finding", "wrong_demographic", "wrong_negation"]


class LabelledResponse(BaseModel):
    """One line of labels.jsonl (extra provenance fields are kept but not needed here)."""

    model_config = ConfigDict(extra="allow")

    id: str
    source_file: str
    row_index: int
    model: str
    dataset: str
    group: str
    question: str
    options: dict[str, str]
    gold: str
    chosen: str
    response: str
    option_labels: dict[str, OptionLabel]
    misstatements: list[Misstatement]
    free_of_misstatements: bool
    perturbed: bool = False
    derived_from: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> LabelledResponse:
        if set(self.option_labels) != set(self.options):
            raise ValueError(f"{self.id}: option_labels {sorted(self.option_labels)} != options {sorted(self.options)}")
        if self.chosen not in self.options or self.gold not in self.options:
            raise ValueError(f"{self.id}: chosen {self.chosen!r} / gold {self.gold!r} is not an option letter")
        for letter, option in self.option_labels.items():
            if (option.label == "absent") != (option.span is None):
                raise ValueError(f"{self.id} option {letter}: span must be null exactly when the label is absent")
            if option.span is not None and option.span not in self.response:
                raise ValueError(f"{self.id} option {letter}: span is not verbatim in the response")
        for m in self.misstatements:
            if m.span not in self.response:
                raise ValueError(f"{self.id}: misstatement span is not verbatim in the response: {m.span!r}")
        if self.free_of_misstatements != (not self.misstatements):
            raise ValueError(f"{self.id}: free_of_misstatements disagrees with misstatements")
        return self


def load_labels(path: Path = LABELS_PATH) -> list[LabelledResponse]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            rows.append(LabelledResponse.model_validate_json(line))
        except ValueError as exc:
            raise ValueError(f"{path}:{number}: {exc}") from exc
    return rows


def wrap(row: LabelledResponse) -> str:
    return f"<dx>{row.response}</dx><conclusion>{CONCLUSION.format(letter=row.chosen)}</conclusion>"


def score(rows: Sequence[LabelledResponse], engine: ScoringEngine | None = None) -> list[ScoreResult]:
    items = [
        {"id": r.id, "response": wrap(r), "question": r.question, "options": r.options, "answer": r.gold} for r in rows
    ]
    request = ScoreRequest.model_validate({"items": items, "details": True})
    return (engine or ScoringEngine()).score(request).results


# ---- option agreement ----


def scorer_option_status(result: ScoreResult) -> dict[str, str]:
    """Per option letter: the scorer's `status` where it exists, else "weighed" / "not weighed"."""
    comp = result.details.comprehensiveness if result.details else None
    out: dict[str, str] = {}
    for option in comp.options if comp else []:
        status = getattr(option, "status", None)
        out[option.letter] = status if status is not None else ("weighed" if option.weighed else "not weighed")
    return out


def option_pairs(rows: Sequence[LabelledResponse], results: Sequence[ScoreResult]) -> list[tuple[str, str, str, str]]:
    """(model family, letter, label, scorer status) for every option of every real response."""
    pairs = []
    for row, result in zip(rows, results, strict=True):
        if row.perturbed:
            continue
        statuses = scorer_option_status(result)
        for letter, option in sorted(row.option_labels.items()):
            pairs.append((family(row.model), letter, option.label, statuses.get(letter, "absent")))
    return pairs


def is_weighed(status: str) -> bool:
    return status in ("specific", "weighed")


def cohen_kappa(truth: Sequence[bool], predicted: Sequence[bool]) -> float:
    """Cohen's κ of two binary raters: (p_o − p_e) / (1 − p_e); nan when chance agreement is total."""
    n = len(truth)
    observed = sum(t == p for t, p in zip(truth, predicted, strict=True)) / n
    yes_t, yes_p = sum(truth) / n, sum(predicted) / n
    expected = yes_t * yes_p + (1 - yes_t) * (1 - yes_p)
    return (observed - expected) / (1 - expected) if expected < 1 else float("nan")


def option_agreement(pairs: Sequence[tuple[str, str, str, str]]) -> dict[str, float]:
    truth = [label == "specific" for _, _, label, _ in pairs]
    predicted = [is_weighed(status) for *_, status in pairs]
    accuracy = sum(t == p for t, p in zip(truth, predicted, strict=True)) / len(pairs)
    return {"n": len(pairs), "accuracy": accuracy, "kappa": cohen_kappa(truth, predicted)}


def confusion(pairs: Sequence[tuple[str, str, str, str]]) -> tuple[list[str], dict[str, Counter]]:
    columns = sorted(
        {status for *_, status in pairs}, key=lambda s: (s not in LABELS, LABELS.index(s) if s in LABELS else 0, s)
    )
    table: dict[str, Counter] = {label: Counter() for label in LABELS}
    for _, _, label, status in pairs:
        table[label][status] += 1
    return columns, table


# ---- within-question pairwise orderings ----


def label_comprehensiveness(row: LabelledResponse) -> int:
    return sum(o.label == "specific" for o in row.option_labels.values())


def label_faithfulness(row: LabelledResponse) -> int:
    return -len(row.misstatements)


def pairwise_agreement(
    rows: Sequence[LabelledResponse],
    scores: Sequence[float | None],
    label_value,
    keep: Sequence[bool] | None = None,
) -> dict[str, float | int]:
    """Pairs within one question whose label order is strict: share ordered the same way by the scorer.
    With `keep`, only pairs whose two responses are both kept count."""
    groups: dict[str, list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        groups[row.group].append(index)
    agree = ties = total = 0
    for members in groups.values():
        for i, j in combinations(members, 2):
            expected = label_value(rows[i]) - label_value(rows[j])
            if expected == 0 or (keep is not None and not (keep[i] and keep[j])):
                continue
            total += 1
            got = (scores[i] or 0.0) - (scores[j] or 0.0)
            if abs(got) < 1e-9:
                ties += 1
            elif (got > 0) == (expected > 0):
                agree += 1
    return {"pairs": total, "agree": agree, "scorer_ties": ties, "agreement": agree / total if total else float("nan")}


# ---- contradictions ----


def claims(result: ScoreResult, status: Iterable[str]) -> list:
    faith = result.details.faithfulness if result.details else None
    wanted = set(status)
    return [c for c in (faith.claims if faith else []) if c.status in wanted]


def matches(claim, span: str) -> bool:
    """A claim stands for a labelled misstatement when its words and the span's overlap (one inside the
    other, or a fuzzy partial match of at least 85); sharing a sentence is not enough."""
    text, span = claim.text.lower().strip(), span.lower().strip()
    return bool(text) and (text in span or span in text or fuzz.partial_ratio(text, span) >= 85)


def false_contradictions(rows: Sequence[LabelledResponse], results: Sequence[ScoreResult]) -> dict[str, object]:
    clean = [(r, res) for r, res in zip(rows, results, strict=True) if not r.perturbed and r.free_of_misstatements]
    flagged = [(r, claims(res, ["contradicted"])) for r, res in clean]
    flagged = [(r, cs) for r, cs in flagged if cs]
    return {
        "clean": len(clean),
        "with_contradiction": len(flagged),
        "rate": len(flagged) / len(clean),
        "items": flagged,
    }


def misstatement_recall(
    rows: Sequence[LabelledResponse], results: Sequence[ScoreResult], perturbed: bool
) -> dict[str, float | int]:
    total = contradicted = flagged = 0
    for row, result in zip(rows, results, strict=True):
        if row.perturbed != perturbed:
            continue
        hard, soft = claims(result, ["contradicted"]), claims(result, ["contradicted", "unsupported"])
        for m in row.misstatements:
            total += 1
            contradicted += any(matches(c, m.span) for c in hard)
            flagged += any(matches(c, m.span) for c in soft)
    return {
        "misstatements": total,
        "contradicted": contradicted,
        "contradicted_or_unsupported": flagged,
        "recall": contradicted / total if total else float("nan"),
        "recall_flagged": flagged / total if total else float("nan"),
    }


def family(model: str) -> str:
    lowered = model.lower()
    for name in ("gpt-4", "gpt-3.5", "davinci", "flan", "command"):
        if name in lowered:
            return {"command": "cohere", "flan": "flan-t5"}.get(name, name)
    return lowered.split()[0]


# ---- report ----


def report(rows: Sequence[LabelledResponse], results: Sequence[ScoreResult], show: int = 10) -> dict[str, object]:
    real = [r for r in rows if not r.perturbed]
    pairs = option_pairs(rows, results)
    overall = option_agreement(pairs)
    has_status = any(status in LABELS for *_, status in pairs)
    print(
        f"Label set: {len(real)} real responses ({len({r.group for r in real})} questions), "
        f"{len(rows) - len(real)} perturbed variants; {len(pairs)} option labels: "
        + ", ".join(f"{label} {sum(p[2] == label for p in pairs)}" for label in LABELS)
    )
    print(f"\nOption agreement ({'status == specific' if has_status else 'weighed'} vs label == specific)")
    print(f"  accuracy {overall['accuracy']:.3f}   Cohen's kappa {overall['kappa']:.3f}   (n = {overall['n']})")
    engaged = option_agreement([p for p in pairs if p[2] != "absent"])
    print(
        f"  options the response engages (label not absent): accuracy {engaged['accuracy']:.3f}   "
        f"kappa {engaged['kappa']:.3f}   (n = {engaged['n']})"
    )
    by_family: dict[str, list] = defaultdict(list)
    for p in pairs:
        by_family[p[0]].append(p)
    for name, members in sorted(by_family.items()):
        a = option_agreement(members)
        print(f"    {name:<9} accuracy {a['accuracy']:.3f}  kappa {a['kappa']:.3f}  (n = {a['n']})")
    columns, table = confusion(pairs)
    print("  label \\ scorer " + "".join(f"{c:>13}" for c in columns))
    for label in LABELS:
        print(f"  {label:<15}" + "".join(f"{table[label][c]:>13}" for c in columns))

    results_by_id = {r.id: res for r, res in zip(rows, results, strict=True)}
    comp_scores = [results_by_id[r.id].comprehensiveness for r in real]
    comp = pairwise_agreement(real, comp_scores, label_comprehensiveness)
    faith_real = pairwise_agreement(real, [results_by_id[r.id].faithfulness for r in real], label_faithfulness)
    faith_all = pairwise_agreement(rows, [res.faithfulness for res in results], label_faithfulness)
    # a response that makes no claim scores 0 by design (nothing checkable, copies earn nothing), while the
    # labels count it free of misstatements: the pairs where both responses claim something show the claim
    # readings alone (report-only)
    claiming = [bool(claims(results_by_id[r.id], ["supported", "contradicted", "unsupported"])) for r in real]
    faith_claiming = pairwise_agreement(
        real, [results_by_id[r.id].faithfulness for r in real], label_faithfulness, keep=claiming
    )
    print("\nWithin-question pairwise agreement with the label-derived order")
    for name, value in (
        ("comprehensiveness (more specific options)", comp),
        ("faithfulness, real (fewer misstatements)", faith_real),
        ("faithfulness, real + perturbed", faith_all),
        ("faithfulness, real, both with >= 1 claim", faith_claiming),
    ):
        print(
            f"  {name:<44} {value['agreement']:.3f}  ({value['agree']}/{value['pairs']} pairs, "
            f"{value['scorer_ties']} scorer ties)"
        )

    originals = [
        (results_by_id[r.derived_from].faithfulness or 0.0, results_by_id[r.id].faithfulness or 0.0)
        for r in rows
        if r.perturbed and r.derived_from in results_by_id
    ]
    lower = sum(p < o - 1e-9 for o, p in originals)
    print(f"  perturbed variant below its own original on faithfulness: {lower}/{len(originals)}")
    for (o, p), r in zip(originals, [r for r in rows if r.perturbed], strict=True):
        print(f"    {r.id}: {o:.3f} -> {p:.3f}")

    fc = false_contradictions(rows, results)
    print(
        f"\nFalse contradictions: {fc['with_contradiction']} of {fc['clean']} real responses free of misstatements "
        f"have >= 1 contradicted claim ({fc['rate']:.1%})"
    )
    for row, found in fc["items"][:show]:  # type: ignore[index]
        for c in found[:3]:
            print(f"    {row.id}: {c.kind} {c.text!r} — {c.reason or ''}")
    recalls = {"real": misstatement_recall(rows, results, False), "perturbed": misstatement_recall(rows, results, True)}
    print("\nRecall of labelled misstatements")
    for name, value in recalls.items():
        print(
            f"  {name:<10} as contradicted {value['contradicted']}/{value['misstatements']} ({value['recall']:.3f});"
            f" contradicted or unsupported {value['contradicted_or_unsupported']}/{value['misstatements']}"
            f" ({value['recall_flagged']:.3f})"
        )
    disagreements = [
        (row.id, letter, option.label, status)
        for row, result in zip(rows, results, strict=True)
        if not row.perturbed
        for letter, option in sorted(row.option_labels.items())
        if (status := scorer_option_status(result).get(letter, "absent")) is not None
        and (option.label == "specific") != is_weighed(status)
    ]
    print(f"\nOption disagreements ({len(disagreements)}; first {show}):")
    for rid, letter, label, status in disagreements[:show]:
        print(f"    {rid} {letter}: label {label}, scorer {status}")
    return {
        "option": overall,
        "option_engaged": engaged,
        "comprehensiveness_pairs": comp,
        "faithfulness_pairs_real": faith_real,
        "faithfulness_pairs_all": faith_all,
        "faithfulness_pairs_real_claiming": faith_claiming,
        "perturbed_below_original": [lower, len(originals)],
        "false_contradiction_rate": fc["rate"],
        "misstatement_recall": recalls,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=LABELS_PATH)
    parser.add_argument("--show", type=int, default=10, help="false contradictions to list")
    parser.add_argument("--json", type=Path, default=None, help="also write the numbers here")
    args = parser.parse_args()
    rows = load_labels(args.labels)
    summary = report(rows, score(rows), args.show)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
