"""Prometheus metrics. Works with several uvicorn workers through prometheus-client's multiprocess
mode: `crpo-serve --workers N` sets `PROMETHEUS_MULTIPROC_DIR` before the workers start.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

REQUESTS = Counter("crpo_requests_total", "HTTP requests", ["endpoint", "method", "status"])
LATENCY = Histogram(
    "crpo_request_latency_seconds",
    "HTTP request latency",
    ["endpoint"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
ITEMS = Counter("crpo_items_scored_total", "Items scored", ["endpoint"])
ERRORS = Counter("crpo_errors_total", "Errors by kind", ["kind"])
# Summed over the live worker processes in multiprocess mode.
INFLIGHT_ITEMS = Gauge("crpo_inflight_items", "Items being parsed or scored", multiprocess_mode="livesum")
INFLIGHT_REQUESTS = Gauge(
    "crpo_inflight_requests", "Requests being read, queued or scored", multiprocess_mode="livesum"
)
SCORES = Histogram(
    "crpo_score",
    "Distribution of each objective's score",
    ["objective"],
    buckets=(-1.0, -0.5, 0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0),
)

ITEM_STATUS = Counter("crpo_items_status_total", "Items scored by status and reason", ["status", "reason"])
# Reward-hacking monitors (see schemas.monitors): rates are ratios of these counters, e.g.
# rate(crpo_monitor_option_verdicts_total{status="vacuous"}[5m]) / rate(crpo_monitor_option_verdicts_total[5m]).
MONITOR_RESPONSE_CHARS = Histogram(
    "crpo_monitor_response_chars",
    "Characters per scored response",
    buckets=(0, 100, 250, 500, 1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000),
)
MONITOR_OPTION_VERDICTS = Counter(
    "crpo_monitor_option_verdicts_total", "Option verdicts by status (specific | vacuous)", ["status"]
)
MONITOR_SHARE = Histogram(
    "crpo_monitor_text_share",
    "Per response, the share of characters copied from the question or repeated",
    ["kind"],
    buckets=(0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0),
)
MONITOR_OPTION_ITEMS = Counter(
    "crpo_monitor_option_items_total",
    "Responses with two or more options, by whether all were accepted",
    ["all_accepted"],
)
MONITOR_GROUPS = Counter(
    "crpo_monitor_groups_total",
    "Groups (group_id, two or more items) scored, and those whose total has spread",
    ["kind"],
)
MONITOR_GROUP_ZERO_SPREAD = Counter(
    "crpo_monitor_group_zero_spread_total", "Groups without spread, per objective (and total)", ["objective"]
)
MONITOR_GROUP_DECIDED = Counter(
    "crpo_monitor_group_decided_total",
    "Groups with spread whose advantage one objective alone decides (>= 90 % of the weighted spread)",
    ["objective"],
)


def render_metrics() -> tuple[bytes, str]:
    """The exposition text, aggregated over worker processes in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
