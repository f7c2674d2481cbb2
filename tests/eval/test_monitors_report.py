"""crpo-eval plots the reward-hacking monitors per checkpoint: the synthetic drift into a verdict template
(tests/drift.py) as four runs, one per step, scored by the live service."""

from __future__ import annotations

import json
from pathlib import Path

from tests.drift import STEPS, rising, step_items
from tests.eval.helpers import check_png, run_cli, write_jsonl
from tests.live import LiveServer


def test_the_report_shows_the_drift_per_checkpoint(live_server: LiveServer, tmp_path: Path) -> None:
    args = []
    for step in range(STEPS):
        rows = [{k: v for k, v in item.items() if k != "group_id"} for item in step_items(step)]
        args += ["--run", f"step{step}={write_jsonl(tmp_path / f'step{step}.jsonl', rows)}"]
    done = run_cli([*args, "--reward-url", live_server.url, "--out", str(tmp_path / "report"), "--bootstrap", "200"])
    assert done.returncode == 0, done.stderr
    summary = json.loads((tmp_path / "report" / "summary.json").read_text())
    monitors = summary["monitors"]
    assert list(monitors) == [f"step{s}" for s in range(STEPS)]
    assert all(m["groups"] == 12 and m["items"] == 48 for m in monitors.values())  # a question's responses: a group
    vacuous = [m["vacuous_verdict_share"] for m in monitors.values()]
    decided = [m["decided_by_share"]["comprehensiveness"] for m in monitors.values()]
    assert rising(vacuous) and rising(decided) and decided[-1] == 1.0, (vacuous, decided)
    assert "monitors.png" in summary["figures"]
    check_png(tmp_path / "report" / "monitors.png")
    report = (tmp_path / "report" / "report.md").read_text()
    assert "## Reward-hacking monitors" in report and "![Reward-hacking monitors per run](monitors.png)" in report
