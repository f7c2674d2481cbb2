"""Scores case-fact extraction against the hand-annotated MedQA stems (annotated_stems.json).

Matching: age = same value and unit; sex = same value; a measurement = same analyte key and same
written value; a finding = an extracted finding/medication fact with the annotated text's concept
key (resolved through the lexicon) and the same assertion. Recall = matched / annotated.
Precision pools: age and sex facts; every extracted analyte measurement (measurements are
annotated exhaustively: all vitals and labs of each stem); extracted findings whose key is an
annotated key (findings are annotated selectively, so precision checks their assertion).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

FIXTURE = Path(__file__).parent / "annotated_stems.json"


def load_stems() -> list[dict]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


@dataclass
class Score:
    tp: int = 0
    annotated: int = 0
    correct: int = 0
    extracted: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.tp / self.annotated if self.annotated else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.extracted if self.extracted else 1.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.annotated += other.annotated
        self.correct += other.correct
        self.extracted += other.extracted
        self.errors += other.errors


def score_stem(nlp, stem: dict) -> dict[str, Score]:
    case = nlp.case_facts(stem["question"], stem["options"])
    exp = stem["expected"]
    sid = stem["id"]
    out = {k: Score() for k in ("demographic", "measurement", "finding")}

    demo = out["demographic"]
    ages = [f for f in case.facts if f.key == "age"]
    sexes = [f for f in case.facts if f.key == "sex"]
    demo.annotated += 2
    age_ok = any(f.value == exp["age"]["value"] and f.unit == exp["age"]["unit"] for f in ages)
    sex_ok = any(f.text == exp["sex"] for f in sexes)
    demo.tp += age_ok + sex_ok
    demo.extracted += len(ages) + len(sexes)
    demo.correct += sum(f.value == exp["age"]["value"] for f in ages)
    demo.correct += sum(f.text == exp["sex"] for f in sexes)
    if not age_ok:
        demo.errors.append(f"{sid}: age {[(f.value, f.unit) for f in ages]} != {exp['age']}")
    if not sex_ok:
        demo.errors.append(f"{sid}: sex {[f.text for f in sexes]} != {exp['sex']}")

    meas = out["measurement"]
    want = {(m["key"], float(m["value"])) for m in exp["measurements"]}
    got = [f for f in case.facts if f.kind == "measurement" and f.label == "analyte"]
    got_pairs = {(f.key, f.value) for f in got}
    meas.annotated += len(want)
    for w in sorted(want):
        if w in got_pairs:
            meas.tp += 1
        else:
            meas.errors.append(f"{sid}: missed measurement {w}")
    meas.extracted += len(got)
    for f in got:
        if (f.key, f.value) in want:
            meas.correct += 1
        else:
            meas.errors.append(f"{sid}: spurious measurement {(f.key, f.value, f.text)}")

    fnd = out["finding"]
    keyed: dict[str, set[str]] = {}
    for item in exp["findings"]:
        entry = nlp.lexicon.lookup(item["text"])
        fnd.annotated += 1
        if entry is None:
            fnd.errors.append(f"{sid}: not in lexicon: {item['text']!r}")
            continue
        keyed.setdefault(entry.key, set()).add(item["assertion"])
        ok = any(
            f.key == entry.key and f.assertion == item["assertion"]
            for f in case.facts
            if f.kind in ("finding", "medication")
        )
        if ok:
            fnd.tp += 1
        else:
            found = [(f.text, f.assertion) for f in case.facts if f.key == entry.key]
            fnd.errors.append(f"{sid}: missed {item['text']!r}/{item['assertion']} (got {found})")
    for f in case.facts:
        if f.kind in ("finding", "medication") and f.key in keyed:
            fnd.extracted += 1
            if f.assertion in keyed[f.key]:
                fnd.correct += 1
            else:
                fnd.errors.append(f"{sid}: wrong assertion {f.text!r}/{f.assertion}")
    return out


def evaluate(nlp, stems: list[dict]) -> dict[str, Score]:
    total = {k: Score() for k in ("demographic", "measurement", "finding", "all")}
    for stem in stems:
        for k, s in score_stem(nlp, stem).items():
            total[k].add(s)
            total["all"].add(s)
    return total
