"""Immutable result types of the clinical NLP layer: facts of a case and mentions in a text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

FactKind = Literal["demographic", "finding", "measurement", "medication"]
Assertion = Literal["present", "absent", "historical", "family", "hypothetical"]
MentionKind = Literal["measurement", "finding", "medication", "demographic", "concept"]
Polarity = Literal["affirmed", "negated", "hypothetical", "historical", "family"]


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact stated by a question: a demographic, finding, measurement or medication.

    ``key`` is the normalised identity used for comparisons (an analyte key such as
    "systolic blood pressure", a concept key such as "type 2 diabetes mellitus", "age", "sex");
    ``surface_forms`` lists spellings that name it (as written, preferred name, abbreviations).
    """

    kind: FactKind
    text: str
    key: str
    value: float | None = None
    unit: str | None = None
    assertion: Assertion | None = None
    canonical_value: float | None = None
    canonical_unit: str | None = None
    abnormal: bool | None = None
    label: str | None = None
    source_ids: tuple[str, ...] = ()
    surface_forms: tuple[str, ...] = ()
    is_key: bool = False
    start: int = -1
    end: int = -1
    sentence: int = -1
    in_options: bool = False
    value_high: float | None = None  # upper end of a range ("2-3 days")
    option: str | None = None  # the option letter, for facts of ``CaseFacts.option_facts``

    def to_wire(self) -> dict[str, Any]:
        """The ``/v1/case`` item."""
        out: dict[str, Any] = {
            "kind": self.kind,
            "text": self.text,
            "key": self.key,
            "value": self.value,
            "unit": self.unit,
            "assertion": self.assertion,
        }
        if self.kind == "measurement":
            out["canonical_value"] = None if self.canonical_value is None else round(self.canonical_value, 6)
            out["canonical_unit"] = self.canonical_unit
            out["abnormal"] = self.abnormal
            if self.value_high is not None:
                out["value_high"] = self.value_high
        out.update(
            {
                "label": self.label,
                "source_ids": list(self.source_ids),
                "surface_forms": list(self.surface_forms),
                "is_key": self.is_key,
                "start": self.start,
                "end": self.end,
                "sentence": self.sentence,
            }
        )
        return out


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """Everything extracted from one question (stem + options); cached per distinct input."""

    facts: tuple[Fact, ...]
    describes_patient: bool
    abbreviations: tuple[tuple[str, str], ...] = ()  # (short form, concept key) defined in the stem
    sex: str | None = None
    age_years: float | None = None
    key_facts_: tuple[Fact, ...] = field(default=(), repr=False)
    # concepts and quantities named by the answer options (candidates, not facts of the case)
    option_facts: tuple[Fact, ...] = ()

    @property
    def key_facts(self) -> tuple[Fact, ...]:
        return self.key_facts_

    def by_key(self, key: str) -> tuple[Fact, ...]:
        return tuple(f for f in self.facts if f.key == key)

    def to_wire(self) -> dict[str, Any]:
        return {"facts": [f.to_wire() for f in self.facts], "describes_patient": self.describes_patient}


@dataclass(frozen=True, slots=True)
class Mention:
    """A mention of a case fact or lexicon concept in a (reasoning) text.

    ``fact`` is the case fact it matches (same key and, for measurements, same value within
    tolerance); ``related`` is a case fact with the same key that it does *not* match (a
    measurement with another value, or a finding asserted with the opposite polarity), which is
    what a faithfulness scorer needs to call a claim contradicted.
    """

    kind: MentionKind
    text: str
    start: int
    end: int
    key: str
    polarity: Polarity = "affirmed"
    sentence: int = -1
    value: float | None = None
    unit: str | None = None
    canonical_value: float | None = None
    canonical_unit: str | None = None
    label: str | None = None
    fact: Fact | None = None
    related: Fact | None = None
    value_high: float | None = None
    value_text: str | None = None  # normalised value of a demographic mention ("male")
