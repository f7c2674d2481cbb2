"""`POST /v1/score` and its single-objective variants."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from fastapi import APIRouter, Depends, Request, Response

from reward_service.api.batch import score_batch
from reward_service.api.body import openapi_body, parse_body
from reward_service.auth import check_api_key
from reward_service.errors import RequestProblem
from reward_service.guard import Ticket, guarded
from reward_service.metrics import ITEM_STATUS, ITEMS, SCORES
from reward_service.monitoring import observe_monitors
from reward_service.scoring.engine import ScoringEngine
from schemas import OBJECTIVES, ErrorResponse, ScoreRequest, ScoreResponse

router = APIRouter(prefix="/v1", tags=["scoring"], dependencies=[Depends(check_api_key)])
#: Unversioned paths: `POST /score` is the current version's `POST /v1/score` ("POST /score from any RL framework").
alias_router = APIRouter(tags=["scoring"], dependencies=[Depends(check_api_key)])

ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorResponse, "description": "Missing or wrong API key"},
    408: {"model": ErrorResponse, "description": "The body was not received within the request timeout"},
    413: {"model": ErrorResponse, "description": "Too many items, too long a response, or too large a body"},
    422: {
        "model": ErrorResponse,
        "description": "Malformed request (invalid JSON, JSON nested too deep, wrong field); `detail[].loc` names "
        "the item and field",
    },
    503: {"model": ErrorResponse, "description": "Overloaded; retry after `Retry-After` seconds"},
    504: {"model": ErrorResponse, "description": "Not answered within the request timeout; retry (`Retry-After`)"},
}


def check_limits(request: ScoreRequest, max_items: int, max_response_chars: int) -> None:
    if len(request.items) > max_items:
        raise RequestProblem(
            413, ("items",), f"{len(request.items)} items exceed the limit of {max_items} per request", "too_many_items"
        )
    for index, item in enumerate(request.items):
        if len(item.response) > max_response_chars:
            raise RequestProblem(
                413,
                ("items", index, "response"),
                f"response has {len(item.response)} characters; the limit is {max_response_chars}",
                "response_too_long",
            )


def score_body(
    body: bytes, engine: ScoringEngine, settings, objectives: Sequence[str] | None, ticket: Ticket
) -> tuple[bytes, ScoreResponse]:
    request = parse_body(ScoreRequest, body)
    check_limits(request, settings.max_items, settings.max_response_chars)
    ticket.admit(len(request.items))
    response = score_batch(engine, request, objectives, ticket)
    observe_monitors(response, [item.group_id for item in request.items])
    return response.model_dump_json().encode(), response


def identity_headers(response: ScoreResponse) -> dict[str, str]:
    """The scorer identity of a response (`X-CRPO-Spec-Version`, `X-CRPO-Config-Hash`)."""
    return {"X-CRPO-Spec-Version": response.spec_version, "X-CRPO-Config-Hash": response.config_hash}


async def respond_scored(
    request: Request, endpoint: str, work: Callable[[bytes, Ticket], tuple[bytes, ScoreResponse]]
) -> Response:
    """Run `work` (body, ticket) -> (payload, scored) within the process's bounds (`guarded`), count what it
    scored and answer with the scorer's identity headers: the one path of every scoring protocol."""
    payload, response = await guarded(request, work)
    observe_scores(endpoint, response)
    return Response(content=payload, media_type="application/json", headers=identity_headers(response))


async def run_scoring(request: Request, endpoint: str, objectives: Sequence[str] | None) -> Response:
    """Score a `ScoreRequest` body on `objectives` (all when None)."""
    state = request.app.state

    def work(body: bytes, ticket: Ticket) -> tuple[bytes, ScoreResponse]:
        return score_body(body, state.engine, state.settings, objectives, ticket)

    return await respond_scored(request, endpoint, work)


def observe_scores(endpoint: str, response: ScoreResponse) -> None:
    """Count the items scored (and by status) and record each objective's score distribution (Prometheus)."""
    ITEMS.labels(endpoint).inc(len(response.results))
    for result in response.results:
        ITEM_STATUS.labels(result.status, result.status_reason or "").inc()
        for name in OBJECTIVES:
            value = getattr(result, name)
            if value is not None:
                SCORES.labels(name).observe(value)


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
