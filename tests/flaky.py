"""A real HTTP server in a thread that misbehaves on purpose, in front of a real reward service.

It answers the first `fail_first` requests with 503 + Retry-After, delays each request by `delay`
seconds, then forwards to `upstream`. Used to test the client's retries and timeouts.
"""

from __future__ import annotations

import asyncio
import threading
import time

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.live import free_port


class FlakyProxy:
    def __init__(self, upstream: str, *, fail_first: int = 0, retry_after: float = 1.0, delay: float = 0.0) -> None:
        self.upstream = upstream
        self.fail_first = fail_first
        self.retry_after = retry_after
        self.delay = delay
        self.calls: list[float] = []
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        app = Starlette(routes=[Route("/{path:path}", self.handle, methods=["GET", "POST"])])
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    async def handle(self, request: Request) -> Response:
        self.calls.append(time.monotonic())
        if len(self.calls) <= self.fail_first:
            return Response(b'{"message": "busy"}', status_code=503, headers={"retry-after": str(self.retry_after)})
        if self.delay:
            await asyncio.sleep(self.delay)
        async with httpx.AsyncClient(timeout=60) as client:
            upstream = await client.request(
                request.method,
                self.upstream + request.url.path,
                content=await request.body(),
                headers={"content-type": "application/json"},
            )
        return Response(upstream.content, status_code=upstream.status_code, media_type="application/json")

    def __enter__(self) -> FlakyProxy:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.01)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
