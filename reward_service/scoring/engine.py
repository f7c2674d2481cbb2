"""The scoring engine: validates the items of a request and computes the requested objectives.

Pure and synchronous: the API runs it in a worker thread. Each item is scored independently of the
others (only the question cache is shared, and each `Question` is a pure function of the question), so
results do not depend on batch composition, order or size.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from crpo_core.objective import OBJECTIVE_ORDER, total_reward
from reward_service.errors import RequestProblem
from reward_service.nlp import get_clinical_nlp
from reward_service.scoring.answer.answers import Gold, GoldAnswerError, make_gold
from reward_service.scoring.context import ItemContext
from reward_service.scoring.identity import config_hash, score_config
from reward_service.scoring.monitors import item_monitors, request_monitors
from reward_service.scoring.objectives import REGISTRY
from reward_service.scoring.question import DEFAULT_QUESTION_CACHE_SIZE, QuestionCache
from reward_service.scoring.status import item_status
from schemas import ScoreItem, ScoreRequest, ScoreResponse, ScoreResult, Weights
from schemas.details import ItemDetails

if TYPE_CHECKING:
    from reward_service.nlp.service import ClinicalNLP


class ScoringEngine:
    """Scores requests. `nlp` provides the clinical NLP layer (called on the first item that needs it, so
    an accuracy-only engine never loads it); questions seen are kept in one `QuestionCache`."""

    def __init__(
        self,
        default_weights: Weights | None = None,
        nlp: Callable[[], ClinicalNLP] | None = None,
        question_cache_size: int = DEFAULT_QUESTION_CACHE_SIZE,
    ) -> None:
        self.default_weights = default_weights or Weights()
        self.questions = QuestionCache(nlp or get_clinical_nlp, size=question_cache_size)

    @staticmethod
    def available_objectives() -> list[str]:
        return [name for name in OBJECTIVE_ORDER if name in REGISTRY]

    @staticmethod
    def golds(items: Sequence[ScoreItem]) -> list[Gold | None]:
        """Interpret every gold answer; the first one that cannot be interpreted is a 422."""
        golds: list[Gold | None] = []
        for index, item in enumerate(items):
            if item.answer is None:
                golds.append(None)
                continue
            try:
                golds.append(make_gold(item.answer, item.options))
            except GoldAnswerError as exc:
                raise RequestProblem(422, ("items", index, "answer"), str(exc), "invalid_answer") from exc
        return golds

    def score(
        self, request: ScoreRequest, objectives: Iterable[str] | None = None, *, request_monitors_too: bool = True
    ) -> ScoreResponse:
        """Score every item. `request_monitors_too=False` leaves the request-level monitors out, for a caller
        that scores a request in slices and summarises the whole batch itself (`api.batch`)."""
        wanted = [n for n in self.available_objectives() if objectives is None or n in set(objectives)]
        weights = request.weights.apply_to(self.default_weights) if request.weights else self.default_weights
        weight_map = weights.model_dump()
        golds = self.golds(request.items)
        results = [
            self.score_item(item, gold, request, wanted, weight_map, self.questions)
            for item, gold in zip(request.items, golds, strict=True)
        ]
        return ScoreResponse(
            results=results,
            weights=weights,
            config_hash=config_hash(score_config(request, weights, wanted)),
            accuracy_mode=request.accuracy_mode,
            monitors=request_monitors(results, [item.group_id for item in request.items], weight_map)
            if request_monitors_too
            else None,
        )

    @staticmethod
    def score_item(
        item: ScoreItem,
        gold: Gold | None,
        request: ScoreRequest,
        objectives: Sequence[str],
        weights: dict[str, float],
        questions: QuestionCache | None = None,
    ) -> ScoreResult:
        ctx = ItemContext(
            item=item,
            gold=gold,
            profile=item.profile or request.profile,
            accuracy_mode=request.accuracy_mode,
            want_details=request.details,
            answer_extraction=request.answer_extraction,
            questions=questions,
        )
        values: dict[str, float | None] = {}
        details: dict[str, object] = {}
        failed: list[str] = []
        for name in objectives:
            outcome = REGISTRY[name].fn(ctx)
            value = outcome.value
            if value is not None and not math.isfinite(value):  # defensive: never emit NaN/inf
                value = REGISTRY[name].value_range[0] if math.isfinite(REGISTRY[name].value_range[0]) else -1.0
                failed.append(name)
            values[name] = value
            details[name] = outcome.details
        status, reason = item_status(item, gold, objectives, values, failed)
        return ScoreResult(
            id=item.id,
            status=status,
            status_reason=reason,
            total=total_reward(values, weights),
            details=ItemDetails.model_validate(details) if request.details else None,
            monitors=item_monitors(ctx, objectives),
            **values,
        )
