"""A verifiers environment whose rubric scores on the reward service (`vf.load_environment("crpo-medical")`).

    import verifiers as vf
    env = vf.load_environment("crpo-medical", base_url="http://localhost:8000", dataset=rows)

`CRPORubric` has one group reward function per objective, `crpo_accuracy`, `crpo_faithfulness` and
`crpo_comprehensiveness` (weights 10, 1, 1 by default: the CRPO total), and weight-0 metrics `crpo_format`
and `crpo_total` (logged, not trained on). verifiers scores a group by calling each function in turn; the
first one sends the group's single `POST /v1/score` and keeps each result in its rollout's state, the
others read it from there: one HTTP call per group, shared by every objective.

Rows need `prompt` (the chat `crpo-data` writes) and `answer` (the gold letter), and may carry `info`
with `question` and `options` (as `crpo-data`'s `extra_info`); without them both are parsed from the
prompt. An objective the service does not compute counts 0.0 in the weighted reward (verifiers' rubric
only takes numbers) and is left out of `state["crpo"]`. A rollout the service finds unscorable (issue
16's `status`) gets `state["error"]` set — verifiers' mark of a rollout not to be trusted, which it reports
and which a trainer that drops errored rollouts skips — never a score of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import verifiers as vf

from schemas import OBJECTIVES as ALL_OBJECTIVES
from schemas import ScoreResult, Weights
from schemas.options import coerce_options
from schemas.prompt import parse_prompt
from trainer_client.client import AsyncRewardClient
from trainer_client.integrations.status import is_unscorable, reason_of, status_of

#: The weighted reward functions (format, weight 0 by default, and the total are logged as metrics).
OBJECTIVES = tuple(name for name in ALL_OBJECTIVES if name != "format")
METRICS = ("format", "total")
DEFAULT_WEIGHTS = {name: weight for name, weight in Weights().model_dump().items() if name in OBJECTIVES}
STATE_KEY = "crpo"


class CRPOUnscorable(vf.Error):
    """The service could not score this rollout (no options, no gold answer, ...)."""


def message_text(message: Any) -> str:
    """The text of a message (a dict or a verifiers message object), or of a plain string."""
    if isinstance(message, str):
        return message
    content = message.get("content") if isinstance(message, Mapping) else getattr(message, "content", None)
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    parts = []
    for part in content:
        text = part.get("text") if isinstance(part, Mapping) else getattr(part, "text", None)
        parts.append(text or "")
    return "".join(parts)


def role_of(message: Any) -> str | None:
    return message.get("role") if isinstance(message, Mapping) else getattr(message, "role", None)


def completion_text(completion: Any) -> str:
    """The assistant's text: the completion string, or the last assistant message of a chat."""
    if isinstance(completion, str):
        return completion
    replies = [m for m in completion if role_of(m) == "assistant"] or list(completion)
    return message_text(replies[-1]) if replies else ""


def prompt_user_text(prompt: Any) -> str:
    if isinstance(prompt, str):
        return prompt
    users = [m for m in prompt if role_of(m) == "user"] or list(prompt)
    return message_text(users[-1]) if users else ""


def score_item(prompt: Any, completion: Any, answer: Any, info: Mapping[str, Any] | None) -> dict[str, Any]:
    """The `/v1/score` item of one rollout."""
    item: dict[str, Any] = {"response": completion_text(completion), "answer": answer if answer != "" else None}
    info = info or {}
    if info.get("options") is not None:
        item["question"], item["options"] = info.get("question") or "", coerce_options(info["options"])
    else:
        parsed = parse_prompt(prompt_user_text(prompt))
        if parsed is not None:
            item["question"], item["options"] = parsed
    return item


