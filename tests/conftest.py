from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live import DATA, LiveServer, start_server


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
