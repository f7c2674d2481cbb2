"""Units: surface normalisation and conversion between units of one analyte.

Every unit belongs to a dimension with a factor to that dimension's base unit. Conversions inside a
dimension are generic (mg/dL -> g/L, lb -> kg, week -> day); conversions across the molar, mass and
equivalent dimensions need the analyte's molar mass and valence (glucose mg/dL <-> mmol/L). The two
affine scales (temperature, HbA1c % <-> mmol/mol) are handled explicitly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Unit:
    """A canonical unit: its printed symbol, its dimension and the factor to the dimension's base."""

    symbol: str
    dimension: str
    factor: float


# symbol -> (dimension, factor to base). Bases: mass_conc g/L, molar_conc mol/L, eq_conc eq/L,
# count_conc /L, mass kg, length m, time s, pressure mm Hg, rate /min, fraction %, activity U/L.
_UNITS: dict[str, tuple[str, float]] = {
    # mass concentration
    "g/L": ("mass_conc", 1.0),
    "g/dL": ("mass_conc", 10.0),
    "mg/dL": ("mass_conc", 1e-2),
    "mg/L": ("mass_conc", 1e-3),
    "mg/mL": ("mass_conc", 1.0),
    "µg/dL": ("mass_conc", 1e-5),
    "µg/L": ("mass_conc", 1e-6),
    "µg/mL": ("mass_conc", 1e-3),
    "ng/mL": ("mass_conc", 1e-6),
    "ng/dL": ("mass_conc", 1e-8),
    "ng/L": ("mass_conc", 1e-9),
    "pg/mL": ("mass_conc", 1e-9),
    "g/24 h": ("mass_rate", 1.0),
    "mg/24 h": ("mass_rate", 1e-3),
    # molar / equivalent concentration
    "mol/L": ("molar_conc", 1.0),
    "mmol/L": ("molar_conc", 1e-3),
    "µmol/L": ("molar_conc", 1e-6),
    "nmol/L": ("molar_conc", 1e-9),
    "pmol/L": ("molar_conc", 1e-12),
    "mmol/mol": ("molar_ratio", 1.0),
    "mEq/L": ("eq_conc", 1e-3),
    "mOsm/kg": ("osmolality", 1.0),
    "mOsm/L": ("osmolarity", 1.0),
    # counts per volume
    "/mm3": ("count_conc", 1e6),
    "/L": ("count_conc", 1.0),
    "×10^9/L": ("count_conc", 1e9),
    "×10^12/L": ("count_conc", 1e12),
    "×10^6/mm3": ("count_conc", 1e12),
    "×10^3/mm3": ("count_conc", 1e9),
    "/hpf": ("per_hpf", 1.0),
    # enzyme / hormone activity
    "U/L": ("activity", 1.0),
    "U/mL": ("activity", 1e3),
    "mU/L": ("activity", 1e-3),
    "µU/mL": ("activity", 1e-3),
    "mIU/mL": ("activity", 1.0),
    # physical
    "kg": ("mass", 1.0),
    "g": ("mass", 1e-3),
    "mg": ("mass", 1e-6),
    "µg": ("mass", 1e-9),
    "lb": ("mass", 0.45359237),
    "oz": ("mass", 0.028349523125),
    "m": ("length", 1.0),
    "cm": ("length", 1e-2),
    "mm": ("length", 1e-3),
    "µm": ("length", 1e-6),
    "in": ("length", 0.0254),
    "ft": ("length", 0.3048),
    "mL": ("volume", 1e-3),
    "L": ("volume", 1.0),
    "dL": ("volume", 1e-1),
    "fL": ("cell_volume", 1.0),
    "µm3": ("cell_volume", 1.0),
    "pg": ("cell_mass", 1.0),
    "kg/m2": ("bmi", 1.0),
    "mm Hg": ("pressure", 1.0),
    "kPa": ("pressure", 7.50062),
    "cm H2O": ("pressure", 0.735559),
    "mm H2O": ("pressure", 0.0735559),
    "/min": ("rate", 1.0),
    "mm/h": ("speed", 1.0),
    "mL/min": ("flow", 1.0),
    "mL/min/1.73 m2": ("flow", 1.0),
    "L/min": ("flow", 1e3),
    "%": ("fraction", 1.0),
    "°C": ("temperature", 1.0),
    "°F": ("temperature", 1.0),
    "mV": ("voltage", 1.0),
    "ms": ("time", 1e-3),
    "sec": ("time", 1.0),
    "min": ("time", 60.0),
    "hour": ("time", 3600.0),
    "day": ("time", 86400.0),
    "week": ("time", 604800.0),
    "month": ("time", 2629800.0),
    "year": ("time", 31557600.0),
    "pack-year": ("pack_years", 1.0),
    "ratio": ("ratio", 1.0),
    "IU": ("amount_iu", 1.0),
    "units": ("amount_iu", 1.0),
}

UNITS: dict[str, Unit] = {sym: Unit(sym, dim, f) for sym, (dim, f) in _UNITS.items()}

