"""`CRPORewardManager`: verl's per-sample reward loop, batched over HTTP.

    reward.reward_manager.source=importlib
    reward.reward_manager.name=CRPORewardManager
    reward.reward_manager.module.path=pkg://trainer_client.verl.reward_manager

verl's reward loop worker runs `run_single` once per sample, all samples of a call concurrently in one
event loop. This manager keeps verl's naive per-sample logic (decode the response, read
`data_source`, `reward_model.ground_truth`, `extra_info`, call the reward function) and hands the
reward function one `ScoreBatcher` per worker, so the concurrent samples of a worker go out as batched
`POST /v1/score` requests: `crpo.batch_size` items at most, the first waiting `crpo.batch_window_ms`
for company. The settings come from the config's `crpo` section (see `RewardSettings`).
"""

from __future__ import annotations

import functools
import inspect
from typing import Any

from verl.experimental.reward_loop.reward_manager.naive import NaiveRewardManager

from trainer_client.settings import RewardSettings
from trainer_client.verl.reward import compute_score as crpo_compute_score
from trainer_client.verl.reward import make_batcher


def settings_from_config(config: Any) -> RewardSettings:
    """The `crpo` section of a verl config, else the reward function's `reward_kwargs`."""
    section = config.get("crpo") if hasattr(config, "get") else None
    if section is None:
        section = config.reward.get("custom_reward_function", {}).get("reward_kwargs")
    return RewardSettings.from_mapping(section)


class CRPORewardManager(NaiveRewardManager):
    """Naive per-sample reward manager whose reward-function calls share one batcher per worker."""

    def __init__(
        self,
        config: Any,
        tokenizer: Any,
        compute_score: Any,
        reward_router_address: str | None = None,
        reward_model_tokenizer: Any = None,
    ) -> None:
        super().__init__(config, tokenizer, compute_score, reward_router_address, reward_model_tokenizer)
        self.settings = settings_from_config(config)
        self.batcher = make_batcher(self.settings)
        function = compute_score if compute_score is not None else crpo_compute_score
        self.compute_score = functools.partial(function, batcher=self.batcher)
        self.is_async_reward_score = inspect.iscoroutinefunction(self.compute_score)
        if not self.is_async_reward_score:
            raise TypeError(
                "CRPORewardManager batches calls of an async reward function; set "
                "reward.custom_reward_function.path=pkg://trainer_client.verl.reward (name compute_score)"
            )

    async def aclose(self) -> None:
        await self.batcher.aclose()
