"""The objectives: one module per reward, each registering `name -> fn(ItemContext) -> Outcome`.

Importing this package registers all of them (accuracy, format, faithfulness, comprehensiveness).
"""

from reward_service.scoring.objectives import answer, comprehensiveness, faithfulness  # noqa: F401  (register)
from reward_service.scoring.objectives.registry import REGISTRY, ObjectiveFn, ObjectiveSpec, Outcome, objective

__all__ = ["REGISTRY", "ObjectiveFn", "ObjectiveSpec", "Outcome", "objective"]
