"""HTTP clients of the reward service: `RewardClient` (sync) and `AsyncRewardClient`.

Both split large batches into chunks sent concurrently, keep the order and ids of the items, spread
requests over several service URLs, retry connection errors, timeouts and 502/503/504 with
exponential backoff (honouring `Retry-After`) on the next URL, wait out 503 + `Retry-After` (overload)
without using up attempts, and raise `RequestRejected` on 4xx.

    with RewardClient("http://localhost:8000") as client:
        results = client.score([{"id": "q1-r0", "response": "...", "question": "...",
                                 "options": {"A": "...", "B": "..."}, "answer": "B"}])
        results[0].total
"""

from __future__ import annotations

import asyncio
import itertools
import random
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

import httpx
import pydantic_core
from tenacity import AsyncRetrying, RetryCallState, Retrying, retry_if_exception_type

from schemas import ScoreItem, ScoreResponse, ScoreResult, Weights
from trainer_client.errors import RequestRejected, RewardServiceError, ServiceUnavailable

ItemLike = ScoreItem | Mapping[str, Any]
Endpoint = Literal["all", "accuracy", "faithfulness", "comprehensiveness"]
RETRY_STATUSES = frozenset({502, 503, 504})
_PATHS: dict[str, str] = {
    "all": "/v1/score",
    "accuracy": "/v1/score/accuracy",
    "faithfulness": "/v1/score/faithfulness",
    "comprehensiveness": "/v1/score/comprehensiveness",
}


class _Retryable(Exception):
    def __init__(self, message: str, retry_after: float | None = None, overloaded: bool = False) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.overloaded = overloaded


@dataclass(frozen=True)
class RetryPolicy:
    """How one request is retried.

    Failures (connection errors, timeouts, 502, 504, a 503 without `Retry-After`) are tried
    `max_attempts` times in all, waiting `backoff · 2^(n-1)` seconds (at most `max_backoff`, at least any
    `Retry-After`). A 503 with `Retry-After` means the service is well but busy (its in-flight bound is
    reached): those retries wait as told and do not use up attempts; they go on for at most
    `max_overload_wait` seconds. Every wait is stretched by a random factor of up to `1 + jitter`, so that
    clients turned away together do not come back together.
    """

    max_attempts: int = 6
    backoff: float = 0.25
    max_backoff: float = 20.0
    max_overload_wait: float = 300.0
    jitter: float = 0.25

    def budget(self) -> _Budget:
        return _Budget(self)


class _Budget:
    """The retry state of one request (tenacity's `stop` and `wait`)."""

    def __init__(self, policy: RetryPolicy) -> None:
        self.policy = policy
        self.failures = 0
        self.attempts = 0

    def stop(self, state: RetryCallState) -> bool:
        self.attempts = state.attempt_number
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Retryable) and exc.overloaded:
            return state.seconds_since_start >= self.policy.max_overload_wait
        self.failures += 1
        return self.failures >= self.policy.max_attempts

    def wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        retry_after = getattr(exc, "retry_after", None) or 0.0
        if isinstance(exc, _Retryable) and exc.overloaded:
            base = retry_after
        else:
            exponential = self.policy.backoff * 2 ** max(0, self.failures - 1)
            base = min(self.policy.max_backoff, max(exponential, retry_after))
        return base * (1.0 + random.uniform(0.0, self.policy.jitter))

    def retrying(self) -> dict[str, Any]:
        return {"stop": self.stop, "wait": self.wait, "retry": retry_if_exception_type(_Retryable), "reraise": True}


def _item_dict(item: ItemLike) -> dict[str, Any]:
    if isinstance(item, ScoreItem):
        return item.model_dump(mode="json", exclude_none=True)
    return dict(item)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _check(response: httpx.Response, url: str) -> bytes:
    """The body of a 2xx answer; `_Retryable` for 502/503/504; `RequestRejected` for 4xx."""
    status = response.status_code
    if 200 <= status < 300:
        return response.content
    if status in RETRY_STATUSES:
        retry_after = _retry_after(response)
        raise _Retryable(f"HTTP {status} from {url}", retry_after, status == 503 and retry_after is not None)
    try:
        body = response.json()
        message, detail = str(body.get("message") or body.get("detail")), body.get("detail")
    except (ValueError, AttributeError):
        message, detail = response.text[:500], None
    if 400 <= status < 500:
        raise RequestRejected(status, message, detail if isinstance(detail, list) else None, url)
    raise RewardServiceError(f"HTTP {status} from {url}: {message}")


