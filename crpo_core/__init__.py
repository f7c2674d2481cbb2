"""Pure-Python CRPO math shared by the service and the trainer (no NLP, torch or verl imports)."""

from crpo_core.advantages import AdvantageResult, compute_advantages
from crpo_core.objective import OBJECTIVE_ORDER, total_reward

__all__ = ["OBJECTIVE_ORDER", "AdvantageResult", "compute_advantages", "total_reward"]
