"""Client side of the CRPO reward service: HTTP clients and RL-framework adapters.

Importing this package needs only httpx and pydantic (no NLP stack, torch or verl); framework
adapters import their framework lazily.
"""

from trainer_client.client import AsyncRewardClient, RetryPolicy, RewardClient
from trainer_client.errors import RequestRejected, RewardServiceError, ServiceUnavailable

__all__ = [
    "AsyncRewardClient",
    "RequestRejected",
    "RetryPolicy",
    "RewardClient",
    "RewardServiceError",
    "ServiceUnavailable",
]
