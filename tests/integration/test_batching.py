"""`ScoreBatcher` against the real service: concurrent calls coalesce, results go back to their caller,
a failed batch fails every caller. Runs in the service environment: the trainer-side modules that
need no verl import without torch, verl or numpy."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from tests.flaky import FlakyProxy
from tests.live import ROOT, LiveServer, free_port
from trainer_client import AsyncRewardClient, RetryPolicy
from trainer_client.batching import BatchScoringFailed, ScoreBatcher

OPTIONS = {"A": "x", "B": "y", "C": "z"}


def item(i: int) -> dict:
    letter = "ABC"[i % 3]
    return {"response": f"<dx>r</dx><conclusion>\\boxed{{{letter}}}</conclusion>", "options": OPTIONS, "answer": "A"}


async def score_all(batcher: ScoreBatcher, n: int, stagger_s: float = 0.0) -> list:
    async def one(i: int):
        await asyncio.sleep(stagger_s * i)
        return await batcher.score(item(i))

    try:
        return await asyncio.gather(*(one(i) for i in range(n)))
    finally:
        await batcher.aclose()


def test_concurrent_calls_share_requests_and_get_their_own_result(live_server: LiveServer) -> None:
    with FlakyProxy(live_server.url) as proxy:
        batcher = ScoreBatcher(AsyncRewardClient(proxy.url), max_batch_size=16, max_wait_s=1.0)
        results = asyncio.run(score_all(batcher, 40))
    assert [r.accuracy for r in results] == [1.0 if i % 3 == 0 else 0.0 for i in range(40)]
    assert len(proxy.calls) == 3 == batcher.requests_sent  # 16 + 16 + 8
    assert batcher.items_sent == 40


def test_the_window_flushes_a_partial_batch(live_server: LiveServer) -> None:
    with FlakyProxy(live_server.url) as proxy:
        batcher = ScoreBatcher(AsyncRewardClient(proxy.url), max_batch_size=100, max_wait_s=0.05)
        results = asyncio.run(score_all(batcher, 4, stagger_s=0.3))  # arrivals further apart than the window
    assert len(results) == 4
    assert len(proxy.calls) == 4


def test_a_failed_batch_fails_every_caller(live_server: LiveServer) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    client = AsyncRewardClient(dead, retry=RetryPolicy(max_attempts=2, backoff=0.01))
    batcher = ScoreBatcher(client, max_batch_size=8, max_wait_s=0.05)

    async def run() -> list:
        try:
            return await asyncio.gather(*(batcher.score(item(i)) for i in range(5)), return_exceptions=True)
        finally:
            await batcher.aclose()

    outcomes = asyncio.run(run())
    assert all(isinstance(o, BatchScoringFailed) and "failed 2 times" in str(o) for o in outcomes)


def test_a_batcher_belongs_to_one_event_loop(live_server: LiveServer) -> None:
    batcher = ScoreBatcher(AsyncRewardClient(live_server.url), max_batch_size=1)
    assert asyncio.run(batcher.score(item(0))).accuracy == 1.0
    with pytest.raises(RuntimeError, match="bound to the event loop"):
        asyncio.run(batcher.score(item(0)))


def test_trainer_side_modules_without_verl_import_light() -> None:
    code = (
        "import sys, trainer_client, trainer_client.settings, trainer_client.batching, trainer_client.data, "
        "trainer_client.service_check, trainer_client.verl, trainer_client.verl.reward\n"
        "heavy = sorted(m for m in ('torch', 'verl', 'numpy', 'ray', 'spacy') if m in sys.modules)\n"
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
