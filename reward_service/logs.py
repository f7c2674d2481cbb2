"""The service's own logging: one handler for `reward_service.*`, and crash reports without payload text.

Request bodies (response and question text, which may hold patient data) are never logged unless
`CRPO_LOG_PAYLOADS=true`; neither is the API key. An unexpected exception is logged by its type and
stack only, because exception messages (pydantic's in particular) can quote the input.
"""

from __future__ import annotations

import logging
import traceback

LOG = logging.getLogger("reward_service")
_LEVELS = {"trace": logging.DEBUG, "debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING}


def configure_logging(level: str) -> None:
    """Send `reward_service.*` records to stderr at `level` (uvicorn configures only its own loggers)."""
    if not LOG.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(name)s: %(message)s"))
        LOG.addHandler(handler)
        LOG.propagate = False
    LOG.setLevel(_LEVELS.get(level.lower(), logging.INFO))


def log_crash(exc: BaseException, *, with_message: bool) -> None:
    """Log an unexpected exception: its type and stack, and its message only when payloads may be logged."""
    if with_message:
        LOG.error("unhandled error", exc_info=exc)
        return
    stack = "".join(traceback.format_tb(exc.__traceback__))
    LOG.error("unhandled error: %s (message withheld; CRPO_LOG_PAYLOADS=true shows it)\n%s", type(exc).__name__, stack)
