"""The container set-up without a Docker engine: the compose file against the compose specification's
schema, the Dockerfile's content, and the image's exact command and environment run on loopback."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import httpx
import jsonschema
import pytest
import yaml

from tests.deploy.build_files import Dockerfile, dockerignored, interpolate
from tests.docs import code_blocks
from tests.live import ROOT, free_port

COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
TRAIN_DOCKERFILE = ROOT / "deploy" / "Dockerfile.train"
DOCKERIGNORE = ROOT / ".dockerignore"
SCHEMA = ROOT / "tests" / "data" / "compose-spec.json"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def dockerfile() -> Dockerfile:
    return Dockerfile.parse(DOCKERFILE)


@pytest.fixture(scope="module")
def train_dockerfile() -> Dockerfile:
    return Dockerfile.parse(TRAIN_DOCKERFILE)


def compose_errors(document: dict) -> list[str]:
    schema = json.loads(SCHEMA.read_text())
    assert "draft/2019-09" in schema["$schema"]  # written as http://...#, which jsonschema does not look up
    validator_class = jsonschema.Draft201909Validator
    validator_class.check_schema(schema)
    validator = validator_class(schema)  # no format checks: compose durations ("10s") are Go's, not ISO 8601
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def test_compose_file_follows_the_compose_specification(compose: dict) -> None:
    assert compose_errors(compose) == []


def test_the_schema_check_rejects_what_compose_rejects(compose: dict) -> None:
    broken = copy.deepcopy(compose)
    broken["services"]["reward"]["healthcheck"]["interval_seconds"] = 10
    broken["services"]["trainer"]["depends_on"]["reward"]["condition"] = "healthy"
    broken["services"]["prometheus"]["ports"] = "9090:9090"
    errors = compose_errors(broken)
    assert any("interval_seconds" in e for e in errors)
    assert any("healthy" in e for e in errors)
    assert any(e.startswith("services/prometheus/ports") for e in errors)


def test_compose_services_profiles_and_build_targets(
    compose: dict, dockerfile: Dockerfile, train_dockerfile: Dockerfile
) -> None:
    services = compose["services"]
    reward, prometheus, trainer = services["reward"], services["prometheus"], services["trainer"]
    # `docker compose up` starts only the service (no profile), published on 8000, with a healthcheck
    assert [name for name, s in services.items() if not s.get("profiles")] == ["reward"]
    assert interpolate(reward["ports"][0], {}) == "8000:8000"
    assert reward["healthcheck"]["test"][1:] == dockerfile.inherited("serve", "HEALTHCHECK").exec_form()
    assert prometheus["profiles"] == ["monitoring"] and trainer["profiles"] == ["train"]
    for service, path, parsed in ((reward, DOCKERFILE, dockerfile), (trainer, TRAIN_DOCKERFILE, train_dockerfile)):
        build = service["build"]
        assert (ROOT / build["context"] / build["dockerfile"]).resolve() == path
        assert build["target"] in parsed.stages
    # Prometheus scrapes the service's /metrics through the mounted config
    source, target = prometheus["volumes"][0].split(":")[:2]
    assert (ROOT / source).resolve() == ROOT / "deploy" / "prometheus.yml"
    assert f"--config.file={target}" in prometheus["command"]
    scrape = yaml.safe_load((ROOT / "deploy" / "prometheus.yml").read_text())["scrape_configs"][0]
    assert scrape["metrics_path"] == "/metrics"
    assert scrape["static_configs"][0]["targets"] == ["reward:8000"]
    # the trainer: crpo-train against the service, on a GPU, on mounted data, once the service is healthy
    assert train_dockerfile.inherited(trainer["build"]["target"], "ENTRYPOINT").exec_form() == ["crpo-train"]
    assert trainer["command"][:2] == ["--reward-url", "http://reward:8000"]
    assert trainer["deploy"]["resources"]["reservations"]["devices"][0]["capabilities"] == ["gpu"]
    assert any(interpolate(v, {}).split(":")[1] == "/workspace/data" for v in trainer["volumes"])
    assert trainer["depends_on"]["reward"]["condition"] == "service_healthy"


def test_dockerfile_builds_a_slim_non_root_image_with_the_package_data(
    dockerfile: Dockerfile, train_dockerfile: Dockerfile
) -> None:
    serve = dockerfile.final_stage()
    assert serve.name == "serve"  # `docker build` without --target builds the service
    assert train_dockerfile.final_stage().name == "train"
    for parsed, stage in ((dockerfile, "serve"), (train_dockerfile, "train")):
        assert parsed.lineage(stage)[-1].base.startswith("python:3.11-slim")
        user = parsed.inherited(stage, "USER")
        assert user is not None and user.args not in ("root", "0")
        # pip trusts the image's CA store (a site's extra CA), not only its own certifi bundle
        assert parsed.env(stage).get("PIP_CERT") is None  # build stages only
        assert any(
            "PIP_CERT=/etc/ssl/certs/ca-certificates.crt" in i.args
            for s in parsed.stages.values()
            for i in s.all("ENV")
        )
    installs = [i.args for s in dockerfile.stages.values() for i in s.all("RUN") if "pip install" in i.args]
    assert any("pip install -c constraints/serve.txt '.[serve]'" in run for run in installs)
    # the legacy builder builds every stage before the target: nothing of the trainer in the service's file
    assert not any("train.txt" in run for run in installs) and "train" not in dockerfile.stages
    train_installs = [i.args for s in train_dockerfile.stages.values() for i in s.all("RUN") if "pip install" in i.args]
    assert any("pip install -c constraints/train.txt '.[train]'" in run for run in train_installs)
    for path in (DOCKERFILE, TRAIN_DOCKERFILE):  # a `# syntax=` line fetches a frontend from Docker Hub
        assert not any(line.lower().startswith("# syntax=") for line in path.read_text().splitlines())
    # everything the image copies is in the build context, the lexicon's folder included
    sources = sorted(set(dockerfile.copy_sources()) | set(train_dockerfile.copy_sources()))
    assert "reward_service/" in sources
    for source in sources:
        assert (ROOT / source).exists(), source
        assert not dockerignored(DOCKERIGNORE, source), f"{source} is excluded by .dockerignore"
    for packaged in ("reward_service/nlp/data/lexicon.tsv.gz", "reward_service/app.py", "README.md"):
        assert not dockerignored(DOCKERIGNORE, packaged), packaged
    for left_out in (".venv/bin/python", ".git/HEAD", "data/medqa_test.jsonl", "tests/live.py"):
        assert dockerignored(DOCKERIGNORE, left_out), left_out
    # the package data is declared, so a non-editable install carries the lexicon
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "*.gz" in pyproject["tool"]["setuptools"]["package-data"]["reward_service.nlp.data"]
    # every console script's package is in both images (the trainer image runs crpo-train and crpo-eval)
    for script, target in pyproject["project"]["scripts"].items():
        package = target.split(".")[0] + "/"
        assert package in dockerfile.copy_sources() and package in train_dockerfile.copy_sources(), (script, package)


def test_build_file_readers() -> None:
    ignore = ROOT / "tests" / "data" / "example.dockerignore"
    assert dockerignored(ignore, "a/b/__pycache__/x.pyc")
    assert dockerignored(ignore, "data/x.jsonl") and not dockerignored(ignore, "data/keep.txt")
    assert not dockerignored(ignore, "database/x") and dockerignored(ignore, "docs/a.md")
    assert interpolate("${A:-1}:${B-2}:${C}", {"A": "", "B": ""}) == "1::"


def image_command_and_env(compose: dict, dockerfile: Dockerfile, port: int) -> tuple[list[str], dict[str, str]]:
    """The service container's command and CRPO_* environment, with only the address moved to loopback."""
    entrypoint = dockerfile.inherited("serve", "ENTRYPOINT").exec_form()
    command = compose["services"]["reward"].get("command")
    if command is None:
        command = dockerfile.inherited("serve", "CMD").exec_form()
    image_env = dockerfile.env("serve")
    compose_env = {k: interpolate(str(v), {}) for k, v in compose["services"]["reward"]["environment"].items()}
    env = {**image_env, **compose_env}
    assert env["CRPO_HOST"] == "0.0.0.0" and env["CRPO_PORT"] == "8000"
    env |= {"CRPO_HOST": "127.0.0.1", "CRPO_PORT": str(port)}  # the only changes: loopback, a free port
    return [*entrypoint, *command], env


