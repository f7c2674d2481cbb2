"""Ray Serve: the service's FastAPI app in two replicas behind Ray's proxy, on loopback, small and shut down."""

from __future__ import annotations

import importlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import typer
import yaml
from ray.serve import Application
from ray.serve.schema import ServeDeploySchema

from deploy import ray_serve
from reward_service.testing import REPLICA_HEADER, start_ray_serve
from tests.live import ROOT
from trainer_client import RewardClient

OPTIONS = {"A": "Myocardial infarction", "B": "Pulmonary embolism", "C": "Aortic dissection"}


def batch(n: int) -> tuple[list[dict], list[float]]:
    boxes = ["A", "B", "Z", None]  # correct, wrong, not an option, no box
    values = {"A": 1.0, "B": 0.0, "Z": -0.5, None: -1.0}
    items, expected = [], []
    for i in range(n):
        box = boxes[i % 4]
        conclusion = f"The answer is this one. \\boxed{{{box}}}" if box else "I cannot tell."
        items.append(
            {
                "id": f"r{i}",
                "response": f"<dx>Chest pain radiating to the arm.</dx><conclusion>{conclusion}</conclusion>",
                "question": "A 61-year-old man has crushing chest pain. Diagnosis?",
                "options": OPTIONS,
                "answer": "A",
            }
        )
        expected.append(values[box])
    return items, expected


def test_two_replicas_score_a_batch_and_share_the_requests(tmp_path: Path) -> None:
    app = start_ray_serve(
        tmp_path, ["--replicas", "2", "--num-cpus", "0.5", "--ray-cpus", "2", "--object-store-mb", "128"]
    )
    try:
        items, expected = batch(400)
        with RewardClient(app.url, chunk_size=50, max_concurrency=4) as client:
            results = client.score(items)
        assert [r.id for r in results] == [item["id"] for item in items]
        assert [r.accuracy for r in results] == expected

        def one(i: int) -> tuple[str, float]:
            sample, value = batch(4)
            response = httpx.post(f"{app.url}/v1/score", json={"items": sample[i % 4 : i % 4 + 1]}, timeout=60)
            response.raise_for_status()
            assert response.json()["results"][0]["accuracy"] == value[i % 4]
            return response.headers[REPLICA_HEADER], response.json()["results"][0]["accuracy"]

        replicas: set[str] = set()
        with ThreadPoolExecutor(8) as pool:
            for round_ in range(10):  # Ray's router spreads concurrent requests; stop once both answered
                replicas |= {header for header, _ in pool.map(one, range(round_ * 32, round_ * 32 + 32))}
                if len(replicas) == 2:
                    break
        assert len(replicas) == 2, replicas
        assert len({header.split("pid=")[1] for header in replicas}) == 2  # two processes
    finally:
        code, survivors = app.stop()
    assert code == 0, app.log()[-3000:]
    assert survivors == []


def test_serve_config_file_is_valid_for_ray_and_names_the_app() -> None:
    config = ServeDeploySchema.model_validate(yaml.safe_load((ROOT / "deploy" / "ray_serve.yaml").read_text()))
    application = config.applications[0]
    module_name, _, attribute = application.import_path.partition(":")
    assert isinstance(getattr(importlib.import_module(module_name), attribute), Application)
    assert [d.name for d in application.deployments] == ["RewardService"]
    assert application.route_prefix == "/"


def test_deployment_options_fixed_or_autoscaling(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRPO_WEIGHTS__FORMAT", "0.5")
    fixed = ray_serve.deployment_options(4, 2.0)
    assert fixed["num_replicas"] == 4 and "autoscaling_config" not in fixed
    assert fixed["ray_actor_options"] == {"num_cpus": 2.0, "runtime_env": {"env_vars": {"CRPO_WEIGHTS__FORMAT": "0.5"}}}
    scaling = ray_serve.deployment_options(2, 1.0, max_replicas=8)
    assert "num_replicas" not in scaling
    assert scaling["autoscaling_config"]["min_replicas"] == 2 and scaling["autoscaling_config"]["max_replicas"] == 8
    assert isinstance(ray_serve.build({"replicas": "3", "num_cpus": "0.5", "max_replicas": "6"}), Application)


def documented_commands() -> list[list[str]]:
    text = (ROOT / "docs" / "deploy.md").read_text()
    return [
        line.split("python -m deploy.ray_serve", 1)[1].split("#")[0].split()
        for line in text.splitlines()
        if line.strip().startswith("python -m deploy.ray_serve")
    ]


def test_documented_ray_serve_commands_parse() -> None:
    commands = documented_commands()
    assert len(commands) >= 2
    command = typer.main.get_command(ray_serve.cli)
    for args in commands:
        context = command.make_context("ray_serve", list(args))
        assert context.params["replicas"] >= 1
