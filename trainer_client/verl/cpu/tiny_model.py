"""A tiny policy for CPU smoke runs, built offline from a prepared training file.

    python -m trainer_client.verl.cpu.tiny_model --train-files ~/data/crpo/medqa/train.parquet --out ~/tiny-policy

Nothing is downloaded. The tokenizer is a byte-level BPE trained on the file's chat prompts (ChatML
template, `<|im_end|>` as EOS) plus one token per boxed answer (`\\boxed{A}`, ...); the model is a
randomly initialised 2-layer Qwen2 (hidden size 64), warm-started for `--steps` steps to answer a
prompt with `\\boxed{<letter>}` for a uniformly random option letter. Sampled at temperature 1 its G
rollouts of a question then box different letters, so their accuracies differ and GRPO advantages
are not all zero: what a smoke test of the training loop needs. It knows no medicine.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Annotated, Any

import typer

CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
SPECIAL = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
LETTERS = "ABCDEFGHIJ"


def _rows(train_files: Path, limit: int) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    return pq.read_table(train_files, columns=["prompt", "extra_info"]).to_pylist()[:limit]


def build_tokenizer(rows: list[dict[str, Any]], vocab_size: int) -> Any:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    corpus = [m["content"] for row in rows for m in row["prompt"]]
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=SPECIAL, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    tokenizer.train_from_iterator(corpus, trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, eos_token="<|im_end|>", pad_token="<|endoftext|>", chat_template=CHAT_TEMPLATE
    )
    fast.add_tokens([f"\\boxed{{{letter}}}" for letter in LETTERS])  # whole answers: one token each
    return fast


def build_model(tokenizer: Any, seed: int) -> Any:
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    torch.manual_seed(seed)
    config = Qwen2Config(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=4096,
        tie_word_embeddings=True,
        bos_token_id=tokenizer.pad_token_id,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )
    model = Qwen2ForCausalLM(config)
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    return model


def warm_start(model: Any, tokenizer: Any, rows: list[dict[str, Any]], steps: int, seed: int) -> list[float]:
    """Teach `\\boxed{<random option letter>}<|im_end|>` after each prompt; returns the losses."""
    import torch

    rng = random.Random(seed)
    prompts = [
        tokenizer.apply_chat_template(list(row["prompt"]), add_generation_prompt=True, tokenize=True, return_dict=False)
        for row in rows
    ]
    letters = [sorted(k for k, v in row["extra_info"]["options"].items() if v is not None) for row in rows]
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    model.train()
    losses = []
    for _ in range(steps):
        batch = rng.sample(range(len(rows)), k=min(4, len(rows)))
        loss = 0.0
        for i in batch:
            answer = tokenizer.convert_tokens_to_ids(f"\\boxed{{{rng.choice(letters[i])}}}")
            ids = torch.tensor([[*prompts[i], answer, tokenizer.eos_token_id]])
            labels = ids.clone()
            labels[0, : len(prompts[i])] = -100
            loss = loss + model(input_ids=ids, labels=labels).loss / len(batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(float(loss.detach()))
    model.eval()
    return losses


def build(train_files: Path, out: Path, *, steps: int = 30, seed: int = 0, vocab_size: int = 2000) -> Path:
    rows = _rows(train_files, limit=200)
    if not rows:
        raise ValueError(f"{train_files} has no rows")
    tokenizer = build_tokenizer(rows, vocab_size)
    model = build_model(tokenizer, seed)
    warm_start(model, tokenizer, rows, steps, seed)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


def main(
    train_files: Annotated[Path, typer.Option(help="Training parquet (crpo-data prepare).")],
    out: Annotated[Path, typer.Option(help="Directory to write the model and tokenizer to.")],
    steps: Annotated[int, typer.Option(min=0, help="Warm-start steps.")] = 30,
    seed: Annotated[int, typer.Option(help="Seed of the initialisation and the warm start.")] = 0,
) -> None:
    """Build the tiny smoke-test policy (tokenizer + 2-layer Qwen2) into OUT."""
    typer.echo(str(build(train_files.expanduser(), out.expanduser(), steps=steps, seed=seed)))


if __name__ == "__main__":
    typer.run(main)
