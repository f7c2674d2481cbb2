"""TRL's GRPOTrainer for 2 steps on CPU, its rewards from the live service over HTTP, run from the
snippets of docs/deploy.md: a tiny randomly initialised Qwen2 model and a tokenizer built here."""

from __future__ import annotations

import math
from pathlib import Path

import httpx
import pytest
import torch
import trl
from datasets import Dataset
from prometheus_client.parser import text_string_to_metric_families
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM

from schemas.prompt import INSTRUCTIONS, SYSTEM_PROMPT, chat_messages
from tests.docs import code_blocks
from tests.live import LiveServer
from trainer_client import RewardClient
from trainer_client.trl_rewards import message_text

CHATML = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
BOXES = ["\\boxed{A}", "\\boxed{B}", "\\boxed{C}"]
#: Test-sized settings added to the documented GRPOConfig (none of them is one the snippets set).
TINY = {
    "per_device_train_batch_size": 4,
    "num_generations": 4,
    "max_completion_length": 12,
    "max_steps": 2,
    "logging_steps": 1,
    "learning_rate": 1e-3,
    "beta": 0.0,
    "use_cpu": True,
    "bf16": False,
    "report_to": "none",
    "save_strategy": "no",
    "dataloader_num_workers": 0,
    "seed": 0,
}


@pytest.fixture(scope="module")
def questions(medqa_test: list[dict]) -> list[dict]:
    return medqa_test[:2]


@pytest.fixture(scope="module")
def tokenizer(questions: list[dict]) -> PreTrainedTokenizerFast:
    """A byte-level BPE trained here on the prompts' text, with a ChatML chat template."""
    corpus = [q["question"] + " " + " ".join(q["options"].values()) for q in questions]
    corpus += [SYSTEM_PROMPT, INSTRUCTIONS, "<dx> </dx> <conclusion> </conclusion>"]
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    special = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    trainer = trainers.BpeTrainer(
        vocab_size=600, special_tokens=special, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    tok.train_from_iterator(corpus, trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>", chat_template=CHATML
    )
    fast.add_tokens(BOXES)  # whole boxed answers, so a random model writes some
    return fast


def tiny_model(tokenizer: PreTrainedTokenizerFast) -> Qwen2ForCausalLM:
    torch.manual_seed(0)
    config = Qwen2Config(
        vocab_size=len(tokenizer),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=1,
        max_position_embeddings=4096,
        tie_word_embeddings=True,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )
    model = Qwen2ForCausalLM(config)
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    return model


def score_requests(server: LiveServer) -> float:
    metrics = httpx.get(f"{server.url}/metrics").text
    for family in text_string_to_metric_families(metrics):
        for sample in family.samples:
            labels = sample.labels
            if sample.name == "crpo_requests_total" and (labels.get("endpoint"), labels.get("status")) == (
                "/v1/score",
                "200",
            ):
                return sample.value
    return 0.0


def question_of(prompt: str, questions: list[dict]) -> dict:
    """The question whose user turn the logged prompt (its message or its whole decoded text) contains."""
    found = [q for q in questions if chat_messages(q["question"], q["options"])[-1]["content"] in prompt]
    assert len(found) == 1, prompt
    return {"question": found[0]["question"], "options": found[0]["options"], "answer": found[0]["answer_idx"]}


TRL_SNIPPETS = code_blocks("deploy.md", "python", "GRPOTrainer")


@pytest.mark.parametrize("snippet", TRL_SNIPPETS, ids=["decoupled", "sum"])
def test_grpo_two_steps_with_rewards_from_the_service(
    snippet: str,
    live_server: LiveServer,
    questions: list[dict],
    tokenizer: PreTrainedTokenizerFast,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert len(TRL_SNIPPETS) == 2
    real_config = trl.GRPOConfig
    bias = {(tokenizer.convert_tokens_to_ids(box),): 3.0 for box in BOXES}

    def test_sized_config(**documented: object) -> trl.GRPOConfig:
        assert not set(documented) & set(TINY), "the test must not override what the documentation sets"
        documented["output_dir"] = str(tmp_path)
        return real_config(**documented, **TINY, generation_kwargs={"sequence_bias": bias})

    monkeypatch.setattr(trl, "GRPOConfig", test_sized_config)
    dataset = Dataset.from_list(
        [
            {
                "prompt": chat_messages(q["question"], q["options"]),
                "question": q["question"],
                "options": q["options"],
                "answer": q["answer_idx"],
            }
            for q in questions
        ]
    )
    namespace = {"model": tiny_model(tokenizer), "dataset": dataset, "tokenizer": tokenizer}
    requests_before = score_requests(live_server)
    exec(snippet.replace("http://localhost:8000", live_server.url), namespace)

    trainer, crpo = namespace["trainer"], namespace["crpo"]
    assert trainer.state.global_step == 2
    names = [f.__name__ for f in trainer.reward_funcs]
    assert all(name.startswith("crpo_") for name in names)
    # one POST /v1/score per generation batch, shared by all the reward functions
    assert crpo.requests_sent == 2
    assert score_requests(live_server) - requests_before == 2
    for entry in (h for h in trainer.state.log_history if "reward" in h):
        for name in names:
            assert f"rewards/{name}/mean" in entry
    # the logged rewards are the service's scores of the completions the model generated (TRL keeps the
    # completions of the last logging step: one step, 4 completions)
    # (TRL 1.16 logs chat messages, TRL 1.12 the decoded texts: `message_text` reads both)
    completions = [message_text(c) for c in trainer._logs["completion"]]
    prompts = [message_text(p) for p in trainer._logs["prompt"]]
    items = [
        {"response": completion, **question_of(prompt, questions)}
        for prompt, completion in zip(prompts, completions, strict=True)
    ]
    with RewardClient(live_server.url) as client:
        reference = client.score(items)
    for name in names:
        logged = list(trainer._logs["rewards"][name])
        expected = [getattr(r, name.removeprefix("crpo_")) for r in reference]
        assert len(logged) == len(expected) == TINY["per_device_train_batch_size"]
        for got, want in zip(logged, expected, strict=True):
            assert (math.isnan(got) and want is None) or got == pytest.approx(want)  # null -> NaN, never 0
        mean = trainer.state.log_history[-2][f"rewards/{name}/mean"]  # the last step's entry
        values = [v for v in expected if v is not None]
        assert (mean is None and not values) or mean == pytest.approx(sum(values) / len(values))
    assert {r.accuracy for r in reference} != {-1.0}  # some completions boxed an answer