def test_the_image_command_and_environment_serve_and_pass_the_healthcheck(
    compose: dict, dockerfile: Dockerfile, tmp_path: Path
) -> None:
    port = free_port()
    argv, image_env = image_command_and_env(compose, dockerfile, port)
    assert argv == ["crpo-serve"]
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["crpo-serve"] == "reward_service.cli:main"
    # as in the image: the environment's bin/ first on PATH; this checkout's code first on the path
    bin_dir = Path(os.environ.get("CRPO_SERVER_PYTHON", sys.executable)).parent
    base = {k: v for k, v in os.environ.items() if not k.startswith("CRPO_")}
    env = {**base, **image_env, "PATH": f"{bin_dir}{os.pathsep}{base['PATH']}", "PYTHONPATH": str(ROOT)}
    health = compose["services"]["reward"]["healthcheck"]["test"]
    assert health[0] == "CMD"
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(argv, env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        else:
            pytest.fail("service not ready:\n" + (tmp_path / "server.log").read_text())
        info = httpx.get(f"{url}/v1/info").json()
        assert info["limits"]["max_items"] == int(image_env["CRPO_MAX_ITEMS"])
        # With several workers each loads the NLP layer on its own, and /readyz answers for the worker that
        # takes the connection: like Docker's HEALTHCHECK (interval + retries), retry until it passes.
        deadline = time.monotonic() + 120
        while True:
            probe = subprocess.run(health[1:], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=30)
            if probe.returncode == 0 or time.monotonic() > deadline:
                break
            time.sleep(1)
        assert probe.returncode == 0, probe.stdout + probe.stderr
        assert "200" in probe.stdout
    finally:
        server.terminate()
        server.wait(60)
    assert server.returncode == 0, (tmp_path / "server.log").read_text()
    probe = subprocess.run(health[1:], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=30)
    assert probe.returncode == 1 and "unreachable" in probe.stdout


def test_documented_docker_commands_name_real_profiles_targets_and_files(
    compose: dict, dockerfile: Dockerfile, train_dockerfile: Dockerfile
) -> None:
    commands = [line for block in code_blocks("deploy.md", "bash", "docker") for line in block.splitlines()]
    profiles = {p for service in compose["services"].values() for p in service.get("profiles", [])}
    used_profiles = {w for line in commands for w in re.findall(r"--profile (\S+)", line)}
    assert used_profiles == profiles == {"monitoring", "train"}
    targets = {w for line in commands for w in re.findall(r"--target (\S+)", line)}
    assert targets and targets <= set(dockerfile.stages) | set(train_dockerfile.stages)
    for path in {w for line in commands for w in re.findall(r"-f (\S+)", line)}:
        assert (ROOT / path).resolve() in (DOCKERFILE, TRAIN_DOCKERFILE)
    assert any(line.strip().startswith("docker compose up") for line in commands)
