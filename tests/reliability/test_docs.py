"""docs/reliability.md: its Python snippet runs against a live service, and every setting it names exists."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from reward_service.config import Settings
from tests.live import ROOT, LiveServer

DOC = (ROOT / "docs" / "reliability.md").read_text()


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC, flags=re.DOTALL)


def test_python_snippets_run(live_server: LiveServer, tmp_path: Path) -> None:
    for index, code in enumerate(blocks("python")):
        script = tmp_path / f"snippet{index}.py"
        script.write_text(code.replace("http://127.0.0.1:8000", live_server.url))
        env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this tree's code, not an installed copy
        done = subprocess.run(
            [sys.executable, str(script)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "1.0"


def test_every_setting_named_exists() -> None:
    named = set(re.findall(r"CRPO_([A-Z_]+[A-Z])", DOC))
    assert named
    fields = {name.upper() for name in Settings.model_fields}
    assert named <= fields, named - fields


def test_bench_commands_parse() -> None:
    for code in blocks("bash"):
        for line in code.splitlines():
            if "bench.bench_load" in line:
                args = line.split("bench.bench_load", 1)[1].split("#")[0].split()
                done = subprocess.run(
                    [sys.executable, "-c", "import sys; from bench.bench_load import main; main()", *args, "--help"],
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    timeout=60,
                )
                assert done.returncode == 0, done.stderr
