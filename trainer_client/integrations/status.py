"""Reading a result's scoring status the same way in every adapter.

`ScoreResult.status` is `scored`, `partial` (an objective could not be computed; the others are valid) or
`unscorable` (no options, no gold answer, ...: `status_reason` says which). Adapters map `unscorable` to
their framework's "skip this sample" and never to a number. A service older than the field answers no
`status`: every result counts as `scored`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

UNSCORABLE = "unscorable"


def status_of(result: Any) -> str:
    """The `status` of a `ScoreResult` (or its JSON object); `scored` when the service sends none."""
    value = result.get("status") if isinstance(result, Mapping) else getattr(result, "status", None)
    return value or "scored"


def reason_of(result: Any) -> str | None:
    return result.get("status_reason") if isinstance(result, Mapping) else getattr(result, "status_reason", None)


def is_unscorable(result: Any) -> bool:
    return status_of(result) == UNSCORABLE
