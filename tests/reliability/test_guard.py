"""Backpressure, timeouts and cancellation on the real service (`reward_service.api.guard`)."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psutil
import pytest

from tests.live import LiveServer, start_server
from tests.reliability.helpers import PartialUpload, metric, slow_items, wait_for, wait_idle
from trainer_client import RetryPolicy, RewardClient, ServiceUnavailable


@pytest.fixture(scope="module")
def tight_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A service with small bounds and a short timeout."""
    server = start_server(
        tmp_path_factory.mktemp("tight"),
        env={
            "CRPO_MAX_INFLIGHT_REQUESTS": "3",
            "CRPO_MAX_INFLIGHT_ITEMS": "40",
            "CRPO_REQUEST_TIMEOUT_S": "1.5",
            "CRPO_RETRY_AFTER_S": "2",
            "CRPO_SCORING_THREADS": "1",
        },
    )
    yield server
    server.stop()


@pytest.fixture(scope="module")
def patient_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The same bounds with a long timeout: for tests that hold uploads open, however slow the machine is
    (a 1.5 s body timeout turned held uploads into 408s on a loaded machine)."""
    server = start_server(
        tmp_path_factory.mktemp("patient"),
        env={
            "CRPO_MAX_INFLIGHT_REQUESTS": "3",
            "CRPO_MAX_INFLIGHT_ITEMS": "40",
            "CRPO_REQUEST_TIMEOUT_S": "120",
            "CRPO_RETRY_AFTER_S": "2",
            "CRPO_SCORING_THREADS": "1",
        },
    )
    yield server
    server.stop()


def body_of(items: list[dict]) -> bytes:
    return json.dumps({"items": items}).encode()


def test_request_slots_bound_then_503_with_retry_after(patient_server: LiveServer) -> None:
    uploads = [PartialUpload(patient_server.port, "/v1/score", body_of(slow_items(1, 8_000))) for _ in range(3)]
    try:
        wait_for(lambda: metric(patient_server.url, "crpo_inflight_requests") == 3, 60, "3 requests in flight")
        refused = httpx.post(f"{patient_server.url}/v1/score", json={"items": []})
        assert refused.status_code == 503
        assert refused.headers["retry-after"] == "2"
        assert refused.json()["detail"][0]["type"] == "overloaded"
        assert "3 requests in flight (limit 3)" in refused.json()["message"]
        answers = [upload.finish() for upload in uploads]
    finally:
        for upload in uploads:
            upload.close()
    assert [status for status, _, _ in answers] == [200, 200, 200]
    wait_for(lambda: metric(patient_server.url, "crpo_inflight_requests") == 0, 60, "slots given back")
    assert httpx.post(f"{patient_server.url}/v1/score", json={"items": []}).status_code == 200


def test_items_bound_never_exceeded_under_a_flood(tight_server: LiveServer) -> None:
    """16 senders of 10-item requests against a 40-item bound: 200 or 503, and never over 40 in flight."""
    seen: list[float] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            seen.append(metric(tight_server.url, "crpo_inflight_items"))

    def send(i: int) -> int:
        response = httpx.post(
            f"{tight_server.url}/v1/score/accuracy", json={"items": slow_items(10, 16_000)}, timeout=60
        )
        if response.status_code == 200:
            assert len(response.json()["results"]) == 10
        else:
            assert response.headers["retry-after"] == "2", response.text
        return response.status_code

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        with ThreadPoolExecutor(16) as pool:
            statuses = Counter(pool.map(send, range(48)))
    finally:
        stop.set()
        sampler.join()
    assert set(statuses) <= {200, 503}, statuses
    assert statuses[200] >= 3 and statuses[503] > 0, statuses
    assert max(seen) <= 40, max(seen)


def test_one_request_larger_than_the_bound_is_served_when_idle(tight_server: LiveServer) -> None:
    response = httpx.post(f"{tight_server.url}/v1/score/accuracy", json={"items": slow_items(60, 800)}, timeout=60)
    assert response.status_code == 200 and len(response.json()["results"]) == 60


def server_cpu(server: LiveServer) -> float:
    times = psutil.Process(server.process.pid).cpu_times()
    return times.user + times.system


def test_timeout_gives_504_and_stops_the_work(tight_server: LiveServer) -> None:
    """60 items of ~80 ms each (~5 s) against a 1.5 s timeout: 504 with Retry-After; the work stops."""
    started = time.monotonic()
    response = httpx.post(f"{tight_server.url}/v1/score", json={"items": slow_items(60)}, timeout=60)
    elapsed = time.monotonic() - started
    assert response.status_code == 504, response.text
    assert response.headers["retry-after"] == "2"
    assert "not answered within 1.5 s" in response.json()["message"]
    assert elapsed < 30  # answered at the deadline, not after the ~5 s (far more on a loaded machine) of work
    # The scoring thread stops at its next slice (a few items), not after the whole batch.
    wait_for(lambda: metric(tight_server.url, "crpo_inflight_items") == 0, 60, "the timed-out work stopped")
    before = server_cpu(tight_server)
    time.sleep(1.0)
    assert server_cpu(tight_server) - before < 0.5  # idle again: nothing runs on in the background


def test_client_retries_504_then_reports_the_timeout(tight_server: LiveServer) -> None:
    with (
        RewardClient(tight_server.url, retry=RetryPolicy(max_attempts=2, backoff=0.01)) as client,
        pytest.raises(ServiceUnavailable, match=r"failed 2 times.*HTTP 504"),
    ):
        client.score(slow_items(60))


def test_disconnected_client_stops_the_work(live_server: LiveServer) -> None:
    """A client that goes away mid-scoring: the server counts the disconnect and stops within a slice.

    No wall-clock race: the test waits for the states it needs (nothing in flight; then this request's
    items in flight), and judges "stopped" by the server's CPU time after the disconnect against the CPU
    time the whole request needs (measured on a small calibration request), which load does not change.
    """
    wait_idle(live_server.url)
    calibration = slow_items(6, 40_000)
    cpu = server_cpu(live_server)
    assert httpx.post(f"{live_server.url}/v1/score", json={"items": calibration}, timeout=120).status_code == 200
    whole_request_cpu = (server_cpu(live_server) - cpu) / len(calibration) * 300
    before = metric(live_server.url, "crpo_errors_total", kind="client_disconnected")
    upload = PartialUpload(live_server.port, "/v1/score", body_of(slow_items(300, 40_000)))
    try:
        upload.send_rest()
        wait_for(lambda: metric(live_server.url, "crpo_inflight_items") == 300, 60, "the request is being scored")
    finally:
        upload.close()
    cpu = server_cpu(live_server)
    wait_for(
        lambda: metric(live_server.url, "crpo_errors_total", kind="client_disconnected") == before + 1,
        60,
        "the server noticed the disconnect",
    )
    wait_for(lambda: metric(live_server.url, "crpo_inflight_items") == 0, 120, "the abandoned work ended")
    spent = server_cpu(live_server) - cpu
    assert spent < whole_request_cpu / 4, (
        f"{spent:.2f} CPU-s after the disconnect; the request needs {whole_request_cpu:.2f}"
    )


def test_slow_body_gets_408(tight_server: LiveServer) -> None:
    upload = PartialUpload(tight_server.port, "/v1/score", body_of(slow_items(1, 8_000)))
    try:
        status, _, body = upload.read()  # never sends the second half
    finally:
        upload.close()
    assert status == 408
    assert json.loads(body)["detail"][0]["type"] == "body_timeout"


def test_nested_json_is_refused_quickly(tight_server: LiveServer) -> None:
    for depth in (201, 10_000, 1_000_000):
        for body in (b'{"items": ' + b"[" * depth + b"]" * depth + b"}", b"[" * depth, b'{"a":' * depth):
            response = httpx.post(
                f"{tight_server.url}/v1/score", content=body, headers={"content-type": "application/json"}
            )
            assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["type"] in {"json_too_deep", "json_invalid"}


def test_info_reports_the_bounds(tight_server: LiveServer) -> None:
    limits = httpx.get(f"{tight_server.url}/v1/info").json()["limits"]
    assert limits["max_inflight_items"] == 40 and limits["request_timeout_s"] == 1.5


def test_scoring_errors_name_items_across_slices(live_server: LiveServer, tmp_path: Path) -> None:
    items = [{"response": "x", "options": {"A": "a"}, "answer": "A"} for _ in range(300)]
    items[217]["answer"] = "Q"
    response = httpx.post(f"{live_server.url}/v1/score", json={"items": items})
    assert response.status_code == 422
    assert response.json()["message"].startswith("items[217].answer")


def test_client_gone_mid_upload_frees_the_slot(patient_server: LiveServer) -> None:
    before = metric(patient_server.url, "crpo_errors_total", kind="client_disconnected")
    upload = PartialUpload(patient_server.port, "/v1/score", body_of(slow_items(1, 8_000)))
    wait_for(lambda: metric(patient_server.url, "crpo_inflight_requests") == 1, 60, "the upload is in flight")
    upload.close()
    wait_for(lambda: metric(patient_server.url, "crpo_inflight_requests") == 0, 60, "the slot was given back")
    assert metric(patient_server.url, "crpo_errors_total", kind="client_disconnected") == before + 1
    assert "unhandled error" not in patient_server.log()
