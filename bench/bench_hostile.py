"""Scoring time of hostile questions and responses by size (prints seconds and growth ratios).

    python -m bench.bench_hostile [--sizes 2000 8000 32000 100000] [--field question response]
                                  [--patterns dollar brace ...]

Each pattern (a run of `$`, `{`, `}`, `(`, `.`; mixed LaTeX/markup fragments; unicode) is appended to
a normal MedQA-style stem (the question field), the reasoning of a normal CRPO response (the response field) or
a fourth option (the options field, at most 20,000 characters) and
scored in-process with every objective and details on. Work must grow linearly with the text: the
ratio column divides each size's time by the smallest size's, next to the ratio of sizes.
"""

from __future__ import annotations

import argparse
import time

from reward_service.scoring.engine import ScoringEngine
from schemas import ScoreItem, ScoreRequest

STEM = (
    "A 67-year-old man presents with a 3-week history of resting tremor and bradykinesia. "
    "His blood pressure is 130/85 mm Hg and his sodium is 128 mEq/L. Which drug is most appropriate? "
)
REASONING = (
    "<dx>The patient has parkinsonism with a resting tremor. Sodium of 128 mEq/L is low. "
    "Option A is wrong because amantadine is weaker; option B treats tremor only. "
)
CONCLUSION = "</dx><conclusion>The answer is C. \\boxed{C}</conclusion>"
OPTIONS = {"A": "Amantadine", "B": "Benztropine", "C": "Selegiline"}

#: Repeated units; each is known (or suspected) to stress a tokenizer, regex or matcher.
PATTERNS: dict[str, str] = {
    "dollar": "$",
    "brace": "{",
    "close_brace": "}",
    "paren": "(",
    "dot": ".",
    "braces": "{}",
    "mixed": "\\boxed{$}(<dx>{x}</dx>",
    "latex": "\\text{\\boxed{",
    "unicode": "é—\u0301𝔸\u200b°µ",
    "words": "the patient has fever ",
    "option": "Option A. ",
    "digits": "7.4",
    "newline": "\n",
    "zeros": "0",
    "spaces": "  ",
    "dash": "-",
    "percent": "5% ",
    "quote_dot": '.")',
}


def hostile(pattern: str, size: int) -> str:
    unit = PATTERNS[pattern]
    return (unit * (size // len(unit) + 1))[:size]


def score_seconds(engine: ScoringEngine, field: str, pattern: str, size: int) -> float:
    noise = hostile(pattern, size)
    question = STEM + noise if field == "question" else STEM
    response = REASONING + (noise if field == "response" else "") + CONCLUSION
    options = {**OPTIONS, "D": noise[:20_000]} if field == "options" else OPTIONS  # 20,000: an option's limit
    item = ScoreItem(response=response, question=question, options=options, answer="C")
    request = ScoreRequest(items=[item], details=True)
    started = time.perf_counter()
    engine.score(request)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 8_000, 32_000, 100_000])
    parser.add_argument(
        "--field", nargs="+", default=["question", "response"], choices=["question", "response", "options"]
    )
    parser.add_argument("--patterns", nargs="+", default=list(PATTERNS), choices=list(PATTERNS))
    args = parser.parse_args()
    engine = ScoringEngine()
    score_seconds(engine, "question", "words", 100)  # warm-up: loads the lexicon and spaCy
    sizes = sorted(args.sizes)
    print(f"{'field':9} {'pattern':12} " + " ".join(f"{s:>9}" for s in sizes) + "   time ratio (size ratio)")
    for field in args.field:
        for pattern in args.patterns:
            times = [score_seconds(engine, field, pattern, size) for size in sizes]
            ratios = " ".join(
                f"{t / times[0]:.1f}({s / sizes[0]:.0f})" for t, s in zip(times[1:], sizes[1:], strict=True)
            )
            print(f"{field:9} {pattern:12} " + " ".join(f"{t:9.3f}" for t in times) + "   " + ratios, flush=True)


if __name__ == "__main__":
    main()
