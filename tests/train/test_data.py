"""`crpo-data prepare` on the project's real MedQA and MedMCQA files, and verl reading the result."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from schemas.prompt import chat_messages, parse_prompt
from tests.conftest import read_jsonl
from tests.live import DATA, ROOT
from tests.train.helpers import read_rows
from trainer_client.data import DataError, prepare, read_questions, split_questions
from trainer_client.verl.reward import score_item

COLUMNS = ["data_source", "prompt", "ability", "reward_model", "extra_info"]


def crpo_data(*args: str) -> subprocess.CompletedProcess[str]:
    """The console script, run from this checkout."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "trainer_client.data_cli", *args], capture_output=True, text=True, env=env, cwd=ROOT
    )


def check_row(row: dict[str, Any], question: str, options: dict[str, str], letter: str, split: str) -> None:
    options = {k: " ".join(v.split()) for k, v in options.items()}  # whitespace collapsed, as the prompt shows it
    info = row["extra_info"]
    assert list(row) == COLUMNS
    assert row["ability"] == "medical_mcq"
    assert row["reward_model"] == {"style": "rule", "ground_truth": letter}
    assert row["prompt"] == chat_messages(question, options)
    assert parse_prompt(row["prompt"][1]["content"]) == (question, options)  # the inverse still holds
    assert (info["question"], info["answer"], info["split"]) == (question, letter, split)
    assert {k: v for k, v in info["options"].items() if v is not None} == options
    assert info["answer_text"] == options[letter]


def test_medqa_cli_writes_a_deterministic_split(tmp_path: Path) -> None:
    source = read_jsonl(DATA / "medqa_dev.jsonl")
    result = crpo_data("prepare", "--dataset", "medqa", "--input", str(DATA / "medqa_dev.jsonl"),
                       "--out", str(tmp_path / "a"), "--val-fraction", "0.1")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "1272 records read" in result.stderr
    train, val = read_rows(tmp_path / "a" / "train.parquet"), read_rows(tmp_path / "a" / "val.parquet")
    assert (len(train), len(val)) == (1145, 127)
    for split, rows in (("train", train), ("val", val)):
        for row in rows:
            record = source[row["extra_info"]["index"]]
            check_row(row, record["question"].strip(), record["options"], record["answer_idx"], split)
            assert row["data_source"] == "medqa"
    assert sorted(r["extra_info"]["index"] for r in train + val) == list(range(1272))

    again = crpo_data("prepare", "--dataset", "medqa", "--input", str(DATA / "medqa_dev.jsonl"),
                      "--out", str(tmp_path / "b"), "--val-fraction", "0.1", "--no-progress")  # fmt: skip
    assert again.returncode == 0, again.stderr
    for name in ("train.parquet", "val.parquet"):
        assert pq.read_table(tmp_path / "a" / name).equals(pq.read_table(tmp_path / "b" / name))


def test_split_does_not_depend_on_input_order() -> None:
    lines = (DATA / "medqa_test.jsonl").read_text().splitlines()
    shuffled = lines[:]
    random.Random(7).shuffle(shuffled)
    splits = []
    for variant in (lines, shuffled):
        questions = read_questions("medqa", variant, "medqa_test.jsonl").questions
        _, val = split_questions(questions, 0.2, seed=3)
        splits.append({q.question for q in val})
    assert splits[0] == splits[1] and len(splits[0]) == round(1273 * 0.2)
    other_seed = {q.question for q in split_questions(read_questions("medqa", lines, "x").questions, 0.2, seed=4)[1]}
    assert other_seed != splits[0]


def test_medmcqa_letters_come_from_cop(tmp_path: Path) -> None:
    source = read_jsonl(DATA / "medmcqa_dev_part1.jsonl")
    with (DATA / "medmcqa_dev_part1.jsonl").open() as handle:
        result = prepare("medmcqa", handle, "medmcqa_dev_part1.jsonl", tmp_path)
    assert result.files["train"][1] == 2000 and "val" not in result.files
    for row in read_rows(tmp_path / "train.parquet"):
        record = source[row["extra_info"]["index"]]
        options = {letter: record[f"op{letter.lower()}"].strip() for letter in "ABCD"}
        check_row(row, record["question"].strip(), options, "ABCD"[record["cop"] - 1], "train")
        assert row["data_source"] == "medmcqa"
        assert row["extra_info"]["id"] == record["id"]
        assert row["extra_info"]["subject"] == (record["subject_name"] or "")


