"""crpo-eval on verl's own generation dumps (`trainer.validation_data_dir` / `rollout_data_dir`).

The dump files are written by verl 0.9.1's own writer (`RayPPOTrainer._write_generations`, what
`_validate` and `_log_rollout_data` call) from prompts rendered by `crpo-data`'s template, put through a
chat template and decoded with `skip_special_tokens=True` as verl decodes them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast

from crpo_eval.generations import question_key, read_generations
from schemas.prompt import INSTRUCTIONS, SYSTEM_PROMPT, chat_messages
from tests.eval.helpers import doc_command, graded_rows, mean, run_cli, write_jsonl
from tests.live import LiveServer
from trainer_client import RewardClient

CHATML = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


def chat_tokenizer(corpus: list[str]) -> PreTrainedTokenizerFast:
    """A byte-level BPE trained here (nothing downloaded) with a ChatML template, like Qwen's."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    special = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    trainer = trainers.BpeTrainer(
        vocab_size=800, special_tokens=special, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    tok.train_from_iterator(corpus, trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>", chat_template=CHATML
    )


@pytest.fixture(scope="module")
def graded() -> dict[str, list[dict[str, Any]]]:
    return graded_rows()


@pytest.fixture(scope="module")
def dump_dir(graded: dict[str, list[dict[str, Any]]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    from verl.trainer.ppo.ray_trainer import RayPPOTrainer

    questions = graded["ideal"]
    corpus = [q["question"] + " " + " ".join(q["options"].values()) for q in questions] + [SYSTEM_PROMPT, INSTRUCTIONS]
    tokenizer = chat_tokenizer(corpus)

    def decoded_prompt(q: dict[str, Any]) -> str:
        ids = tokenizer.apply_chat_template(
            chat_messages(q["question"], q["options"]), add_generation_prompt=True, tokenize=True
        )
        ids = ids["input_ids"] if isinstance(ids, dict) or hasattr(ids, "keys") else ids
        return tokenizer.decode(ids, skip_special_tokens=True)

    folder = tmp_path_factory.mktemp("verl") / "checkpoints" / "val_generations"
    # step 10: one terse rollout per prompt; step 20: two rollouts per prompt (ideal, ideal_r1)
    steps = {10: [("terse", 0)], 20: [("ideal", 0), ("ideal_r1", 1)]}
    for step, variants in steps.items():
        inputs, outputs, gts, uids = [], [], [], []
        for i, q in enumerate(questions):
            for variant, rollout in variants:
                inputs.append(decoded_prompt(q))
                outputs.append(graded[variant][i]["response"])
                gts.append(q["answer"])
                uids.append(f"q{i}_{rollout}_0")
        scores = [0.0] * len(inputs)
        extra = {"accuracy": [1.0] * len(inputs), "uid": uids}
        RayPPOTrainer._write_generations(inputs, outputs, gts, scores, extra, str(folder), step)
    return folder


def test_verl_dump_rows_are_read_back(dump_dir: Path, graded: dict[str, list[dict[str, Any]]]) -> None:
    assert sorted(p.name for p in dump_dir.iterdir()) == ["10.jsonl", "20.jsonl"]
    row = json.loads((dump_dir / "20.jsonl").read_text().splitlines()[0])
    assert {"input", "output", "gts", "score", "step", "accuracy", "uid"} <= set(row)
    assert row["input"].startswith("system\n") and row["input"].endswith("assistant\n")  # specials skipped
    generations = read_generations(dump_dir / "20.jsonl", run="step20")
    assert len(generations) == 24
    for i, q in enumerate(graded["ideal"]):
        g = generations[2 * i]
        assert g.answer == q["answer"]
        assert g.options == {k: " ".join(v.split()) for k, v in q["options"].items()}
        assert " ".join(g.question.split()) == " ".join(q["question"].split())
        assert g.question_key == question_key(q["question"], q["options"])  # pairs with plain files
        assert g.extra["step"] == 20 and g.dataset == "default"


def test_crpo_eval_on_a_verl_dump_directory(
    dump_dir: Path, graded: dict[str, list[dict[str, Any]]], live_server: LiveServer
) -> None:
    """docs/eval.md's command: a baseline file and a directory of validation dumps, one run per step."""
    workdir = dump_dir.parents[1]
    base = [{k: v for k, v in row.items() if k != "dataset"} for row in graded["ideal"]]
    write_jsonl(workdir / "base_medqa.jsonl", base)
    done = run_cli(doc_command("checkpoints/val_generations", live_server.url), cwd=workdir)
    assert done.returncode == 0, done.stderr
    summary = json.loads((workdir / "report-steps" / "summary.json").read_text())
    # --run first, then the directory's files in step order, each a run named by its step
    assert list(summary["runs"]) == ["base", "10", "20"]
    assert summary["runs"]["20"]["responses"] == 24 and summary["runs"]["20"]["questions"] == 12
    assert all(info["datasets"] == ["medqa"] for info in summary["runs"].values())
    with RewardClient(live_server.url) as client:
        items = [{k: r[k] for k in ("question", "options", "answer", "response")} for r in graded["terse"]]
        terse = client.score(items, details=True)
    got = summary["results"]["10"]["all"]["metrics"]
    assert got["comprehensiveness"]["value"] == pytest.approx(mean(r.comprehensiveness for r in terse), abs=1e-6)
    # verl questions pair with the plain file's; step 20 has two rollouts per question: Wilcoxon on means
    row = next(c for c in summary["comparisons"] if (c["run"], c["metric"], c["scope"]) == ("20", "accuracy", "all"))
    assert row["questions"] == 12 and row["test"] == "wilcoxon"
    row = next(
        c for c in summary["comparisons"] if (c["run"], c["metric"], c["scope"]) == ("10", "comprehensiveness", "all")
    )
    assert row["questions"] == 12 and row["delta"] < 0 and row["p_test"] < 0.05
    records = [json.loads(line) for line in (workdir / "report-steps" / "responses.jsonl").read_text().splitlines()]
    assert {(r["run"], r.get("step"), r.get("trainer_score")) for r in records if r["run"] != "base"} == {
        ("10", 10, 0.0),
        ("20", 20, 0.0),
    }
