"""Wire models of `POST /slime/reward`, slime's remote reward-model protocol (`--rm-type remote_rm`).

slime posts one sample per request, `{"prompt": ..., "response": ..., "label": ...}`, and stores the JSON
answer as the sample's reward (`--reward-key score` picks the number out of the object we answer). The
batched form, a JSON array of such samples answered by an array in the same order, is what
`trainer_client.integrations.slime.crpo_rm` (a `--custom-rm-path` function) sends for a whole group.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

from schemas.answers import GoldAnswer


class SlimeLabel(BaseModel):
    """A label given as an object: `crpo-data`'s `extra_info` column (question, options, answer, and more)
    or its `reward_model` column (`ground_truth`, with the question and options parsed from the prompt)."""

    model_config = ConfigDict(extra="ignore")

    question: Annotated[str, Field(max_length=200_000)] | None = None
    options: Any = Field(default=None, description="{letter: text}, a JSON object string or a list of texts")
    answer: GoldAnswer | None = None
    ground_truth: GoldAnswer | None = None


class SlimeSample(BaseModel):
    """One sample as slime's `remote_rm` sends it. Unknown fields are ignored."""

    model_config = ConfigDict(extra="ignore")

    prompt: str | list[dict[str, Any]] = Field(
        description="the prompt: a string (chat template applied) or the chat messages (`--input-key prompt` "
        "without `--apply-chat-template`)"
    )
    response: str = Field(description="the generated response")
    label: str | dict[str, Any] | None = Field(
        default=None,
        description="the gold option letter, or `crpo-data`'s `extra_info` object (`--label-key extra_info`: "
        "question, options, answer) or `reward_model` object (`ground_truth`), or the JSON string of one; "
        "null or empty: no gold",
    )


class SlimeRequest(RootModel[SlimeSample | list[SlimeSample]]):
    """One sample (slime's `remote_rm`) or a JSON array of samples (a batch, answered by an array)."""


class SlimeReward(BaseModel):
    """The reward of one sample: slime keeps the whole object; `--reward-key score` selects the number."""

    score: float | None = Field(description="the CRPO total (the RL reward); null when the sample is unscorable")
    accuracy: float | None = None
    faithfulness: float | None = None
    comprehensiveness: float | None = None
    format: float | None = None
    status: Literal["scored", "unscorable", "partial"] = "scored"
    status_reason: str | None = None
