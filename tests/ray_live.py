"""Start `python -m deploy.ray_serve` for tests, and make sure every process it started is gone after.

The driver runs from the service environment (`CRPO_SERVER_PYTHON`, else this interpreter). It is
stopped with SIGINT, as a user's Ctrl-C, which shuts Serve (and a Ray it started) down.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

from tests.live import ROOT, free_port

REPLICA_HEADER = "x-crpo-replica"


@dataclass
class RayServeApp:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def descendants(self) -> list[psutil.Process]:
        try:
            return psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []

    def stop(self, timeout: float = 120.0) -> tuple[int, list[str]]:
        """SIGINT the driver; (its exit code, the processes it had started that are still alive after)."""
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
        for proc in alive:  # clean up by pid, and report them: the driver should have ended them
            try:
                survivors.append(" ".join(proc.cmdline())[:120])
                proc.kill()
            except psutil.NoSuchProcess:
                pass
        return self.process.returncode, survivors


def start_ray_serve(
    tmp_dir: Path, args: list[str], *, env: dict[str, str] | None = None, ready_timeout: float = 300.0
) -> RayServeApp:
    port = free_port()
    python = os.environ.get("CRPO_SERVER_PYTHON", sys.executable)
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("CRPO_", "RAY_ADDRESS"))}
    full_env.update({"PYTHONPATH": str(ROOT), "RAY_USAGE_STATS_ENABLED": "0", **(env or {})})
    log_path = tmp_dir / f"ray-serve-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [python, "-m", "deploy.ray_serve", "--host", "127.0.0.1", "--port", str(port), *args],
            cwd=ROOT,
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    app = RayServeApp(f"http://127.0.0.1:{port}", process, log_path)
    deadline = time.monotonic() + ready_timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"ray_serve exited with {process.returncode}:\n{app.log()[-5000:]}")
        try:
            if httpx.get(f"{app.url}/readyz", timeout=2).status_code == 200:
                return app
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    app.stop()
    raise RuntimeError(f"ray_serve not ready after {ready_timeout}s:\n{app.log()[-5000:]}")
