"""The load test's short CI version: 32 concurrent clients, mixed batch sizes, a tight in-flight bound.

Asserts correctness only (no timing): no call fails, no item is lost, every score equals that of an
undisturbed run. The tight bound makes the service turn requests away (503 + Retry-After), which the
client must absorb. `python -m bench.bench_load` is the full, measured version.
"""

from __future__ import annotations

from pathlib import Path

from bench.bench_load import run_load
from tests.live import start_server
from tests.reliability.helpers import medqa_items


def test_32_clients_mixed_batches_zero_errors_zero_lost(tmp_path: Path) -> None:
    # Full CRPO scoring takes milliseconds per item: small batches and a bound of 4 requests per process
    # keep the run short while 16 clients per process still overflow it.
    server = start_server(
        tmp_path, workers=2, env={"CRPO_MAX_INFLIGHT_ITEMS": "256", "CRPO_MAX_INFLIGHT_REQUESTS": "4"}
    )
    try:
        report = run_load(
            server,
            clients=32,
            duration=4.0,
            sizes=(1, 4, 16, 64),
            items=medqa_items(n_questions=128, per_question=5),
        )
    finally:
        server.stop()
    assert report.errors == 0, report.error_samples
    assert report.lost_items == 0 and report.wrong_items == 0
    assert report.requests >= 32 and report.items > 0
    assert report.retried_statuses.get("503", 0) > 0  # the bound was reached, and absorbed by retries
