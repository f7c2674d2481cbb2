"""A NeMo Gym resources server whose `/verify` scores the model's answer on the CRPO reward service.

NeMo Gym's agent posts each rollout to `/verify`: the dataset row (`responses_create_params` plus the
row's own fields, here `question`, `options` and `answer`, as `crpo-data`'s `extra_info` has them) and the
model's `response` (an OpenAI Responses object). The answer is NeMo Gym's verify response with `reward`
(the CRPO total) and `reward_components` (one entry per objective the service computed), the objectives
also as top-level fields so NeMo Gym's aggregate metrics profile each, and the sample's `status`.
Without `options` in the row, question and options are parsed from the user turn (a `crpo-data` prompt).

A rollout the service finds unscorable (no options, no gold answer, ...) answers `status: unscorable`,
`reward_components: null` and no objective: NeMo Gym's verify response must carry a float `reward`, which
is then 0.0 and means nothing; a trainer reading `reward_components` (GDPO-style) has nothing to train on.

Run it as NeMo Gym runs any resources server (config: `configs/crpo_medical.yaml`), or directly:
`python -m trainer_client.integrations.nemo_gym.app` under `ng_run`.
"""

from __future__ import annotations

from typing import Any

from nemo_gym.base_resources_server import (
    BaseResourcesServerConfig,
    BaseVerifyRequest,
    BaseVerifyResponse,
    SimpleResourcesServer,
)
from pydantic import Field

from schemas import OBJECTIVES
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


class CRPOResourcesServer(SimpleResourcesServer):
    config: CRPOResourcesServerConfig

    async def verify(self, body: CRPOVerifyRequest) -> CRPOVerifyResponse:
        async with AsyncRewardClient(self.config.reward_url, timeout=self.config.timeout_s) as client:
            (result,) = await client.score(
                [score_item(body)], weights=self.config.weights, accuracy_mode=self.config.accuracy_mode
            )
        objectives = {name: getattr(result, name) for name in OBJECTIVES}
        unscorable = is_unscorable(result)
        components = None if unscorable else {k: v for k, v in objectives.items() if v is not None}
        return CRPOVerifyResponse(
            **body.model_dump(),
            reward=0.0 if unscorable else result.total,
            reward_components=components,
            status=status_of(result),
            status_reason=reason_of(result),
            **({} if unscorable else objectives),
        )


if __name__ == "__main__":
    CRPOResourcesServer.run_webserver()
