"""The benchmark workload: realistic CRPO-format responses of about 6,000 characters.

Each response weighs every option of a real MedQA question, quotes the stem, and pads with real
MedMCQA expert explanations; the boxed answer cycles through correct, wrong, invalid and missing.
Deterministic: the same arguments build the same responses.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


def read_jsonl(path: Path) -> list[dict]:
    with path.open() as handle:
        return [json.loads(line) for line in handle if line.strip()]


def build_workload(
    n_questions: int = 512, per_question: int = 5, target_chars: int = 6000, seed: int = 0
) -> list[dict]:
    rng = random.Random(seed)
    questions = read_jsonl(DATA / "medqa_test.jsonl")[:n_questions]
    explanations = [
        r["exp"] for r in read_jsonl(DATA / "medmcqa_dev_part1.jsonl") if r.get("exp") and len(r["exp"]) > 200
    ]
    items: list[dict] = []
    for qi, q in enumerate(questions):
        options: dict[str, str] = q["options"]
        gold = q["answer_idx"]
        wrong = next(letter for letter in options if letter != gold)
        for r in range(per_question):
            lines = ["Key facts from the case:", q["question"][:800], "", "Options:"]
            for letter, text in options.items():
                verdict = "accepted; it explains the findings" if letter == gold else "rejected; it does not fit"
                lines.append(f"{letter}. {text} — {verdict}.")
            lines.append("")
            while sum(len(line) + 1 for line in lines) < target_chars - 300:
                lines.append(rng.choice(explanations))
            reasoning = "\n".join(lines)[: target_chars - 300]
            box = [f"\\boxed{{{gold}}}", f"\\boxed{{{wrong}}}", "\\boxed{Z}", "no box", f"\\boxed{{{options[gold]}}}"][
                r % 5
            ]
            response = (
                f"<dx>\n{reasoning}\n</dx>\n<conclusion>\nThe findings point to {options[gold]}.\n"
                f"Final answer: {box}\n</conclusion><|im_end|>"
            )
            items.append(
                {
                    "id": f"q{qi}-r{r}",
                    "group_id": f"q{qi}",
                    "response": response,
                    "question": q["question"],
                    "options": options,
                    "answer": gold,
                }
            )
    return items
