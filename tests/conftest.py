from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live import DATA, LiveServer, start_server

try:
    from hypothesis import settings
except ImportError:  # pragma: no cover - an environment without the property tests
    settings = None
if settings is not None:
    # Property tests generate the same examples on every run (no random seed, no replay database), so
    # their run time is predictable and a failure reproduces; each test bounds `max_examples` itself.
    settings.register_profile("crpo", derandomize=True, database=None, print_blob=True)
    settings.load_profile("crpo")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The real service with default settings, shared by the whole session."""
    server = start_server(tmp_path_factory.mktemp("live"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


def read_jsonl(path: Path) -> list[dict]:
    with path.open() as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.fixture(scope="session")
def medqa_test(data_dir: Path) -> list[dict]:
    return read_jsonl(data_dir / "medqa_test.jsonl")
