"""verl batches as verl's reward loop receives them, for the reward-loop tests and `bench.bench_verl_reward`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def reward_batch(tokenizer: Any, rows: Sequence[dict[str, Any]], responses: Sequence[str]) -> Any:
    """A verl `DataProto` of `crpo-data` rows and their responses: left-padded prompts (the rows' chat
    prompts through the tokenizer's chat template), right-padded responses ending in EOS."""
    import numpy as np
    import torch
    from verl import DataProto

    prompt_ids = [
        tokenizer.encode(
            tokenizer.apply_chat_template(list(row["prompt"]), add_generation_prompt=True, tokenize=False),
            add_special_tokens=False,
        )
        for row in rows
    ]
    response_ids = [[*tokenizer.encode(text, add_special_tokens=False), tokenizer.eos_token_id] for text in responses]
    prompt_len, response_len = max(map(len, prompt_ids)), max(map(len, response_ids))
    pad = tokenizer.pad_token_id
    prompts = torch.tensor([[pad] * (prompt_len - len(p)) + p for p in prompt_ids])
    responses_t = torch.tensor([r + [pad] * (response_len - len(r)) for r in response_ids])
    attention = torch.tensor(
        [
            [0] * (prompt_len - len(p)) + [1] * len(p) + [1] * len(r) + [0] * (response_len - len(r))
            for p, r in zip(prompt_ids, response_ids, strict=True)
        ]
    )
    return DataProto.from_dict(
        tensors={
            "prompts": prompts,
            "responses": responses_t,
            "input_ids": torch.cat([prompts, responses_t], dim=1),
            "attention_mask": attention,
        },
        non_tensors={
            "data_source": np.array([row["data_source"] for row in rows], dtype=object),
            "reward_model": np.array([dict(row["reward_model"]) for row in rows], dtype=object),
            "extra_info": np.array([dict(row["extra_info"]) for row in rows], dtype=object),
        },
    )
