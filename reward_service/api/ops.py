"""Operational endpoints: liveness, readiness, metrics and service information."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from reward_service.metrics import render_metrics
from schemas import API_VERSION, SPEC_VERSION, InfoResponse, Limits
from schemas.score import AccuracyMode, Profile

router = APIRouter(tags=["operations"])


def package_version() -> str:
    try:
        return version("crpo-reward")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "0+unknown"


@router.get("/healthz", summary="Liveness: the process answers")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Readiness: every objective's resources are loaded")
async def readyz(request: Request) -> JSONResponse:
    readiness = request.app.state.readiness
    body = {"status": "ready" if readiness.ready else "loading", "components": readiness.components()}
    return JSONResponse(body, status_code=200 if readiness.ready else 503)


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}, "description": "Exposition text"}},
)
async def metrics() -> Response:
    payload, content_type = render_metrics()
    return Response(payload, media_type=content_type)


@router.get("/v1/info", response_model=InfoResponse, summary="Versions, objectives, weights and limits")
async def info(request: Request) -> InfoResponse:
    state = request.app.state
    settings = state.settings
    return InfoResponse(
        version=package_version(),
        api_version=API_VERSION,
        spec_version=SPEC_VERSION,
        objectives=state.engine.available_objectives(),
        default_weights=state.engine.default_weights,
        profiles=list(Profile.__args__),
        accuracy_modes=list(AccuracyMode.__args__),
        limits=Limits(
            max_items=settings.max_items,
            max_response_chars=settings.max_response_chars,
            max_body_bytes=settings.max_body_bytes,
            max_inflight_items=settings.max_inflight_items,
            request_timeout_s=settings.request_timeout_s,
        ),
        lexicon=state.readiness.lexicon_info(),
    )
