"""`POST /get_reward`: OpenRLHF's remote reward protocol (`--reward.remote_url http://host:8000/get_reward`)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from reward_service.api.batch import score_batch
from reward_service.api.body import openapi_body, parse_body
from reward_service.api.score import ERROR_RESPONSES, check_limits, respond_scored
from reward_service.auth import check_api_key
from reward_service.errors import RequestProblem
from reward_service.guard import Ticket
from reward_service.monitoring import observe_monitors
from reward_service.openrlhf import relocate, to_items, to_response
from reward_service.scoring.engine import ScoringEngine
from schemas import ScoreRequest, ScoreResponse
from schemas.openrlhf import OpenRLHFRequest, OpenRLHFResponse

router = APIRouter(tags=["openrlhf"], dependencies=[Depends(check_api_key)])


def get_reward_body(body: bytes, engine: ScoringEngine, settings, ticket: Ticket) -> tuple[bytes, ScoreResponse]:
    request = parse_body(OpenRLHFRequest, body)
    score_request = ScoreRequest(items=to_items(request))
    try:
        check_limits(score_request, settings.max_items, settings.max_response_chars)
        ticket.admit(len(score_request.items))
        scored = score_batch(engine, score_request, None, ticket)
    except RequestProblem as problem:
        raise relocate(problem) from problem
    observe_monitors(scored, [None] * len(scored.results))
    response = to_response(scored.results, scored.weights.model_dump())
    return response.model_dump_json().encode(), scored


@router.post(
    "/get_reward",
    response_model=OpenRLHFResponse,
    responses=ERROR_RESPONSES,
    openapi_extra=openapi_body(OpenRLHFRequest),
    summary="OpenRLHF remote reward: {query, prompts, labels} -> {rewards, scores, extra_logs}",
)
async def get_reward(request: Request) -> Response:
    state = request.app.state

    def work(body: bytes, ticket: Ticket) -> tuple[bytes, ScoreResponse]:
        return get_reward_body(body, state.engine, state.settings, ticket)

    return await respond_scored(request, "/get_reward", work)
