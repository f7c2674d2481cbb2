"""Pure-Python CRPO math shared by the service and the trainer (no NLP, torch or verl imports)."""

from crpo_core.advantages import AdvantageResult, compute_advantages
from crpo_core.objective import OBJECTIVE_ORDER, OBJECTIVE_RANGES, Objective, objective_range, total_reward

__all__ = [
    "OBJECTIVE_ORDER",
    "OBJECTIVE_RANGES",
    "AdvantageResult",
    "Objective",
    "compute_advantages",
    "objective_range",
    "total_reward",
]
