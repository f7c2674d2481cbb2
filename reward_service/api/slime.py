"""`POST /slime/reward`: slime's remote reward protocol (`--rm-type remote_rm --rm-url http://host:8000/slime/reward`)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from pydantic import TypeAdapter

from reward_service.api.batch import score_batch
from reward_service.api.body import openapi_body, parse_body
from reward_service.api.score import ERROR_RESPONSES, check_limits, respond_scored
from reward_service.auth import check_api_key
from reward_service.errors import RequestProblem
from reward_service.guard import Ticket
from reward_service.monitoring import observe_monitors
from reward_service.scoring.engine import ScoringEngine
from reward_service.slime import relocate, to_item, to_reward
from schemas import ScoreRequest, ScoreResponse
from schemas.slime import SlimeRequest, SlimeReward

router = APIRouter(tags=["slime"], dependencies=[Depends(check_api_key)])
_REWARDS = TypeAdapter(list[SlimeReward])


def slime_body(body: bytes, engine: ScoringEngine, settings, ticket: Ticket) -> tuple[bytes, ScoreResponse]:
    request = parse_body(SlimeRequest, body).root
    samples = request if isinstance(request, list) else [request]
    score_request = ScoreRequest(items=[to_item(sample, index) for index, sample in enumerate(samples)])
    try:
        check_limits(score_request, settings.max_items, settings.max_response_chars)
        ticket.admit(len(score_request.items))
        scored = score_batch(engine, score_request, None, ticket)
    except RequestProblem as problem:
        raise relocate(problem) from problem
    observe_monitors(scored, [None] * len(scored.results))
    rewards = [to_reward(result) for result in scored.results]
    payload = _REWARDS.dump_json(rewards) if isinstance(request, list) else rewards[0].model_dump_json().encode()
    return payload, scored


@router.post(
    "/slime/reward",
    response_model=SlimeReward | list[SlimeReward],
    responses=ERROR_RESPONSES,
    openapi_extra=openapi_body(SlimeRequest),
    summary="slime remote reward: {prompt, response, label} -> {score, objectives, status} (or arrays of them)",
)
async def slime_reward(request: Request) -> Response:
    state = request.app.state

    def work(body: bytes, ticket: Ticket) -> tuple[bytes, ScoreResponse]:
        return slime_body(body, state.engine, state.settings, ticket)

    return await respond_scored(request, "/slime/reward", work)
