"""Benchmark of the clinical NLP layer (prints numbers; no assertions).

    python bench/bench_nlp.py [--questions 300] [--repeat 3]

- case-fact extraction per question on first sight (the NLP layer caches nothing);
- mention finding words/s on realistic reasoning text (MedMCQA expert explanations and the graded
  hand-written responses), beside spaCy's blank English tokenizer on the same text, same run;
- resident memory of the loaded process (full lexicon + spaCy pipeline).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"
if not DATA.exists():
    DATA = Path("/work/shared/data")


def rss_mb() -> float:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    base = rss_mb()
    t0 = time.perf_counter()
    from reward_service.nlp import get_clinical_nlp

    nlp = get_clinical_nlp()
    t_lex = time.perf_counter() - t0
    nlp.warm_up()
    t_load = time.perf_counter() - t0
    print(
        f"load: lexicon {t_lex:.2f} s, + spaCy pipeline {t_load:.2f} s; "
        f"RSS {rss_mb():.0f} MB (python baseline {base:.0f} MB)"
    )
    info = nlp.lexicon_info()
    print(f"lexicon {info['version']}: {info['terms']} terms, {info['concepts']} concepts, {info['analytes']} analytes")
    print("  by source:", json.dumps(info["sources"]))
    print("  by label: ", json.dumps(info["labels"]))

    # ---- case facts on first sight (the NLP layer caches nothing; scorers keep them per question)
    rows = load_jsonl(DATA / "medqa_dev.jsonl") + load_jsonl(DATA / "medqa_test.jsonl")
    rows = rows[: args.questions]
    times = []
    n_facts = 0
    for r in rows:
        t = time.perf_counter()
        case = nlp.case_facts(r["question"], r["options"])
        times.append((time.perf_counter() - t) * 1000)
        n_facts += len(case.facts)
    times.sort()
    print(
        f"\ncase facts, {len(rows)} MedQA questions, first sight: median {statistics.median(times):.2f} ms, "
        f"mean {statistics.fmean(times):.2f} ms, p95 {times[int(0.95 * len(times)) - 1]:.2f} ms; "
        f"{n_facts / len(rows):.1f} facts/question"
    )
    from reward_service.scoring.question import QuestionCache

    questions = QuestionCache(lambda: nlp)
    for r in rows:
        _ = questions.get(r["question"], r["options"]).case
    t = time.perf_counter()
    for r in rows:
        _ = questions.get(r["question"], r["options"]).case
    print(f"case facts, warm question cache: {(time.perf_counter() - t) * 1e6 / len(rows):.1f} µs/question")

    # ---- mention finding vs blank tokenizer
    texts: list[tuple[str, object]] = []
    for r in load_jsonl(DATA / "medmcqa_dev_part1.jsonl"):
        if r.get("exp"):
            texts.append((r["exp"], None))
    graded_q = {q["source_id"]: q for q in json.loads((DATA / "graded" / "questions.json").read_text())}
    for r in load_jsonl(DATA / "graded" / "responses.jsonl"):
        q = graded_q.get(r["qid"])
        case = nlp.case_facts(q["question"], q.get("options")) if q else None
        texts.append((r["response"], case))
    words = sum(len(t.split()) for t, _ in texts)
    chars = sum(len(t) for t, _ in texts)

    import spacy

    tok = spacy.blank("en").tokenizer
    for t, _ in texts[:50]:  # warm both paths
        tok(t)
        nlp.find_mentions(t, None)
    best_tok = best_find = float("inf")
    n_mentions = 0
    for _ in range(args.repeat):
        t = time.perf_counter()
        for text, _c in texts:
            tok(text)
        best_tok = min(best_tok, time.perf_counter() - t)
        t = time.perf_counter()
        n_mentions = 0
        for text, case in texts:
            n_mentions += len(nlp.find_mentions(text, case))
        best_find = min(best_find, time.perf_counter() - t)
    wps_tok = words / best_tok
    wps_find = words / best_find
    print(
        f"\nmention finding on {len(texts)} texts ({words} words, {chars / 1e6:.2f} M chars; "
        f"MedMCQA explanations + graded responses), best of {args.repeat}:"
    )
    print(f"  find_mentions:         {wps_find:>10,.0f} words/s  ({n_mentions} mentions)")
    print(f"  spaCy blank tokenizer: {wps_tok:>10,.0f} words/s")
    print(f"  ratio find_mentions / tokenizer: {wps_find / wps_tok:.2f}x")
    print(f"\nRSS after benchmark: {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
