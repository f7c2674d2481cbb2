"""The one batch path of every scoring protocol: `score_batch`.

`/v1/score*` (and `/score`), `/v1/advantages`, `/get_reward` and `/slime/reward` differ only in how they read
their body into a `ScoreRequest` and how they write their answer. Everything between is here:

- limits: items per request and characters per response (413), then admission (`Ticket.admit`: 503);
- weights: the request's override on the service defaults, for the totals, the advantages and the monitors;
- slicing: the engine scores items independently of each other (results do not depend on batch composition),
  so a batch is scored slice by slice and a request that timed out or whose client went away stops within
  one slice of work instead of running to the end;
- error locations: the engine names `items[i].<field>` within its slice; a problem leaves here naming the
  item by its place in the request, in the protocol's own terms (`locate`);
- totals and group advantages (`crpo_core.compute_advantages`, once every slice is scored: groups need the
  whole batch), refusing numbers that overflowed (422: JSON cannot carry inf or NaN);
- the request's monitors.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from crpo_core.advantages import compute_advantages
from crpo_core.objective import OBJECTIVE_ORDER, total_reward
from reward_service.api.guard import Ticket
from reward_service.config import Settings
from reward_service.errors import RequestProblem
from reward_service.scoring.engine import ScoringEngine
from reward_service.scoring.monitors import request_monitors
from schemas import AdvantageMode, ScoredItem, ScoreItem, ScoreRequest, ScoreResponse, ScoreResult, Weights

#: A slice ends after this many items or response characters, whichever comes first: with the full scorers
#: (~3 ms per ~6,000-character item) about 0.2 s of work, far less for accuracy alone.
SLICE_ITEMS = 64
SLICE_CHARS = 256 * 1024

Loc = tuple[str | int, ...]


def same_place(loc: Loc) -> Loc:
    """`/v1/score` and `/v1/advantages` name places as the engine does (`items[i].<field>`)."""
    return loc


@dataclass(frozen=True)
class GroupAdvantages:
    """How to turn the totals of a batch into group-relative advantages (items with a `group_id`)."""

    mode: AdvantageMode
    scale_by_std: bool = True
    #: `/v1/score`: an unscorable item is a skipped sample: it takes no part in its group and keeps a null
    #: advantage. `/v1/advantages` answers a number for every item, so its raw items take part whatever
    #: their status.
    skip_unscorable: bool = True


@dataclass(frozen=True)
class ScoredBatch:
    """What `score_batch` hands back to a protocol."""

    response: ScoreResponse  # one result per place in the request (given ones included), advantages attached
    group_ids: list[str | None]  # per place
    scored: list[int]  # the places the engine scored (the others were given already scored)

    def scored_results(self) -> list[ScoreResult]:
        return [self.response.results[i] for i in self.scored]


def slices(items: Sequence[ScoreItem]) -> Iterator[tuple[int, int]]:
    """(start, stop) index ranges covering `items` in order; at least one range, even when empty."""
    start = chars = 0
    for index, item in enumerate(items):
        chars += len(item.response)
        if index + 1 - start >= SLICE_ITEMS or chars >= SLICE_CHARS:
            yield start, index + 1
            start, chars = index + 1, 0
    if start < len(items) or not items:
        yield start, len(items)


def resolve_weights(request: ScoreRequest, engine: ScoringEngine) -> Weights:
    """The request's weights over the service defaults (any weight it leaves out keeps the default)."""
    return request.weights.apply_to(engine.default_weights) if request.weights else engine.default_weights


def check_limits(n_items: int, items: Sequence[tuple[int, ScoreItem]], settings: Settings) -> None:
    """413 for too many items (`n_items`) or too long a response (`items`: (place, item))."""
    if n_items > settings.max_items:
        raise RequestProblem(
            413,
            ("items",),
            f"{n_items} items exceed the limit of {settings.max_items} per request",
            "too_many_items",
        )
    for place, item in items:
        if len(item.response) > settings.max_response_chars:
            raise RequestProblem(
                413,
                ("items", place, "response"),
                f"response has {len(item.response)} characters; the limit is {settings.max_response_chars}",
                "response_too_long",
            )


def given_result(item: ScoredItem, weights: Mapping[str, float]) -> ScoreResult:
    """An item scored before (e.g. by an earlier `/v1/score`) as a result: its components and their total."""
    values = item.model_dump(include=set(OBJECTIVE_ORDER))
    return ScoreResult(id=item.id, total=total_reward(values, weights), **values)