class _Base:
    def __init__(
        self,
        base_url: str | Sequence[str],
        *,
        api_key: str | None = None,
        timeout: float = 120.0,
        chunk_size: int = 512,
        max_concurrency: int = 4,
        retry: RetryPolicy | None = None,
    ) -> None:
        urls = [base_url] if isinstance(base_url, str) else list(base_url)
        if not urls:
            raise ValueError("at least one base URL is required")
        self.base_urls = [u.rstrip("/") for u in urls]
        self.chunk_size = max(1, chunk_size)
        self.max_concurrency = max(1, max_concurrency)
        self.retry = retry or RetryPolicy()
        self.timeout = httpx.Timeout(timeout, connect=min(timeout, 5.0))
        self.headers = {"content-type": "application/json"}
        if api_key:
            self.headers["authorization"] = f"Bearer {api_key}"
        self._cursor = itertools.count()
        self._cursor_lock = threading.Lock()

    def _next_url(self) -> str:
        """Round-robin over the URLs: successive requests and retries land on different replicas."""
        with self._cursor_lock:
            return self.base_urls[next(self._cursor) % len(self.base_urls)]

    def _chunks(self, items: Sequence[ItemLike], keep_together: bool) -> list[list[dict[str, Any]]]:
        dicts = [_item_dict(item) for item in items]
        if keep_together:  # group advantages need every group (and the batch) in one request
            return [dicts]
        return [dicts[i : i + self.chunk_size] for i in range(0, len(dicts), self.chunk_size)] or [[]]

    @staticmethod
    def _payload(chunk: list[dict[str, Any]], options: dict[str, Any]) -> bytes:
        return pydantic_core.to_json({"items": chunk, **options})

    @staticmethod
    def _options(
        weights: Weights | Mapping[str, float] | None,
        profile: str,
        accuracy_mode: str,
        details: bool,
        advantages: str | None,
        answer_extraction: str = "strict",
    ) -> dict[str, Any]:
        options: dict[str, Any] = {"profile": profile, "accuracy_mode": accuracy_mode, "details": details}
        if answer_extraction != "strict":  # the default is left out: requests to older services stay valid
            options["answer_extraction"] = answer_extraction
        if weights is not None:
            options["weights"] = weights.model_dump() if isinstance(weights, Weights) else dict(weights)
        if advantages is not None:
            options["advantages"] = advantages
        return options

    @staticmethod
    def _merge(parts: list[ScoreResponse], sizes: list[int]) -> ScoreResponse:
        for part, size in zip(parts, sizes, strict=True):
            if len(part.results) != size:
                raise RewardServiceError(f"service returned {len(part.results)} results for {size} items")
        results: list[ScoreResult] = [r for part in parts for r in part.results]
        first = parts[0]
        return first.model_copy(update={"results": results})

    def _unavailable(self, path: str, exc: _Retryable, budget: _Budget) -> ServiceUnavailable:
        return ServiceUnavailable(
            f"POST {path} failed {budget.attempts} times on {', '.join(self.base_urls)}; last error: {exc}"
        )


