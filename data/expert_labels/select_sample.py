"""Draw the responses of the expert-style label set from the shared real generations (fixed seed).

    python data/expert_labels/select_sample.py [--realgen ../shared/data/realgen] > data/expert_labels/sample.jsonl

Whole question groups are drawn, so that several models answer the same question and within-question
pairs exist:

- ThoughtSource (6 files): rows grouped by (dataset, question, options); a model *family* is gpt-4,
  gpt-3.5-turbo, davinci (text-davinci-002 or -003), flan-T5-xxl, command-xlarge-nightly.
  MedQA: 6 of the groups answered by all 5 families; MedMCQA: 4 of the groups answered by 4 families
  (no MedMCQA group has all 5). In each group one row per family is drawn, among that family's rows with
  a response of at least 100 characters (some prompts asked for the letter only) or, where it has none,
  of at least 20; a group gives 5 (MedQA) or 4 (MedMCQA) responses.
- MIRAGE (2 files, gpt-4-32k and gpt-35-turbo-16k): 2 MMLU-medical and 2 PubMedQA questions, both
  models' responses for each (the JSON `step_by_step_thinking` is the response text that is labelled).

Every draw uses `random.Random(SEED)` over lists sorted by a stable key, so the sample is reproducible.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from collections import defaultdict
from pathlib import Path

SEED = 12
MIN_CHARS = 20
PREFERRED_CHARS = 100
MEDQA_GROUPS = 6
MEDMCQA_GROUPS = 4
MIRAGE_PER_DATASET = 2


def family(model: str) -> str:
    return "davinci" if "davinci" in model else model


def read_rows(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def thoughtsource(realgen: Path, rng: random.Random) -> list[dict]:
    groups: dict[tuple, list[tuple[str, str, int, dict]]] = defaultdict(list)
    for path in sorted(realgen.glob("thoughtsource__*.jsonl.gz")):
        for index, row in enumerate(read_rows(path)):
            if len(row["response"].strip()) < MIN_CHARS:
                continue
            key = (row["dataset"], row["question"], json.dumps(row["options"], sort_keys=True))
            groups[key].append((family(row["model"]), path.name, index, row))
    picked: list[dict] = []
    for dataset, n_families, n_groups in (("medqa", 5, MEDQA_GROUPS), ("medmcqa", 4, MEDMCQA_GROUPS)):
        eligible = sorted(
            (key for key, rows in groups.items() if key[0] == dataset and len({r[0] for r in rows}) >= n_families),
            key=lambda k: (k[1], k[2]),
        )
        for key in rng.sample(eligible, n_groups):
            by_family: dict[str, list] = defaultdict(list)
            for fam, name, index, row in groups[key]:
                by_family[fam].append((name, index, row))
            for fam in sorted(by_family):
                rows = sorted(by_family[fam], key=lambda r: (r[0], r[1]))
                reasoned = [r for r in rows if len(r[2]["response"].strip()) >= PREFERRED_CHARS]
                name, index, row = rng.choice(reasoned or rows)
                picked.append(entry(name, index, row, group=f"{dataset}:{key[1][:60]}", response=row["response"]))
    return picked


def mirage(realgen: Path, rng: random.Random) -> list[dict]:
    files = sorted(realgen.glob("mirage__*.jsonl.gz"))
    rows_by_file = {path.name: read_rows(path) for path in files}
    index_by_id = {name: {row["id"]: i for i, row in enumerate(rows)} for name, rows in rows_by_file.items()}
    common = set.intersection(*(set(ids) for ids in index_by_id.values()))
    first = rows_by_file[files[0].name]
    picked: list[dict] = []
    for dataset in ("mmlu-med", "pubmedqa"):
        ids = sorted(i for i in common if first[index_by_id[files[0].name][i]]["dataset"] == dataset)
        for qid in rng.sample(ids, MIRAGE_PER_DATASET):
            for name, rows in rows_by_file.items():
                index = index_by_id[name][qid]
                row = rows[index]
                try:
                    text = json.loads(row["response"])["step_by_step_thinking"]
                except (ValueError, KeyError, TypeError):
                    text = row["response"]
                picked.append(entry(name, index, row, group=f"{dataset}:{qid}", response=text))
    return picked


def entry(name: str, index: int, row: dict, group: str, response: str) -> dict:
    return {
        "id": f"{name.removesuffix('.jsonl.gz')}#{index}",
        "source_file": name,
        "row_index": index,
        "source": row["source"],
        "source_commit": row.get("source_commit"),
        "source_row_id": row.get("id"),
        "model": row["model"],
        "dataset": row["dataset"],
        "prompting": row.get("prompting"),
        "group": group,
        "question": row["question"],
        "options": row["options"],
        "gold": row["answer"],
        "predicted": row.get("predicted"),
        "response": response,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--realgen", type=Path, default=Path(__file__).resolve().parents[3] / "shared/data/realgen")
    args = parser.parse_args()
    rng = random.Random(SEED)
    for item in thoughtsource(args.realgen, rng) + mirage(args.realgen, rng):
        print(json.dumps(item, ensure_ascii=False))


if __name__ == "__main__":
    main()
