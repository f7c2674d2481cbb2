"""Lenient answer extraction against the sources' own extraction, file by file (prints numbers only).

    python -m bench.answer_agreement [REALGEN_DIR] [--examples 3] [--json OUT]

For every file of the real third-party generations (`../shared/data/realgen`, see its README) that carries
the source's prediction (`predicted`) or correctness flag (`correct_flag_from_source`, ThoughtSource's
`correct_answer_flag`), the service's
lenient extraction (in-process, `score_accuracy(..., "lenient")`) is compared with it:

- `predicted`: the same letter, or both no letter;
- `correct_flag_from_source` / `correct_answer_flag`: our correct/not-correct verdict equals the source's flag.

Where the response names several options ("A, B, and D", "A) X or B) Y") the sources take the first letter;
lenient extraction calls it ambiguous (never a guess). Those rows, source letters that are not options,
letters read from a word's capital ("A drug...") and option texts the source did not read are counted
apart (`SOURCE_ERROR_CLASSES`), and agreement is also given without them.

ThoughtSource runs the two-stage zero-shot CoT of Kojima et al.: the model's reasoning (`response`), then a
second completion after "Therefore, among A through E, the answer is" (`answer_extraction_output`), from
which the source read its letter. Its rows are compared on that second completion, as the caller's
prediction (`ScoreItem.prediction`, what `crpo-eval --predicted-column answer_extraction_output` sends),
and, for information, on the reasoning alone. Disagreements are counted by class and shown.

Every disagreement was read. `data/answer_extraction/realgen_adjudication.jsonl` records the verdicts that
the classes do not settle by rule, row by row (file, id and a hash of the response; the line is for the
reader): the lenient extractor's own errors
(`extractor_error`, counted as disagreements) and source errors of other kinds (`source_error`). The
adjudicated agreement sets the source errors aside; a recorded row that no longer disagrees as recorded
(the extractor was fixed, or changed) is printed as stale.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from reward_service.scoring.accuracy import score_accuracy
from reward_service.scoring.answers import GoldAnswerError, make_gold
from reward_service.scoring.parse import parse_response
from schemas.options import coerce_options

ROOT = Path(__file__).resolve().parents[1]
#: the sources' own correctness flags (Liévin et al.; ThoughtSource)
FLAG_FIELDS = ("correct_flag_from_source", "correct_answer_flag")
DEFAULT_DIR = ROOT.parent / "shared" / "data" / "realgen"
ADJUDICATION_FILE = ROOT / "data" / "answer_extraction" / "realgen_adjudication.jsonl"


def read(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def extract(row: dict[str, Any], *, given: str | None) -> tuple[str | None, str, str | None]:
    """(letter or None, outcome, rule) of lenient extraction on the row's response (or on `given`)."""
    options = coerce_options(row["options"])
    gold = make_gold(row["answer"], options)
    result = score_accuracy(parse_response(row["response"]), gold, "lenient", given)
    predicted = result.predicted if isinstance(result.predicted, str) else None
    return predicted, result.reason, result.rule


#: disagreement classes where the source's own extraction is at fault, by the issue's rules: a guess among
#: several named options, a letter that is not an option, the capital of a word ("A drug...", "A-a
#: gradient"), an answer given as an option's text or after a hedge ("most likely to be B)") that the source
#: did not read. Rows of these classes that are the extractor's error are adjudicated (ADJUDICATION_FILE).
SOURCE_ERROR_CLASSES = (
    "several options named, source took one",
    "source letter is not an option",
    "source read a word's capital letter",
    "answer given as an option's text, source found no letter",
    "source no letter, ours a letter",
)
_STANDALONE_CAPITAL_RE = re.compile(r"(?<![A-Za-z0-9])([A-Z])(?![A-Za-z0-9])")


def disagreement_class(ours: str | None, reason: str, source: str | None, options: dict[str, str], text: str) -> str:
    if source is not None and source not in options:
        return "source letter is not an option"
    if ours is None and source is not None:
        if reason == "ambiguous":
            return "several options named, source took one"
        return f"source a letter, ours {reason}"
    tail = text[-400:]
    if ours is not None and source is None:
        if not re.search(rf"(?<![A-Za-z0-9]){ours}(?![A-Za-z0-9])", tail):
            return "answer given as an option's text, source found no letter"
        return "source no letter, ours a letter"
    first = _STANDALONE_CAPITAL_RE.search(text)
    if first and first.group(1) == source and text[first.end() : first.end() + 1] not in ").:":
        return "source read a word's capital letter"
    return "different letters"


Adjudication = dict[tuple[str, str, str], dict[str, Any]]


def row_key(file: str, row: dict[str, Any]) -> tuple[str, str, str]:
    """A row by content, not position (the samples in data/realgen_sample hold the same rows elsewhere):
    file name, id and the first 16 hex digits of the response's SHA-1."""
    return file, str(row.get("id")), hashlib.sha1(row["response"].encode()).hexdigest()[:16]


