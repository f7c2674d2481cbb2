"""Start the real service on a free loopback port, for tests and benchmarks (no mocks: the same process a
user runs).

    from reward_service.testing import start_server

    server = start_server(tmp_dir, workers=2)  # `python -m reward_service` on 127.0.0.1:<free port>
    try:
        RewardClient(server.url).score(...)
    finally:
        server.stop()

`start_ray_serve` does the same for the Ray Serve deployment (`python -m deploy.ray_serve`, in a source
checkout only: `deploy/` is not installed). `CRPO_SERVER_PYTHON` selects the interpreter that runs the
server: the trainer environment (verl needs numpy 2, the NLP stack numpy 1) starts it from the service
environment. Every `CRPO_*` setting of the caller's environment is dropped; pass settings in `env`.

Only the standard library and httpx are imported (psutil when a Ray Serve app is stopped), so this module
works in every environment of the project.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    import psutil

#: The directory holding `reward_service/` (the repository root in a checkout): put on the server's
#: PYTHONPATH, so the server runs this code even from an interpreter where it is not installed.
SOURCE_ROOT = Path(__file__).resolve().parents[1]
#: The response header naming the Ray Serve replica that answered (`deploy/ray_serve.py`).
REPLICA_HEADER = "x-crpo-replica"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_python() -> str:
    """The interpreter that runs the server: `CRPO_SERVER_PYTHON`, else this one."""
    return os.environ.get("CRPO_SERVER_PYTHON", sys.executable)


def server_env(env: dict[str, str] | None, *, drop: tuple[str, ...] = ("CRPO_",)) -> dict[str, str]:
    """This process's environment without its `CRPO_*` settings (so a developer's shell does not change what
    a test sees), with the source on PYTHONPATH and `env` on top."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith(drop) or k == "CRPO_SERVER_PYTHON"}
    return {**kept, "PYTHONPATH": str(SOURCE_ROOT), **(env or {})}


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float, log: Path, poll_s: float) -> str | None:
    """Poll `url/readyz` until it answers 200 (None) or the process exits or time runs out (why not)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return f"exited with {process.returncode}:\n{read_log(log)[-5000:]}"
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return None
        except httpx.TransportError:
            pass
        time.sleep(poll_s)
    return f"not ready after {timeout}s:\n{read_log(log)[-5000:]}"


def read_log(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""


@dataclass
class LiveServer:
    """A `python -m reward_service` process on loopback; its stdout and stderr go to `log_path`."""

    url: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)

    def log(self) -> str:
        return read_log(self.log_path)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        return self.process.returncode

    def kill(self) -> None:
        """SIGKILL the server and, with several workers, its whole process group."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)


def start_server(
    tmp_dir: Path,
    *,
    env: dict[str, str] | None = None,
    workers: int = 1,
    port: int | None = None,
    ready_timeout: float = 180.0,
) -> LiveServer:
    """Start the service and return once `/readyz` answers 200 (the NLP layer is loaded)."""
    port = port or free_port()
    log_path = tmp_dir / f"server-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                server_python(),
                *("-m", "reward_service", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)),
            ],
            cwd=SOURCE_ROOT,
            env=server_env(env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = LiveServer(f"http://127.0.0.1:{port}", port, process, log_path, env or {})
    problem = wait_ready(server.url, process, ready_timeout, log_path, poll_s=0.2)
    if problem is not None:
        server.kill()
        raise RuntimeError(f"server {problem}")
    return server


@dataclass
class RayServeApp:
    """A `python -m deploy.ray_serve` driver on loopback; stopping it checks that nothing it started survives."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return read_log(self.log_path)

    def descendants(self) -> list[psutil.Process]:
        import psutil

        try:
            return psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []

    def stop(self, timeout: float = 120.0) -> tuple[int, list[str]]:
        """SIGINT the driver (a user's Ctrl-C, which shuts Serve and a Ray it started down); returns its exit
        code and the processes it had started that are still alive after (killed here, by pid)."""
        import psutil

        started = self.descendants()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        _, alive = psutil.wait_procs(started, timeout=60)
        survivors = []
        for proc in alive:
            try:
                survivors.append(" ".join(proc.cmdline())[:120])
                proc.kill()
            except psutil.NoSuchProcess:
                pass
        return self.process.returncode, survivors


def start_ray_serve(
    tmp_dir: Path, args: list[str], *, env: dict[str, str] | None = None, ready_timeout: float = 300.0
) -> RayServeApp:
    """Start the Ray Serve deployment with `args` and return once `/readyz` answers 200."""
    port = free_port()
    log_path = tmp_dir / f"ray-serve-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [server_python(), "-m", "deploy.ray_serve", "--host", "127.0.0.1", "--port", str(port), *args],
            cwd=SOURCE_ROOT,
            env=server_env({"RAY_USAGE_STATS_ENABLED": "0", **(env or {})}, drop=("CRPO_", "RAY_ADDRESS")),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    app = RayServeApp(f"http://127.0.0.1:{port}", process, log_path)
    problem = wait_ready(app.url, process, ready_timeout, log_path, poll_s=0.5)
    if problem is not None:
        app.stop()
        raise RuntimeError(f"ray_serve {problem}")
    return app
