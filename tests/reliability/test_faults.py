"""Faults with real processes on loopback: kill -9 and restart, failover, a hung server, SIGTERM.

The batches are scored through the project's client; the disturbed run must return every item exactly
once, in order, with exactly the scores of an undisturbed run.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.live import LiveServer, start_server
from tests.reliability.helpers import PartialUpload, medqa_items, metric, slow_items, wait_for
from trainer_client import RetryPolicy, RewardClient

#: Enough retries to ride out a restart (the service starts in a few seconds).
PATIENT = RetryPolicy(max_attempts=60, backoff=0.05, max_backoff=1.0)


@pytest.fixture(scope="module")
def batch() -> list[dict]:
    return medqa_items(n_questions=300, per_question=8)  # 2,400 items, ~14 MB


@pytest.fixture(scope="module")
def undisturbed(batch: list[dict], live_server: LiveServer) -> list[dict]:
    with RewardClient(live_server.url, chunk_size=64) as client:
        return [r.model_dump() for r in client.score(batch)]


class FaultAfter(httpx.HTTPTransport):
    """The client's real HTTP transport, which runs `fault` once, right after the `after`-th response:
    the fault lands mid-batch whatever the speed of the machine."""

    def __init__(self, after: int, fault) -> None:
        super().__init__()
        self.after, self.fault, self.responses = after, fault, 0
        self.lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        with self.lock:
            self.responses += 1
            if self.responses == self.after:
                self.fault()
        return response


def check_same(results: list, batch: list[dict], undisturbed: list[dict]) -> None:
    assert [r.id for r in results] == [item["id"] for item in batch]  # every item, once, in order
    assert [r.model_dump() for r in results] == undisturbed


def test_kill_9_mid_batch_and_restart_on_the_same_port(
    tmp_path: Path, batch: list[dict], undisturbed: list[dict]
) -> None:
    server = start_server(tmp_path)
    restarted: list[LiveServer] = []

    def kill_and_restart() -> None:
        server.kill()
        threading.Thread(target=lambda: restarted.append(start_server(tmp_path, port=server.port))).start()

    transport = FaultAfter(5, kill_and_restart)
    try:
        with RewardClient(server.url, chunk_size=64, max_concurrency=4, retry=PATIENT, transport=transport) as client:
            results = client.score(batch)
        check_same(results, batch, undisturbed)
        assert server.process.returncode == -signal.SIGKILL
        assert restarted, "the batch finished before the server came back"
        scored_after_restart = metric(restarted[0].url, "crpo_items_scored_total")
        assert 0 < scored_after_restart < len(batch)  # the rest of the batch went to the new process
    finally:
        server.kill()
        for again in restarted:
            again.stop()


def test_failover_when_one_of_two_servers_is_killed(tmp_path: Path, batch: list[dict], undisturbed: list[dict]) -> None:
    first, second = start_server(tmp_path), start_server(tmp_path)
    transport = FaultAfter(4, first.kill)
    try:
        with RewardClient(
            [first.url, second.url], chunk_size=64, retry=RetryPolicy(backoff=0.05), transport=transport
        ) as client:
            results = client.score(batch)
        check_same(results, batch, undisturbed)
        assert first.process.returncode == -signal.SIGKILL
        assert metric(second.url, "crpo_items_scored_total") > len(batch) / 2
    finally:
        first.kill()
        second.stop()


def test_hung_server_times_out_and_the_client_retries_elsewhere(tmp_path: Path) -> None:
    """SIGSTOP freezes one server (it still accepts connections: the kernel queues them); the client times
    out on it and retries on the other. SIGCONT: the frozen one recovers."""
    hung, healthy = start_server(tmp_path), start_server(tmp_path)
    items = medqa_items(n_questions=20, per_question=4)
    try:
        with RewardClient(healthy.url) as client:
            expected = [r.model_dump() for r in client.score(items)]
        os.kill(hung.process.pid, signal.SIGSTOP)
        started = time.monotonic()
        with RewardClient(
            [hung.url, healthy.url], timeout=1.0, chunk_size=20, max_concurrency=1, retry=RetryPolicy(backoff=0.01)
        ) as client:
            results = client.score(items)
        elapsed = time.monotonic() - started
        assert [r.model_dump() for r in results] == expected
        assert elapsed >= 1.0  # it did wait for the hung server, once per chunk sent there
        os.kill(hung.process.pid, signal.SIGCONT)
        wait_for(lambda: httpx.get(f"{hung.url}/readyz").status_code == 200, 10, "the frozen server recovered")
    finally:
        os.kill(hung.process.pid, signal.SIGCONT)
        hung.stop()
        healthy.stop()


def connect_refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return True
    return False


def exited_gracefully(server: LiveServer) -> bool:
    """Exited by itself after SIGTERM, having finished (uvicorn re-raises the signal once it is done)."""
    code = server.process.wait(60)
    return code in (0, -signal.SIGTERM) and "Finished server process" in server.log()


@pytest.mark.parametrize("workers", [1, 2])
def test_sigterm_during_an_upload_lets_the_request_complete(tmp_path: Path, workers: int) -> None:
    """SIGTERM arrives while a request's body is half sent: the request is still answered in full."""
    server = start_server(tmp_path, workers=workers)
    items = medqa_items(n_questions=10, per_question=3)
    upload = PartialUpload(server.port, "/v1/score", json.dumps({"items": items}).encode())
    try:
        wait_for(lambda: metric(server.url, "crpo_inflight_requests") >= 1, 10, "the upload is in flight")
        server.process.send_signal(signal.SIGTERM)
        if workers == 1:  # one process: it stops listening at once (several: the supervisor holds the socket)
            wait_for(lambda: connect_refused(server.port), 10, "no new connections accepted")
        time.sleep(0.3)
        status, _, body = upload.finish()
    finally:
        upload.close()
    assert status == 200
    results = json.loads(body)["results"]
    assert [r["id"] for r in results] == [item["id"] for item in items]
    assert exited_gracefully(server)


@pytest.mark.parametrize("workers", [1, 2])
def test_sigterm_during_scoring_lets_the_request_complete(tmp_path: Path, workers: int) -> None:
    server = start_server(tmp_path, workers=workers)
    answer: list[httpx.Response] = []
    sender = threading.Thread(
        target=lambda: answer.append(
            httpx.post(f"{server.url}/v1/score/accuracy", json={"items": slow_items(25)}, timeout=60)
        )
    )
    sender.start()
    try:
        wait_for(lambda: metric(server.url, "crpo_inflight_items") >= 25, 20, "the batch is being scored")
        server.process.send_signal(signal.SIGTERM)
        sender.join(60)
        assert exited_gracefully(server)
    finally:
        server.stop()
    assert answer and answer[0].status_code == 200
    assert [r["id"] for r in answer[0].json()["results"]] == [f"slow{i}" for i in range(25)]
