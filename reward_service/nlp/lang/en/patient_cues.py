"""Cues that a sentence is about the patient, and words that name a person (English).

Shared by the response side (which sentences can carry claims about the patient, `scoring/response/
context_lines.py`) and the question side (a person brought into a question that describes none).
"""

from __future__ import annotations

_PROCEDURES = [
    "biopsy",
    "endoscopy",
    "colonoscopy",
    "imaging",
    "x-ray",
    "radiograph",
    "ct",
    "mri",
    "ultrasound",
    "ecg",
    "ekg",
    "audiometry",
    "angiography",
]
_FINDING_VERBS = [
    "shows",
    "show",
    "showed",
    "reveals",
    "reveal",
    "revealed",
    "demonstrates",
    "demonstrate",
    "demonstrated",
    "finds",
    "found",
]
_EXAMS = ("", "physical ", "rectal ", "neurologic ", "neurological ", "abdominal ", "pelvic ", "cardiac ")
#: Cues that a sentence is about the patient (matched as whole words on the lower-cased text).
PATIENT_CUES: list[str] = [
    *[
        "patient",
        "patient's",
        "man",
        "woman",
        "boy",
        "girl",
        "child",
        "infant",
        "baby",
        "neonate",
        "newborn",
        "toddler",
        "adolescent",
        "teenager",
    ],
    *[
        "gentleman",
        "lady",
        "he",
        "she",
        "his",
        "her",
        "him",
        "hers",
        "presents",
        "presented",
        "presenting",
        "reports",
        "reported",
        "complains",
    ],
    *["complained", "denies", "denied", "admits", "labs", "vitals"],
    *(f"{unit}{sep}old" for unit in ("year", "month", "week", "day") for sep in ("-", " ")),
    *(f"{prep} {part}{exam}" for prep in ("on", "at") for part in _EXAMS for exam in ("exam", "examination")),
    *(f"examination {verb}" for verb in _FINDING_VERBS),
    *(f"laboratory {noun}" for noun in ("studies", "tests", "results", "values")),
    "vital signs",
    *(f"{procedure} {verb}" for procedure in _PROCEDURES for verb in _FINDING_VERBS),
]
#: "in a patient recently started on …", "a woman with …": an indefinite person is a generic one.
PERSON_NOUNS = frozenset(["patient", "man", "woman", "boy", "girl", "child", "infant", "baby", "neonate", "newborn"])

#: Cues that name a person (a patient invented for a question that describes none).
PERSON_CUES = frozenset(
    [
        *["patient", "patient's", "man", "woman", "boy", "girl", "child", "infant", "baby", "neonate", "newborn"],
        *(c for c in PATIENT_CUES if c.endswith("old")),
    ]
)
