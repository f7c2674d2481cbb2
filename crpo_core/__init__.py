"""Pure-Python CRPO math shared by the service and the trainer (no NLP, torch or verl imports)."""

from crpo_core.objective import total_reward

__all__ = ["total_reward"]
