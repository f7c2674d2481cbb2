"""Analyte registry: synonyms -> analyte, canonical units, conversion and the abnormality flag."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reward_service.nlp.data.analyte_table import ANALYTES
from reward_service.nlp.units import UNITS, convert, normalize_unit

REL_TOL = 0.015  # relative tolerance of "same value" (covers rounding in unit conversions)


@dataclass(frozen=True, slots=True)
class Synonym:
    text: str
    case_sensitive: bool  # "=K": must match exactly as written (K, not k)
    cue_only: bool  # "~weighs": an analyte cue only when a number follows


@dataclass(frozen=True, slots=True)
class Analyte:
    key: str
    category: str
    unit: str
    synonyms: tuple[Synonym, ...]
    ref: tuple[float, float] | None = None
    ref_m: tuple[float, float] | None = None
    ref_f: tuple[float, float] | None = None
    adult_only: bool = False
    molar_mass: float | None = None
    valence: int | None = None
    abs_tol: float = 0.0
    pair: bool = False  # blood pressure: values come as systolic/diastolic pairs

    @property
    def dimension(self) -> str:
        return UNITS[self.unit].dimension

    def to_canonical(self, value: float, unit: str | None) -> float | None:
        """``value`` in ``unit`` (a canonical unit symbol or None = already canonical) -> canonical."""
        if unit is None or unit == self.unit:
            return value
        return convert(value, unit, self.unit, self.molar_mass, self.valence)

    def accepts(self, unit: str | None) -> bool:
        """Whether a value written with ``unit`` can be a value of this analyte."""
        return unit is None or self.to_canonical(1.0, unit) is not None

    def reference(self, sex: str | None = None, age_years: float | None = None) -> tuple[float, float] | None:
        if self.adult_only and age_years is not None and age_years < 18:
            return None
        if sex == "female" and self.ref_f:
            return self.ref_f
        if sex == "male" and self.ref_m:
            return self.ref_m
        if self.ref:
            return self.ref
        if self.ref_m and self.ref_f:  # sex unknown: abnormal only outside both ranges
            return (min(self.ref_m[0], self.ref_f[0]), max(self.ref_m[1], self.ref_f[1]))
        return None

    def abnormal(self, canonical: float | None, sex: str | None = None, age_years: float | None = None) -> bool | None:
        """True/False against the reference range; None when there is no applicable range."""
        ref = self.reference(sex, age_years)
        if ref is None or canonical is None:
            return None
        return not (ref[0] - 1e-9 <= canonical <= ref[1] + 1e-9)

    def same_value(self, a: float, b: float) -> bool:
        """Two canonical values of this analyte agree within rounding/conversion tolerance."""
        return abs(a - b) <= max(self.abs_tol, REL_TOL * max(abs(a), abs(b)), 1e-9)


def _parse_synonyms(key: str, raw: str) -> tuple[Synonym, ...]:
    seen: dict[str, Synonym] = {}
    for item in [key, *raw.split("|")]:
        item = item.strip()
        if not item:
            continue
        cs = item.startswith("=")
        cue = item.startswith("~")
        text = item[1:] if (cs or cue) else item
        ident = text if cs else text.lower()
        if ident not in seen:
            seen[ident] = Synonym(text if cs else text.lower(), cs, cue)
    return tuple(seen.values())


@lru_cache(maxsize=1)
def analytes() -> dict[str, Analyte]:
    """All analytes by key, built once from the table."""
    out: dict[str, Analyte] = {}
    for row in ANALYTES:
        row = dict(row)
        key = row.pop("key")
        if key in out:
            raise ValueError(f"duplicate analyte {key!r}")
        unit = row.pop("unit")
        if unit not in UNITS:
            raise ValueError(f"analyte {key!r}: unknown unit {unit!r}")
        syns = _parse_synonyms(key, row.pop("synonyms"))
        out[key] = Analyte(key=key, category=row.pop("category"), unit=unit, synonyms=syns, **row)
    return out


def get(key: str) -> Analyte | None:
    return analytes().get(key)


def canonicalize(key: str, value: float, unit_surface: str | None) -> tuple[float | None, str | None]:
    """(canonical value, canonical unit) of a value of analyte ``key`` written with a unit."""
    a = analytes().get(key)
    if a is None:
        unit = normalize_unit(unit_surface) if unit_surface else None
        return value, unit
    unit = normalize_unit(unit_surface) if unit_surface else None
    return a.to_canonical(value, unit), a.unit
