"""`bench/bench_memory.py` (run by `make bench`) runs and prints its two figures."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_memory_prints_rss_and_first_sight() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bench.bench_memory", "--questions", "6"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert re.search(r"after one response to each of 6 distinct MedQA questions \d+ MB", run.stdout), run.stdout
    assert re.search(r"case facts median \d+\.\d\d ms", run.stdout), run.stdout
