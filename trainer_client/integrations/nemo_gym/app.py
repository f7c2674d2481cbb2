"""A NeMo Gym resources server whose `/verify` scores the model's answer on the CRPO reward service.

NeMo Gym's agent posts each rollout to `/verify`: the dataset row (`responses_create_params` plus the
row's own fields, here `question`, `options` and `answer`, as `crpo-data`'s `extra_info` has them) and the
model's `response` (an OpenAI Responses object). The answer is NeMo Gym's verify response with `reward`
(the CRPO total), `reward_components` (each objective's weighted share of the total: they sum to
`reward`, as NeMo RL's multi-reward bridge requires, `validate_reward_components_match_scalar`), the
objectives' own values as top-level fields (NeMo Gym's aggregate metrics profile each) and the sample's
`status`. Without `options` in the row, question and options are parsed from the user turn (a `crpo-data`
prompt).

A rollout the service finds unscorable (no options, no gold answer) gets no verify response: `/verify`
answers HTTP 422 with `{"detail": {"status": "unscorable", "status_reason": ..., "message": ...}}`.
NeMo Gym has no field for "not a reward": its verify response needs a float `reward` (`BaseVerifyResponse`,
which its simple agent validates: a null fails there too), so any number would be trained on. With the
error the simple agent's `/run` fails (its exception middleware answers 500 carrying this body), and the
rollout has no reward anywhere: NeMo Gym's rollout collection (`ng_collect_rollouts`) stops on it; NeMo RL
(read from its source, not run here) stops in its synchronous GRPO loop, and in its single-controller
path counts the agent's 500 as an infrastructure failure (`nemo_rl/environments/nemo_gym.py`,
`_typed_gym_failure`), retries the prompt and then drops it within
`async_rl.rollout_failure.max_consecutive_dropped_prompts` or stops the run (the default, 0). Keep such
items out of NeMo Gym datasets; the error names the reason.

Run it as NeMo Gym runs any resources server (config: `configs/crpo_medical.yaml`), or directly:
`python -m trainer_client.integrations.nemo_gym.app` under `ng_run`.
"""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException
from nemo_gym.base_resources_server import (
    BaseResourcesServerConfig,
    BaseVerifyRequest,
    BaseVerifyResponse,
    SimpleResourcesServer,
)
from pydantic import Field

from schemas import OBJECTIVES, ScoreResult, Weights
from schemas.options import coerce_options
from schemas.prompt import parse_prompt
from trainer_client.client import AsyncRewardClient
from trainer_client.integrations.status import is_unscorable, reason_of, status_of


class CRPOResourcesServerConfig(BaseResourcesServerConfig):
    reward_url: str | list[str] = "http://localhost:8000"
    """The reward service (several URLs: failover and spreading, as `RewardClient`)."""
    weights: dict[str, float] | None = None
    """Per-request weights of the total; the service's defaults (10/1/1/0) when unset."""
    accuracy_mode: str = "crpo"
    timeout_s: float = 120.0


class CRPOVerifyRequest(BaseVerifyRequest):
    question: str = ""
    options: Any = None
    answer: Any = None


class CRPOVerifyResponse(BaseVerifyResponse):
    reward_components: dict[str, float] | None = None
    """Each weighted objective's share of `reward` (`weight · value`, zero weights left out): they sum to it."""
    accuracy: float | None = None
    faithfulness: float | None = None
    comprehensiveness: float | None = None
    format: float | None = None
    status: str = "scored"
    status_reason: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict)


def output_text(body: BaseVerifyRequest) -> str:
    """The assistant's text in the Responses output (its `output_text` parts, in order)."""
    parts: list[str] = []
    for item in body.response.output:
        if getattr(item, "type", None) != "message":
            continue
        for content in getattr(item, "content", None) or []:
            if getattr(content, "type", None) == "output_text":
                parts.append(content.text)
    return "".join(parts)


def user_text(body: BaseVerifyRequest) -> str:
    """The last user turn of the request's input (where `crpo-data` puts the case and the options)."""
    params = body.responses_create_params
    inputs = params.input if isinstance(params.input, list) else [{"role": "user", "content": params.input}]
    for message in reversed(inputs):
        role = message.get("role") if isinstance(message, dict) else getattr(message, "role", None)
        if role != "user":
            continue
        content = message.get("content") if isinstance(message, dict) else getattr(message, "content", None)
        if isinstance(content, str):
            return content
        texts = [p.get("text", "") if isinstance(p, dict) else getattr(p, "text", "") for p in content or []]
        return "".join(texts)
    return ""


def score_item(body: CRPOVerifyRequest) -> dict[str, Any]:
    item: dict[str, Any] = {"response": output_text(body), "answer": body.answer}
    if body.options is not None:
        item["question"], item["options"] = body.question, coerce_options(body.options)
    else:
        parsed = parse_prompt(user_text(body))
        if parsed is not None:
            item["question"], item["options"] = parsed
    return item


def unscorable_error(result: ScoreResult) -> HTTPException:
    """The answer to an item the service cannot score: an error with the reason, never a reward."""
    reason = reason_of(result)
    return HTTPException(
        status_code=422,
        detail={
            "status": status_of(result),
            "status_reason": reason,
            "message": f"the CRPO reward service cannot score this item ({reason}); it has no reward",
        },
    )


def weighted_components(result: ScoreResult, weights: Weights) -> dict[str, float]:
    """`weight · value` of each objective computed with a non-zero weight: the terms of `result.total`."""
    values = {name: getattr(result, name) for name in OBJECTIVES}
    return {name: getattr(weights, name) * v for name, v in values.items() if v is not None and getattr(weights, name)}


class CRPOResourcesServer(SimpleResourcesServer):
    config: CRPOResourcesServerConfig

    async def verify(self, body: CRPOVerifyRequest) -> CRPOVerifyResponse:
        async with AsyncRewardClient(self.config.reward_url, timeout=self.config.timeout_s) as client:
            response = await client.score_response(
                [score_item(body)], weights=self.config.weights, accuracy_mode=self.config.accuracy_mode
            )
        (result,) = response.results
        if is_unscorable(result):
            raise unscorable_error(result)
        return CRPOVerifyResponse(
            **body.model_dump(),
            reward=result.total,
            reward_components=weighted_components(result, response.weights),
            status=status_of(result),
            status_reason=reason_of(result),
            **{name: getattr(result, name) for name in OBJECTIVES},
        )


if __name__ == "__main__":
    CRPOResourcesServer.run_webserver()
