"""Registry of objective scorers: name -> function(ItemContext) -> Outcome.

Objectives register themselves with `@objective("name")`; a second objective under a
name already taken is refused (a clash would silently replace a reward). The engine computes the ones a
request asks for, so the accuracy endpoint never touches the NLP layer that faithfulness and
comprehensiveness load lazily.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel

from crpo_core.objective import objective_range
from reward_service.scoring.context import ItemContext


@dataclass(frozen=True, slots=True)
class Outcome:
    """An objective's value and, when the request asks for details, its typed `schemas.details` model."""

    value: float | None
    details: BaseModel | None = None


ObjectiveFn = Callable[[ItemContext], Outcome]


@dataclass(frozen=True, slots=True)
class ObjectiveSpec:
    name: str
    fn: ObjectiveFn
    value_range: tuple[float, float]


REGISTRY: dict[str, ObjectiveSpec] = {}


def objective(name: str) -> Callable[[ObjectiveFn], ObjectiveFn]:
    """Register `fn` as objective `name`; its range is the objective's range in `crpo_core.objective` (the
    widest over the accuracy modes), the one list of objectives and ranges."""
    modes = ("crpo", "clinical_r1")
    value_range = (
        min(objective_range(name, mode)[0] for mode in modes),
        max(objective_range(name, mode)[1] for mode in modes),
    )

    def register(fn: ObjectiveFn) -> ObjectiveFn:
        if name in REGISTRY:
            raise ValueError(f"objective {name!r} is already registered (by {REGISTRY[name].fn.__module__})")
        REGISTRY[name] = ObjectiveSpec(name, fn, value_range)
        return fn

    return register