def read_adjudication(path: Path = ADJUDICATION_FILE) -> Adjudication:
    """The recorded verdicts by row key (`line` in the file is for the reader)."""
    if not path.exists():
        return {}
    entries = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {(entry["file"], str(entry["id"]), entry["response_sha1"]): entry for entry in entries}


def compare_file(path: Path, examples: int, adjudication: Adjudication | None = None) -> dict[str, Any]:
    adjudication = read_adjudication() if adjudication is None else adjudication
    rows = read(path)
    two_stage = any("answer_extraction_output" in r for r in rows)
    flag_field = next((f for f in FLAG_FIELDS if any(f in r for r in rows)), None)
    out: dict[str, Any] = {"file": path.name, "rows": len(rows), "two_stage": two_stage}
    pred_agree = flag_agree = flag_rows = reasoning_agree = 0
    classes: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    shown: dict[str, list[dict[str, Any]]] = {}
    rules: Counter[str] = Counter()
    stale: list[dict[str, Any]] = []
    skipped = 0
    for line, row in enumerate(rows, start=1):
        try:
            options = coerce_options(row["options"]) or {}
            given = (row.get("answer_extraction_output") or "") if two_stage else None
            ours, reason, rule = extract(row, given=given)
        except (GoldAnswerError, ValueError):
            skipped += 1
            continue
        rules[rule or "none"] += 1
        source = row.get("predicted")
        recorded = adjudication.get(row_key(path.name, row))
        if recorded is not None and (recorded["source"], recorded["ours"]) != (source, ours):
            stale.append({"line": line, "recorded": recorded, "now": {"source": source, "ours": ours}})
            recorded = None
        if ours == source:
            pred_agree += 1
        else:
            text = given if two_stage else row["response"]
            if recorded is not None:
                cls, verdict = recorded["class"], recorded["verdict"]
            else:
                cls = disagreement_class(ours, reason, source, options, text or "")
                verdict = "source_error" if cls in SOURCE_ERROR_CLASSES else "unadjudicated"
            key = f"{verdict}: {cls}"
            classes[key] += 1
            verdicts[verdict] += 1
            if len(shown.setdefault(key, [])) < examples:
                shown[key].append(
                    {
                        "line": line,
                        "id": row.get("id"),
                        "source": source,
                        "ours": ours,
                        "reason": reason,
                        "tail": text[-240:],
                    }
                )
        if two_stage:
            reasoning_ours, _, _ = extract(row, given=None)
            reasoning_agree += reasoning_ours == source
        if flag_field is not None and flag(row.get(flag_field)) is not None:
            flag_rows += 1
            flag_agree += (ours == row["answer"]) == flag(row[flag_field])
    scored = len(rows) - skipped
    guesses = verdicts["source_error"]
    out |= {
        "scored": scored,
        "skipped": skipped,
        "predicted_agreement": pred_agree / scored if scored else None,
        "source_errors": guesses,
        "extractor_errors": verdicts["extractor_error"],
        "unadjudicated": verdicts["unadjudicated"],
        "stale_adjudications": stale,
        "agreement_without_source_errors": pred_agree / (scored - guesses) if scored > guesses else None,
        "predicted_disagreements": dict(classes.most_common()),
        "rules": dict(rules.most_common()),
        "examples": shown,
    }
    if two_stage:
        out["reasoning_only_agreement"] = reasoning_agree / scored if scored else None
    if flag_rows:
        out["flag_rows"] = flag_rows
        out["flag_agreement"] = flag_agree / flag_rows
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--examples", type=int, default=3, help="disagreements shown per class")
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args()
    adjudication = read_adjudication()
    paths = sorted(args.directory.glob("*.jsonl.gz"))
    results = [compare_file(path, args.examples, adjudication) for path in paths]
    for r in results:
        line = f"{r['file']}: {r['scored']} rows, predicted agreement {r['predicted_agreement']:.2%}"
        line += f" ({r['agreement_without_source_errors']:.2%} without the {r['source_errors']} source errors;"
        line += f" {r['extractor_errors']} extractor errors, {r['unadjudicated']} unadjudicated)"
        if "flag_agreement" in r:
            line += f", correctness-flag agreement {r['flag_agreement']:.2%}"
        if r["two_stage"]:
            line += f" (on answer_extraction_output; reasoning alone {r['reasoning_only_agreement']:.2%})"
        print(line)
        print(f"  rules: {r['rules']}")
        for cls, count in r["predicted_disagreements"].items():
            print(f"  {count:5d}  {cls}")
            for example in r["examples"].get(cls, []):
                print(
                    f"         line {example['line']} ({example['id']}): source {example['source']}"
                    f" ours {example['ours']} | {example['tail']!r}"
                )
        for entry in r["stale_adjudications"]:
            print(f"  stale adjudication, line {entry['line']}: recorded {entry['recorded']}, now {entry['now']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
