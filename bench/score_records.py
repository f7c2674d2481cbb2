"""Record every objective and total for a fixed corpus, and compare two records bit for bit.

    python -m bench.score_records record OUT.jsonl.gz [--data REALGEN_DIR] [--limit N]
    python -m bench.score_records compare BEFORE.jsonl.gz AFTER.jsonl.gz

The guard for refactoring the scoring core (issue 14): a restructuring must leave every score of
every response bit-identical. The corpus is

- every response in `shared/data/realgen` twice: wrapped in the CRPO layout with its own letter
  (strict extraction, as training scores it) and as the model wrote it (lenient extraction);
- every response of `data/graded`;
- the 2,560 responses of the speed benchmark (`bench/workload.py`).

Floats are written with `repr` (JSON round-trips them exactly), so `compare` is an exact comparison.
Digests of each item's details and monitors are recorded as well and compared separately: a refactor
may change the details' layout on purpose, never a score.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from bench.validity.data import default_data_dir, read_source, source_files
from bench.workload import DATA, build_workload, read_jsonl

SCORE_FIELDS = ("status", "status_reason", "accuracy", "format", "faithfulness", "comprehensiveness", "total")


def graded_items() -> Iterator[tuple[str, dict, str]]:
    questions = {q["source_id"]: q for q in json.loads((DATA / "graded" / "questions.json").read_text())}
    for index, row in enumerate(read_jsonl(DATA / "graded" / "responses.jsonl")):
        q = questions[row["qid"]]
        item = {"response": row["response"], "question": q["question"], "options": q["options"]}
        item["answer"] = q["answer_idx"]
        yield f"graded#{index}:{row['variant']}", item, "strict"


def realgen_items(data_dir: Path, limit: int | None) -> Iterator[tuple[str, dict, str]]:
    for path in source_files(data_dir):
        for count, row in enumerate(read_source(path)):
            if limit is not None and count >= limit:
                break
            base = {"question": row.question, "options": row.options}
            base["answer"] = row.answer if row.answer in row.options else None
            yield f"{row.uid}:wrapped", {**base, "response": row.response()}, "strict"
            yield f"{row.uid}:raw", {**base, "response": row.reasoning}, "lenient"


def bench_items() -> Iterator[tuple[str, dict, str]]:
    for item in build_workload():
        yield f"bench#{item['id']}", {k: item[k] for k in ("response", "question", "options", "answer")}, "strict"


def corpus(data_dir: Path | None, limit: int | None) -> Iterator[tuple[str, dict, str]]:
    yield from graded_items()
    yield from bench_items()
    if data_dir is not None:
        yield from realgen_items(data_dir, limit)


def record(out: Path, data_dir: Path | None, limit: int | None) -> None:
    from reward_service.scoring.engine import ScoringEngine
    from schemas import ScoreRequest

    engine = ScoringEngine()
    started = time.perf_counter()
    count = 0
    with gzip.open(out, "wt", encoding="utf-8") as handle:
        for key, item, extraction in corpus(data_dir, limit):
            request = ScoreRequest(items=[item], details=True, answer_extraction=extraction)
            result = engine.score(request).results[0].model_dump()
            row = {field: result[field] for field in SCORE_FIELDS}
            details = json.dumps(result["details"], sort_keys=True, default=str).encode()
            row["details_sha1"] = hashlib.sha1(details).hexdigest()[:16]
            monitors = json.dumps(result["monitors"], sort_keys=True, default=str).encode()
            row["monitors_sha1"] = hashlib.sha1(monitors).hexdigest()[:16]
            row["key"] = key
            handle.write(json.dumps(row) + "\n")
            count += 1
    print(f"recorded {count} items in {time.perf_counter() - started:.1f} s -> {out}")


def load(path: Path) -> dict[str, dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return {row["key"]: row for row in map(json.loads, handle)}


def compare(before_path: Path, after_path: Path) -> int:
    before, after = load(before_path), load(after_path)
    missing = sorted(set(before) ^ set(after))
    score_diffs: Counter[str] = Counter()
    detail_diffs = 0
    monitor_diffs = 0
    examples: list[str] = []
    for key in sorted(set(before) & set(after)):
        a, b = before[key], after[key]
        changed = [f for f in SCORE_FIELDS if a[f] != b[f]]
        for field in changed:
            score_diffs[field] += 1
        if changed and len(examples) < 10:
            examples.append(f"  {key}: " + ", ".join(f"{f} {a[f]!r} -> {b[f]!r}" for f in changed))
        detail_diffs += a["details_sha1"] != b["details_sha1"]
        monitor_diffs += "monitors_sha1" in a and "monitors_sha1" in b and a["monitors_sha1"] != b["monitors_sha1"]
    shared = len(set(before) & set(after))
    print(f"{shared} items compared; {len(missing)} present in only one record")
    print(
        f"score fields changed: {dict(score_diffs) or 'none'}; details changed: {detail_diffs}; "
        f"monitors changed: {monitor_diffs}"
    )
    print("\n".join(examples))
    return 1 if missing or score_diffs else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("out", type=Path)
    rec.add_argument("--data", type=Path, default=None, help="realgen folder (default: shared/data/realgen)")
    rec.add_argument("--limit", type=int, default=None, help="responses per realgen file (default: all)")
    cmp_ = sub.add_parser("compare")
    cmp_.add_argument("before", type=Path)
    cmp_.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "record":
        record(args.out, args.data or default_data_dir(), args.limit)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
