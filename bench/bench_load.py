"""Load test: concurrent clients sending mixed batch sizes to a live service on loopback (prints numbers).

    python -m bench.bench_load [--duration 60] [--clients 32] [--workers 2] [--max-inflight-items N]

Starts the service (or uses `--url`), scores the workload once undisturbed to get the expected results,
then runs `--clients` concurrent clients (each its own connection pool, as separate trainer workers
are) for `--duration` seconds; each request is a random contiguous slice of the workload of one of
`--sizes` items. Every answer is checked item by item against the undisturbed run. Reports requests/s,
items/s, p50/p99 latency per call, errors (calls that failed after the client's retries), lost or wrong
items, 503/504 answers the client retried, and the RSS of the server process(es) at start and end.
Bounded in time and count, loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx
import psutil
from rich.console import Console
from rich.table import Table

from bench.workload import build_workload
from reward_service.testing import LiveServer, start_server
from trainer_client import AsyncRewardClient, RetryPolicy, RewardClient

SIZES = (1, 8, 32, 128, 256, 512)


@dataclass
class LoadReport:
    clients: int
    duration_s: float
    requests: int = 0
    items: int = 0
    errors: int = 0
    lost_items: int = 0
    wrong_items: int = 0
    retried_statuses: dict[str, int] = field(default_factory=dict)
    latencies_s: list[float] = field(default_factory=list, repr=False)
    rss_start_mb: float = 0.0
    rss_end_mb: float = 0.0
    rss_samples_mb: list[float] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)

    @property
    def requests_per_s(self) -> float:
        return self.requests / self.duration_s

    @property
    def items_per_s(self) -> float:
        return self.items / self.duration_s

    def quantile(self, q: float) -> float:
        if not self.latencies_s:
            return float("nan")
        if len(self.latencies_s) == 1:
            return self.latencies_s[0]
        return statistics.quantiles(self.latencies_s, n=100, method="inclusive")[round(q * 100) - 1]

    @property
    def rss_growth(self) -> float:
        return self.rss_end_mb / self.rss_start_mb - 1.0 if self.rss_start_mb else float("nan")

    def summary(self) -> dict[str, object]:
        out = {k: v for k, v in asdict(self).items() if k != "latencies_s"}
        out |= {"requests_per_s": self.requests_per_s, "items_per_s": self.items_per_s}
        out |= {"p50_s": self.quantile(0.5), "p99_s": self.quantile(0.99), "rss_growth": self.rss_growth}
        return out


class CountingTransport(httpx.AsyncHTTPTransport):
    """The client's real transport, counting the answers that the client will retry."""

    def __init__(self, counts: Counter[str]) -> None:
        super().__init__()
        self.counts = counts

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        if response.status_code in (502, 503, 504):
            self.counts[str(response.status_code)] += 1
        return response


def server_rss_mb(pid: int) -> float:
    """RSS of a server: its process and, with several workers, every worker."""
    process = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)]) / 2**20


def expected_results(url: str, items: list[dict], endpoint: str) -> list[dict]:
    with RewardClient(url, chunk_size=256) as client:
        return [r.model_dump() for r in client.score(items, endpoint=endpoint)]


async def _client_loop(
    index: int,
    url: str,
    items: list[dict],
    expected: list[dict],
    sizes: tuple[int, ...],
    deadline: float,
    endpoint: str,
    report: LoadReport,
    retry: RetryPolicy,
) -> None:
    rng = random.Random(index)
    counts: Counter[str] = Counter()
    async with AsyncRewardClient(
        url, chunk_size=max(sizes), retry=retry, timeout=120, transport=CountingTransport(counts)
    ) as client:
        first = True
        # every client sends at least one request, however late it got going (on a busy machine setting up
        # 32 clients can take longer than a short run's duration)
        while first or time.monotonic() < deadline:
            first = False
            size = rng.choice(sizes)
            start = rng.randrange(0, len(items) - size + 1)
            started = time.perf_counter()
            try:
                results = await client.score(items[start : start + size], endpoint=endpoint)
            except Exception as exc:  # a failed call is an error, whatever the kind
                report.errors += 1
                report.lost_items += size
                if len(report.error_samples) < 5:
                    report.error_samples.append(f"{type(exc).__name__}: {exc}"[:300])
                continue
            report.latencies_s.append(time.perf_counter() - started)
            report.requests += 1
            got = [r.model_dump() for r in results]
            want = expected[start : start + size]
            report.lost_items += max(0, size - len(got))
            report.wrong_items += sum(1 for g, w in zip(got, want, strict=False) if g != w)
            report.items += len(got)
    for status, n in counts.items():
        report.retried_statuses[status] = report.retried_statuses.get(status, 0) + n


