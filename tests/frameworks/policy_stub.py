"""A scripted policy behind an OpenAI-compatible chat-completions endpoint on loopback.

Frameworks that generate through an OpenAI client (verifiers) run their whole rollout loop against it;
it answers each request with the next scripted response for the question in the request's last user
turn, so a test knows exactly which text was scored.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.live import free_port


class ScriptedPolicy:
    def __init__(self, script: Callable[[str, int], str]) -> None:
        """`script(user_text, n)`: the response to the n-th request (0, 1, ...) about that user turn."""
        self.script = script
        self.counts: dict[str, int] = {}
        self.sent: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.ids = itertools.count()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        app = Starlette(routes=[Route("/v1/chat/completions", self.complete, methods=["POST"])])
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    async def complete(self, request: Request) -> JSONResponse:
        body = await request.json()
        users = [m for m in body["messages"] if m.get("role") == "user"]
        content = users[-1]["content"] if users else ""
        user = content if isinstance(content, str) else "".join(p.get("text", "") for p in content)
        with self.lock:
            n = self.counts.get(user, 0)
            self.counts[user] = n + 1
            text = self.script(user, n)
            self.sent.append((user, text))
        return JSONResponse(
            {
                "id": f"chatcmpl-{next(self.ids)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model", "scripted"),
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
            }
        )

    def __enter__(self) -> ScriptedPolicy:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.01)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
