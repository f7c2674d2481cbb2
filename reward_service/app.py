"""The FastAPI application factory: `create_app()` (uvicorn: `reward_service.app:create_app --factory`)."""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reward_service.api import advantages, case, openrlhf, ops, score, slime
from reward_service.api.body import BodyInvalid
from reward_service.api.guard import Guard
from reward_service.config import Settings
from reward_service.errors import RequestProblem, format_loc
from reward_service.logs import configure_logging, log_crash
from reward_service.metrics import ERRORS, LATENCY, REQUESTS
from reward_service.readiness import Readiness
from reward_service.scoring.engine import ScoringEngine
from schemas import AdvantageRequest, ScoreRequest
from schemas.case import CaseRequest
from schemas.openrlhf import OpenRLHFRequest
from schemas.slime import SlimeRequest

ROUTERS = [ops.router, score.router, score.alias_router, advantages.router, case.router, openrlhf.router, slime.router]
#: Models whose schemas the hand-parsed endpoints reference from the OpenAPI document.
BODY_MODELS = [ScoreRequest, AdvantageRequest, OpenRLHFRequest, CaseRequest, SlimeRequest]


class MetricsMiddleware:
    """Counts requests and observes latency per route template (pure ASGI: no body buffering)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            route = scope.get("route")
            endpoint = getattr(route, "path", "unmatched")
            REQUESTS.labels(endpoint, scope["method"], str(status)).inc()
            LATENCY.labels(endpoint).observe(time.perf_counter() - started)


class CrashBarrier:
    """Answers 500 for an unexpected exception and logs it without its message (see `logs.log_crash`).

    Outermost of the app's middleware, so the exception never reaches Starlette's error middleware, which
    re-raises it for the server to log with its message (which may quote the request).
    """

    def __init__(self, app: ASGIApp, log_payloads: bool = False) -> None:
        self.app = app
        self.log_payloads = log_payloads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            ERRORS.labels("internal").inc()
            log_crash(exc, with_message=self.log_payloads)
            if not started:
                await _error(500, "internal error", [])(scope, receive, send)


def _error(
    status: int, message: str, detail: list[dict[str, Any]], headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"message": message, "detail": detail}, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestProblem)
    async def on_problem(_: Request, exc: RequestProblem) -> JSONResponse:
        ERRORS.labels(exc.kind).inc()
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        if exc.retry_after is not None:
            headers = {"Retry-After": str(exc.retry_after)}
        loc = ["body", *exc.loc] if exc.loc and exc.loc[0] == "items" else list(exc.loc)
        return _error(exc.status, str(exc), [{"loc": loc, "msg": exc.msg, "type": exc.kind}], headers)

    @app.exception_handler(BodyInvalid)
    async def on_invalid(_: Request, exc: BodyInvalid) -> JSONResponse:
        ERRORS.labels("validation").inc()
        return _error(422, exc.message, exc.errors)

    @app.exception_handler(RequestValidationError)
    async def on_validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        ERRORS.labels("validation").inc()
        errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()[:50]]
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        loc = first["loc"][1:] if first["loc"][:1] == ["body"] else first["loc"]
        return _error(422, f"{format_loc(loc)}: {first['msg']}", errors)


def install_openapi(app: FastAPI) -> None:
    """Add the hand-parsed request bodies' schemas to the generated OpenAPI document."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in BODY_MODELS:
            model_schema = model.model_json_schema(ref_template="#/components/schemas/{model}", mode="validation")
            for name, definition in model_schema.pop("$defs", {}).items():
                components.setdefault(name, definition)
            components[model.__name__] = model_schema
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def load_nlp() -> dict[str, Any]:
    """Load the lexicon and pipeline, and warm them up once; returns the lexicon description."""
    from reward_service.nlp import get_clinical_nlp

    nlp = get_clinical_nlp()
    case = nlp.case_facts("A 45-year-old man has a fever of 39 °C and denies chest pain.", {"A": "Influenza"})
    nlp.find_mentions("The patient has fever (39 °C) and no chest pain.", case)
    return nlp.lexicon_info()


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start loading the NLP layer in a thread; the service answers /healthz while it loads."""
    readiness: Readiness = app.state.readiness
    loader: threading.Thread | None = None
    if app.state.settings.preload_nlp:
        readiness.register("nlp")
        loader = threading.Thread(target=readiness.run, args=("nlp", load_nlp), name="nlp-loader", daemon=True)
        loader.start()
    yield


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    from reward_service.api.ops import package_version

    configure_logging(settings.log_level)
    app = FastAPI(
        lifespan=lifespan,
        title="CRPO reward service",
        version=package_version(),
        description="Rule-based accuracy, faithfulness and comprehensiveness rewards for clinical-reasoning RL.",
    )
    app.state.settings = settings
    app.state.api_key = settings.api_key.get_secret_value().encode() if settings.api_key else None
    app.state.engine = ScoringEngine(settings.weights)
    app.state.readiness = Readiness()
    app.state.guard = Guard(settings)
    for router in ROUTERS:
        app.include_router(router)
    install_error_handlers(app)
    install_openapi(app)
    app.add_middleware(MetricsMiddleware)
    if settings.cors_origins:  # no CORS headers at all unless origins are configured
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["authorization", "content-type"],
        )
    app.add_middleware(CrashBarrier, log_payloads=settings.log_payloads)
    return app
