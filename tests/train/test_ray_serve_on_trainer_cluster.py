"""Ray Serve on the Ray cluster a verl run uses: the cluster runs from the trainer environment (numpy 2, no
NLP stack), and Serve's actors run with the service environment's Python (`--py-executable`)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest
import ray

from reward_service.testing import REPLICA_HEADER, start_ray_serve
from trainer_client import RewardClient


@pytest.fixture(scope="module")
def trainer_cluster() -> Iterator[str]:
    """The trainer's Ray (as verl's `ray.init`), or the one a test before already started."""
    started = not ray.is_initialized()
    if started:
        ray.init(address="local", num_cpus=2, include_dashboard=False, object_store_memory=128 * 1024**2)
    yield ray.get_runtime_context().gcs_address
    if started:
        ray.shutdown()


def site_packages(python: str) -> str:
    out = subprocess.run(
        [python, "-c", "import numpy, os; print(os.path.realpath(os.path.dirname(os.path.dirname(numpy.__file__))))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def test_reward_service_replicas_on_the_trainer_cluster_in_the_service_env(
    trainer_cluster: str, tmp_path: Path
) -> None:
    service_python = os.environ.get("CRPO_SERVER_PYTHON")
    assert service_python, "the training tests run with CRPO_SERVER_PYTHON set to the service env's python"
    app = start_ray_serve(
        tmp_path,
        ["--address", trainer_cluster, "--py-executable", service_python, "--replicas", "1", "--num-cpus", "0.5"],
    )
    try:
        item = {
            "response": "<dx>Crushing chest pain.</dx><conclusion>It is an infarction. \\boxed{A}</conclusion>",
            "options": {"A": "Myocardial infarction", "B": "Pulmonary embolism"},
            "answer": "A",
        }
        with RewardClient(app.url) as client:
            assert [r.accuracy for r in client.score([item] * 8)] == [1.0] * 8
        replica_pid = int(httpx.get(f"{app.url}/healthz").headers[REPLICA_HEADER].split("pid=")[1])
        loaded = {os.path.realpath(m.path) for m in psutil.Process(replica_pid).memory_maps()}
        service_libs, trainer_libs = site_packages(service_python), site_packages(sys.executable)
        assert service_libs != trainer_libs
        assert any(path.startswith(service_libs) for path in loaded)  # the replica runs in the service env
        assert not any(path.startswith(trainer_libs) for path in loaded)
    finally:
        code, survivors = app.stop()
    assert code == 0, app.log()[-3000:]
    assert survivors == []
    # the driver deleted its app and, the cluster having no other Serve app, Serve itself
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{app.url}/healthz", timeout=5)
