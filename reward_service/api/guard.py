"""Backpressure, deadlines and cancellation: the one mechanism every work endpoint goes through.

An endpoint that parses and scores a body hands its work to `guarded`:

    async def my_endpoint(request: Request) -> Response:
        def work(body: bytes, ticket: Ticket) -> bytes:
            parsed = parse_body(MyRequest, body)
            ticket.admit(len(parsed.items))  # 503 when the process already holds too many items
            ...  # call `ticket.check()` between pieces of work
            return answer.model_dump_json().encode()

        return Response(await guarded(request, work), media_type="application/json")

The scoring protocols do this through `api.respond.respond_scored` and `api.batch.score_batch` (which
admits the items and checks the ticket between slices).

Per process, it guarantees:
- at most `max_inflight_requests` requests are being read, queued or worked on, and at most
  `max_inflight_items` items (one larger request only when nothing else is in flight); beyond, 503 with
  `Retry-After`: there is no unbounded queue;
- reading the body takes at most `request_timeout_s` (408), and answering it at most `request_timeout_s`
  more (504 with `Retry-After`);
- work whose answer is no longer wanted (timed out, or the client disconnected) stops at its next
  `ticket.check()`, and its items stay counted against the bound until it has really stopped, so work that
  overruns cannot pile up. Python cannot kill a thread: work that never reaches a check holds its share
  of the bound (and with several workers, uvicorn's health check replaces a process that stops answering).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread
from fastapi import Request
from starlette.requests import ClientDisconnect

from reward_service.api.body import read_body
from reward_service.config import Settings
from reward_service.errors import RequestProblem
from reward_service.metrics import INFLIGHT_ITEMS, INFLIGHT_REQUESTS

T = TypeVar("T")
PAYLOAD_LOG = logging.getLogger("reward_service.payloads")
#: Characters of a body that `CRPO_LOG_PAYLOADS=true` writes to the log.
PAYLOAD_LOG_CHARS = 65_536


class Abandoned(Exception):
    """Raised inside the work by `Ticket.check()` once its answer is no longer wanted."""


class Admission:
    """Counts the requests and items in flight in this process; refuses work beyond the bounds."""

    def __init__(self, max_items: int, max_requests: int, retry_after: int) -> None:
        self.max_items = max_items
        self.max_requests = max_requests
        self.retry_after = retry_after
        self._lock = threading.Lock()
        self.items = 0
        self.requests = 0

    def _overloaded(self, what: str) -> RequestProblem:
        return RequestProblem(503, (), f"overloaded: {what}; retry later", "overloaded", self.retry_after)

    def enter(self) -> None:
        """Take a request slot, or 503 when the process is full (before the body is even read)."""
        with self._lock:
            if self.requests >= self.max_requests:
                raise self._overloaded(f"{self.requests} requests in flight (limit {self.max_requests})")
            if self.items >= self.max_items:
                raise self._overloaded(f"{self.items} items in flight (limit {self.max_items})")
            self.requests += 1
            INFLIGHT_REQUESTS.set(self.requests)

    def reserve(self, n: int) -> None:
        """Count `n` more items, or 503. A request of any size is taken when nothing else is in flight."""
        with self._lock:
            if self.items and self.items + n > self.max_items:
                raise self._overloaded(f"{self.items} items in flight, {n} more requested (limit {self.max_items})")
            self.items += n
            INFLIGHT_ITEMS.set(self.items)

    def leave(self, items: int) -> None:
        with self._lock:
            self.items -= items
            self.requests -= 1
            INFLIGHT_ITEMS.set(self.items)
            INFLIGHT_REQUESTS.set(self.requests)


class Ticket:
    """One admitted request: its deadline, its items, and why its work should stop (if it should)."""

    def __init__(self, admission: Admission) -> None:
        self._admission = admission
        self._lock = threading.Lock()
        self._state = "queued"  # -> "running" -> "done", or "queued" -> "done" when dropped before starting
        self.items = 0
        self.deadline = math.inf
        self.stop_reason: str | None = None

    def admit(self, n_items: int) -> None:
        """Count this request's items against the process bound (503 when over it)."""
        self._admission.reserve(n_items)
        self.items += n_items

    def check(self) -> None:
        """Raise `Abandoned` when the answer is no longer wanted; call it between pieces of work."""
        if self.stop_reason is None and time.monotonic() > self.deadline:
            self.stop_reason = "timeout"
        if self.stop_reason is not None:
            raise Abandoned(self.stop_reason)

    def stop(self, reason: str) -> None:
        if self.stop_reason is None:
            self.stop_reason = reason

    def start(self) -> bool:
        """Called by the worker thread; False when the request was given up before the work began."""
        with self._lock:
            if self._state != "queued":
                return False
            self._state = "running"
            return True

    def finish(self) -> None:
        """Give back the request slot and items (once), when the work has ended."""
        with self._lock:
            if self._state == "done":
                return
            self._state = "done"
        self._admission.leave(self.items)

    def finish_unless_running(self) -> None:
        """Give back the slot now, unless a worker thread is still on it (it gives it back itself)."""
        with self._lock:
            if self._state == "running":
                return
        self.finish()


