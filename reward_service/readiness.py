"""What must be loaded before the service is ready, loaded off the event loop at start-up."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class Readiness:
    """Named start-up loaders; ready when each has finished. A failed loader keeps it unready."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._status: dict[str, str] = {}
        self._lexicon_info: dict[str, Any] | None = None

    def register(self, name: str) -> None:
        with self._lock:
            self._status[name] = "loading"

    def run(self, name: str, loader: Callable[[], Any]) -> None:
        try:
            result = loader()
        except Exception as exc:  # reported by /readyz; the process stays up to say why
            with self._lock:
                self._status[name] = f"failed: {type(exc).__name__}: {exc}"
            raise
        with self._lock:
            self._status[name] = "ready"
            if isinstance(result, dict) and name == "nlp":
                self._lexicon_info = result

    @property
    def ready(self) -> bool:
        with self._lock:
            return all(status == "ready" for status in self._status.values())

    def components(self) -> dict[str, str]:
        with self._lock:
            return dict(self._status)

    def lexicon_info(self) -> dict[str, Any] | None:
        with self._lock:
            return self._lexicon_info
