"""The commands of docs/train.md, run as written (`~` is a temporary HOME, the service URL the live one)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from tests.live import ROOT, LiveServer

DOC = ROOT / "docs" / "train.md"
SHIMS = (
    'crpo-data() { "$PY" -m trainer_client.data_cli "$@"; }\ncrpo-train() { "$PY" -m trainer_client.train_cli "$@"; }\n'
)


def snippet(name: str) -> str:
    match = re.search(rf"<!-- tested: {name} -->\n```bash\n(.*?)```", DOC.read_text(), re.S)
    assert match, f"docs/train.md has no tested snippet {name!r}"
    return match.group(1)


def run_bash(script: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), "PY": sys.executable, "PYTHONPATH": str(ROOT)}
    return subprocess.run(["bash", "-c", SHIMS + script], capture_output=True, text=True, env=env, cwd=ROOT)


def test_documented_commands_run_as_written(live_server: LiveServer, tmp_path: Path) -> None:
    prepared = run_bash(snippet("prepare"), tmp_path)
    assert prepared.returncode == 0, prepared.stderr
    assert (tmp_path / "data/crpo/medqa/train.parquet").is_file()

    train = snippet("train")
    assert "--dry-run" in train
    dry_run = run_bash(train.replace("http://127.0.0.1:8000", live_server.url), tmp_path)
    assert dry_run.returncode == 0, dry_run.stderr
    config = yaml.safe_load(dry_run.stdout)
    assert config["data"]["train_files"] == str(tmp_path / "data/crpo/medqa/train.parquet")
    assert config["actor_rollout_ref"]["model"]["path"] == "Qwen/Qwen2.5-3B-Instruct"
    assert config["actor_rollout_ref"]["rollout"]["n"] == 5
    assert config["crpo"]["weights"]["accuracy"] == 10.0
    assert (config["trainer"]["n_gpus_per_node"], config["trainer"]["total_epochs"]) == (8, 2)