def score_batch(
    engine: ScoringEngine,
    settings: Settings,
    ticket: Ticket,
    request: ScoreRequest,
    objectives: Sequence[str] | None = None,
    *,
    locate: Callable[[Loc], Loc] = same_place,
    given: Mapping[int, ScoredItem] | None = None,
    advantages: GroupAdvantages | None = None,
) -> ScoredBatch:
    """Score `request` on `objectives` (all when None) within the limits, stopping between slices when the
    answer is no longer wanted (`ticket.check()`); any `RequestProblem` names its place through `locate`.

    `given` holds items already scored, by their place in the answer; the request's items fill the other
    places, in order. `advantages` defaults to the request's own `advantages` mode.
    """
    given = given or {}
    size = len(request.items) + len(given)
    places = [p for p in range(size) if p not in given]
    if advantages is None and request.advantages is not None:
        advantages = GroupAdvantages(request.advantages)
    try:
        check_limits(size, list(zip(places, request.items, strict=True)), settings)
        ticket.admit(size)
        weights = resolve_weights(request, engine)
        weight_map = weights.model_dump()
        first, scored = score_slices(engine, request, objectives, ticket, places)
        results: list[ScoreResult] = [None] * size  # type: ignore[list-item]  # every place is set below
        group_ids: list[str | None] = [None] * size
        for place, item in given.items():
            results[place], group_ids[place] = given_result(item, weight_map), item.group_id
        for place, item, result in zip(places, request.items, scored, strict=True):
            results[place], group_ids[place] = result, item.group_id
        for place, result in enumerate(results):
            ensure_finite(place, total=result.total)
        diagnostics = None
        if advantages is not None:
            diagnostics = attach_advantages(results, group_ids, weight_map, advantages)
    except RequestProblem as problem:
        problem.loc = locate(problem.loc)
        raise
    response = first.model_copy(
        update={
            "results": results,
            "weights": weights,
            "advantage_diagnostics": diagnostics,
            "monitors": request_monitors(results, group_ids, weight_map),
        }
    )
    return ScoredBatch(response, group_ids, places)


def score_slices(
    engine: ScoringEngine,
    request: ScoreRequest,
    objectives: Sequence[str] | None,
    ticket: Ticket,
    places: Sequence[int],
) -> tuple[ScoreResponse, list[ScoreResult]]:
    """The engine's answer to the first slice (its weights, config hash, ...) and every item's result; a
    problem the engine names in a slice is named at the item's place in the request."""
    results: list[ScoreResult] = []
    first: ScoreResponse | None = None
    for start, stop in slices(request.items):
        ticket.check()
        part = request.model_copy(update={"items": request.items[start:stop], "advantages": None})
        try:
            scored = engine.score(part, objectives, request_monitors_too=False)  # the batch's are built below
        except RequestProblem as problem:
            if len(problem.loc) > 1 and problem.loc[0] == "items" and isinstance(problem.loc[1], int):
                problem.loc = ("items", places[problem.loc[1] + start], *problem.loc[2:])
            raise
        first = first or scored
        results.extend(scored.results)
    assert first is not None  # `slices` yields at least one range
    return first, results


def attach_advantages(
    results: list[ScoreResult], group_ids: Sequence[str | None], weights: dict[str, float], plan: GroupAdvantages
) -> dict[str, object]:
    """Set `advantage` on every result of a group (the others stay null); returns the diagnostics."""
    members = [
        i
        for i, gid in enumerate(group_ids)
        if gid is not None and not (plan.skip_unscorable and results[i].status == "unscorable")
    ]
    rows = [results[i].model_dump(include=set(OBJECTIVE_ORDER)) for i in members]
    with overflow_is_422():
        computed = compute_advantages(
            [group_ids[i] for i in members], rows, weights, plan.mode, scale_by_std=plan.scale_by_std
        )
    for i, advantage in zip(members, computed.advantages, strict=True):
        ensure_finite(i, advantage=advantage)
        results[i].advantage = advantage
    return computed.diagnostics


def _overflow(what: str) -> RequestProblem:
    return RequestProblem(422, ("weights",), f"{what} overflows; use smaller weights or scores", "not_finite")


def ensure_finite(index: int, **values: float | None) -> None:
    """422 when huge weights (or scored components) overflowed an item's total or advantage to inf/NaN,
    which JSON cannot carry."""
    for name, value in values.items():
        if value is not None and not math.isfinite(value):
            raise _overflow(f"the {name} of items[{index}] ({value})")


@contextmanager
def overflow_is_422() -> Iterator[None]:
    """Arithmetic on huge (finite) totals, such as group statistics, raising is the request's doing: 422."""
    try:
        yield
    except (OverflowError, ValueError, ZeroDivisionError) as exc:
        raise _overflow(f"group statistics of the totals ({type(exc).__name__})") from exc
