"""`POST /get_reward`: OpenRLHF's remote reward protocol (`--reward.remote_url http://host:8000/get_reward`).

- the response is the part of `query` after `prompts[i]` (OpenRLHF sends prompt + response decoded as one
  sequence, so the prompt's whitespace may not survive the tokenizer round trip exactly, and a prompt
  that was too long was cut from the left: see `split_query`);
- a label is the gold (a letter, with the question and options parsed from the prompt that `crpo-data`
  wrote, via `schemas.prompt.parse_prompt`) or a JSON object with `question`, `options` and `answer`;
- `rewards` is the CRPO total, `scores` the total mapped into [0, 1] over the range it can reach
  (`normalised_score`), and `extra_logs` one list per objective computed for every sample, plus
  `unscorable`; an unscorable sample (no gold, no options for a letter gold) gets `null` in both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import ValidationError

from crpo_core.objective import OBJECTIVE_ORDER, objective_range
from reward_service.api.auth import check_api_key
from reward_service.api.batch import Loc, ScoredBatch, score_batch
from reward_service.api.body import ERROR_RESPONSES, openapi_body, parse_body
from reward_service.api.guard import Ticket
from reward_service.api.respond import respond_scored
from reward_service.config import Settings
from reward_service.errors import RequestProblem
from reward_service.scoring.engine import ScoringEngine
from schemas import ScoreItem, ScoreRequest, ScoreResult
from schemas.openrlhf import OpenRLHFLabel, OpenRLHFRequest, OpenRLHFResponse
from schemas.prompt import parse_prompt

router = APIRouter(tags=["openrlhf"], dependencies=[Depends(check_api_key)])

#: How many trailing non-space characters of the prompt anchor the response when the query does not hold
#: the whole prompt (OpenRLHF cuts too long a prompt from the left).
ANCHOR_CHARS = 64


def _non_space(text: str) -> tuple[str, list[int]]:
    positions = [i for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(text[i] for i in positions), positions


def split_query(query: str, prompt: str) -> str | None:
    """The response part of `query` (= prompt + response); None when the prompt cannot be found in it.

    Exact prefix first; else the prompt's non-space characters as a prefix of the query's (a tokenizer
    round trip may change spaces); else the first place where the prompt's last `ANCHOR_CHARS` non-space
    characters occur (the prompt was cut from the left).
    """
    if query.startswith(prompt):
        return query[len(prompt) :]
    prompt_ns, _ = _non_space(prompt)
    if not prompt_ns:
        return query
    query_ns, positions = _non_space(query)
    if query_ns.startswith(prompt_ns):
        return query[positions[len(prompt_ns) - 1] + 1 :]
    anchor = prompt_ns[-ANCHOR_CHARS:]
    found = query_ns.find(anchor)
    if found < 0:
        return None
    return query[positions[found + len(anchor) - 1] + 1 :]


def _label_object(label: str | dict[str, Any] | None, index: int) -> OpenRLHFLabel | str | None:
    """A JSON object (or its string) becomes an `OpenRLHFLabel`; other strings are the gold answer itself."""
    if isinstance(label, str):
        text = label.strip()
        if not text:
            return None
        if not text.startswith("{"):
            return text
    elif label is None:
        return None
    try:
        if isinstance(label, str):
            return OpenRLHFLabel.model_validate_json(label)
        return OpenRLHFLabel.model_validate(label)
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        loc = ("labels", index, *first["loc"])
        raise RequestProblem(422, loc, f"invalid JSON label: {first['msg']}", "invalid_label") from exc


def to_items(request: OpenRLHFRequest) -> list[ScoreItem]:
    """One scoring item per sample; a 422 names the first sample (and field) that cannot be scored."""
    n = len(request.query)
    for name in ("prompts", "labels"):
        count = len(getattr(request, name))
        if count != n:
            raise RequestProblem(
                422, (name,), f"has {count} entries but query has {n}; one per sample is needed", "length_mismatch"
            )
    items: list[ScoreItem] = []
    for index, (query, prompt, raw_label) in enumerate(
        zip(request.query, request.prompts, request.labels, strict=True)
    ):
        response = split_query(query, prompt)
        if response is None:
            raise RequestProblem(
                422,
                ("query", index),
                f"does not contain prompts[{index}] (query must be prompt + response)",
                "no_prompt",
            )
        label = _label_object(raw_label, index)
        fields: dict[str, object] = {"id": str(index), "response": response}
        if isinstance(label, OpenRLHFLabel):
            fields |= {"question": label.question, "options": label.options, "answer": label.answer}
        else:
            parsed = parse_prompt(prompt)
            if parsed is None and label is not None:
                raise RequestProblem(
                    422,
                    ("prompts", index),
                    "is not a CRPO prompt (no 'Question:' / 'Options:' block), so the question and options of "
                    "the gold letter cannot be read from it; send the label as a JSON object with question, "
                    "options and answer",
                    "unparsable_prompt",
                )
            if parsed is not None:
                fields |= {"question": parsed[0], "options": parsed[1]}
            fields["answer"] = label
        try:
            items.append(ScoreItem.model_validate(fields))
        except ValidationError as exc:
            first = exc.errors(include_url=False, include_input=False)[0]
            raise RequestProblem(422, ("labels", index, *first["loc"]), first["msg"], "invalid_label") from exc
    return items


def locate(loc: Loc) -> Loc:
    """A place the engine names `items[i].<field>`, in OpenRLHF's terms (`query[i]`, `labels[i]`)."""
    if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int):
        field = loc[2] if len(loc) > 2 else None
        return ("query", loc[1]) if field == "response" else ("labels", loc[1])
    return loc


