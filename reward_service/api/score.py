"""`POST /v1/score` and its single-objective variants."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter, Depends, Request, Response

from reward_service.api.auth import check_api_key
from reward_service.api.batch import ScoredBatch, score_batch
from reward_service.api.body import ERROR_RESPONSES, openapi_body, parse_body
from reward_service.api.guard import Ticket
from reward_service.api.respond import respond_scored
from reward_service.config import Settings
from reward_service.scoring.engine import ScoringEngine
from schemas import ScoreRequest, ScoreResponse

router = APIRouter(prefix="/v1", tags=["scoring"], dependencies=[Depends(check_api_key)])
#: Unversioned paths: `POST /score` is the current version's `POST /v1/score` ("POST /score from any RL framework").
alias_router = APIRouter(tags=["scoring"], dependencies=[Depends(check_api_key)])


def score_body(
    body: bytes, engine: ScoringEngine, settings: Settings, objectives: Sequence[str] | None, ticket: Ticket
) -> tuple[bytes, ScoredBatch]:
    batch = score_batch(engine, settings, ticket, parse_body(ScoreRequest, body), objectives)
    return batch.response.model_dump_json().encode(), batch


async def run_scoring(request: Request, endpoint: str, objectives: Sequence[str] | None) -> Response:
    """Score a `ScoreRequest` body on `objectives` (all when None)."""
    state = request.app.state

    def work(body: bytes, ticket: Ticket) -> tuple[bytes, ScoredBatch]:
        return score_body(body, state.engine, state.settings, objectives, ticket)

    return await respond_scored(request, endpoint, work)


@router.post(
    "/score",
    response_model=ScoreResponse,
    responses=ERROR_RESPONSES,
    openapi_extra=openapi_body(ScoreRequest),
    summary="Score a batch of responses on every objective",
)
async def score(request: Request) -> Response:
    return await run_scoring(request, "/v1/score", None)


@router.post(
    "/score/accuracy",
    response_model=ScoreResponse,
    responses=ERROR_RESPONSES,
    openapi_extra=openapi_body(ScoreRequest),
    summary="Score accuracy (and format) only; never loads the NLP layer",
)
async def score_accuracy(request: Request) -> Response:
    return await run_scoring(request, "/v1/score/accuracy", ("accuracy", "format"))


@router.post(
    "/score/faithfulness",
    response_model=ScoreResponse,
    responses=ERROR_RESPONSES,
    openapi_extra=openapi_body(ScoreRequest),
    summary="Score faithfulness only (accuracy is computed too when needed for answer consistency)",
)
async def score_faithfulness(request: Request) -> Response:
    return await run_scoring(request, "/v1/score/faithfulness", ("faithfulness",))


@router.post(
    "/score/comprehensiveness",
    response_model=ScoreResponse,
    responses=ERROR_RESPONSES,
    openapi_extra=openapi_body(ScoreRequest),
    summary="Score comprehensiveness only",
)
async def score_comprehensiveness(request: Request) -> Response:
    return await run_scoring(request, "/v1/score/comprehensiveness", ("comprehensiveness",))


@alias_router.post(
    "/score",
    response_model=ScoreResponse,
    responses=ERROR_RESPONSES,
    openapi_extra=openapi_body(ScoreRequest),
    summary="Unversioned alias of POST /v1/score (the current version): same body, same answer",
)
async def score_unversioned(request: Request) -> Response:
    return await run_scoring(request, "/score", None)
