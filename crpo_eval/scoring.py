"""Scoring generations through the service: `POST /v1/score` with details, in batches, with progress."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from crpo_eval.generations import Generation, GenerationsError
from schemas import ScoreResult, Weights
from trainer_client.client import RewardClient
from trainer_client.errors import RequestRejected

_ITEM_RE = re.compile(r"items\[(\d+)\]")


@dataclass(frozen=True)
class Scored:
    """Every generation's result, in the order of the generations, and the settings they were scored with."""

    results: list[ScoreResult]
    weights: Weights
    spec_version: str
    accuracy_mode: str
    answer_extraction: str = "strict"


def score_item(generation: Generation, index: int) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": f"{index}",
        "response": generation.response,
        "question": generation.question,
        "answer": generation.answer,
    }
    if generation.options is not None:
        item["options"] = generation.options
    if generation.prediction is not None:
        item["prediction"] = generation.prediction
    return item


def score_generations(
    client: RewardClient,
    generations: Sequence[Generation],
    *,
    batch_size: int = 256,
    concurrency: int = 2,
    profile: str = "auto",
    accuracy_mode: str = "crpo",
    answer_extraction: str = "strict",
    on_batch: Callable[[int], None] | None = None,
) -> Scored:
    """Scores `generations` in batches of `batch_size`, `concurrency` batches in flight; `on_batch(n)` is
    called as each batch of n items comes back (the progress bar)."""
    items = [score_item(g, i) for i, g in enumerate(generations)]
    size = max(1, batch_size)
    batches = [(start, items[start : start + size]) for start in range(0, len(items), size)]

    def send(offset_batch: tuple[int, list[dict[str, Any]]]) -> Any:
        offset, batch = offset_batch
        try:
            response = client.score_response(
                batch, details=True, profile=profile, accuracy_mode=accuracy_mode, answer_extraction=answer_extraction
            )
        except RequestRejected as exc:
            raise GenerationsError(_located(exc, offset, generations)) from exc
        if on_batch is not None:
            on_batch(len(batch))
        return response

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        responses = list(pool.map(send, batches))
    results = [result for response in responses for result in response.results]
    for index, result in enumerate(results):
        if result.id != f"{index}":
            raise RuntimeError(f"the service returned result {result.id!r} in place of item {index}")
    first = responses[0]
    return Scored(results, first.weights, first.spec_version, first.accuracy_mode, answer_extraction)


def _located(exc: RequestRejected, offset: int, generations: Sequence[Generation]) -> str:
    """The service's message, with the batch-local item index replaced by the generation's file and row."""
    match = _ITEM_RE.search(exc.message)
    if match is None:
        return f"the service rejected the batch starting at {generations[offset].source}: {exc.message}"
    generation = generations[offset + int(match.group(1))]
    return f"{generation.source} (run {generation.run}): the service rejected it: {exc.message}"


def score_with_progress(url: str | Sequence[str], generations: Sequence[Generation], **kwargs: Any) -> Scored:
    """`score_generations` behind a rich progress bar (on stderr)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    api_key = kwargs.pop("api_key", None)
    timeout = kwargs.pop("timeout", 300.0)
    columns = (TextColumn("scoring"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with (
        RewardClient(url, api_key=api_key, timeout=timeout, chunk_size=10**9) as client,
        Progress(*columns, console=Console(stderr=True)) as progress,
    ):
        task = progress.add_task("scoring", total=len(generations))
        return score_generations(client, generations, on_batch=lambda n: progress.advance(task, n), **kwargs)
