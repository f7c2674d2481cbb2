"""slime reward functions backed by the reward service's `POST /slime/reward` (batched).

Two ways to point slime at the service:

- `--rm-type remote_rm --rm-url http://host:8000/slime/reward --reward-key score`: slime's own client posts
  each sample and keeps our answer (`{"score", "accuracy", ..., "status"}`) as the sample's reward;
  `--reward-key score` trains on the CRPO total. An unscorable sample answers `score: null`, which slime
  cannot skip (it stops on the `None`);
- `--custom-rm-path trainer_client.integrations.slime.crpo_rm --rm-url http://host:8000/slime/reward
  --reward-key score` (add `--group-rm` to score a whole group in one request): the same answer, but an
  unscorable sample is skipped: `sample.remove_sample = True` (slime zeroes its loss mask) and its `score`
  is the mean of the scored samples of the same call, so it does not move its group's mean (0.0
  when none of them is scored, e.g. a question without options, whose whole group is then removed).

slime calls the function with one `Sample` (`async_rm`) or a list (`batched_async_rm`, `--group-rm`); the
samples need `prompt`, `response`, `label` and `remove_sample`. Requests retry like `RewardClient`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from trainer_client.integrations.status import is_unscorable

RETRY_STATUSES = frozenset({502, 503, 504})


class _Retry(Exception):
    pass


async def post_samples(url: str, samples: Sequence[Any], *, timeout: float = 120.0, attempts: int = 6) -> list[dict]:
    """The service's reward objects for `samples` (one batched request, retried on 502/503/504 and errors)."""
    body = [{"prompt": s.prompt, "response": s.response, "label": s.label} for s in samples]
    async with httpx.AsyncClient(timeout=timeout) as client:
        async for attempt in AsyncRetrying(
            stop=stop_after_attempt(attempts),
            wait=wait_exponential(multiplier=0.25, max=20),
            retry=retry_if_exception_type((_Retry, httpx.TransportError)),
            reraise=True,
        ):
            with attempt:
                response = await client.post(url, json=body)
                if response.status_code in RETRY_STATUSES:
                    raise _Retry(f"HTTP {response.status_code} from {url}")
                response.raise_for_status()
                rewards = response.json()
    if not isinstance(rewards, list) or len(rewards) != len(samples):
        raise ValueError(f"{url} answered {type(rewards).__name__}, not one reward per sample")
    return rewards


def apply_rewards(samples: Sequence[Any], rewards: list[dict]) -> list[dict]:
    """Mark unscorable samples `remove_sample` and give them the mean score of the scored ones."""
    scored = [r["score"] for r in rewards if not is_unscorable(r) and r.get("score") is not None]
    neutral = sum(scored) / len(scored) if scored else 0.0
    out = []
    for sample, reward in zip(samples, rewards, strict=True):
        if is_unscorable(reward) or reward.get("score") is None:
            sample.remove_sample = True
            reward = {**reward, "score": neutral}
        out.append(reward)
    return out


async def crpo_rm(args: Any, sample: Any, **_: Any) -> dict | list[dict]:
    """slime `--custom-rm-path` function: a reward object per sample, from `args.rm_url` (see module doc)."""
    samples = list(sample) if isinstance(sample, list | tuple) else [sample]
    rewards = apply_rewards(samples, await post_samples(args.rm_url, samples))
    return rewards if isinstance(sample, list | tuple) else rewards[0]