# Surface spellings (lower-cased, spaces removed, µ/μ/u unified to "u") -> canonical symbol.
_ALIASES: dict[str, str] = {
    "g/l": "g/L",
    "g/dl": "g/dL",
    "gm/dl": "g/dL",
    "gm%": "g/dL",
    "g%": "g/dL",
    "mg/dl": "mg/dL",
    "mg%": "mg/dL",
    "mg/l": "mg/L",
    "mg/ml": "mg/mL",
    "ug/dl": "µg/dL",
    "mcg/dl": "µg/dL",
    "ug/l": "µg/L",
    "mcg/l": "µg/L",
    "ug/ml": "µg/mL",
    "mcg/ml": "µg/mL",
    "ng/ml": "ng/mL",
    "ng/dl": "ng/dL",
    "ng/l": "ng/L",
    "pg/ml": "pg/mL",
    "g/24h": "g/24 h",
    "g/day": "g/24 h",
    "g/d": "g/24 h",
    "mg/24h": "mg/24 h",
    "mg/day": "mg/24 h",
    "mg/d": "mg/24 h",
    "mol/l": "mol/L",
    "mmol/l": "mmol/L",
    "mm/l": "mmol/L",
    "umol/l": "µmol/L",
    "nmol/l": "nmol/L",
    "pmol/l": "pmol/L",
    "mmol/mol": "mmol/mol",
    "meq/l": "mEq/L",
    "meq/litre": "mEq/L",
    "mosm/kg": "mOsm/kg",
    "mosmol/kg": "mOsm/kg",
    "mosm/kgh2o": "mOsm/kg",
    "mosm/l": "mOsm/L",
    "/mm3": "/mm3",
    "/mm^3": "/mm3",
    "/mm³": "/mm3",
    "cells/mm3": "/mm3",
    "cells/mm^3": "/mm3",
    "cells/mm³": "/mm3",
    "/ul": "/mm3",
    "/µl": "/mm3",
    "cells/ul": "/mm3",
    "/cumm": "/mm3",
    "/cmm": "/mm3",
    "/l": "/L",
    "x10^9/l": "×10^9/L",
    "×10^9/l": "×10^9/L",
    "x109/l": "×10^9/L",
    "×109/l": "×10^9/L",
    "x10(9)/l": "×10^9/L",
    "×10⁹/l": "×10^9/L",
    "x10^12/l": "×10^12/L",
    "×10^12/l": "×10^12/L",
    "×10¹²/l": "×10^12/L",
    "x10^6/mm3": "×10^6/mm3",
    "×10^6/mm3": "×10^6/mm3",
    "million/mm3": "×10^6/mm3",
    "million/mm^3": "×10^6/mm3",
    "x10^6/ul": "×10^6/mm3",
    "x10^3/mm3": "×10^3/mm3",
    "×10^3/mm3": "×10^3/mm3",
    "x10^3/ul": "×10^3/mm3",
    "×10^3/ul": "×10^3/mm3",
    "/hpf": "/hpf",
    "/lpf": "/hpf",
    "u/l": "U/L",
    "iu/l": "U/L",
    "units/l": "U/L",
    "u/ml": "U/mL",
    "mu/l": "mU/L",
    "miu/l": "mU/L",
    "uu/ml": "µU/mL",
    "uiu/ml": "µU/mL",
    "µiu/ml": "µU/mL",
    "miu/ml": "mIU/mL",
    "iu/ml": "mIU/mL",
    "kg": "kg",
    "kgs": "kg",
    "kilograms": "kg",
    "g": "g",
    "gm": "g",
    "gram": "g",
    "grams": "g",
    "mg": "mg",
    "ug": "µg",
    "mcg": "µg",
    "lb": "lb",
    "lbs": "lb",
    "pound": "lb",
    "pounds": "lb",
    "oz": "oz",
    "ounces": "oz",
    "ounce": "oz",
    "m": "m",
    "cm": "cm",
    "mm": "mm",
    "um": "µm",
    "in": "in",
    "inch": "in",
    "inches": "in",
    "ft": "ft",
    "feet": "ft",
    "foot": "ft",
    "ml": "mL",
    "l": "L",
    "liter": "L",
    "liters": "L",
    "litre": "L",
    "litres": "L",
    "dl": "dL",
    "fl": "fL",
    "um3": "µm3",
    "um^3": "µm3",
    "µm³": "µm3",
    "pg": "pg",
    "kg/m2": "kg/m2",
    "kg/m^2": "kg/m2",
    "kg/m²": "kg/m2",
    "mmhg": "mm Hg",
    "mm/hg": "mm Hg",
    "mmofhg": "mm Hg",
    "torr": "mm Hg",
    "kpa": "kPa",
    "cmh2o": "cm H2O",
    "mmh2o": "mm H2O",
    "/min": "/min",
    "perminute": "/min",
    "beats/min": "/min",
    "beats/minute": "/min",
    "beatsperminute": "/min",
    "bpm": "/min",
    "breaths/min": "/min",
    "breaths/minute": "/min",
    "breathsperminute": "/min",
    "/minute": "/min",
    "mm/h": "mm/h",
    "mm/hr": "mm/h",
    "mm/hour": "mm/h",
    "mm/1sthour": "mm/h",
    "ml/min": "mL/min",
    "ml/min/1.73m2": "mL/min/1.73 m2",
    "ml/min/1.73m^2": "mL/min/1.73 m2",
    "ml/min/1.73m²": "mL/min/1.73 m2",
    "l/min": "L/min",
    "%": "%",
    "percent": "%",
    "°c": "°C",
    "ºc": "°C",
    "℃": "°C",
    "degc": "°C",
    "°celsius": "°C",
    "degreescelsius": "°C",
    "celsius": "°C",
    "c": "°C",
    "°f": "°F",
    "ºf": "°F",
    "℉": "°F",
    "degf": "°F",
    "degreesfahrenheit": "°F",
    "fahrenheit": "°F",
    "f": "°F",
    "mv": "mV",
    "ms": "ms",
    "msec": "ms",
    "s": "sec",
    "sec": "sec",
    "secs": "sec",
    "second": "sec",
    "seconds": "sec",
    "min": "min",
    "mins": "min",
    "minute": "min",
    "minutes": "min",
    "h": "hour",
    "hr": "hour",
    "hrs": "hour",
    "hour": "hour",
    "hours": "hour",
    "d": "day",
    "day": "day",
    "days": "day",
    "wk": "week",
    "wks": "week",
    "week": "week",
    "weeks": "week",
    "mo": "month",
    "mos": "month",
    "month": "month",
    "months": "month",
    "y": "year",
    "yr": "year",
    "yrs": "year",
    "year": "year",
    "years": "year",
    "pack-year": "pack-year",
    "pack-years": "pack-year",
    "packyear": "pack-year",
    "packyears": "pack-year",
    "iu": "IU",
    "units": "units",
    "u": "units",
}

