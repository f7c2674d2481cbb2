"""`POST /slime/reward`: slime's remote reward protocol (`--rm-type remote_rm --rm-url http://host:8000/slime/reward`).

- `prompt` is the prompt string (chat template applied) or the chat messages; the question and options
  are read from the user turn when the label does not carry them (`schemas.prompt.parse_prompt`);
- `label` follows what `crpo-data` writes: `--label-key extra_info` gives an object with `question`,
  `options` and `answer` (used as is); `--label-key reward_model` gives `{"ground_truth": letter}`; a bare
  letter (or any gold answer) is the gold with question and options parsed from the prompt; a JSON object
  string is read as the object; null or an empty string: no gold; a label object with a `question` but no
  `options`, on a prompt without an options block, is an item without options (`unscorable`, `no_options`);
  a gold letter alone on such a prompt is a 422 naming the sample (the question cannot be read);
- the answer is a `SlimeReward`: `score` is the CRPO total (null when the sample is unscorable), with each
  objective, the sample's `status` and `status_reason`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import TypeAdapter, ValidationError

from crpo_core.objective import OBJECTIVE_ORDER
from reward_service.api.auth import check_api_key
from reward_service.api.batch import Loc, ScoredBatch, score_batch
from reward_service.api.body import ERROR_RESPONSES, openapi_body, parse_body
from reward_service.api.guard import Ticket
from reward_service.api.respond import respond_scored
from reward_service.config import Settings
from reward_service.errors import RequestProblem
from reward_service.scoring.engine import ScoringEngine
from schemas import ScoreItem, ScoreRequest, ScoreResult
from schemas.options import coerce_options
from schemas.prompt import parse_prompt
from schemas.slime import SlimeLabel, SlimeRequest, SlimeReward, SlimeSample

router = APIRouter(tags=["slime"], dependencies=[Depends(check_api_key)])
_REWARDS = TypeAdapter(list[SlimeReward])


def prompt_text(prompt: str | Sequence[Mapping[str, Any]]) -> str:
    """The prompt string, or the content of the last user turn of a chat (where `crpo-data` puts the case)."""
    if isinstance(prompt, str):
        return prompt
    users = [m for m in prompt if m.get("role") == "user"] or list(prompt)
    content = users[-1].get("content", "") if users else ""
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        return ""
    parts = [part.get("text") for part in content if isinstance(part, Mapping)]
    return "".join(part for part in parts if isinstance(part, str))


def read_label(label: str | dict[str, Any] | None, index: int) -> SlimeLabel | None:
    """The label as a `SlimeLabel` (a letter becomes its `answer`); None when there is no gold at all."""
    if label is None:
        return None
    if isinstance(label, str):
        text = label.strip()
        if not text:
            return None
        if not text.startswith("{"):
            return SlimeLabel(answer=text)
        try:
            label = json.loads(text)
        except ValueError as exc:
            raise RequestProblem(422, ("label", index), f"is not valid JSON: {exc}", "invalid_label") from exc
        if not isinstance(label, dict):
            raise RequestProblem(422, ("label", index), "a JSON label must be an object", "invalid_label")
    try:
        return SlimeLabel.model_validate(label)
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        raise RequestProblem(422, ("label", index, *first["loc"]), first["msg"], "invalid_label") from exc


def to_item(sample: SlimeSample, index: int) -> ScoreItem:
    """The scoring item of one sample; a 422 names the sample (`label[i]`, `prompt[i]`) and the field."""
    label = read_label(sample.label, index)
    gold = None if label is None else (label.answer if label.answer is not None else label.ground_truth)
    fields: dict[str, Any] = {"id": str(index), "response": sample.response, "answer": gold}
    if label is not None and label.options is not None:
        try:
            fields["options"] = coerce_options(label.options)
        except ValueError as exc:
            raise RequestProblem(422, ("label", index, "options"), str(exc), "invalid_label") from exc
        fields["question"] = label.question or ""
    else:
        parsed = parse_prompt(prompt_text(sample.prompt))
        if parsed is None and label is not None and label.question:
            fields["question"] = label.question  # the label names the item, which has no options: `no_options`
        elif parsed is None and gold is not None:
            raise RequestProblem(
                422,
                ("prompt", index),
                "is not a CRPO prompt (no 'Question:' / 'Options:' block) and the label has no options; send "
                "crpo-data's extra_info as the label (--label-key extra_info)",
                "unparsable_prompt",
            )
        if parsed is not None:
            fields["question"], fields["options"] = parsed
    try:
        return ScoreItem.model_validate(fields)
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        raise RequestProblem(422, ("label", index, *first["loc"]), first["msg"], "invalid_label") from exc


def locate(loc: Loc) -> Loc:
    """A place the engine names `items[i].<field>`, in slime's terms (`response[i]`, `label[i]`)."""
    if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int):
        field = loc[2] if len(loc) > 2 else None
        return ("response", loc[1]) if field == "response" else ("label", loc[1])
    return loc


def to_reward(result: ScoreResult) -> SlimeReward:
    """A result as slime's reward object; an unscorable sample gets `score: null`, never a number."""
    status = getattr(result, "status", "scored")  # `ScoreResult.status` (issue 16); absent before it
    objectives = {name: getattr(result, name) for name in OBJECTIVE_ORDER}
    return SlimeReward(
        score=None if status == "unscorable" else result.total,
        status=status,
        status_reason=getattr(result, "status_reason", None),
        **objectives,
    )


def slime_body(body: bytes, engine: ScoringEngine, settings: Settings, ticket: Ticket) -> tuple[bytes, ScoredBatch]:
    request = parse_body(SlimeRequest, body).root
    samples = request if isinstance(request, list) else [request]
    score_request = ScoreRequest(items=[to_item(sample, index) for index, sample in enumerate(samples)])
    batch = score_batch(engine, settings, ticket, score_request, locate=locate)
    rewards = [to_reward(result) for result in batch.response.results]
    payload = _REWARDS.dump_json(rewards) if isinstance(request, list) else rewards[0].model_dump_json().encode()
    return payload, batch


@router.post(
    "/slime/reward",
    response_model=SlimeReward | list[SlimeReward],
    responses=ERROR_RESPONSES,
    openapi_extra=openapi_body(SlimeRequest),
    summary="slime remote reward: {prompt, response, label} -> {score, objectives, status} (or arrays of them)",
)
async def slime_reward(request: Request) -> Response:
    state = request.app.state

    def work(body: bytes, ticket: Ticket) -> tuple[bytes, ScoredBatch]:
        return slime_body(body, state.engine, state.settings, ticket)

    return await respond_scored(request, "/slime/reward", work)
