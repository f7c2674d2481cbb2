"""Async TRL reward functions backed by the reward service: one per objective, plus the total.

    from trainer_client.trl_rewards import CRPORewards

    crpo = CRPORewards("http://localhost:8000")
    # decoupled (GDPO-style, docs/scoring.md): each objective normalised within its group, then weighted
    GRPOConfig(..., reward_weights=[10, 1, 1], multi_objective_aggregation="normalize_then_sum")
    GRPOTrainer(..., reward_funcs=[crpo.accuracy, crpo.faithfulness, crpo.comprehensiveness])
    # the paper's sum: GRPO on the total
    GRPOTrainer(..., reward_funcs=[crpo.total])

TRL calls every reward function with `prompts`, `completions` and each dataset column as a keyword
argument (`question`, `options`, `answer` by default), and logs `rewards/<function name>/mean`; the
functions are named `crpo_accuracy`, `crpo_faithfulness`, `crpo_comprehensiveness`, `crpo_format` and
`crpo_total`. The functions of one `CRPORewards` share one `POST /v1/score` per batch: TRL runs async
reward functions concurrently on one event loop, and the first to ask sends the request that the others
wait for. An objective the service does not compute (`null`) is returned as `None`, which TRL turns
into NaN and leaves out of that function's mean and of the weighted sums; it is never a silent 0. An
item the service finds `unscorable` (no gold answer, no options for an option-letter gold) is `None` in
every function, TRL's "skip this sample".
Without `question`/`options` columns, both are parsed from the prompt that `crpo-data` wrote.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import pydantic_core

from schemas import OBJECTIVES, ScoreResult, Weights
from schemas.options import coerce_options
from schemas.prompt import parse_prompt
from trainer_client.client import AsyncRewardClient
from trainer_client.integrations.status import is_unscorable

RewardFunc = Callable[..., Awaitable[list[float | None]]]
_CACHED_BATCHES = 8


def message_text(value: Any) -> str:
    """The text of a TRL prompt/completion: a string, or a chat (the last message's content)."""
    if isinstance(value, str):
        return value
    if isinstance(value, Sequence) and value and isinstance(value[-1], Mapping):
        content = value[-1].get("content", "")
        if isinstance(content, str):
            return content
        return "".join(part.get("text", "") for part in content if isinstance(part, Mapping))
    raise TypeError(f"expected a string or a list of chat messages, got {type(value).__name__}")


def prompt_text(value: Any) -> str:
    """The user turn of a chat prompt (where `crpo-data` puts the question), or the prompt string."""
    if isinstance(value, str):
        return value
    users = [m for m in value if isinstance(m, Mapping) and m.get("role") == "user"]
    return message_text(users[-1:] or value)


def normalise_options(value: Any, index: int) -> dict[str, str] | None:
    """Options from a dataset column (see `schemas.options.coerce_options`); errors name the row."""
    try:
        return coerce_options(value)
    except ValueError as exc:
        raise ValueError(f"options[{index}]: {exc}") from exc


class CRPORewards:
    """TRL reward functions that score completions on the reward service (see the module docstring)."""

    def __init__(
        self,
        base_url: str | Sequence[str],
        *,
        question_key: str = "question",
        options_key: str = "options",
        answer_key: str = "answer",
        weights: Weights | Mapping[str, float] | None = None,
        profile: str = "auto",
        accuracy_mode: str = "crpo",
        prefix: str = "crpo_",
        **client_kwargs: Any,
    ) -> None:
        self.base_url = base_url
        self.keys = {"question": question_key, "options": options_key, "answer": answer_key}
        self.score_options: dict[str, Any] = {"weights": weights, "profile": profile, "accuracy_mode": accuracy_mode}
        self.prefix = prefix
        self.client_kwargs = client_kwargs
        self._batches: OrderedDict[str, tuple[asyncio.AbstractEventLoop, asyncio.Task[list[ScoreResult]]]] = (
            OrderedDict()
        )
        self.requests_sent = 0
        self.accuracy = self._function("accuracy")
        self.faithfulness = self._function("faithfulness")
        self.comprehensiveness = self._function("comprehensiveness")
        self.format = self._function("format")
        self.total = self._function("total")

    def functions(self, objectives: Sequence[str] = OBJECTIVES[:3], *, total: bool = False) -> list[RewardFunc]:
        """The reward functions of `objectives` (in order), then the total's if `total`."""
        names = [*objectives, *(["total"] if total else [])]
        return [getattr(self, name) for name in names]

    def items(self, prompts: Sequence[Any], completions: Sequence[Any], columns: Mapping[str, Any]) -> list[dict]:
        """Scoring items from TRL's arguments; a missing question/options column is parsed from the prompt."""
        answers = columns.get(self.keys["answer"])
        if answers is None:
            raise KeyError(
                f"the dataset has no {self.keys['answer']!r} column (the gold answer); pass answer_key= to name it"
            )
        questions = columns.get(self.keys["question"])
        options = columns.get(self.keys["options"])
        items = []
        for i, (prompt, completion) in enumerate(zip(prompts, completions, strict=True)):
            item: dict[str, Any] = {"response": message_text(completion), "answer": answers[i]}
            if questions is not None and options is not None:
                item["question"], item["options"] = questions[i] or "", normalise_options(options[i], i)
            else:
                parsed = parse_prompt(prompt_text(prompt))
                if parsed is None:
                    raise ValueError(
                        f"prompt {i} is not a CRPO prompt and the dataset has no {self.keys['question']!r} and "
                        f"{self.keys['options']!r} columns"
                    )
                item["question"], item["options"] = parsed
            if isinstance(item["answer"], Mapping):
                item["answer"] = {k: v for k, v in item["answer"].items() if v is not None}
            items.append(item)
        return items

    async def score(self, items: list[dict]) -> list[ScoreResult]:
        """Scores of `items`; concurrent calls with the same items share one request."""
        key = hashlib.sha256(pydantic_core.to_json(items)).hexdigest()
        loop = asyncio.get_running_loop()
        cached = self._batches.get(key)
        if cached is None or cached[0] is not loop or (cached[1].done() and cached[1].exception() is not None):
            cached = (loop, loop.create_task(self._request(items)))
            self._batches[key] = cached
            while len(self._batches) > _CACHED_BATCHES:
                self._batches.popitem(last=False)
        return await asyncio.shield(cached[1])

    async def _request(self, items: list[dict]) -> list[ScoreResult]:
        self.requests_sent += 1
        async with AsyncRewardClient(self.base_url, **self.client_kwargs) as client:
            return await client.score(items, **self.score_options)

    def _function(self, name: str) -> RewardFunc:
        async def reward(prompts: list[Any], completions: list[Any], **columns: Any) -> list[float | None]:
            results = await self.score(self.items(prompts, completions, columns))
            return [None if is_unscorable(result) else getattr(result, name) for result in results]

        reward.__name__ = reward.__qualname__ = f"{self.prefix}{name}"
        reward.__doc__ = f"CRPO {name} of each completion, from the reward service (None where not computed)."
        return reward
