"""Optional bearer API key. The key is compared in constant time and never logged."""

from __future__ import annotations

import hmac

from fastapi import Request

from reward_service.errors import RequestProblem


def check_api_key(request: Request) -> None:
    expected: bytes | None = request.app.state.api_key
    if expected is None:
        return
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    supplied = token.strip().encode() if scheme.lower() == "bearer" else b""
    if not hmac.compare_digest(supplied, expected):
        raise RequestProblem(401, ("header", "authorization"), "missing or wrong API key", "unauthorized")