class CRPORubric(vf.Rubric):
    """Objective reward functions (weighted) and metrics (weight 0) backed by one `/v1/score` call per group."""

    def __init__(
        self,
        base_url: str | Sequence[str],
        *,
        weights: Mapping[str, float] | None = None,
        accuracy_mode: str = "crpo",
        **client_kwargs: Any,
    ) -> None:
        self.base_url = base_url
        self.accuracy_mode = accuracy_mode
        self.client_kwargs = client_kwargs
        self.requests_sent = 0
        chosen = {**DEFAULT_WEIGHTS, **(weights or {})}
        funcs = [self._function(name) for name in (*OBJECTIVES, *METRICS)]
        super().__init__(funcs=funcs, weights=[chosen[name] for name in OBJECTIVES] + [0.0] * len(METRICS))

    async def scores(self, prompts: list, completions: list, answers: list, states: list, infos: list) -> list[dict]:
        """Each rollout's scores, from its state when an earlier function of this group already asked."""
        missing = [i for i, state in enumerate(states) if STATE_KEY not in state]
        if missing:
            items = [score_item(prompts[i], completions[i], answers[i], infos[i]) for i in missing]
            self.requests_sent += 1
            async with AsyncRewardClient(self.base_url, **self.client_kwargs) as client:
                results = await client.score(items, accuracy_mode=self.accuracy_mode)
            for i, result in zip(missing, results, strict=True):
                self._keep(states[i], result)
        return [state[STATE_KEY] for state in states]

    @staticmethod
    def _keep(state: Any, result: ScoreResult) -> None:
        scores = {name: getattr(result, name) for name in (*OBJECTIVES, "format")}
        state[STATE_KEY] = {
            **{k: v for k, v in scores.items() if v is not None},
            "total": result.total,
            "status": status_of(result),
            "status_reason": reason_of(result),
        }
        if is_unscorable(result):
            state["error"] = CRPOUnscorable(f"the reward service could not score this rollout: {reason_of(result)}")

    def _function(self, name: str):
        async def reward(prompts: list, completions: list, answers: list, states: list, infos: list) -> list[float]:
            scores = await self.scores(prompts, completions, answers, states, infos)
            return [0.0 if s["status"] == "unscorable" else float(s.get(name, 0.0)) for s in scores]

        reward.__name__ = reward.__qualname__ = f"crpo_{name}"
        reward.__doc__ = f"CRPO {name} of each rollout, from the reward service."
        return reward


def to_dataset(rows: Sequence[Mapping[str, Any]]):
    """A Hugging Face dataset from rows with `prompt`, `answer` and optional `info` (or crpo-data's parquet rows)."""
    from datasets import Dataset

    out = []
    for row in rows:
        info = dict(row.get("info") or row.get("extra_info") or {})
        answer = row.get("answer") or (row.get("reward_model") or {}).get("ground_truth") or info.get("answer", "")
        prompt = [{"role": m["role"], "content": m["content"]} for m in row["prompt"] if m["role"] != "system"]
        out.append({"prompt": prompt, "answer": answer, "info": info})
    return Dataset.from_list(out)


def load_environment(
    base_url: str | Sequence[str] = "http://localhost:8000",
    dataset: Any = None,
    *,
    weights: Mapping[str, float] | None = None,
    system_prompt: str | None = None,
    **client_kwargs: Any,
) -> vf.Environment:
    """The verifiers entry point: a single-turn environment scored by `CRPORubric`.

    `dataset` is a Hugging Face dataset with `prompt`, `answer` (and `info`), a list of such rows or of
    `crpo-data` parquet rows, or the path of a `crpo-data` parquet file.
    """
    from schemas.prompt import SYSTEM_PROMPT

    if isinstance(dataset, str):
        import pyarrow.parquet as pq

        dataset = pq.read_table(dataset).to_pylist()
    if isinstance(dataset, Sequence):
        dataset = to_dataset(dataset)
    rubric = CRPORubric(base_url, weights=weights, **client_kwargs)
    return vf.SingleTurnEnv(dataset=dataset, system_prompt=system_prompt or SYSTEM_PROMPT, rubric=rubric)
