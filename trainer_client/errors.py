"""Errors raised by the reward-service client."""

from __future__ import annotations

from typing import Any


class RewardServiceError(Exception):
    """Base class of every error the client raises."""


class RequestRejected(RewardServiceError):
    """The service answered 4xx: the request itself is wrong and retrying will not help.

    `message` is the service's one-line explanation (it names the failing item and field);
    `detail` is the list of problems, each with its `loc`.
    """

    def __init__(self, status: int, message: str, detail: list[dict[str, Any]] | None = None, url: str = "") -> None:
        super().__init__(f"HTTP {status} from {url}: {message}")
        self.status = status
        self.message = message
        self.detail = detail or []
        self.url = url


class ServiceUnavailable(RewardServiceError):
    """Every attempt failed (connection errors, timeouts, 5xx) on every configured URL."""