_SPACE_RE = re.compile(r"\s+")


def normalize_unit(surface: str | None) -> str | None:
    """Map a written unit ("mmHg", "mg/dl", "/mm^3", "℉") to its canonical symbol, or None."""
    if not surface:
        return None
    s = _SPACE_RE.sub("", surface.strip().lower())
    s = s.replace("μ", "u").replace("µ", "u").replace("−", "-").replace("⁹", "^9")
    s = s.replace("×", "x").replace("·", "")
    if s.startswith("x10"):
        s = "×" + s[1:]
    if s in _ALIASES:
        return _ALIASES[s]
    s2 = s.replace("×", "x")
    for key in (s2, s2.rstrip(".")):
        if key in _ALIASES:
            return _ALIASES[key]
    return None


def unit_dimension(symbol: str | None) -> str | None:
    unit = UNITS.get(symbol or "")
    return unit.dimension if unit else None


def _f_to_c(v: float) -> float:
    return (v - 32.0) * 5.0 / 9.0


def _c_to_f(v: float) -> float:
    return v * 9.0 / 5.0 + 32.0


def convert(
    value: float,
    from_unit: str,
    to_unit: str,
    molar_mass: float | None = None,
    valence: int | None = None,
) -> float | None:
    """Convert ``value`` between canonical unit symbols; None when no conversion is defined.

    ``molar_mass`` (g/mol) links mass and molar concentrations; ``valence`` links molar and
    equivalent concentrations (mEq/L = mmol/L x valence).
    """
    if from_unit == to_unit:
        return value
    if {from_unit, to_unit} == {"°C", "°F"}:
        return _f_to_c(value) if from_unit == "°F" else _c_to_f(value)
    if {from_unit, to_unit} == {"%", "mmol/mol"}:  # HbA1c, IFCC master equation
        return (value - 2.15) * 10.929 if from_unit == "%" else value / 10.929 + 2.15
    src, dst = UNITS.get(from_unit), UNITS.get(to_unit)
    if src is None or dst is None:
        return None
    if src.dimension == dst.dimension:
        return value * src.factor / dst.factor
    moles = _to_molar(value * src.factor, src.dimension, molar_mass, valence)
    if moles is None:
        return None
    out = _from_molar(moles, dst.dimension, molar_mass, valence)
    return None if out is None else out / dst.factor


def _to_molar(base: float, dim: str, molar_mass: float | None, valence: int | None) -> float | None:
    if dim == "molar_conc":
        return base
    if dim == "mass_conc" and molar_mass:
        return base / molar_mass
    if dim == "eq_conc" and valence:
        return base / valence
    return None


def _from_molar(moles: float, dim: str, molar_mass: float | None, valence: int | None) -> float | None:
    if dim == "molar_conc":
        return moles
    if dim == "mass_conc" and molar_mass:
        return moles * molar_mass
    if dim == "eq_conc" and valence:
        return moles * valence
    return None
