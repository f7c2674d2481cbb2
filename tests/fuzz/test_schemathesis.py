"""Schemathesis against the live service's own OpenAPI document: no 5xx, every answer as documented.

Every operation is fuzzed from `/openapi.json` (the scoring endpoints parse their bodies themselves and
declare them with `openapi_extra`, so this also checks that declaration): generated requests, valid and
invalid, must never get a 5xx; statuses, content types, headers and bodies must conform to the schema;
invalid bodies must be refused. `positive_data_acceptance` is left out because some rules cannot be
written in JSON Schema (a gold `answer` must name one of the item's own `options`): those requests get a
422 naming the item, as documented.
"""

from __future__ import annotations

from collections import Counter

import httpx
import schemathesis
from hypothesis import HealthCheck, settings

from reward_service.app import create_app
from reward_service.config import Settings
from tests.live import LiveServer

STATUSES: Counter[tuple[str, int]] = Counter()
SCORED_ITEMS: Counter[str] = Counter()


#: The document the service serves (built in-process from the same code; `test_served_schema_is_this_one`
#: checks that the live server serves exactly this).
OPENAPI = create_app(Settings()).openapi()
schema = schemathesis.openapi.from_dict(OPENAPI)


def test_served_schema_is_this_one(live_server: LiveServer) -> None:
    assert httpx.get(f"{live_server.url}/openapi.json").json() == OPENAPI


@schema.parametrize()
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, live_server: LiveServer) -> None:
    response = case.call_and_validate(
        base_url=live_server.url, excluded_checks=[schemathesis.checks.positive_data_acceptance], timeout=60
    )
    label = f"{case.method} {case.path}"
    STATUSES[(label, response.status_code)] += 1
    if response.status_code == 200 and case.path.startswith("/v1/score"):
        SCORED_ITEMS[label] += len(response.json()["results"])


def test_fuzzing_reached_the_scorers() -> None:
    """The fuzzer got past validation: every scoring endpoint scored generated items (not only 4xx)."""
    for path in ("/v1/score", "/v1/score/accuracy", "/v1/advantages"):
        assert STATUSES[(f"POST {path}", 200)] > 0, dict(STATUSES)
        assert any(status == 422 for (label, status) in STATUSES if label == f"POST {path}"), dict(STATUSES)
    assert SCORED_ITEMS["POST /v1/score"] > 0 and SCORED_ITEMS["POST /v1/score/accuracy"] > 0, dict(SCORED_ITEMS)
