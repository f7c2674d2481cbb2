"""Lenient extraction against the sources' own extraction on the copied sample of real third-party outputs
(data/realgen_sample, 60 rows per file): every disagreement is one of the source's known errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.answer_agreement import SOURCE_ERROR_CLASSES, compare_file
from tests.live import DATA

FILES = sorted((DATA / "realgen_sample").glob("*.jsonl.gz"))


def test_the_sample_covers_every_source_file() -> None:
    assert len(FILES) == 11
    assert {f.name.split("__")[0] for f in FILES} == {"lievin2022", "mirage", "thoughtsource"}


@pytest.mark.parametrize("path", FILES, ids=[f.name.split(".")[0] for f in FILES])
def test_agreement_with_the_sources_own_extraction(path: Path) -> None:
    result = compare_file(path, examples=3)
    assert result["scored"] == 60
    assert result["agreement_without_source_errors"] >= 0.99, result["examples"]
    assert result["predicted_agreement"] >= 0.9
    unexplained = {c: n for c, n in result["predicted_disagreements"].items() if c not in SOURCE_ERROR_CLASSES}
    assert sum(unexplained.values()) <= 0.01 * result["scored"], result["examples"]
    if "flag_agreement" in result:
        assert result["flag_agreement"] >= 0.95
