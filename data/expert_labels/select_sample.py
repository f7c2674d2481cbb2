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

Second draw (`SECOND_SEED`, its own `random.Random`, so the first draw above stays byte-identical and
its labels valid; its lines follow the first draw's): more real responses in whole question groups that
the first draw does not contain, chosen where misstatements of the case occur:

- ThoughtSource MedQA: the groups answered by all 5 families that are not in the first draw and where
  the families' letters disagree (at least two different predicted letters among the group's rows; a
  wrong answer is then certain for some family): 11 groups, `SECOND_MEDQA_GROUPS` = 8 of them drawn and
  labelled first, then the other 3, drawn after them so that the first 8 picks are unchanged. One row
  per family as above, among the rows whose `predicted` letter is one of the options (some responses
  name none: "the best answer is not listed"; the benchmark boxes the response's own letter). Then
  `SECOND_MEDQA_FOUR_FAMILY_GROUPS` = 6 of the MedQA groups answered by exactly 4 families where the
  letters disagree, drawn after all of the above (which stay unchanged), and then 6 more of them.
- MIRAGE: for each of those questions, both MIRAGE models' responses to the same MedQA question (matched
  on the question text). MIRAGE's MedQA has 4 options (ThoughtSource's has 5), so these two responses are
  a group of their own (`medqa:<MIRAGE id>`), as groups are keyed by question *and* options. A pair is
  kept only when both responses end with one of the options (one answered "None of the above").

Every draw uses `random.Random(seed)` over lists sorted by a stable key, so the sample is reproducible.
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
SECOND_SEED = 13
SECOND_MEDQA_GROUPS = 8
SECOND_MEDQA_FOUR_FAMILY_GROUPS = 6


def family(model: str) -> str:
    return "davinci" if "davinci" in model else model


def read_rows(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


Groups = dict[tuple, list[tuple[str, str, int, dict]]]


def thoughtsource_groups(realgen: Path) -> Groups:
    """ThoughtSource rows with a response of at least MIN_CHARS, keyed by (dataset, question, options)."""
    groups: Groups = defaultdict(list)
    for path in sorted(realgen.glob("thoughtsource__*.jsonl.gz")):
        for index, row in enumerate(read_rows(path)):
            if len(row["response"].strip()) < MIN_CHARS:
                continue
            key = (row["dataset"], row["question"], json.dumps(row["options"], sort_keys=True))
            groups[key].append((family(row["model"]), path.name, index, row))
    return groups


def eligible(groups: Groups, dataset: str, n_families: int) -> list[tuple]:
    return sorted(
        (key for key, rows in groups.items() if key[0] == dataset and len({r[0] for r in rows}) >= n_families),
        key=lambda k: (k[1], k[2]),
    )


def one_per_family(groups: Groups, key: tuple, rng: random.Random) -> list[dict]:
    by_family: dict[str, list] = defaultdict(list)
    for fam, name, index, row in groups[key]:
        by_family[fam].append((name, index, row))
    picked: list[dict] = []
    for fam in sorted(by_family):
        rows = sorted(by_family[fam], key=lambda r: (r[0], r[1]))
        reasoned = [r for r in rows if len(r[2]["response"].strip()) >= PREFERRED_CHARS]
        name, index, row = rng.choice(reasoned or rows)
        picked.append(entry(name, index, row, group=f"{key[0]}:{key[1][:60]}", response=row["response"]))
    return picked


def thoughtsource(groups: Groups, rng: random.Random) -> tuple[list[dict], list[tuple]]:
    """The first draw's ThoughtSource groups (and their keys, which the second draw excludes)."""
    picked: list[dict] = []
    keys: list[tuple] = []
    for dataset, n_families, n_groups in (("medqa", 5, MEDQA_GROUPS), ("medmcqa", 4, MEDMCQA_GROUPS)):
        for key in rng.sample(eligible(groups, dataset, n_families), n_groups):
            keys.append(key)
            picked.extend(one_per_family(groups, key, rng))
    return picked, keys


def mirage_text(row: dict) -> str:
    """The JSON's `step_by_step_thinking` (the response as a reader sees it), else the raw response."""
    try:
        return json.loads(row["response"])["step_by_step_thinking"]
    except (ValueError, KeyError, TypeError):
        return row["response"]


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
                picked.append(entry(name, index, row, group=f"{dataset}:{qid}", response=mirage_text(row)))
    return picked


def second_draw(realgen: Path, groups: Groups, first_keys: list[tuple]) -> list[dict]:
    """More whole MedQA groups, not in the first draw, where the models disagree; plus MIRAGE's two
    responses to each drawn question (a group of their own: 4 options there, 5 in ThoughtSource)."""
    rng = random.Random(SECOND_SEED)
    # Only responses that end with one of the options: the benchmark boxes the response's own letter, and
    # some rows name none ("the best answer is not listed").
    lettered: Groups = {key: [r for r in rows if r[3]["predicted"] in r[3]["options"]] for key, rows in groups.items()}
    candidates = [
        key
        for key in eligible(lettered, "medqa", 5)
        if key not in first_keys and len({row["predicted"] for *_, row in lettered[key]}) >= 2
    ]
    keys = rng.sample(candidates, SECOND_MEDQA_GROUPS)
    mirage_rows = {path.name: read_rows(path) for path in sorted(realgen.glob("mirage__*.jsonl.gz"))}
    picked = groups_and_pairs(lettered, keys, mirage_rows, rng)
    # The remaining candidates, drawn after the first SECOND_MEDQA_GROUPS were labelled (so those picks
    # and their labels stay as they were).
    rest = [key for key in candidates if key not in keys]
    picked += groups_and_pairs(lettered, rng.sample(rest, len(rest)), mirage_rows, rng)
    # Then groups answered by 4 of the 5 families (drawn after the above, which stay unchanged).
    four = [
        key
        for key in eligible(lettered, "medqa", 4)
        if key not in first_keys and key not in candidates and len({row["predicted"] for *_, row in lettered[key]}) >= 2
    ]
    first_four = rng.sample(four, SECOND_MEDQA_FOUR_FAMILY_GROUPS)
    picked += groups_and_pairs(lettered, first_four, mirage_rows, rng)
    more = rng.sample([key for key in four if key not in first_four], SECOND_MEDQA_FOUR_FAMILY_GROUPS)
    return picked + groups_and_pairs(lettered, more, mirage_rows, rng)


def groups_and_pairs(
    groups: Groups, keys: list[tuple], mirage_rows: dict[str, list[dict]], rng: random.Random
) -> list[dict]:
    """One row per family of each ThoughtSource group, then the MIRAGE pair of each group's question."""
    picked: list[dict] = []
    for key in keys:
        picked.extend(one_per_family(groups, key, rng))
    for key in keys:
        pair = [
            entry(name, index, row, group=f"medqa:{row['id']}", response=mirage_text(row))
            for name, rows in mirage_rows.items()
            for index, row in enumerate(rows)
            if row["dataset"] == "medqa" and row["question"].strip() == key[1].strip()
        ]
        if len(pair) == 2 and all(item["predicted"] in item["options"] for item in pair):
            picked.extend(pair)
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
    groups = thoughtsource_groups(args.realgen)
    first, first_keys = thoughtsource(groups, rng)
    first += mirage(args.realgen, rng)
    for item in first + second_draw(args.realgen, groups, first_keys):
        print(json.dumps(item, ensure_ascii=False))


if __name__ == "__main__":
    main()