class RewardClient(_Base):
    """Synchronous client. Thread-safe; use as a context manager or call `close()`."""

    def __init__(self, base_url: str | Sequence[str], *, transport: httpx.BaseTransport | None = None, **kwargs: Any):
        super().__init__(base_url, **kwargs)
        self._http = httpx.Client(timeout=self.timeout, headers=self.headers, transport=transport)

    def __enter__(self) -> RewardClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def post(self, path: str, payload: bytes) -> bytes:
        """POST with retries and failover; returns the 2xx body."""
        budget = self.retry.budget()
        try:
            for attempt in Retrying(**budget.retrying()):
                with attempt:
                    url = self._next_url()
                    try:
                        response = self._http.post(url + path, content=payload)
                    except httpx.TransportError as exc:
                        raise _Retryable(f"{type(exc).__name__} on {url}: {exc}") from exc
                    return _check(response, url)
        except _Retryable as exc:
            raise self._unavailable(path, exc, budget) from exc
        raise AssertionError("unreachable")

    def get_json(self, path: str) -> Any:
        url = self._next_url()
        try:
            response = self._http.get(url + path)
        except httpx.TransportError as exc:
            raise ServiceUnavailable(f"GET {url}{path}: {type(exc).__name__}: {exc}") from exc
        if response.status_code == 503:
            return response.json()
        return pydantic_core.from_json(_check(response, url))

    def score_response(
        self,
        items: Sequence[ItemLike],
        *,
        endpoint: Endpoint = "all",
        weights: Weights | Mapping[str, float] | None = None,
        profile: str = "auto",
        accuracy_mode: str = "crpo",
        details: bool = False,
        advantages: str | None = None,
        answer_extraction: str = "strict",
    ) -> ScoreResponse:
        """Score `items` (any number); one merged response, results in the order of `items`.
        `answer_extraction="lenient"` finds answers that are not boxed (evaluation of other formats)."""
        options = self._options(weights, profile, accuracy_mode, details, advantages, answer_extraction)
        chunks = self._chunks(items, keep_together=advantages is not None)
        path = _PATHS[endpoint]

        def send(chunk: list[dict[str, Any]]) -> ScoreResponse:
            return ScoreResponse.model_validate_json(self.post(path, self._payload(chunk, options)))

        if len(chunks) == 1:
            parts = [send(chunks[0])]
        else:
            with ThreadPoolExecutor(max_workers=min(self.max_concurrency, len(chunks))) as pool:
                parts = list(pool.map(send, chunks))
        return self._merge(parts, [len(c) for c in chunks])

    def score(self, items: Sequence[ItemLike], **kwargs: Any) -> list[ScoreResult]:
        """Per-item results in the order of `items` (see `score_response` for the options)."""
        return self.score_response(items, **kwargs).results

    def info(self) -> dict[str, Any]:
        return self.get_json("/v1/info")

    def ready(self) -> bool:
        try:
            return self.get_json("/readyz").get("status") == "ready"
        except RewardServiceError:
            return False


class AsyncRewardClient(_Base):
    """Asynchronous client; chunks of one call are sent concurrently (at most `max_concurrency`)."""

    def __init__(
        self, base_url: str | Sequence[str], *, transport: httpx.AsyncBaseTransport | None = None, **kwargs: Any
    ):
        super().__init__(base_url, **kwargs)
        self._http = httpx.AsyncClient(timeout=self.timeout, headers=self.headers, transport=transport)

    async def __aenter__(self) -> AsyncRewardClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def post(self, path: str, payload: bytes) -> bytes:
        budget = self.retry.budget()
        try:
            async for attempt in AsyncRetrying(**budget.retrying()):
                with attempt:
                    url = self._next_url()
                    try:
                        response = await self._http.post(url + path, content=payload)
                    except httpx.TransportError as exc:
                        raise _Retryable(f"{type(exc).__name__} on {url}: {exc}") from exc
                    return _check(response, url)
        except _Retryable as exc:
            raise self._unavailable(path, exc, budget) from exc
        raise AssertionError("unreachable")

    async def get_json(self, path: str) -> Any:
        url = self._next_url()
        try:
            response = await self._http.get(url + path)
        except httpx.TransportError as exc:
            raise ServiceUnavailable(f"GET {url}{path}: {type(exc).__name__}: {exc}") from exc
        if response.status_code == 503:
            return response.json()
        return pydantic_core.from_json(_check(response, url))

    async def score_response(
        self,
        items: Sequence[ItemLike],
        *,
        endpoint: Endpoint = "all",
        weights: Weights | Mapping[str, float] | None = None,
        profile: str = "auto",
        accuracy_mode: str = "crpo",
        details: bool = False,
        advantages: str | None = None,
        answer_extraction: str = "strict",
    ) -> ScoreResponse:
        options = self._options(weights, profile, accuracy_mode, details, advantages, answer_extraction)
        chunks = self._chunks(items, keep_together=advantages is not None)
        path = _PATHS[endpoint]
        limiter = asyncio.Semaphore(self.max_concurrency)

        async def send(chunk: list[dict[str, Any]]) -> ScoreResponse:
            async with limiter:
                body = await self.post(path, self._payload(chunk, options))
            return ScoreResponse.model_validate_json(body)

        parts = list(await asyncio.gather(*(send(c) for c in chunks)))
        return self._merge(parts, [len(c) for c in chunks])

    async def score(self, items: Sequence[ItemLike], **kwargs: Any) -> list[ScoreResult]:
        return (await self.score_response(items, **kwargs)).results

    async def info(self) -> dict[str, Any]:
        return await self.get_json("/v1/info")

    async def ready(self) -> bool:
        try:
            return (await self.get_json("/readyz")).get("status") == "ready"
        except RewardServiceError:
            return False
