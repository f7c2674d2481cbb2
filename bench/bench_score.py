"""Throughput and latency of the scoring paths, measured side by side in one run (prints numbers only).

    python -m bench.bench_score [--repeats 3] [--workers 1 2] [--quick]

Workload: 2,560 CRPO-format responses of ~6,000 characters over 512 distinct MedQA questions (5 each),
see `bench/workload.py`. Rows:

- the Clinical-R1 authors' rule (bench/authors_rule.py, the speed anchor), in-process;
- the service's accuracy path and full CRPO scoring (accuracy, format, faithfulness,
  comprehensiveness) in-process on one core — full scoring both cold (first sight of each question:
  case facts extracted) and warm (case-fact cache filled, as during training);
- the same over HTTP through the project's client against a live server with 1..N workers;
- the wall time of one 2,560-item `/v1/score` request, and p50/p99 latency of 1-item requests from
  16 concurrent clients.

Medians over `--repeats` runs after a warm-up run; every ratio is computed from medians of this run.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import platform
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

from bench.authors_rule import authors_reward
from bench.validity.data import default_data_dir, read_source, source_files
from bench.workload import build_workload
from reward_service.scoring.engine import ScoringEngine
from reward_service.testing import start_server
from schemas import ScoreRequest
from trainer_client import AsyncRewardClient, RewardClient

ACCURACY = ("accuracy", "format")


def median_seconds(run: Callable[[], object], repeats: int, warm_up: bool = True) -> float:
    if warm_up:
        run()
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def concurrent_latencies(url: str, items: list[dict], clients: int, per_client: int) -> list[float]:
    """Latency of 1-item requests sent by `clients` concurrent clients, `per_client` each."""

    async def client_loop(offset: int) -> list[float]:
        out = []
        async with AsyncRewardClient(url, chunk_size=1) as client:
            for k in range(per_client):
                item = items[(offset * per_client + k) % len(items)]
                started = time.perf_counter()
                await client.score([item])
                out.append(time.perf_counter() - started)
        return out

    async def main() -> list[float]:
        results = await asyncio.gather(*(client_loop(i) for i in range(clients)))
        return [x for r in results for x in r]

    return asyncio.run(main())


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def real_cots(per_source: int) -> ScoreRequest | None:
    """Real chain-of-thought responses (`shared/data/realgen`, the first `per_source` of each file) in the
    CRPO layout with their own letter, or None when the data is not next to the repository."""
    data_dir = default_data_dir()
    if data_dir is None or per_source <= 0:
        return None
    rows = [row for path in source_files(data_dir) for row in itertools.islice(read_source(path), per_source)]
    items = [
        {
            "response": row.response(),
            "question": row.question,
            "options": row.options,
            "answer": row.answer if row.answer in row.options else None,
        }
        for row in rows
    ]
    return ScoreRequest.model_validate({"items": items})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--chunk-size", type=int, default=128)
    parser.add_argument("--real-per-source", type=int, default=60, help="realgen responses per file (0: none)")
    parser.add_argument("--quick", action="store_true", help="64 questions instead of 512 (smoke test)")
    args = parser.parse_args()

    items = build_workload(n_questions=64 if args.quick else 512)
    n = len(items)
    chars = statistics.mean(len(i["response"]) for i in items)
    console = Console()
    console.print(
        f"{n} responses, mean {chars:.0f} characters, {len({i['question'] for i in items})} questions; "
        f"{platform.machine()}, {os.cpu_count()} cores; medians of {args.repeats} runs"
    )
    rows: list[tuple[str, float, str]] = []  # (name, seconds per batch, note)

    authors = median_seconds(lambda: [authors_reward(i["response"], i["answer"]) for i in items], args.repeats)
    rows.append(("Clinical-R1 authors' rule, in-process", authors, "1 core"))

    engine = ScoringEngine()
    request = ScoreRequest.model_validate({"items": items})
    accuracy = median_seconds(lambda: engine.score(request, ACCURACY), args.repeats)
    rows.append(("accuracy path, in-process", accuracy, "1 core"))

    from reward_service.nlp import get_clinical_nlp

    get_clinical_nlp().warm_up()
    started = time.perf_counter()
    engine.score(request)  # first sight of every question: case facts are extracted
    full_cold = time.perf_counter() - started
    rows.append(("full CRPO scoring, in-process, cold case cache", full_cold, "1 core, one run"))
    full = median_seconds(lambda: engine.score(request), args.repeats, warm_up=False)
    rows.append(("full CRPO scoring, in-process, warm", full, "1 core"))
    real = real_cots(args.real_per_source)
    real_seconds = median_seconds(lambda: engine.score(real), args.repeats) if real is not None else None
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    http: dict[tuple[str, int], float] = {}
    batch_latency: dict[int, float] = {}
    latencies: dict[int, list[float]] = {}
    payload = {"items": items}
    with tempfile.TemporaryDirectory() as tmp:
        for workers in args.workers:
            server = start_server(Path(tmp), workers=workers)
            try:
                concurrency = max(2, 2 * workers)
                with RewardClient(server.url, chunk_size=args.chunk_size, max_concurrency=concurrency) as client:
                    for label, endpoint in (("accuracy", "accuracy"), ("full", "all")):
                        seconds = median_seconds(lambda c=client, e=endpoint: c.score(items, endpoint=e), args.repeats)
                        http[(label, workers)] = seconds
                        rows.append((f"{label} over HTTP via client", seconds, f"{workers} worker(s)"))
                batch_latency[workers] = median_seconds(
                    lambda s=server: httpx.post(f"{s.url}/v1/score", json=payload, timeout=600).raise_for_status(),
                    args.repeats,
                )
                rows.append(("one 2,560-item /v1/score request", batch_latency[workers], f"{workers} worker(s)"))
                latencies[workers] = concurrent_latencies(server.url, items, clients=16, per_client=10)
            finally:
                server.stop()

    table = Table(title=f"Scoring throughput ({n} responses of ~{chars:,.0f} characters)")
    for column in ("path", "responses/s", "s per batch", "vs authors' rule", "notes"):
        table.add_column(column, justify="left" if column in ("path", "notes") else "right")
    for name, seconds, note in rows:
        table.add_row(name, f"{n / seconds:,.0f}", f"{seconds:.3f}", f"{authors / seconds:.3f}x", note)
    console.print(table)

    if real is not None and real_seconds is not None:
        mean_chars = statistics.fmean(len(item.response) for item in real.items)
        console.print(
            f"full scoring in-process (1 core), real CoTs (realgen, {len(real.items)} responses of ~{mean_chars:,.0f} "
            f"characters, questions seen): {len(real.items) / real_seconds:,.0f} responses/s (target >= 1,500)"
        )
    console.print(f"peak RSS of this process after {len(engine.questions)} distinct questions: {rss_mb:.0f} MB")
    console.print(f"accuracy in-process / authors' rule: {authors / accuracy:.2f}x (target >= 1.0x)")
    console.print(f"full scoring in-process (1 core) / authors' rule: {authors / full:.3f}x (target >= 0.25x)")
    for workers in args.workers:
        for label, base in (("accuracy", accuracy), ("full", full)):
            ratio = base / http[(label, workers)]
            console.print(f"{label} over HTTP ({workers} worker(s)) / in-process: {ratio:.2f}x (target >= 0.8x)")
        console.print(
            f"one {n}-item request, {workers} worker(s): {batch_latency[workers]:.2f} s (target < 3 s with 2 workers)"
        )
        lat = latencies[workers]
        console.print(
            f"1-item requests, 16 concurrent clients, {workers} worker(s): p50 {percentile(lat, 0.5) * 1000:.1f} ms, "
            f"p99 {percentile(lat, 0.99) * 1000:.1f} ms ({len(lat)} requests)"
        )


if __name__ == "__main__":
    main()
