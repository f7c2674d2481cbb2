"""`POST /get_reward`: OpenRLHF's remote reward protocol (`--reward.remote_url http://host:8000/get_reward`)."""

from __future__ import annotations

import anyio
from fastapi import APIRouter, Depends, Request, Response

from reward_service.api.body import openapi_body, parse_body, read_body
from reward_service.api.score import ERROR_RESPONSES, check_limits
from reward_service.auth import check_api_key
from reward_service.errors import RequestProblem
from reward_service.metrics import ITEMS, SCORES
from reward_service.openrlhf import relocate, to_items, to_response
from reward_service.scoring.engine import ScoringEngine
from schemas import ScoreRequest, ScoreResponse
from schemas.openrlhf import OpenRLHFRequest, OpenRLHFResponse

router = APIRouter(tags=["openrlhf"], dependencies=[Depends(check_api_key)])


def get_reward_body(body: bytes, engine: ScoringEngine, settings) -> tuple[bytes, OpenRLHFResponse, ScoreResponse]:
    request = parse_body(OpenRLHFRequest, body)
    score_request = ScoreRequest(items=to_items(request))
    try:
        check_limits(score_request, settings.max_items, settings.max_response_chars)
        scored = engine.score(score_request)
    except RequestProblem as problem:
        raise relocate(problem) from problem
    response = to_response(scored.results, scored.weights.model_dump())
    return response.model_dump_json().encode(), response, scored


@router.post(
    "/get_reward",
    response_model=OpenRLHFResponse,
    responses=ERROR_RESPONSES,
    openapi_extra=openapi_body(OpenRLHFRequest),
    summary="OpenRLHF remote reward: {query, prompts, labels} -> {rewards, scores, extra_logs}",
)
async def get_reward(request: Request) -> Response:
    body = await read_body(request)
    state = request.app.state
    payload, _, scored = await anyio.to_thread.run_sync(get_reward_body, body, state.engine, state.settings)
    ITEMS.labels("/get_reward").inc(len(scored.results))
    for result in scored.results:
        for name in ("accuracy", "faithfulness", "comprehensiveness", "format"):
            value = getattr(result, name)
            if value is not None:
                SCORES.labels(name).observe(value)
    return Response(content=payload, media_type="application/json")
