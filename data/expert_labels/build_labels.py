"""Build `labels.jsonl` from the drawn sample and the hand labels, checking every label against its text.

    python data/expert_labels/build_labels.py

Reads `sample.jsonl` (written by `select_sample.py`) and `hand_labels.yaml` (written by hand, see
README.md); writes `labels.jsonl`, one line per response, real ones first, then the perturbed variants.
Fails, naming the response and option, when a sampled response has no labels, an option is missing or
unknown, a label is not one of the four, or a span is not verbatim in the response.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
LABELS = ("specific", "vacuous", "mentioned", "absent")
KINDS = ("misstated_value", "fabricated_finding", "wrong_demographic", "wrong_negation")


def option_labels(rid: str, response: str, options: dict[str, str], given: dict) -> dict[str, dict]:
    if set(given) != set(options):
        raise ValueError(f"{rid}: labelled options {sorted(given)} != options {sorted(options)}")
    out: dict[str, dict] = {}
    for letter in sorted(options):
        label, *rest = given[letter]
        if label not in LABELS:
            raise ValueError(f"{rid} option {letter}: unknown label {label!r}")
        span = rest[0] if rest else None
        if (label == "absent") != (span is None):
            raise ValueError(f"{rid} option {letter}: a span is required unless the option is absent")
        if span is not None and span not in response:
            raise ValueError(f"{rid} option {letter}: span not in the response: {span!r}")
        out[letter] = {"label": label, "span": span}
    return out


def misstatements(rid: str, response: str, given: list[dict]) -> list[dict]:
    for m in given:
        if m["kind"] not in KINDS or m["span"] not in response or not m.get("case_says"):
            raise ValueError(f"{rid}: bad misstatement {m!r}")
    return [{"span": m["span"], "case_says": m["case_says"], "kind": m["kind"]} for m in given]


def build() -> list[dict]:
    sample = [json.loads(line) for line in (HERE / "sample.jsonl").read_text(encoding="utf-8").splitlines()]
    hand = yaml.safe_load((HERE / "hand_labels.yaml").read_text(encoding="utf-8"))
    perturbations = hand.pop("perturbations", [])
    by_id = {row["id"]: row for row in sample}
    if missing := sorted(set(by_id) - set(hand)):
        raise ValueError(f"responses without labels: {missing}")
    if extra := sorted(set(hand) - set(by_id)):
        raise ValueError(f"labels for responses not in the sample: {extra}")
    rows: list[dict] = []
    for row in sample:
        rid, given = row["id"], hand[row["id"]]
        chosen = given.get("chosen", row["predicted"])
        if chosen not in row["options"]:
            raise ValueError(f"{rid}: no chosen letter (set `chosen`)")
        found = misstatements(rid, row["response"], given["misstatements"])
        rows.append(
            {
                **row,
                "chosen": chosen,
                "option_labels": option_labels(rid, row["response"], row["options"], given["options"]),
                "misstatements": found,
                "free_of_misstatements": not found,
                "note": given.get("note"),
                "perturbed": False,
                "derived_from": None,
            }
        )
    originals = {row["id"]: row for row in rows}
    for k, p in enumerate(perturbations):
        base = originals[p["derived_from"]]
        response = p["prefix"] + base["response"]
        found = misstatements(f"perturbed#{k}", response, p["misstatements"])
        rows.append(
            {
                **base,
                "id": f"perturbed#{k}:{base['id']}",
                "response": response,
                "misstatements": found,
                "free_of_misstatements": not found,
                "note": "perturbed variant: the prefix is inserted by hand; option labels are the original's",
                "perturbed": True,
                "derived_from": base["id"],
                "perturbation_prefix": p["prefix"],
            }
        )
    return rows


def main() -> None:
    rows = build()
    with (HERE / "labels.jsonl").open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    real = [r for r in rows if not r["perturbed"]]
    labels = [o["label"] for r in real for o in r["option_labels"].values()]
    print(
        f"{len(real)} real responses, {len(rows) - len(real)} perturbed; {len(labels)} option labels: "
        + ", ".join(f"{name} {labels.count(name)}" for name in LABELS)
        + f"; {sum(len(r['misstatements']) for r in real)} misstatements in {sum(not r['free_of_misstatements'] for r in real)} responses"
    )


if __name__ == "__main__":
    main()
