"""Coalesce concurrent per-item scoring calls into batched `POST /v1/score` requests.

RL frameworks score one sample per coroutine (verl's reward loop starts one task per sample); one HTTP
request per sample would spend most of the time in request overhead. `ScoreBatcher.score(item)` parks
the item; a batch is sent when `max_batch_size` items are waiting or `max_wait_s` after its first item
arrived, whichever comes first. Each caller gets its own result back. A batch that fails (after the
client's retries and failover) fails every caller in it with `BatchScoringFailed`: no caller ever gets
a made-up score.

    batcher = ScoreBatcher(AsyncRewardClient(urls), max_batch_size=256, max_wait_s=0.02)
    result = await batcher.score({"response": ..., "question": ..., "options": ..., "answer": "C"})
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from schemas import ScoreResult
from trainer_client.client import AsyncRewardClient
from trainer_client.errors import RewardServiceError


class BatchScoringFailed(RewardServiceError):
    """The batch this item was sent in could not be scored; `__cause__` is the client's error."""


class ScoreBatcher:
    """Micro-batcher over an `AsyncRewardClient`, bound to the event loop of its first call."""

    def __init__(
        self,
        client: AsyncRewardClient,
        *,
        max_batch_size: int = 256,
        max_wait_s: float = 0.02,
        max_inflight: int = 4,
        score_options: Mapping[str, Any] | None = None,
    ) -> None:
        if max_batch_size < 1:
            raise ValueError("max_batch_size must be at least 1")
        self.client = client
        self.max_batch_size = max_batch_size
        self.max_wait_s = max(0.0, max_wait_s)
        self.score_options = dict(score_options or {})
        self.requests_sent = 0
        self.items_sent = 0
        self._max_inflight = max(1, max_inflight)
        self._pending: list[tuple[Mapping[str, Any], asyncio.Future[ScoreResult]]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._limiter: asyncio.Semaphore | None = None

    def _bind(self) -> asyncio.AbstractEventLoop:
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop, self._limiter = loop, asyncio.Semaphore(self._max_inflight)
        elif self._loop is not loop:
            raise RuntimeError("a ScoreBatcher is bound to the event loop of its first call; create one per loop")
        return loop

    async def score(self, item: Mapping[str, Any]) -> ScoreResult:
        """The service's result for `item` (a `ScoreItem`-shaped mapping)."""
        loop = self._bind()
        future: asyncio.Future[ScoreResult] = loop.create_future()
        self._pending.append((item, future))
        if len(self._pending) >= self.max_batch_size:
            self._flush()
        elif self._timer is None:
            self._timer = loop.call_later(self.max_wait_s, self._flush)
        return await future

    def _flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        while self._pending:
            batch, self._pending = self._pending[: self.max_batch_size], self._pending[self.max_batch_size :]
            task = asyncio.ensure_future(self._send(batch))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _send(self, batch: list[tuple[Mapping[str, Any], asyncio.Future[ScoreResult]]]) -> None:
        assert self._limiter is not None
        async with self._limiter:
            self.requests_sent += 1
            self.items_sent += len(batch)
            try:
                results = await self.client.score([item for item, _ in batch], **self.score_options)
            except Exception as exc:  # every caller of the batch fails loudly, with the cause attached
                for _, future in batch:
                    if not future.done():
                        failure = BatchScoringFailed(f"scoring a batch of {len(batch)} items failed: {exc}")
                        failure.__cause__ = exc
                        future.set_exception(failure)
                return
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)

    async def aclose(self) -> None:
        """Send what is waiting, wait for batches in flight, close the client."""
        self._flush()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.client.aclose()
