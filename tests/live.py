"""Start the real service (`python -m reward_service`) on a free loopback port for tests.

`CRPO_SERVER_PYTHON` selects the interpreter that runs the server: the training tests run in a
separate environment (verl needs numpy 2, the NLP stack numpy 1) and start the server from the
service environment.
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

import httpx

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"  # copies of ../shared/data (MedQA, MedMCQA: MIT; see data/README.md)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

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
    port = port or free_port()
    python = os.environ.get("CRPO_SERVER_PYTHON", sys.executable)
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CRPO_") or k == "CRPO_SERVER_PYTHON"}
    full_env.update({"PYTHONPATH": str(ROOT), **(env or {})})
    log_path = tmp_dir / f"server-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [python, "-m", "reward_service", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
            cwd=ROOT,
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = LiveServer(f"http://127.0.0.1:{port}", port, process, log_path, env or {})
    deadline = time.monotonic() + ready_timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{server.log()}")
        try:
            if httpx.get(f"{server.url}/readyz", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"server not ready after {ready_timeout}s:\n{server.log()}")
