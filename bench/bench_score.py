"""Throughput of the scoring paths, measured side by side in one run (prints numbers, asserts nothing).

    python -m bench.bench_score [--repeats 5] [--workers 1 2]

Rows: the Clinical-R1 authors' rule (bench/authors_rule.py, the speed anchor), the service's accuracy
path in-process, and the same over HTTP through the project's client against a live server with 1..N
workers. Medians over `--repeats` runs; ratios are computed from those medians.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench.authors_rule import authors_reward
from bench.workload import build_workload
from reward_service.scoring.engine import ScoringEngine
from schemas import ScoreRequest
from tests.live import start_server
from trainer_client import RewardClient


def median_rate(run: Callable[[], object], n_items: int, repeats: int) -> tuple[float, float]:
    """(median responses/s, median seconds) over `repeats` runs after one warm-up run."""
    run()
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - started)
    med = statistics.median(seconds)
    return n_items / med, med


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--chunk-size", type=int, default=256)
    args = parser.parse_args()

    items = build_workload()
    n = len(items)
    chars = statistics.mean(len(i["response"]) for i in items)
    console = Console()
    console.print(
        f"{n} responses, mean {chars:.0f} characters, {len({i['question'] for i in items})} questions; "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, median of {args.repeats}"
    )

    rows: list[tuple[str, float, float]] = []
    authors_rate, authors_s = median_rate(
        lambda: [authors_reward(i["response"], i["answer"]) for i in items], n, args.repeats
    )
    rows.append(("Clinical-R1 authors' rule (in-process)", authors_rate, authors_s))

    engine = ScoringEngine()
    request = ScoreRequest.model_validate({"items": items})
    inproc_rate, inproc_s = median_rate(lambda: engine.score(request, ("accuracy", "format")), n, args.repeats)
    rows.append(("accuracy path, in-process (1 core)", inproc_rate, inproc_s))

    http_rates: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for workers in args.workers:
            server = start_server(Path(tmp), workers=workers)
            try:
                with RewardClient(
                    server.url, chunk_size=args.chunk_size, max_concurrency=max(2, 2 * workers)
                ) as client:
                    rate, secs = median_rate(lambda c=client: c.score(items, endpoint="accuracy"), n, args.repeats)
            finally:
                server.stop()
            http_rates[workers] = rate
            rows.append((f"accuracy path, HTTP via client ({workers} worker{'s' if workers > 1 else ''})", rate, secs))

    table = Table(title="Scoring throughput (2,560 responses of ~6,000 characters)")
    for column in ("path", "responses/s", "seconds per batch", "vs authors' rule"):
        table.add_column(column, justify="right" if column != "path" else "left")
    for name, rate, secs in rows:
        table.add_row(name, f"{rate:,.0f}", f"{secs:.3f}", f"{rate / authors_rate:.2f}x")
    console.print(table)
    console.print(f"accuracy in-process / authors' rule: {inproc_rate / authors_rate:.2f}x (target >= 1.0x)")
    for workers, rate in http_rates.items():
        console.print(f"HTTP ({workers} worker(s)) / in-process: {rate / inproc_rate:.2f}x (target >= 0.8x)")


if __name__ == "__main__":
    main()
