"""A Docker engine for the container smoke test, got the way a new user on this machine would get one.

- `docker info` answers: use that engine (and leave it running).
- Otherwise, as root: install Debian's `docker.io`, `docker-compose` (v1) and `mmdebstrap` with apt if
  they are missing, start `dockerd`, and stop it again afterwards.
- Neither possible (not root, no apt, the daemon does not start): `EngineUnavailable` with the reason;
  the test skips with that message.

Docker Hub is unreachable here, so the Python base image is made locally: `mmdebstrap` (the host's apt
sources) piped into `docker import`, with the host's extra CA certificates installed so that pip and
apt inside the build trust what the host trusts. Its tag carries a hash of the recipe and of those
certificates, so a warm machine reuses it (and the engine's layer cache) instead of rebuilding.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

APT_PACKAGES = ["docker.io", "docker-compose", "mmdebstrap"]
BASE_PACKAGES = "python3,python3-venv,python-is-python3,ca-certificates,passwd"
HOST_EXTRA_CAS = Path("/usr/local/share/ca-certificates")


class EngineUnavailable(RuntimeError):
    """No container engine can be installed or started here (the message says why)."""


@dataclass
class Engine:
    docker: str  # the client binary
    compose: list[str]  # `docker-compose` (v1) or `docker compose` (v2)
    started: bool  # this process started dockerd (and stops it)

    def run(self, *args: str, timeout: float = 600, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run([self.docker, *args], capture_output=True, text=True, timeout=timeout, **kwargs)


def _docker_client() -> str | None:
    # Debian's client matches Debian's engine; a newer client elsewhere on PATH (without buildx) also works
    # for what the test does (inspect, import, ps), since compose v1 talks to the engine's API itself.
    return shutil.which("docker", path="/usr/bin") or shutil.which("docker")


def _answers(docker: str | None) -> bool:
    if docker is None:
        return False
    try:
        return subprocess.run([docker, "info"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _install_with_apt(missing: list[str]) -> None:
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise EngineUnavailable(f"needs {', '.join(missing)}; installing them needs root and apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    done = subprocess.run(
        ["apt-get", "install", "-y", "-q", *missing], capture_output=True, text=True, env=env, timeout=900
    )
    if done.returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], capture_output=True, env=env, timeout=600)
        done = subprocess.run(
            ["apt-get", "install", "-y", "-q", *missing], capture_output=True, text=True, env=env, timeout=900
        )
    if done.returncode != 0:
        raise EngineUnavailable(f"apt-get install {' '.join(missing)} failed: {done.stderr[-500:]}")


def _compose_command(docker: str) -> list[str] | None:
    if subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    v1 = shutil.which("docker-compose")
    return [v1] if v1 else None


@contextmanager
def docker_engine(log_dir: Path) -> Iterator[Engine]:
    """A running engine with a compose command; stops the daemon afterwards if it started it."""
    docker = _docker_client()
    tools = {"mmdebstrap": "mmdebstrap", "docker-compose": "docker-compose"}
    missing = [pkg for binary, pkg in tools.items() if shutil.which(binary) is None]
    if docker is None or shutil.which("dockerd") is None:
        missing.append("docker.io")
    if _answers(docker):
        missing = [pkg for pkg in missing if pkg != "docker.io"]
    if missing:
        _install_with_apt(missing)
        docker = _docker_client()
    assert docker is not None
    daemon = None
    if not _answers(docker):
        if os.geteuid() != 0:
            raise EngineUnavailable("no Docker engine answers and dockerd must be started as root")
        log = (log_dir / "dockerd.log").open("wb")
        daemon = subprocess.Popen(["dockerd"], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while not _answers(docker):
            if daemon.poll() is not None or time.monotonic() > deadline:
                daemon.terminate()
                tail = (log_dir / "dockerd.log").read_text(errors="replace")[-800:]
                raise EngineUnavailable(f"dockerd did not start: {tail}")
            time.sleep(0.5)
    compose = _compose_command(docker)
    try:
        if compose is None:
            raise EngineUnavailable("neither `docker compose` nor `docker-compose` is available")
        yield Engine(docker, compose, started=daemon is not None)
    finally:
        if daemon is not None:
            daemon.terminate()
            try:
                daemon.wait(60)
            except subprocess.TimeoutExpired:
                daemon.kill()
                daemon.wait(10)


def base_image(engine: Engine, suite: str = "bookworm") -> str:
    """A local Python 3.11 base image (Debian `suite`) trusting the host's extra CAs; reused when present."""
    recipe = hashlib.sha256(f"{suite}|{BASE_PACKAGES}".encode())
    cas = sorted(HOST_EXTRA_CAS.glob("**/*.crt")) if HOST_EXTRA_CAS.is_dir() else []
    for ca in cas:
        recipe.update(ca.name.encode() + ca.read_bytes())
    tag = f"crpo-test-base:{suite}-{recipe.hexdigest()[:12]}"
    if engine.run("image", "inspect", tag, timeout=60).returncode == 0:
        return tag
    command = ["mmdebstrap", "--variant=minbase", f"--include={BASE_PACKAGES}"]
    if cas:
        command += [
            f"--customize-hook=sync-in {HOST_EXTRA_CAS} {HOST_EXTRA_CAS}",
            '--customize-hook=chroot "$1" update-ca-certificates',
        ]
    command += [suite, "-"]
    debootstrap = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    imported = subprocess.run(
        [engine.docker, "import", "-", tag], stdin=debootstrap.stdout, capture_output=True, text=True, timeout=900
    )
    debootstrap.stdout.close()
    _, errors = debootstrap.communicate(timeout=60)
    if debootstrap.returncode != 0 or imported.returncode != 0:
        raise AssertionError(f"base image: mmdebstrap {errors.decode(errors='replace')[-800:]} / {imported.stderr}")
    return tag