class Guard:
    """Per-process state of the mechanism: the admission counts and the scoring threads."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.admission = Admission(settings.max_inflight_items, settings.max_inflight_requests, settings.retry_after_s)
        self._limiter: anyio.CapacityLimiter | None = None

    @property
    def limiter(self) -> anyio.CapacityLimiter:
        if self._limiter is None:  # created on the event loop, at the first request
            self._limiter = anyio.CapacityLimiter(self.settings.scoring_threads)
        return self._limiter


def _timed_out(timeout: float, retry_after: int) -> RequestProblem:
    return RequestProblem(
        504,
        (),
        f"not answered within {timeout:g} s (CRPO_REQUEST_TIMEOUT_S); the work was stopped. "
        "Retry, or send fewer items per request",
        "timeout",
        retry_after,
    )


def _disconnected() -> RequestProblem:
    return RequestProblem(499, (), "the client disconnected; the work was stopped", "client_disconnected")


async def _read(request: Request, timeout: float) -> bytes:
    try:
        with anyio.fail_after(timeout):
            return await read_body(request)
    except ClientDisconnect:
        raise _disconnected() from None
    except TimeoutError:
        raise RequestProblem(
            408, ("body",), f"request body not received within {timeout:g} s", "body_timeout"
        ) from None


async def guarded(request: Request, work: Callable[[bytes, Ticket], T]) -> T:
    """Read the body and run `work(body, ticket)` in a scoring thread, within the process's bounds."""
    guard: Guard = request.app.state.guard
    settings = guard.settings
    guard.admission.enter()
    ticket = Ticket(guard.admission)
    try:
        body = await _read(request, settings.request_timeout_s)
        if settings.log_payloads:
            PAYLOAD_LOG.info("%s %s body (%d bytes): %s", request.method, request.url.path, len(body), _excerpt(body))
        ticket.deadline = time.monotonic() + settings.request_timeout_s
        return await _run(guard, ticket, work, body, request)
    finally:
        ticket.finish_unless_running()


def _excerpt(body: bytes) -> str:
    text = body[: PAYLOAD_LOG_CHARS * 4].decode("utf-8", errors="replace")
    return text if len(text) <= PAYLOAD_LOG_CHARS else text[:PAYLOAD_LOG_CHARS] + "…"


async def _run(guard: Guard, ticket: Ticket, work: Callable[[bytes, Ticket], T], body: bytes, request: Request) -> T:
    def job() -> T:
        if not ticket.start():
            raise Abandoned("given up before it started")
        try:
            ticket.check()  # it may have waited for a thread past its deadline
            return work(body, ticket)
        finally:
            ticket.finish()

    async def watch_disconnect(scope: anyio.CancelScope) -> None:
        while (await request.receive())["type"] != "http.disconnect":
            pass
        ticket.stop("client disconnected")
        scope.cancel()

    outcome: list[T] = []
    failure: BaseException | None = None
    async with anyio.create_task_group() as tasks:
        tasks.start_soon(watch_disconnect, tasks.cancel_scope)
        try:
            with anyio.move_on_after(ticket.deadline - time.monotonic()):
                outcome.append(await anyio.to_thread.run_sync(job, limiter=guard.limiter, abandon_on_cancel=True))
        except Exception as exc:  # re-raised below, outside the task group (no exception groups)
            failure = exc
        tasks.cancel_scope.cancel()
    if outcome:
        return outcome[0]
    if isinstance(failure, Abandoned) or failure is None:
        if ticket.stop_reason == "client disconnected":
            raise _disconnected()
        ticket.stop("timeout")
        raise _timed_out(guard.settings.request_timeout_s, guard.settings.retry_after_s)
    raise failure
