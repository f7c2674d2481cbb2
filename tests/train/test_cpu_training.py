"""`crpo-train --device cpu`: real GRPO/CRPO steps of verl 0.9.1 on CPU, rewards from the live service.

The console script itself runs (its own pre-flight checks, then `verl.trainer.main_ppo` with Ray),
with the tiny policy that `trainer_client.verl.cpu.tiny_model` builds offline from the prepared MedQA
file. Everything asserted comes from the run's own output (verl's console metrics, the `hf` rollout's
weight-load lines, the checkpoint directory) and from the service's `/metrics`.

Two runs: 2 steps from scratch saving a checkpoint at step 2, then a restart that resumes from it and
runs step 3.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from schemas import OBJECTIVES
from tests.live import ROOT, LiveServer

#: Two `crpo-train` runs, each starting Ray: ~4-5 minutes each on the loaded 2-core development machine
#: (up to 11), more than the suite's default 10 minutes per test; pyproject's faulthandler_timeout (20
#: minutes) stays the hard limit.
pytestmark = pytest.mark.timeout(1200)
PROMPTS, ROLLOUTS = 2, 4  # the CPU defaults: data.train_batch_size=2, actor_rollout_ref.rollout.n=4
STEP_LINE = re.compile(r"step:(\d+) - (.*)")
WEIGHTS_LINE = re.compile(r"hf rollout: loaded weights of step (\S+) \((\d+) tensors, digest (\w+)")


@dataclass
class Run:
    returncode: int
    output: str
    seconds: float
    items_scored: float

    def steps(self) -> dict[int, dict[str, float]]:
        """verl's console logger: one `step:N - key:value - ...` line per training step."""
        steps = {}
        for match in STEP_LINE.finditer(self.output):
            metrics = {}
            for pair in match.group(2).split(" - "):
                key, _, value = pair.rpartition(":")
                try:
                    metrics[key.strip()] = float(value)
                except ValueError:
                    continue
            steps[int(match.group(1))] = metrics
        return steps

    def weight_loads(self) -> list[tuple[str, int, str]]:
        return [(m.group(1), int(m.group(2)), m.group(3)) for m in WEIGHTS_LINE.finditer(self.output)]


def items_scored(server: LiveServer) -> float:
    for family in text_string_to_metric_families(httpx.get(f"{server.url}/metrics").text):
        for sample in family.samples:
            if sample.name == "crpo_items_scored_total" and sample.labels.get("endpoint") == "/v1/score":
                return sample.value
    return 0.0


def crpo_train(server: LiveServer, parquet: dict[str, Path], model: Path, workdir: Path, *overrides: str) -> Run:
    """Run in `workdir`: verl's Hydra entry point writes its `outputs/` to the working directory."""
    script = Path(sys.executable).with_name("crpo-train")  # the installed console script
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "trainer_client.train_cli"]
    before = items_scored(server)
    start = time.monotonic()
    result = subprocess.run(
        [
            *command, "--device", "cpu", "--reward-url", server.url,
            "--train-files", str(parquet["train"]), "--val-files", str(parquet["val"]), "--model", str(model),
            "trainer.logger=[console]", *overrides,
        ],
        capture_output=True, text=True, cwd=workdir, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=900,
    )  # fmt: skip
    output = result.stdout + result.stderr
    return Run(result.returncode, output, time.monotonic() - start, items_scored(server) - before)


@pytest.fixture(scope="module")
def tiny_policy(medqa_parquet: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    from trainer_client.verl.cpu.tiny_model import build

    return build(medqa_parquet["train"], tmp_path_factory.mktemp("tiny-policy"))


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("checkpoints")


@pytest.fixture(scope="module")
def first_run(live_server: LiveServer, medqa_parquet: dict[str, Path], tiny_policy: Path, checkpoints: Path) -> Run:
    return crpo_train(
        live_server, medqa_parquet, tiny_policy, checkpoints.parent,
        "trainer.total_training_steps=2", "trainer.save_freq=2", f"trainer.default_local_dir={checkpoints}",
    )  # fmt: skip


def test_two_real_steps_on_cpu_with_rewards_from_the_service(first_run: Run) -> None:
    assert first_run.returncode == 0, first_run.output[-6000:]
    steps = first_run.steps()
    assert sorted(steps) == [1, 2], first_run.output[-6000:]
    print(f"crpo-train --device cpu, 2 steps: {first_run.seconds:.0f} s; step times (s):", end=" ")
    print(", ".join(f"{steps[s].get('timing_s/step', float('nan')):.1f}" for s in sorted(steps)))
    for step, metrics in steps.items():
        # per-objective reward metrics from the CRPO trainer, over the step's G x prompts rollouts
        for name in ("accuracy", "faithfulness", "comprehensiveness"):
            assert f"crpo/{name}/mean" in metrics and f"crpo/{name}/std" in metrics, (step, sorted(metrics))
        assert set(OBJECTIVES) >= {k.split("/")[1] for k in metrics if k.endswith("/zero_spread_frac")} - {"reward"}
        # the crpo estimator's diagnostics: it ran inside the real step
        assert metrics["crpo/adv/groups"] == PROMPTS
        assert "crpo/reward/zero_spread_frac" in metrics and "crpo/adv/distinct_per_group/mean" in metrics
        # a learning signal, and an update that used it
        assert metrics["critic/advantages/max"] > 0 > metrics["critic/advantages/min"], (step, metrics)
        assert metrics["actor/grad_norm"] > 0
        assert metrics["crpo/accuracy/mean"] >= -1.0
    # each scored rollout went through POST /v1/score once: 2 steps x 2 prompts x G = 4
    assert first_run.items_scored == 2 * PROMPTS * ROLLOUTS


def test_the_rollout_gets_the_updated_weights_every_step(first_run: Run) -> None:
    assert first_run.returncode == 0, first_run.output[-6000:]
    loads = first_run.weight_loads()
    # verl's naive sync: once before the first step, then after each step's update
    assert len(loads) == 3, loads
    assert len({tensors for _, tensors, _ in loads}) == 1
    digests = [digest for _, _, digest in loads]
    assert len(set(digests)) == 3, "the weights the rollout generates with changed after every update"


def test_a_restart_resumes_from_the_checkpoint(
    first_run: Run, live_server: LiveServer, medqa_parquet: dict[str, Path], tiny_policy: Path, checkpoints: Path
) -> None:
    assert first_run.returncode == 0, first_run.output[-6000:]
    saved = checkpoints / "global_step_2"
    assert (saved / "actor").is_dir(), sorted(p.name for p in checkpoints.iterdir())
    assert (checkpoints / "latest_checkpointed_iteration.txt").read_text().strip() == "2"

    resumed = crpo_train(
        live_server, medqa_parquet, tiny_policy, checkpoints.parent,
        "trainer.total_training_steps=3", "trainer.save_freq=3", f"trainer.default_local_dir={checkpoints}",
    )  # fmt: skip
    assert resumed.returncode == 0, resumed.output[-6000:]
    print(f"crpo-train --device cpu, resumed for step 3: {resumed.seconds:.0f} s")
    assert sorted(resumed.steps()) == [3], "the restart runs only the step after the checkpoint"
    # the rollout starts from the checkpointed weights, not from the model on disk
    last_before = first_run.weight_loads()[-1][2]
    assert resumed.weight_loads()[0][2] == last_before
    assert (checkpoints / "global_step_3" / "actor").is_dir()
    assert resumed.items_scored == PROMPTS * ROLLOUTS
