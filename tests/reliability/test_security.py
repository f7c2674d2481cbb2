"""What never reaches the logs (the API key, payload text), the opt-in payload log, CORS, crash answers."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from reward_service.app import CrashBarrier
from tests.live import free_port, start_server

KEY = "k3y-Zq9vX-never-in-logs"
#: Text standing for patient data: it must not be logged unless payload logging is switched on.
PATIENT = "Mrs Jane Doe, MRN 4417-22, 63-year-old with atrial fibrillation"


def exercise(url: str) -> None:
    """Requests that succeed, are refused, are malformed and carry the key (right and wrong)."""
    good = {"authorization": f"Bearer {KEY}"}
    item = {"id": "p1", "response": f"<dx>{PATIENT}</dx><conclusion>\\boxed{{A}}</conclusion>", "question": PATIENT}
    item |= {"options": {"A": "Warfarin", "B": "Aspirin"}, "answer": "A"}
    assert httpx.post(f"{url}/v1/score", json={"items": [item]}, headers=good).status_code == 200
    assert (
        httpx.post(f"{url}/v1/score", json={"items": [item]}, headers={"authorization": "Bearer wrong"}).status_code
        == 401
    )
    assert httpx.post(f"{url}/v1/score", json={"items": [item]}).status_code == 401
    bad = item | {"answer": PATIENT}  # names no option: 422 quoting nothing into the log
    assert httpx.post(f"{url}/v1/score", json={"items": [bad]}, headers=good).status_code == 422
    malformed = {"items": [item | {"surprise": PATIENT}]}
    assert httpx.post(f"{url}/v1/score", json=malformed, headers=good).status_code == 422
    assert (
        httpx.post(f"{url}/v1/advantages", json={"items": [item | {"group_id": "g"}]}, headers=good).status_code == 200
    )
    assert httpx.get(f"{url}/v1/info", headers=good).status_code == 200


@pytest.mark.parametrize("level", ["debug", "trace"])
def test_key_and_payloads_never_logged_by_default(tmp_path: Path, level: str) -> None:
    server = start_server(tmp_path, env={"CRPO_API_KEY": KEY, "CRPO_LOG_LEVEL": level})
    try:
        exercise(server.url)
        info = httpx.get(f"{server.url}/v1/info", headers={"authorization": f"Bearer {KEY}"}).text
    finally:
        server.stop()
    log = server.log()
    assert "Application startup complete" in log  # the log was written, at the requested level
    if level == "trace":
        assert "ASGI [" in log  # uvicorn's most verbose level, which logs every ASGI message
    assert KEY not in log and KEY not in info
    for fragment in ("Jane Doe", "4417-22", "atrial fibrillation"):
        assert fragment not in log


def test_payload_log_is_opt_in(tmp_path: Path) -> None:
    server = start_server(tmp_path, env={"CRPO_API_KEY": KEY, "CRPO_LOG_PAYLOADS": "true"})
    try:
        exercise(server.url)
    finally:
        server.stop()
    log = server.log()
    assert "reward_service.payloads: POST /v1/score body" in log
    assert PATIENT in log
    assert KEY not in log  # payload logging logs bodies, never headers


def test_no_cors_unless_configured(live_server, tmp_path: Path) -> None:
    preflight = {"origin": "https://evil.example", "access-control-request-method": "POST"}
    response = httpx.options(f"{live_server.url}/v1/score", headers=preflight)
    assert "access-control-allow-origin" not in response.headers
    plain = httpx.get(f"{live_server.url}/v1/info", headers={"origin": "https://evil.example"})
    assert "access-control-allow-origin" not in plain.headers

    server = start_server(tmp_path, env={"CRPO_CORS_ORIGINS": "https://dash.example, https://ops.example"})
    try:
        allowed = httpx.options(
            f"{server.url}/v1/score",
            headers={"origin": "https://ops.example", "access-control-request-method": "POST"},
        )
        assert allowed.headers["access-control-allow-origin"] == "https://ops.example"
        other = httpx.get(f"{server.url}/v1/info", headers={"origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
    finally:
        server.stop()


def crashing_app(log_payloads: bool) -> FastAPI:
    app = FastAPI()

    @app.post("/boom")
    async def boom() -> None:
        raise ValueError(f"input_value={PATIENT!r}")  # as pydantic errors quote their input

    app.add_middleware(CrashBarrier, log_payloads=log_payloads)
    return app


@pytest.mark.parametrize("log_payloads", [False, True])
def test_a_crash_answers_500_and_logs_no_payload(caplog: pytest.LogCaptureFixture, log_payloads: bool) -> None:
    """A real uvicorn server in a thread: neither our log nor uvicorn's gets the exception's message."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(crashing_app(log_payloads), host="127.0.0.1", port=port, log_level="debug"))
    thread = threading.Thread(target=server.run, daemon=True)
    ours = logging.getLogger("reward_service")
    ours.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.DEBUG):
            thread.start()
            while not server.started:
                time.sleep(0.01)
            response = httpx.post(f"http://127.0.0.1:{port}/boom")
            server.should_exit = True
            thread.join(10)
    finally:
        ours.removeHandler(caplog.handler)
    assert response.status_code == 500
    assert response.json() == {"message": "internal error", "detail": []}
    assert "ValueError" in caplog.text and "boom" in caplog.text  # the type and the stack are there
    assert "Exception in ASGI application" not in caplog.text  # uvicorn never saw it
    assert (PATIENT in caplog.text) is log_payloads
