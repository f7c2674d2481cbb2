"""Pre-flight check of the reward service before a training run (`crpo-train`).

For every URL: reachable, ready (`GET /readyz`, waiting while it loads), described by `GET /v1/info`,
and able to score one probe item with the run's API key and weights (`POST /v1/score/accuracy`, which
never loads the NLP layer); the replicas must agree on spec version and objectives. Then the objective policy:
an objective with a non-zero weight that the service does not compute (its scores would be null) is an
error for decoupled advantages (they would silently lose that objective) and a warning for `sum` (the
service's total, which is authoritative, simply does not contain it).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from schemas import InfoResponse
from trainer_client.client import RetryPolicy, RewardClient
from trainer_client.errors import RequestRejected, RewardServiceError, ServiceUnavailable

START_HINT = "start it with `make serve` or `crpo-serve --host 0.0.0.0 --port 8000`, or fix the URL"


class ServiceCheckError(RewardServiceError):
    """The reward service cannot serve this training run; the message says why and what to do."""


@dataclass
class ServiceStatus:
    urls: list[str]
    info: InfoResponse
    warnings: list[str] = field(default_factory=list)


def _wait_ready(client: RewardClient, url: str, wait_s: float) -> None:
    deadline = time.monotonic() + wait_s
    while True:
        try:
            body = client.get_json("/readyz")
        except ServiceUnavailable as exc:
            raise ServiceCheckError(f"reward service {url} is not reachable ({exc}); {START_HINT}") from exc
        except RewardServiceError as exc:
            raise ServiceCheckError(f"reward service {url}: GET /readyz failed: {exc}") from exc
        if isinstance(body, Mapping) and body.get("status") == "ready":
            return
        if time.monotonic() >= deadline:
            raise ServiceCheckError(f"reward service {url} is not ready after {wait_s:g} s: /readyz says {body}")
        time.sleep(min(1.0, max(0.05, deadline - time.monotonic())))


def _info(client: RewardClient, url: str) -> InfoResponse:
    try:
        return InfoResponse.model_validate(client.info())
    except RewardServiceError as exc:
        raise ServiceCheckError(f"reward service {url}: GET /v1/info failed: {exc}") from exc


PROBE_ITEM = {
    "response": "<dx>Only option B fits the case.</dx><conclusion>The answer is option B. \\boxed{B}</conclusion>",
    "question": "Pre-flight check of crpo-train.",
    "options": {"A": "no", "B": "yes"},
    "answer": "B",
}


def _probe_score(client: RewardClient, url: str, weights: Mapping[str, float] | None) -> None:
    """Score one item on the accuracy path: checks the API key and the weights the run will send."""
    try:
        result = client.score([PROBE_ITEM], endpoint="accuracy", weights=weights)[0]
    except RequestRejected as exc:
        hint = " (set the API key in the environment variable named by crpo.api_key_env)" if exc.status == 401 else ""
        raise ServiceCheckError(f"reward service {url} rejected a scoring request: {exc.message}{hint}") from exc
    except RewardServiceError as exc:
        raise ServiceCheckError(f"reward service {url}: POST /v1/score/accuracy failed: {exc}") from exc
    if result.accuracy != 1.0:
        raise ServiceCheckError(f"reward service {url} scored a correct probe answer {result.accuracy}, expected 1.0")


def objective_warnings(
    info: InfoResponse, weights: Mapping[str, float] | None, advantage_mode: str
) -> tuple[list[str], list[str]]:
    """(errors, warnings) for weighted objectives the service does not compute."""
    effective = info.default_weights.model_dump() | dict(weights or {})
    uncomputed = [name for name, weight in effective.items() if weight != 0 and name not in info.objectives]
    if not uncomputed:
        return [], []
    listed = ", ".join(uncomputed)
    computed = ", ".join(info.objectives)
    if advantage_mode == "decoupled":
        return [
            f"decoupled advantages need every weighted objective, but the service does not compute {listed} "
            f"(it computes {computed}); set their weights to 0 (e.g. crpo.weights.{uncomputed[0]}=0) or use "
            "--advantage-mode sum"
        ], []
    return [], [
        f"the service does not compute {listed} (null in every result): the reward is the service's total, "
        f"the weighted sum of the objectives it computes ({computed})"
    ]


def check_consistent(infos: Sequence[tuple[str, InfoResponse]]) -> InfoResponse:
    """The replicas' common description; they must agree on spec version and objectives."""
    first_url, info = infos[0]
    for url, other in infos[1:]:
        if (other.spec_version, other.objectives) != (info.spec_version, info.objectives):
            raise ServiceCheckError(
                f"reward services disagree: {first_url} has spec {info.spec_version} with objectives "
                f"{info.objectives}, {url} has spec {other.spec_version} with objectives {other.objectives}"
            )
    return info


def check_services(
    urls: Sequence[str],
    *,
    api_key: str | None = None,
    weights: Mapping[str, float] | None = None,
    advantage_mode: str = "sum",
    wait_s: float = 60.0,
    timeout_s: float = 10.0,
) -> ServiceStatus:
    """Check every URL; raise `ServiceCheckError` with an actionable message on the first problem."""
    infos: list[tuple[str, InfoResponse]] = []
    for url in urls:
        with RewardClient(url, api_key=api_key, timeout=timeout_s, retry=RetryPolicy(max_attempts=1)) as client:
            _wait_ready(client, url, wait_s)
            infos.append((url, _info(client, url)))
            _probe_score(client, url, weights)
    info = check_consistent(infos)
    errors, warnings = objective_warnings(info, weights, advantage_mode)
    if errors:
        raise ServiceCheckError(errors[0])
    return ServiceStatus(urls=list(urls), info=info, warnings=warnings)