def test_generic_jsonl_accepts_lists_letters_and_option_texts(tmp_path: Path) -> None:
    path = tmp_path / "mine.jsonl"
    records = [
        {"question": "Which vitamin deficiency causes scurvy?", "options": ["Vitamin A", "Vitamin C"], "answer": "Vitamin C"},
        {"question": "Which ion is mainly intracellular?", "options": {"a": "Sodium", "b": "Potassium", "c": "Calcium"},
         "answer": "b", "data_source": "physiology", "id": "q2"},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    result = crpo_data("prepare", "--dataset", "jsonl", "--input", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    first, second = read_rows(tmp_path / "out" / "train.parquet")
    check_row(first, records[0]["question"], {"A": "Vitamin A", "B": "Vitamin C"}, "B", "train")
    check_row(second, records[1]["question"], {"A": "Sodium", "B": "Potassium", "C": "Calcium"}, "B", "train")
    assert (first["data_source"], second["data_source"]) == ("mine", "physiology")
    assert second["extra_info"]["id"] == "q2"


@pytest.mark.parametrize(
    ("kind", "record", "message"),
    [
        ("medmcqa", {"question": "q", "opa": "a", "opb": "b", "opc": "c", "opd": "d", "cop": 0}, r":2: field 'cop'"),
        ("medqa", {"question": "q", "options": {"A": "x", "B": "y"}, "answer": "x", "answer_idx": "B"},
         r":2: field 'answer_idx' is 'B' \(option text 'y'\) but field 'answer' is 'x'"),
        ("jsonl", {"question": "q", "options": {"A": "x", "B": "y"}, "answer": "Z"}, r":2: field 'answer' is 'Z'"),
        ("jsonl", {"question": " ", "options": {"A": "x", "B": "y"}, "answer": "A"}, r":2: field 'question'"),
        ("jsonl", {"question": "q", "options": {"AB": "x", "B": "y"}, "answer": "B"}, r":2: field 'options' has key 'AB'"),
    ],
)  # fmt: skip
def test_bad_records_are_named_by_line_and_field(kind: str, record: dict, message: str) -> None:
    good = {"question": "q", "options": {"A": "x", "B": "y"}, "answer": "x", "answer_idx": "A",
            "opa": "a", "opb": "b", "opc": "c", "opd": "d", "cop": 1}  # fmt: skip
    lines = [json.dumps(good), json.dumps(record)]
    with pytest.raises(DataError, match=message):
        read_questions(kind, lines, "in.jsonl")
    skipped = read_questions(kind, lines, "in.jsonl", skip_invalid=True)
    assert len(skipped.questions) == 1 and len(skipped.skipped) == 1


def test_cli_reports_bad_input_with_exit_code_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"question": "q", "options": {"A": "x", "B": "y"}, "answer": "A"}\nnot json\n')
    result = crpo_data("prepare", "--dataset", "jsonl", "--input", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "bad.jsonl:2: not valid JSON" in result.stderr
    assert not (tmp_path / "out").exists()


def test_verl_dataset_reads_the_parquet_and_feeds_the_reward_function(
    medqa_parquet: dict[str, Path], tokenizer: Any
) -> None:
    from omegaconf import OmegaConf
    from verl.utils.dataset.rl_dataset import RLHFDataset

    from trainer_client.verl.compose import compose_config

    config = compose_config(["crpo.reward_urls=['http://127.0.0.1:9']"]).data
    OmegaConf.set_struct(config, False)
    config.filter_overlong_prompts = False  # the test tokenizer is tiny; length filtering is verl's business
    dataset = RLHFDataset(data_files=[str(medqa_parquet["val"])], tokenizer=tokenizer, config=config)
    assert len(dataset) == 127
    item = dataset[0]
    assert [m["role"] for m in item["raw_prompt"]] == ["system", "user"]
    gold = item["reward_model"]["ground_truth"]
    scored = score_item("<conclusion>\\boxed{A}</conclusion>", gold, item["extra_info"], item["data_source"])
    assert scored["answer"] == gold and scored["question"] == item["extra_info"]["question"]
    assert sorted(scored["options"]) == ["A", "B", "C", "D", "E"]
