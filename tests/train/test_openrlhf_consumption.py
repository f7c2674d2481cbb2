"""What OpenRLHF does with a `/get_reward` answer, with torch: every value becomes a tensor, and every
sample's `extra_logs` has the same keys (its experience batches are split and merged key by key)."""

from __future__ import annotations

import httpx
import torch

from schemas.prompt import chat_messages
from tests.live import LiveServer

QUESTION = "A 61-year-old man has crushing chest pain radiating to the left arm. What is the diagnosis?"
OPTIONS = {"A": "Myocardial infarction", "B": "Pulmonary embolism"}


def experience_info(rewards_info: dict) -> dict[str, torch.Tensor]:
    """OpenRLHF's SingleTurnAgentExecutor + SamplesGenerator._process_response_into_experience, in short."""
    score_value = rewards_info.get("scores")
    if score_value is None:
        score_value = rewards_info.get("rewards")
    info = {"reward": torch.tensor([rewards_info.get("rewards")]), "score": torch.tensor([score_value])}
    for key, value in (rewards_info.get("extra_logs") or {}).items():
        if isinstance(value, torch.Tensor):
            value = value.flatten()[0].item()
        info[key] = torch.tensor([value])
    return info


def test_answers_become_tensors_with_the_same_keys_for_every_sample(live_server: LiveServer) -> None:
    system, user = chat_messages(QUESTION, OPTIONS)
    prompt = f"<|im_start|>system\n{system['content']}<|im_end|>\n<|im_start|>user\n{user['content']}<|im_end|>\n"
    prompt += "<|im_start|>assistant\n"
    responses = [
        "<dx>Pain to the arm.</dx><conclusion>An infarction. \\boxed{A}</conclusion><|im_end|>",
        "<dx>Dyspnoea.</dx><conclusion>An embolism. \\boxed{B}</conclusion><|im_end|>",
        "no structure at all",
        "",
    ]
    infos = []
    with httpx.Client(timeout=30) as client:
        for response in responses:
            payload = {"query": [prompt + response], "prompts": [prompt], "labels": ["A"]}
            infos.append(experience_info(client.post(f"{live_server.url}/get_reward", json=payload).json()))
    assert len({tuple(sorted(info)) for info in infos}) == 1
    merged = {key: torch.cat([info[key].flatten() for info in infos]) for key in infos[0]}
    assert torch.isfinite(torch.stack(list(merged.values()))).all()
    assert merged["accuracy"].tolist() == [1.0, 0.0, -1.0, -1.0]
    assert ((merged["score"] >= 0) & (merged["score"] <= 1)).all()
    assert merged["reward"].argmax().item() == 0
