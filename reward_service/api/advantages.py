"""`POST /v1/advantages`: CRPO group-relative advantages from scored components or raw items."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Depends, Request, Response

from reward_service.api.auth import check_api_key
from reward_service.api.batch import GroupAdvantages, ScoredBatch, score_batch
from reward_service.api.body import ERROR_RESPONSES, openapi_body, parse_body
from reward_service.api.guard import Ticket
from reward_service.api.respond import respond_scored
from reward_service.config import Settings
from reward_service.scoring.engine import ScoringEngine
from reward_service.scoring.identity import config_hash, lexicon_version
from schemas import SPEC_VERSION, AdvantageOut, AdvantageRequest, AdvantageResponse, RawGroupItem, ScoreRequest

router = APIRouter(prefix="/v1", tags=["advantages"], dependencies=[Depends(check_api_key)])


def advantages_config(request: AdvantageRequest, weights: dict[str, float]) -> dict[str, object]:
    """What decides the advantages besides the items (hashed into `X-CRPO-Config-Hash`)."""
    return {
        "spec_version": SPEC_VERSION,
        "lexicon_version": lexicon_version(),
        "weights": weights,
        "mode": request.mode,
        "scale_by_std": request.scale_by_std,
        "profile": request.profile,
        "accuracy_mode": request.accuracy_mode,
    }


def advantages_body(
    body: bytes, engine: ScoringEngine, settings: Settings, ticket: Ticket
) -> tuple[bytes, ScoredBatch]:
    request = parse_body(AdvantageRequest, body)
    raw = [item for item in request.items if isinstance(item, RawGroupItem)]
    given = {place: item for place, item in enumerate(request.items) if not isinstance(item, RawGroupItem)}
    score_request = ScoreRequest(
        items=raw, weights=request.weights, profile=request.profile, accuracy_mode=request.accuracy_mode
    )
    plan = GroupAdvantages(request.mode, scale_by_std=request.scale_by_std, skip_unscorable=False)
    batch = score_batch(engine, settings, ticket, score_request, given=given, advantages=plan)
    scored = batch.response
    response = AdvantageResponse(
        advantages=[
            AdvantageOut(id=item.id, group_id=item.group_id, advantage=result.advantage, total=result.total)
            for item, result in zip(request.items, scored.results, strict=True)
        ],
        diagnostics=scored.advantage_diagnostics or {},
        mode=request.mode,
        weights=scored.weights,
    )
    identity = config_hash(advantages_config(request, scored.weights.model_dump()))
    return response.model_dump_json().encode(), replace(
        batch, response=scored.model_copy(update={"config_hash": identity})
    )


@router.post(
    "/advantages",
    response_model=AdvantageResponse,
    responses=ERROR_RESPONSES,
    openapi_extra=openapi_body(AdvantageRequest),
    summary="CRPO group-relative advantages (sum | decoupled) with collapse diagnostics",
)
async def advantages(request: Request) -> Response:
    state = request.app.state

    def work(body: bytes, ticket: Ticket) -> tuple[bytes, ScoredBatch]:
        return advantages_body(body, state.engine, state.settings, ticket)

    return await respond_scored(request, "/v1/advantages", work)
