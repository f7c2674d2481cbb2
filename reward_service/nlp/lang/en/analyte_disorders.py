"""Word roots by which a question names an analyte's level without giving its value.

A stem may report "hypokalemia" or "thrombocytopenia" instead of a potassium or platelet count; a response
that then says "low potassium" restates the case, so a level stated for an analyte the case gives no value
for is only unsupported when the stem names neither the analyte nor one of these roots
(`scoring/evidence/analysis._unmeasured_level_claim`).
"""

from __future__ import annotations

import re

#: analyte key (`nlp/data/analyte_table.py`) -> roots of the disorder words that name its level
ANALYTE_DISORDER_ROOTS: dict[str, tuple[str, ...]] = {
    "potassium": ("kalemi",),
    "sodium": ("natremi",),
    "calcium": ("calcemi",),
    "ionized calcium": ("calcemi",),
    "magnesium": ("magnesemi",),
    "phosphorus": ("phosphatemi",),
    "glucose": ("glycemi",),
    "albumin": ("albuminemi",),
    "total protein": ("proteinemi",),
    "total bilirubin": ("bilirubinemi", "jaundice", "icterus"),
    "direct bilirubin": ("bilirubinemi", "jaundice", "icterus"),
    "indirect bilirubin": ("bilirubinemi", "jaundice", "icterus"),
    "platelet count": ("thrombocyt",),
    "leukocyte count": ("leukocyt", "leukopeni", "neutropeni", "neutrophili"),
    "hemoglobin": ("anemi", "anaemi", "polycythemi"),
    "hematocrit": ("anemi", "anaemi", "polycythemi"),
    "ph": ("acidosis", "alkalosis", "acidemi", "alkalemi"),
    "bicarbonate": ("acidosis", "alkalosis"),
    "arterial pco2": ("capni", "acidosis", "alkalosis"),
    "arterial po2": ("hypoxemi", "hypoxi"),
    "oxygen saturation": ("hypoxemi", "hypoxi", "cyanos"),
    "creatinine": ("azotemi", "renal failure", "kidney injury"),
    "urea nitrogen": ("azotemi", "uremi"),
    "thyroid-stimulating hormone": ("thyroid",),
    "free thyroxine": ("thyroid",),
    "total thyroxine": ("thyroid",),
    "total cholesterol": ("cholesterolemi", "lipidemi"),
    "ldl cholesterol": ("cholesterolemi", "lipidemi"),
    "triglycerides": ("triglyceridemi", "lipidemi"),
    "uric acid": ("uricemi", "gout"),
    "ammonia": ("ammonemi",),
    "temperature": ("fever", "febrile", "pyrexi", "hypotherm", "hypertherm"),
    "heart rate": ("tachycard", "bradycard"),
    "respiratory rate": ("tachypn", "bradypn", "apnea", "apnoea"),
}


def stem_names_analyte(stem: str, key: str, mention_text: str) -> bool:
    """Whether the question's text names analyte `key`: the words the response used for it, its key, or a
    root of a disorder of its level."""
    lowered = stem.lower()
    names = (mention_text.lower(), key)
    if any(re.search(rf"\b{re.escape(name)}\b", lowered) for name in names if name):
        return True
    return any(root in lowered for root in ANALYTE_DISORDER_ROOTS.get(key, ()))
