"""Request errors that name the failing item and field; the API turns them into 4xx/5xx answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


def format_loc(loc: Sequence[str | int]) -> str:
    """`("items", 3, "response")` -> `items[3].response`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "body"


@dataclass
class RequestProblem(Exception):
    """A problem with one place of the request body (`loc`), answered with `status`.

    `retry_after` (seconds) is sent as the `Retry-After` header: the request itself is fine and may be
    retried then (overload, timeout).
    """

    status: int
    loc: tuple[str | int, ...]
    msg: str
    kind: str
    retry_after: int | None = None

    def __str__(self) -> str:
        return f"{format_loc(self.loc)}: {self.msg}"
