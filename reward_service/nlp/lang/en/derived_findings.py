"""Findings that name the level of a measured value: "fever" is a high temperature, "tachycardia" a high
heart rate, "thrombocytopenia" a low platelet count.

A case that gives the value (temperature 38.9 °C, pulse 128/min) states the finding without its word; a
response that names it reads the value, and is judged as a level in words is
(`scoring/evidence/analysis._derived_finding_claim`, against the reference range for the patient's age
and sex, borderline values excepted). Findings that are also diagnoses a patient keeps with a normal value
(hypertension, diabetes) are not here.
"""

from __future__ import annotations

from typing import Literal

#: finding key (lexicon) -> (analyte key, the level it names)
DERIVED_FINDINGS: dict[str, tuple[str, Literal["high", "low"]]] = {
    "fever": ("temperature", "high"),
    "hypothermia": ("temperature", "low"),
    "tachycardia": ("heart rate", "high"),
    "sinus tachycardia": ("heart rate", "high"),
    "bradycardia": ("heart rate", "low"),
    "sinus bradycardia": ("heart rate", "low"),
    "tachypnea": ("respiratory rate", "high"),
    "bradypnea": ("respiratory rate", "low"),
    "hypotension": ("systolic blood pressure", "low"),
    "hypoxemia": ("oxygen saturation", "low"),
    "hyperkalemia": ("potassium", "high"),
    "hypokalemia": ("potassium", "low"),
    "hypernatremia": ("sodium", "high"),
    "hyponatremia": ("sodium", "low"),
    "hyperglycemia": ("glucose", "high"),
    "hypoglycemia": ("glucose", "low"),
    "hypercalcemia": ("calcium", "high"),
    "hypocalcemia": ("calcium", "low"),
    "thrombocytopenia": ("platelet count", "low"),
    "thrombocytosis": ("platelet count", "high"),
    "leukocytosis": ("leukocyte count", "high"),
    "leukopenia": ("leukocyte count", "low"),
    "anemia": ("hemoglobin", "low"),
    "hypoalbuminemia": ("albumin", "low"),
}