def total_range(result: ScoreResult, weights: Mapping[str, float]) -> tuple[float, float]:
    """The lowest and highest total reachable with the objectives computed for `result`."""
    low = high = 0.0
    for name in OBJECTIVE_ORDER:
        if getattr(result, name) is None:
            continue
        weight = weights.get(name, 0.0)
        lo, hi = objective_range(name)
        low += weight * (lo if weight >= 0 else hi)
        high += weight * (hi if weight >= 0 else lo)
    return low, high


def normalised_score(result: ScoreResult, weights: Mapping[str, float]) -> float:
    """`(total - low) / (high - low)` clipped to [0, 1]; 0.0 when the range is empty (all weights 0)."""
    low, high = total_range(result, weights)
    if high <= low:
        return 0.0
    return min(1.0, max(0.0, (result.total - low) / (high - low)))


def to_response(results: Sequence[ScoreResult], weights: Mapping[str, float]) -> OpenRLHFResponse:
    """An unscorable sample gets `null` reward and score: what OpenRLHF's own client gives a sample whose
    reward it could not get, never a number; `extra_logs.unscorable` flags it (1.0) for every sample."""
    scorable = [r.status != "unscorable" for r in results]
    extra_logs = {
        name: [float(value) for value in values]
        for name in OBJECTIVE_ORDER
        if results and None not in (values := [getattr(r, name) for r in results])
    }
    extra_logs["unscorable"] = [0.0 if ok else 1.0 for ok in scorable]
    return OpenRLHFResponse(
        rewards=[r.total if ok else None for r, ok in zip(results, scorable, strict=True)],
        scores=[normalised_score(r, weights) if ok else None for r, ok in zip(results, scorable, strict=True)],
        extra_logs=extra_logs,
    )


def get_reward_body(
    body: bytes, engine: ScoringEngine, settings: Settings, ticket: Ticket
) -> tuple[bytes, ScoredBatch]:
    request = parse_body(OpenRLHFRequest, body)
    batch = score_batch(engine, settings, ticket, ScoreRequest(items=to_items(request)), locate=locate)
    response = to_response(batch.response.results, batch.response.weights.model_dump())
    return response.model_dump_json().encode(), batch


@router.post(
    "/get_reward",
    response_model=OpenRLHFResponse,
    responses=ERROR_RESPONSES,
    openapi_extra=openapi_body(OpenRLHFRequest),
    summary="OpenRLHF remote reward: {query, prompts, labels} -> {rewards, scores, extra_logs}",
)
async def get_reward(request: Request) -> Response:
    state = request.app.state

    def work(body: bytes, ticket: Ticket) -> tuple[bytes, ScoredBatch]:
        return get_reward_body(body, state.engine, state.settings, ticket)

    return await respond_scored(request, "/get_reward", work)
