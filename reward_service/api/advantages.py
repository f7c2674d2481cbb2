"""`POST /v1/advantages`: CRPO group-relative advantages from scored components or raw items."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from crpo_core.advantages import compute_advantages
from crpo_core.objective import OBJECTIVE_ORDER, total_reward
from reward_service.api.batch import ensure_finite, overflow_is_422, score_batch
from reward_service.api.body import openapi_body, parse_body
from reward_service.api.score import ERROR_RESPONSES, check_limits
from reward_service.auth import check_api_key
from reward_service.errors import RequestProblem
from reward_service.guard import Ticket, guarded
from reward_service.scoring.engine import ScoringEngine
from reward_service.scoring.identity import config_hash, lexicon_version
from schemas import SPEC_VERSION, AdvantageOut, AdvantageRequest, AdvantageResponse, RawGroupItem, ScoreRequest

router = APIRouter(prefix="/v1", tags=["advantages"], dependencies=[Depends(check_api_key)])


def advantages_body(body: bytes, engine: ScoringEngine, settings, ticket: Ticket) -> tuple[bytes, dict[str, str]]:
    request = parse_body(AdvantageRequest, body)
    if len(request.items) > settings.max_items:
        raise RequestProblem(
            413,
            ("items",),
            f"{len(request.items)} items exceed the limit of {settings.max_items} per request",
            "too_many_items",
        )
    ticket.admit(len(request.items))
    weights = request.weights.apply_to(engine.default_weights) if request.weights else engine.default_weights
    raw = [(i, item) for i, item in enumerate(request.items) if isinstance(item, RawGroupItem)]
    rows: list[dict[str, float | None]] = [
        {} if isinstance(item, RawGroupItem) else item.model_dump(include=set(OBJECTIVE_ORDER))
        for item in request.items
    ]
    if raw:
        score_request = ScoreRequest(
            items=[item for _, item in raw], profile=request.profile, accuracy_mode=request.accuracy_mode
        )
        try:
            check_limits(score_request, settings.max_items, settings.max_response_chars)
            scored = score_batch(engine, score_request, None, ticket)
        except RequestProblem as exc:  # name the item by its index in the request, not among the raw ones
            if len(exc.loc) > 1 and exc.loc[0] == "items" and isinstance(exc.loc[1], int):
                exc.loc = ("items", raw[exc.loc[1]][0], *exc.loc[2:])
            raise
        for (index, _), result in zip(raw, scored.results, strict=True):
            rows[index] = result.model_dump(include=set(OBJECTIVE_ORDER))
    weight_map = weights.model_dump()
    group_ids = [item.group_id for item in request.items]
    for index, row in enumerate(rows):
        ensure_finite(index, total=total_reward(row, weight_map))
    with overflow_is_422():
        computed = compute_advantages(group_ids, rows, weight_map, request.mode, scale_by_std=request.scale_by_std)
    for index, advantage in enumerate(computed.advantages):
        ensure_finite(index, advantage=advantage)
    response = AdvantageResponse(
        advantages=[
            AdvantageOut(id=item.id, group_id=item.group_id, advantage=a, total=total_reward(row, weight_map))
            for item, a, row in zip(request.items, computed.advantages, rows, strict=True)
        ],
        diagnostics=computed.diagnostics,
        mode=request.mode,
        weights=weights,
    )
    config = {
        "spec_version": SPEC_VERSION,
        "lexicon_version": lexicon_version(),
        "weights": weights.model_dump(),
        "mode": request.mode,
        "scale_by_std": request.scale_by_std,
        "profile": request.profile,
        "accuracy_mode": request.accuracy_mode,
    }
    headers = {"X-CRPO-Spec-Version": SPEC_VERSION, "X-CRPO-Config-Hash": config_hash(config)}
    return response.model_dump_json().encode(), headers


@router.post(
    "/advantages",
    response_model=AdvantageResponse,
    responses=ERROR_RESPONSES,
    openapi_extra=openapi_body(AdvantageRequest),
    summary="CRPO group-relative advantages (sum | decoupled) with collapse diagnostics",
)
async def advantages(request: Request) -> Response:
    state = request.app.state

    def work(body: bytes, ticket: Ticket) -> tuple[bytes, dict[str, str]]:
        return advantages_body(body, state.engine, state.settings, ticket)

    payload, headers = await guarded(request, work)
    return Response(content=payload, media_type="application/json", headers=headers)
