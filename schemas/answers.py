"""Gold answers: an MCQ letter, a free-text answer with aliases, or a number with tolerance."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator


class FreeTextAnswer(BaseModel):
    """A free-text gold answer; any alias also counts as correct."""

    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, Field(min_length=1, max_length=2_000)]
    aliases: list[Annotated[str, Field(min_length=1, max_length=2_000)]] = Field(default_factory=list, max_length=64)


class NumericAnswer(BaseModel):
    """A numeric gold answer. Correct when within `abs_tol` OR within `rel_tol` of `value`.

    With neither tolerance given, a relative tolerance of 1e-6 applies (equality up to float noise).
    """

    model_config = ConfigDict(extra="forbid")

    value: float = Field(allow_inf_nan=False)
    abs_tol: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    rel_tol: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    unit: str | None = Field(default=None, max_length=64)

    @model_validator(mode="after")
    def _default_tolerance(self) -> NumericAnswer:
        if self.abs_tol is None and self.rel_tol is None:
            self.rel_tol = 1e-6
        return self


#: The wire type of `items[].answer`: a letter (or an option's text, or a free-text string), an
#: object with `text`, an object with `value`, or a bare number.
GoldAnswer = str | FreeTextAnswer | NumericAnswer | float
