"""Memory and first-sight cost per distinct question, in a fresh process (run by `make bench`).

    python -m bench.bench_memory [--questions 1024]

Scores one short CRPO response to each of N distinct MedQA questions (64 per request, full scoring) in
one `ScoringEngine`, so every question is built once and stays cached (the LRU holds 4,096), and prints
the resident set size once loaded and after, with the first-sight time per question (case facts, option
and copy indexes: what a new question costs). Targets (issue 14): RSS <= 450 MB per worker after 1,024
distinct questions; case facts on first sight <= 1.5 ms per question.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time

from bench.workload import DATA, read_jsonl
from reward_service.nlp import get_clinical_nlp
from reward_service.scoring.engine import ScoringEngine
from schemas import ScoreRequest

RESPONSE = (
    "<dx>The patient's presentation fits the first option; option B does not explain the findings.</dx>"
    "<conclusion>\\boxed{A}</conclusion>"
)


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=1024)
    args = parser.parse_args()

    rows = read_jsonl(DATA / "medqa_test.jsonl") + read_jsonl(DATA / "medqa_dev.jsonl")
    rows = list({row["question"]: row for row in rows}.values())[: args.questions + 1]
    items = [
        {"question": r["question"], "options": r["options"], "answer": r["answer_idx"], "response": RESPONSE}
        for r in rows
    ]
    engine = ScoringEngine()
    get_clinical_nlp().warm_up()
    engine.score(ScoreRequest.model_validate({"items": items[:1]}))  # everything loaded
    gc.collect()
    loaded = rss_mb()

    nlp = get_clinical_nlp()
    case_ms = []
    for item in items[1:]:
        started = time.process_time()
        nlp.case_facts(item["question"], item["options"])
        case_ms.append((time.process_time() - started) * 1000)

    started = time.process_time()
    for at in range(1, len(items), 64):
        engine.score(ScoreRequest.model_validate({"items": items[at : at + 64]}))
    first_sight = (time.process_time() - started) / (len(items) - 1) * 1000
    gc.collect()
    after = rss_mb()
    n = len(items) - 1
    print(
        f"RSS once loaded {loaded:.0f} MB; after one response to each of {n} distinct MedQA questions "
        f"{after:.0f} MB ({(after - loaded) / n * 1000:.0f} KB per cached question; target <= 450 MB)"
    )
    print(
        f"first sight of a question (CPU time): case facts median {statistics.median(case_ms):.2f} ms "
        f"(target <= 1.5 ms); scoring one response to a new question {first_sight:.2f} ms in all"
    )


if __name__ == "__main__":
    main()
