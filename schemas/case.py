"""Wire models of `POST /v1/case`: the facts the NLP layer extracts from a question."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_QUESTION_CHARS = 100_000
#: Characters of a question that case-fact extraction reads (bounds its work; the rest is ignored).
CASE_READ_CHARS = 20_000


class CaseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(max_length=MAX_QUESTION_CHARS, description="The case / question text")
    options: dict[str, str] | None = Field(default=None, description="Option letter -> option text")


class CaseFact(BaseModel):
    kind: Literal["demographic", "finding", "measurement", "medication"]
    text: str = Field(description="Surface text (for sex: 'male' or 'female')")
    key: str = Field(description="Normalised key: analyte, concept, 'age', 'sex', 'duration', ...")
    value: float | None = None
    unit: str | None = None
    assertion: Literal["present", "absent", "historical", "family", "hypothetical"] | None = None
    canonical_value: float | None = None
    canonical_unit: str | None = None
    abnormal: bool | None = None
    value_high: float | None = None
    label: str | None = None
    source_ids: list[str] = []
    surface_forms: list[str] = []
    is_key: bool = False
    start: int = -1
    end: int = -1
    sentence: int = -1


class CaseResponse(BaseModel):
    facts: list[CaseFact]
    describes_patient: bool
    lexicon_version: str
    question_chars_read: int = Field(
        description=f"characters of the question that case-fact extraction read (at most the first {CASE_READ_CHARS:,})"
    )
    question_truncated: bool = Field(description="the question was longer than what was read; the rest was ignored")
