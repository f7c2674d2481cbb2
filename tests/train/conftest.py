from __future__ import annotations

from pathlib import Path

import pytest

from tests.train.helpers import build_tokenizer, prepared_medqa


@pytest.fixture(scope="session")
def tokenizer_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tokenizer(tmp_path_factory.mktemp("tokenizer"))


@pytest.fixture(scope="session")
def tokenizer(tokenizer_dir: Path):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tokenizer_dir)


@pytest.fixture(scope="session")
def medqa_parquet(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """data/medqa_dev.jsonl prepared by crpo-data's `prepare` (train 90 %, val 10 %)."""
    return prepared_medqa(tmp_path_factory.mktemp("medqa"))
