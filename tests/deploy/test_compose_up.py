"""`docker compose up` for real: build the image with the project's Dockerfile, run the root compose file,
wait for the health check, score the README's example and real third-party responses in the container,
and compare every result with the same request scored by the service started from this checkout.

The engine comes from `tests/deploy/engine.py` (installed and started if needed, stopped if started
here; the test skips, saying why, only where none can be). The only change to the compose set-up is a
small override naming the local base image (Docker Hub is unreachable) and a free published port.
Each step's time is printed (`pytest -s`); docs/deploy.md records them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.deploy.engine import Engine, EngineUnavailable, base_image, docker_engine
from tests.live import DATA, ROOT, LiveServer, free_port

README = ROOT / "README.md"
PROJECT = f"crpo-compose-test-{os.getpid()}"  # concurrent runs on one engine do not collide
IMAGE = "crpo-reward:compose-test"


def readme_example() -> tuple[dict, dict]:
    """The README's /v1/score request and the result it shows."""
    text = README.read_text()
    request = re.search(r"curl -s http://127.0.0.1:8000/v1/score -H '[^']*' -d '(\{.*?\})'\n", text, re.S)
    shown = re.search(r"```json\n(\{\"results\".*?)\n```", text, re.S)
    assert request and shown
    return json.loads(request.group(1)), json.loads(shown.group(1))["results"][0]


def realgen_items() -> list[dict]:
    rows = [json.loads(line) for line in (DATA / "realgen_sample.jsonl").read_text().splitlines()]
    keys = ("question", "options", "answer", "response")
    return [{"id": f"{row['model']}:{i}", **{k: row[k] for k in keys}} for i, row in enumerate(rows)]


def compose(engine: Engine, override: Path, *args: str, timeout: float = 900, env: dict | None = None):
    command = [*engine.compose, "-p", PROJECT, "-f", str(ROOT / "docker-compose.yml"), "-f", str(override), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env)


def wait_healthy(engine: Engine, container: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    status = ""
    while time.monotonic() < deadline:
        status = engine.run("inspect", "--format", "{{.State.Health.Status}}", container, timeout=30).stdout.strip()
        if status in ("healthy", "unhealthy"):
            return status
        time.sleep(1)
    return status


@pytest.mark.docker
@pytest.mark.timeout(1100)
def test_compose_up_serves_what_the_checkout_serves(live_server: LiveServer, tmp_path: Path) -> None:
    steps: dict[str, float] = {}
    started = time.monotonic()
    try:
        engine_context = docker_engine(tmp_path)
        engine = engine_context.__enter__()
    except EngineUnavailable as exc:
        pytest.skip(f"no container engine here: {exc}")
    try:
        steps["engine"] = time.monotonic() - started
        mark = time.monotonic()
        base = base_image(engine)
        steps["base image"] = time.monotonic() - mark
        port = free_port()
        override = tmp_path / "compose.override.yml"
        override.write_text(
            f"services:\n  reward:\n    build:\n      args:\n        PYTHON_IMAGE: {base}\n    image: {IMAGE}\n"
        )
        env = {**os.environ, "CRPO_PUBLISH_PORT": str(port)}
        try:
            mark = time.monotonic()
            built = compose(engine, override, "build", "reward", env=env)
            assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
            assert "crpo-train" not in built.stdout and "torch" not in built.stdout  # the trainer is not built
            steps["build"] = time.monotonic() - mark
            mark = time.monotonic()
            up = compose(engine, override, "up", "-d", env=env)
            assert up.returncode == 0, up.stdout[-2000:] + up.stderr[-2000:]
            container = compose(engine, override, "ps", "-q", "reward", env=env).stdout.strip()
            assert container, "no reward container"
            status = wait_healthy(engine, container, 300)
            logs = engine.run("logs", "--tail", "60", container, timeout=60)
            assert status == "healthy", f"health: {status!r}\n{logs.stdout[-3000:]}{logs.stderr[-3000:]}"
            steps["up to healthy"] = time.monotonic() - mark
            user = engine.run("inspect", "--format", "{{.Config.User}}", container, timeout=30).stdout.strip()
            assert user not in ("", "root", "0"), user

            mark = time.monotonic()
            url = f"http://127.0.0.1:{port}"
            request, shown = readme_example()
            in_image = httpx.post(f"{url}/v1/score", json=request, timeout=120)
            assert in_image.status_code == 200, in_image.text[:500]
            result = in_image.json()["results"][0]
            for name in ("accuracy", "faithfulness", "comprehensiveness", "format", "total"):
                assert round(result[name], 6) == shown[name], name  # as documented
            batch = {"items": realgen_items(), "details": True}
            for body in (request, batch):
                image_answer = httpx.post(f"{url}/v1/score", json=body, timeout=300)
                local_answer = httpx.post(f"{live_server.url}/v1/score", json=body, timeout=300)
                assert image_answer.status_code == local_answer.status_code == 200, image_answer.text[:500]
                assert image_answer.json() == local_answer.json()  # every score and detail, item for item
            assert len(image_answer.json()["results"]) == len(batch["items"]) == 33
            steps["score and compare"] = time.monotonic() - mark
        finally:
            mark = time.monotonic()
            down = compose(engine, override, "down", "--remove-orphans", "--timeout", "40", env=env)
            steps["down"] = time.monotonic() - mark
        assert down.returncode == 0, down.stderr[-2000:]
        assert not engine.run("ps", "-q", "--filter", f"label=com.docker.compose.project={PROJECT}").stdout.strip()
    finally:
        engine_context.__exit__(None, None, None)
        steps["total"] = time.monotonic() - started
        print("compose smoke test:", ", ".join(f"{k} {v:.0f} s" for k, v in steps.items()))
