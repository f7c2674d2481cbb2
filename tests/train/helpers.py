"""Shared pieces of the verl tests: a tiny local tokenizer, prepared data and responses (verl batches:
`trainer_client.verl.testing`).

Nothing is downloaded: the tokenizer is a byte-level BPE trained in a fraction of a second on the
project's own MedQA questions, saved as a Hugging Face tokenizer so verl loads it like a model's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from tests.live import DATA
from trainer_client.data import prepare

CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


def build_tokenizer(directory: Path) -> Path:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    corpus = [json.loads(line)["question"] for line in (DATA / "medqa_dev.jsonl").open()][:200]
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=800,
        special_tokens=["<|endoftext|>", "<|im_start|>", "<|im_end|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    tokenizer.train_from_iterator(corpus, trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tokenizer, eos_token="<|im_end|>", pad_token="<|endoftext|>")
    fast.chat_template = CHAT_TEMPLATE
    fast.save_pretrained(directory)
    return directory


def prepared_medqa(out_dir: Path, val_fraction: float = 0.1) -> dict[str, Path]:
    with (DATA / "medqa_dev.jsonl").open() as handle:
        result = prepare("medqa", handle, "medqa_dev.jsonl", out_dir, val_fraction=val_fraction)
    return {split: path for split, (path, _) in result.files.items()}


def read_rows(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    rows = pq.read_table(path).to_pylist()
    return rows[:limit] if limit is not None else rows


def response_for(row: dict[str, Any], kind: str) -> str:
    """A CRPO-format response boxing the gold (`gold`), a wrong option (`wrong`) or nothing (`none`)."""
    gold = row["reward_model"]["ground_truth"]
    options = {k: v for k, v in row["extra_info"]["options"].items() if v is not None}
    letter = {"gold": gold, "wrong": next(k for k in sorted(options) if k != gold)}.get(kind)
    analysis = f"<dx>The case: {row['extra_info']['question'][:200]} Option A is weighed against the others.</dx>"
    if letter is None:
        return f"{analysis}<conclusion>I cannot decide between the options here.</conclusion>"
    return f"{analysis}<conclusion>The best supported answer is option {letter}. \\boxed{{{letter}}}</conclusion>"


EXPECTED_ACCURACY = {"gold": 1.0, "wrong": 0.0, "none": -1.0}
