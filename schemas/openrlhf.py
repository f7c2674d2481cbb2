"""Wire models of `POST /get_reward`, OpenRLHF's remote reward-model protocol.

OpenRLHF (`--reward.remote_url http://host:8000/get_reward`) posts
`{"query": [prompt + response, ...], "prompts": [prompt, ...], "labels": [label, ...]}` — one sample per
request from its single-turn agent executor, a batch from older versions and custom scripts — and reads
`rewards` (the RL reward), `scores` (in [0, 1], used by dynamic filtering) and `extra_logs` (one list per
logged metric) from the answer.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from schemas.answers import GoldAnswer


class OpenRLHFLabel(BaseModel):
    """A label given as a JSON object (or a JSON object string): the question, its options and the gold.

    Use it when the prompt is not one that `crpo-data` wrote (so the question cannot be read back from it).
    """

    model_config = ConfigDict(extra="forbid")

    question: Annotated[str, Field(max_length=200_000)] = ""
    options: dict[str, Annotated[str, Field(max_length=20_000)]] | None = Field(default=None, max_length=26)
    answer: GoldAnswer


class OpenRLHFRequest(BaseModel):
    """The body OpenRLHF sends. Unknown extra fields (e.g. `metas` from some forks) are ignored."""

    model_config = ConfigDict(extra="ignore")

    query: list[str] = Field(description="prompt + response, as OpenRLHF decodes the whole sequence")
    prompts: list[str] = Field(description="the prompt of each query (chat template applied)")
    labels: list[str | dict[str, Any] | None] = Field(
        description="the gold option letter (question and options are parsed from the prompt), or an "
        "`OpenRLHFLabel` object (or its JSON string) with question, options and answer; empty: no gold"
    )
    metas: Any = Field(default=None, exclude=True, description="accepted and ignored")


class OpenRLHFResponse(BaseModel):
    rewards: list[float | None] = Field(
        description="the CRPO total of each sample (the RL reward); null for an unscorable sample (no gold "
        "answer, or no options for a letter gold), as OpenRLHF's client has it for a sample without a reward"
    )
    scores: list[float | None] = Field(
        description="the total mapped into [0, 1]: (total - min) / (max - min) over the range the weighted "
        "objectives that were computed for the sample can reach; null when unscorable"
    )
    extra_logs: dict[str, list[float]] = Field(
        description="one list per objective computed for every sample of the request (accuracy, format, "
        "faithfulness, comprehensiveness); an objective the service did not compute is left out, never 0; "
        "`unscorable` is 1.0 for an unscorable sample, else 0.0"
    )
