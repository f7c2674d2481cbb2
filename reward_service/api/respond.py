"""The answer of every scoring protocol: run its work within the process's bounds, count what it scored
(Prometheus) and send the scorer's identity headers."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from fastapi import Request, Response

from crpo_core.objective import OBJECTIVE_ORDER
from reward_service.api.batch import ScoredBatch
from reward_service.api.guard import Ticket, guarded
from reward_service.metrics import ITEM_STATUS, ITEMS, SCORES
from reward_service.monitoring import observe_monitors
from schemas import ScoreResponse, ScoreResult


def identity_headers(response: ScoreResponse) -> dict[str, str]:
    """The scorer identity of a response (`X-CRPO-Spec-Version`, `X-CRPO-Config-Hash`)."""
    return {"X-CRPO-Spec-Version": response.spec_version, "X-CRPO-Config-Hash": response.config_hash}


async def respond_scored(
    request: Request, endpoint: str, work: Callable[[bytes, Ticket], tuple[bytes, ScoredBatch]]
) -> Response:
    """Run `work` (body, ticket) -> (payload, batch) within the process's bounds (`guarded`), count what it
    scored and answer with the scorer's identity headers: the one path of every scoring protocol (`work`
    reads the protocol's body, scores it with `score_batch` and writes the protocol's answer)."""
    payload, batch = await guarded(request, work)
    observe_scores(endpoint, batch.scored_results())
    observe_monitors(batch.scored_results(), [batch.group_ids[i] for i in batch.scored], batch.response.weights)
    return Response(content=payload, media_type="application/json", headers=identity_headers(batch.response))


def observe_scores(endpoint: str, results: Sequence[ScoreResult]) -> None:
    """Count the items scored (and by status) and record each objective's score distribution (Prometheus)."""
    ITEMS.labels(endpoint).inc(len(results))
    for result in results:
        ITEM_STATUS.labels(result.status, result.status_reason or "").inc()
        for name in OBJECTIVE_ORDER:
            value = getattr(result, name)
            if value is not None:
                SCORES.labels(name).observe(value)
