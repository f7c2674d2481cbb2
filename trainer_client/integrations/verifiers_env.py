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
only takes numbers) and is left out of `state["crpo"]`.

A rollout the service finds unscorable (issue 16's `status`: no options, no gold answer) is marked the way
verifiers and prime-rl mark a rollout not to be trained on: `state["error"]` is a `CRPOUnscorable` (a
`vf.Error`, so verifiers' `max_retries` does not retry it), which verifiers writes to the rollout's output
`error`; prime-rl (its orchestrator runs this environment through verifiers' v0 bridge,
`verifiers.v1.legacy.rollout_output_to_trace`, which makes that `error` a trace error) drops errored
rollouts before it computes advantages, and the whole group for a group-scored environment such as this
one (`TrainSink.process_group`). Its reward functions still return 0.0, because verifiers needs a number
(`Rubric.score_group` sums `score * weight`, `RubricGroup` adds the rubrics' rewards; a NaN would make
the group's mean, and with it every rollout's `advantage`, NaN). Unscorable is a property of the item, so
every rollout of the group is: all get 0.0 and verifiers' own group advantage is 0 for each. The weight-0
metric `crpo_unscorable` (1.0 / 0.0) counts them in verifiers' metrics.

A reward service that cannot be reached (or refuses the request) is not a wrong answer either: verifiers
would log the exception and give every rollout 0.0, so the rubric catches it and sets `state["error"]`
instead, a `CRPOServiceUnavailable` (a `vf.InfraError`: verifiers' `max_retries` retries the group) or a
`CRPORequestRejected`.
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
from trainer_client.errors import RewardServiceError, ServiceUnavailable
from trainer_client.integrations.status import is_unscorable, reason_of, status_of

#: The weighted reward functions (format, weight 0 by default, the total and the unscorable flag are metrics).
OBJECTIVES = tuple(name for name in ALL_OBJECTIVES if name != "format")
METRICS = ("format", "total", "unscorable")
DEFAULT_WEIGHTS = {name: weight for name, weight in Weights().model_dump().items() if name in OBJECTIVES}
STATE_KEY = "crpo"
#: statuses whose rollouts carry `state["error"]`: every function but `crpo_unscorable` gives them 0.0
SKIPPED = frozenset({"unscorable", "error"})


class CRPOUnscorable(vf.Error):
    """The service found this rollout unscorable (no options, no gold answer): not a reward, skip it."""

    def __init__(self, reason: str | None) -> None:
        self.reason = reason
        super().__init__(f"unscorable: {reason} (the CRPO reward service cannot score this item; not a reward)")


class CRPOServiceUnavailable(vf.InfraError):
    """The reward service could not be reached or kept failing: no reward, not a wrong answer."""


class CRPORequestRejected(vf.Error):
    """The reward service refused the group's request (a malformed item): no reward."""


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
            try:
                async with AsyncRewardClient(self.base_url, **self.client_kwargs) as client:
                    results = await client.score(items, accuracy_mode=self.accuracy_mode)
            except RewardServiceError as exc:
                kind = CRPOServiceUnavailable if isinstance(exc, ServiceUnavailable) else CRPORequestRejected
                for i in missing:
                    self._fail(states[i], kind(f"no reward from the CRPO reward service: {exc}"))
            else:
                for i, result in zip(missing, results, strict=True):
                    self._keep(states[i], result)
        return [state[STATE_KEY] for state in states]

    @staticmethod
    def _keep(state: Any, result: ScoreResult) -> None:
        scores = {name: getattr(result, name) for name in (*OBJECTIVES, "format")}
        unscorable = is_unscorable(result)
        state[STATE_KEY] = {
            **{k: v for k, v in scores.items() if v is not None},
            "total": result.total,
            "unscorable": float(unscorable),
            "status": status_of(result),
            "status_reason": reason_of(result),
        }
        if unscorable:
            state["error"] = CRPOUnscorable(reason_of(result))

    @staticmethod
    def _fail(state: Any, error: vf.Error) -> None:
        """No scores for this rollout: its functions give 0.0 (verifiers needs a number), `state["error"]` says why."""
        state[STATE_KEY] = {"status": "error", "status_reason": type(error).__name__}
        state["error"] = error

    def _function(self, name: str):
        async def reward(prompts: list, completions: list, answers: list, states: list, infos: list) -> list[float]:
            scores = await self.scores(prompts, completions, answers, states, infos)
            if name == "unscorable":
                return [float(s.get(name, 0.0)) for s in scores]
            return [0.0 if s["status"] in SKIPPED else float(s.get(name, 0.0)) for s in scores]

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
