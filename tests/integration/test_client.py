"""The project's HTTP client against the real service: chunking, order, retries, failover, async."""

from __future__ import annotations

import asyncio
import time

import pytest

from tests.flaky import FlakyProxy
from tests.live import LiveServer, free_port
from trainer_client import AsyncRewardClient, RetryPolicy, RewardClient, ServiceUnavailable

OPTIONS = {"A": "x", "B": "y", "C": "z"}


def items(n: int) -> list[dict]:
    letters = "ABC"
    return [
        {
            "id": f"i{i}",
            "response": f"<dx>r</dx><conclusion>\\boxed{{{letters[i % 3]}}}</conclusion>",
            "options": OPTIONS,
            "answer": "A",
        }
        for i in range(n)
    ]


def expected(n: int) -> list[float]:
    return [1.0 if i % 3 == 0 else 0.0 for i in range(n)]


def test_chunks_keep_order_and_ids(live_server: LiveServer) -> None:
    with RewardClient(live_server.url, chunk_size=7, max_concurrency=3) as client:
        results = client.score(items(100))
    assert [r.id for r in results] == [f"i{i}" for i in range(100)]
    assert [r.accuracy for r in results] == expected(100)


def test_async_client_chunks_concurrently(live_server: LiveServer) -> None:
    async def run() -> list:
        async with AsyncRewardClient(live_server.url, chunk_size=9) as client:
            return await client.score(items(50))

    results = asyncio.run(run())
    assert [r.id for r in results] == [f"i{i}" for i in range(50)]
    assert [r.accuracy for r in results] == expected(50)


def test_retries_503_honouring_retry_after(live_server: LiveServer) -> None:
    with (
        FlakyProxy(live_server.url, fail_first=2, retry_after=0.5) as proxy,
        RewardClient(proxy.url, retry=RetryPolicy(max_attempts=4, backoff=0.01)) as client,
    ):
        results = client.score(items(5))
    assert [r.accuracy for r in results] == expected(5)
    assert len(proxy.calls) == 3
    gaps = [b - a for a, b in zip(proxy.calls, proxy.calls[1:], strict=False)]
    assert all(gap >= 0.45 for gap in gaps[:2])  # waited for Retry-After, not the 0.01 s backoff


def test_gives_up_with_service_unavailable(live_server: LiveServer) -> None:
    with (
        FlakyProxy(live_server.url, fail_first=100, retry_after=0.01) as proxy,
        RewardClient(proxy.url, retry=RetryPolicy(max_attempts=3, backoff=0.01, max_overload_wait=0.3)) as client,
        pytest.raises(ServiceUnavailable, match=r"failed \d+ times"),
    ):
        client.score(items(1))
    assert len(proxy.calls) > 3  # a 503 with Retry-After (overload) does not use up attempts, only time


def test_fails_over_from_a_dead_url(live_server: LiveServer) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    with RewardClient([dead, live_server.url], chunk_size=10, retry=RetryPolicy(backoff=0.01)) as client:
        results = client.score(items(60))
    assert [r.accuracy for r in results] == expected(60)


def test_timeout_then_retry_succeeds(live_server: LiveServer) -> None:
    with (
        FlakyProxy(live_server.url, delay=2.0) as slow,
        RewardClient([slow.url, live_server.url], timeout=0.5, retry=RetryPolicy(backoff=0.01)) as client,
    ):
        started = time.monotonic()
        results = client.score(items(3))
        elapsed = time.monotonic() - started
    assert [r.accuracy for r in results] == expected(3)
    assert len(slow.calls) == 1
    assert elapsed < 2.0  # it timed out on the slow replica (0.5 s) instead of waiting 2 s for it
