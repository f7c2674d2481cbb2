"""Workloads, metrics and raw-socket tools shared by the fault, backpressure and security tests."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Callable

import httpx

from bench.workload import build_workload

OPTIONS = {"A": "Amantadine", "B": "Benztropine"}


def medqa_items(n_questions: int, per_question: int) -> list[dict]:
    """Realistic CRPO-format items (~6,000 characters each) over real MedQA questions."""
    return build_workload(n_questions=n_questions, per_question=per_question)


def slow_items(n: int, chars: int = 160_000) -> list[dict]:
    """Items that take ~80 ms each to score on the development machine (a long line of `\\boxed{}`s).

    They make a request last long enough, deterministically, to be timed out, disconnected from or
    interrupted; they are valid items and get a score.
    """
    return [
        {"id": f"slow{i}", "response": "\\boxed{}" * (chars // 8), "options": OPTIONS, "answer": "A"} for i in range(n)
    ]


def metric(url: str, name: str, **labels: str) -> float:
    """Sum of the samples of one metric (matching `labels`) in the service's /metrics."""
    text = httpx.get(f"{url}/metrics", timeout=10).text
    total = 0.0
    for line in text.splitlines():
        match = re.match(rf"^{re.escape(name)}(?:{{(.*)}})? (\S+)$", line)
        if not match:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1) or ""))
        if all(found.get(k) == v for k, v in labels.items()):
            total += float(match.group(2))
    return total


def wait_idle(url: str, timeout: float = 60) -> None:
    """Wait until the service has no request and no item in flight (an earlier test's abandoned work ended)."""
    wait_for(
        lambda: metric(url, "crpo_inflight_requests") == 0 and metric(url, "crpo_inflight_items") == 0,
        timeout,
        "no work in flight",
        interval=0.1,
    )


def wait_for(condition: Callable[[], bool], timeout: float, what: str, interval: float = 0.02) -> None:
    """Poll `condition` until it holds; AssertionError naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"not within {timeout} s: {what}")


class PartialUpload:
    """A raw HTTP/1.1 POST whose body is sent in two halves: the request is in flight in between."""

    def __init__(self, port: int, path: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.body = body
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        head = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json"]
        head += [f"{k}: {v}" for k, v in (headers or {}).items()]
        head.append(f"Content-Length: {len(body)}")
        self.sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body[: len(body) // 2])

    def send_rest(self) -> None:
        """Send the rest of the body without waiting for the answer."""
        self.sock.sendall(self.body[len(self.body) // 2 :])

    def finish(self) -> tuple[int, dict[str, str], bytes]:
        """Send the rest of the body; (status, headers, body) of the answer."""
        self.send_rest()
        return self.read()

    def read(self) -> tuple[int, dict[str, str], bytes]:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError(f"connection closed before an answer: {data[:200]!r}")
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        length = int(headers.get("content-length", "0"))
        while len(rest) < length:
            chunk = self.sock.recv(65536)
            if not chunk:
                break
            rest += chunk
        self.sock.close()
        return status, headers, rest

    def close(self) -> None:
        self.sock.close()