async def _run(
    pid: int,
    url: str,
    items: list[dict],
    expected: list[dict],
    clients: int,
    duration: float,
    sizes: tuple[int, ...],
    endpoint: str,
    retry: RetryPolicy,
) -> LoadReport:
    report = LoadReport(clients=clients, duration_s=duration)
    started = time.monotonic()
    deadline = started + duration

    async def sample_rss() -> None:
        while time.monotonic() < deadline:
            report.rss_samples_mb.append(round(server_rss_mb(pid), 1))
            await asyncio.sleep(min(5.0, duration / 4))

    sampler = asyncio.create_task(sample_rss())
    await asyncio.gather(
        *(_client_loop(i, url, items, expected, sizes, deadline, endpoint, report, retry) for i in range(clients))
    )
    report.duration_s = time.monotonic() - started  # includes the calls still running at the deadline
    sampler.cancel()
    return report


def run_load(
    server: LiveServer,
    *,
    clients: int = 32,
    duration: float = 60.0,
    sizes: tuple[int, ...] = SIZES,
    items: list[dict] | None = None,
    endpoint: str = "all",
    retry: RetryPolicy | None = None,
    warmup: float = 0.0,
) -> LoadReport:
    """Run the load against a started server; the report includes its RSS before and after.

    `warmup` seconds of the same load run first, unmeasured, so that the RSS at start is that of a
    server which has already held the load's working set (bodies and parsed batches in flight).
    """
    items = items or build_workload()
    retry = retry or RetryPolicy()
    expected = expected_results(server.url, items, endpoint)
    if warmup > 0:
        warm = asyncio.run(
            _run(server.process.pid, server.url, items, expected, clients, warmup, sizes, endpoint, retry)
        )
        if warm.errors or warm.lost_items or warm.wrong_items:
            return warm  # report the failure as it happened
    rss_start = server_rss_mb(server.process.pid)
    report = asyncio.run(
        _run(server.process.pid, server.url, items, expected, clients, duration, sizes, endpoint, retry)
    )
    report.rss_start_mb, report.rss_end_mb = rss_start, server_rss_mb(server.process.pid)
    return report


def print_report(report: LoadReport, title: str, console: Console) -> None:
    table = Table(title=title)
    table.add_column("measure")
    table.add_column("value", justify="right")
    rows = [
        ("clients", f"{report.clients}"),
        ("duration (s)", f"{report.duration_s:.1f}"),
        ("requests", f"{report.requests:,}"),
        ("items", f"{report.items:,}"),
        ("requests/s", f"{report.requests_per_s:,.1f}"),
        ("items/s", f"{report.items_per_s:,.0f}"),
        ("latency p50 (s)", f"{report.quantile(0.5):.3f}"),
        ("latency p99 (s)", f"{report.quantile(0.99):.3f}"),
        ("errors (target 0)", f"{report.errors}"),
        ("items lost (target 0)", f"{report.lost_items}"),
        ("items with other scores than undisturbed (target 0)", f"{report.wrong_items}"),
        ("answers retried by the client", json.dumps(report.retried_statuses) or "{}"),
        ("server RSS after warm-up → end (MB)", f"{report.rss_start_mb:.0f} → {report.rss_end_mb:.0f}"),
        ("RSS growth (target < 10%)", f"{report.rss_growth:+.1%}"),
        ("RSS samples during the run (MB)", " ".join(f"{x:.0f}" for x in report.rss_samples_mb)),
    ]
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)
    for sample in report.error_samples:
        console.print(f"[red]error:[/red] {sample}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--warmup", type=float, default=40.0, help="seconds of unmeasured load first")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--endpoint", choices=["all", "accuracy"], default="all")
    parser.add_argument("--max-inflight-items", type=int, default=None, help="CRPO_MAX_INFLIGHT_ITEMS of the server")
    parser.add_argument("--json", type=Path, default=None, help="also write the summary here")
    args = parser.parse_args()

    env = {"CRPO_MAX_INFLIGHT_ITEMS": str(args.max_inflight_items)} if args.max_inflight_items else {}
    console = Console()
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(tmp), workers=args.workers, env=env)
        try:
            console.print(
                f"{args.clients} clients, batch sizes {args.sizes}, {args.duration:.0f} s, {args.workers} worker(s), "
                f"{args.warmup:.0f} s warm-up, {psutil.cpu_count()} cores, server env {env or 'defaults'}"
            )
            report = run_load(
                server,
                clients=args.clients,
                duration=args.duration,
                sizes=tuple(args.sizes),
                endpoint=args.endpoint,
                warmup=args.warmup,
            )
        finally:
            server.stop()
    print_report(report, f"Load: {args.clients} clients for {args.duration:.0f} s", console)
    if args.json:
        args.json.write_text(json.dumps(report.summary(), indent=2))


if __name__ == "__main__":
    main()
