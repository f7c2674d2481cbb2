"""`crpo-train`'s pre-flight check of the reward service, against the real service."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from schemas import InfoResponse
from tests.flaky import FlakyProxy
from tests.live import LiveServer, free_port, start_server
from trainer_client.service_check import ServiceCheckError, check_consistent, check_services, objective_warnings


def test_ready_service_passes_and_reports_its_objectives(live_server: LiveServer) -> None:
    status = check_services([live_server.url, live_server.url])
    assert status.info.objectives == httpx.get(f"{live_server.url}/v1/info").json()["objectives"]


def test_waits_while_the_service_loads(live_server: LiveServer) -> None:
    with FlakyProxy(live_server.url, fail_first=2, retry_after=0.1) as proxy:  # /readyz: 503, 503, then ready
        check_services([proxy.url], wait_s=10)
        assert len(proxy.calls) == 5  # three /readyz, one /v1/info, one probe score
    with (
        FlakyProxy(live_server.url, fail_first=100, retry_after=0.1) as proxy,
        pytest.raises(ServiceCheckError, match=r"is not ready after 0.3 s"),
    ):
        check_services([proxy.url], wait_s=0.3)


def test_unreachable_service_names_the_url_and_the_fix() -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(ServiceCheckError, match=rf"reward service {dead} is not reachable .*`make serve`"):
        check_services([dead])


def test_a_missing_api_key_is_named(tmp_path: Path) -> None:
    server = start_server(tmp_path, env={"CRPO_API_KEY": "s3cret"})
    try:
        with pytest.raises(ServiceCheckError, match=r"rejected a scoring request: .*crpo\.api_key_env"):
            check_services([server.url])
        assert check_services([server.url], api_key="s3cret").info.objectives
    finally:
        server.stop()


def info(objectives: list[str], spec: str = "crpo-spec-1.0") -> InfoResponse:
    return InfoResponse(
        version="0",
        api_version="v1",
        spec_version=spec,
        objectives=objectives,
        default_weights={},
        profiles=["auto"],
        accuracy_modes=["crpo"],
        limits={"max_items": 1, "max_response_chars": 1, "max_body_bytes": 1},
    )


def test_null_objectives_policy() -> None:
    partial = info(["accuracy", "format"])
    errors, warnings = objective_warnings(partial, None, "decoupled")
    assert errors and "does not compute faithfulness, comprehensiveness" in errors[0] and not warnings
    errors, warnings = objective_warnings(partial, None, "sum")
    assert not errors and "the reward is the service's total" in warnings[0]
    zeroed = {"faithfulness": 0.0, "comprehensiveness": 0.0}
    assert objective_warnings(partial, zeroed, "decoupled") == ([], [])
    assert objective_warnings(info(["accuracy", "faithfulness", "comprehensiveness", "format"]), None, "decoupled") == (
        [],
        [],
    )


def test_replicas_must_agree() -> None:
    same = check_consistent([("a", info(["accuracy"])), ("b", info(["accuracy"]))])
    assert same.objectives == ["accuracy"]
    with pytest.raises(ServiceCheckError, match=r"reward services disagree: a has spec crpo-spec-1\.0"):
        check_consistent([("a", info(["accuracy"])), ("b", info(["accuracy"], spec="crpo-spec-2.0"))])
