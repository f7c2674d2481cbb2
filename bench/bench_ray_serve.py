"""Throughput over HTTP: crpo-serve (uvicorn workers) vs the Ray Serve deployment (prints numbers only).

    python -m bench.bench_ray_serve [--repeats 3] [--replicas 2] [--workers 1 2]

The accuracy path (`/v1/score/accuracy`) of the benchmark workload (2,560 responses), sent through the
project's client in chunks; medians over `--repeats` runs after a warm-up run. Ray runs locally with as
many CPUs as the machine has, `--num-cpus 0.5` per replica, no dashboard.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench.bench_score import median_rate
from bench.workload import build_workload
from reward_service.testing import start_ray_serve, start_server
from trainer_client import RewardClient


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--replicas", type=int, nargs="*", default=[2])
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--chunk-size", type=int, default=256)
    args = parser.parse_args()
    items = build_workload()
    n = len(items)
    console = Console()
    console.print(f"{n} responses, {os.cpu_count()} cores, median of {args.repeats}")
    rows: list[tuple[str, float, float]] = []

    def measure(label: str, url: str) -> None:
        with RewardClient(url, chunk_size=args.chunk_size, max_concurrency=4) as client:
            rate, seconds = median_rate(lambda: client.score(items, endpoint="accuracy"), n, args.repeats)
        rows.append((label, rate, seconds))

    with tempfile.TemporaryDirectory() as tmp:
        for workers in args.workers:
            server = start_server(Path(tmp), workers=workers)
            try:
                measure(f"crpo-serve, {workers} worker(s)", server.url)
            finally:
                server.stop()
        for replicas in args.replicas:
            app = start_ray_serve(Path(tmp), ["--replicas", str(replicas), "--num-cpus", "0.5"])
            try:
                measure(f"Ray Serve, {replicas} replica(s)", app.url)
            finally:
                app.stop()

    table = Table("path", "responses/s", f"s per {n}")
    for label, rate, seconds in rows:
        table.add_row(label, f"{rate:,.0f}", f"{seconds:.3f}")
    console.print(table)


if __name__ == "__main__":
    main()
