"""Work per item grows linearly with its size, whatever the characters (issue 11).

Hostile runs (`$`, `{`, `}`, `(`, `.`, `{}`, LaTeX/markup fragments, unicode, option references,
line breaks, digits, percentages) of 2k / 8k / 32k / 100k characters are scored in the question and in
the response, and of 2k / 20k (an option's limit) in an option. The
test asserts on growth, not on absolute times: from 8k to 100k characters (12.5x the text) the time
may grow at most `MAX_GROWTH` times (a quadratic path grows ~156x; before the fix `$` in a question
grew 15x from 1k to 4k characters). Each size is timed as the best of a few runs so that a busy
machine slows every size alike rather than one of them. `bench/bench_hostile.py` prints the numbers.
"""

from __future__ import annotations

import time

import pytest

from bench.bench_hostile import CONCLUSION, OPTIONS, REASONING, STEM, hostile
from reward_service.nlp.bounded_text import CASE_READ_CHARS, spacy_safe
from reward_service.scoring.engine import ScoringEngine
from schemas import ScoreItem, ScoreRequest

SIZES = (2_000, 8_000, 32_000, 100_000)
#: Allowed growth of the time from 8k to 100k characters (12.5x the text; linear work gives <= 12.5).
MAX_GROWTH = 40.0
#: Times below this are dominated by fixed costs and timer noise; ratios use at least this.
FLOOR_S = 0.01
PATTERNS = [
    "dollar",
    "brace",
    "close_brace",
    "paren",
    "dot",
    "braces",
    "mixed",
    "unicode",
    "option",
    "newline",
    "zeros",
]
PATTERNS += ["percent"]

engine = ScoringEngine()


def best_seconds(item: ScoreItem, repeats: int) -> float:
    request = ScoreRequest(items=[item], details=True)
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        engine.score(request)
        best = min(best, time.perf_counter() - started)
    return best


def item_for(field: str, pattern: str, size: int, salt: int) -> ScoreItem:
    noise = hostile(pattern, size)
    # a distinct question per call: the case-fact cache must not hide the work
    question = f"{STEM}{salt} " + (noise if field == "question" else "")
    response = REASONING + (noise if field == "response" else "") + CONCLUSION
    options = {**OPTIONS, "D": noise} if field == "options" else OPTIONS
    return ScoreItem(response=response, question=question, options=options, answer="C")


@pytest.mark.timeout(300)
@pytest.mark.parametrize("field", ["question", "response"])
@pytest.mark.parametrize("pattern", PATTERNS)
def test_scoring_time_grows_linearly(field: str, pattern: str) -> None:
    engine.score(ScoreRequest(items=[item_for(field, pattern, 100, -1)]))  # warm-up (lexicon, spaCy)
    times = {}
    for size in SIZES:
        repeats = 3 if size <= 32_000 else 2
        # questions: a new question each repeat (cache miss); responses: same item, nothing cached per response
        salts = range(repeats) if field == "question" else [0] * repeats
        times[size] = min(best_seconds(item_for(field, pattern, size, salt * 1_000_000 + size), 1) for salt in salts)
    growth = max(times[100_000], FLOOR_S) / max(times[8_000], FLOOR_S)
    summary = ", ".join(f"{size}: {seconds:.3f}s" for size, seconds in times.items())
    assert growth <= MAX_GROWTH, f"{field}/{pattern}: time grew {growth:.1f}x for 12.5x the text ({summary})"


@pytest.mark.timeout(300)
@pytest.mark.parametrize("pattern", ["zeros", "dollar", "percent", "mixed", "option", "unicode"])
def test_option_text_time_grows_linearly(pattern: str) -> None:
    """An option holds at most 20,000 characters: from 2k to 20k (10x) the time may grow at most 32x."""
    times = {}
    for size in (2_000, 20_000):
        times[size] = min(
            best_seconds(item_for("options", pattern, size, salt * 1_000_000 + size), 1) for salt in range(3)
        )
    growth = max(times[20_000], FLOOR_S) / max(times[2_000], FLOOR_S)
    assert growth <= 32, f"options/{pattern}: time grew {growth:.1f}x for 10x the text ({times})"


@pytest.mark.parametrize("unit", ["$", "{", "}", "(", "{}", "\\boxed{$}(<dx>{x}</dx>", "é—\u0301𝔸", "a$", "-"])
def test_spacy_safe_keeps_length_and_breaks_long_punctuation_tokens(unit: str) -> None:
    text = "Fever of 39 °C " + unit * 5_000 + " and a cough."
    safe = spacy_safe(text)
    assert len(safe) == len(text)
    assert max(len(token) for token in safe.split()) <= 64
    assert safe.startswith("Fever of 39 °C ") and safe.endswith(" and a cough.")


def test_spacy_safe_leaves_ordinary_text_alone() -> None:
    text = "A 45-year-old man (BMI 31 kg/m2) has a fever of 39 °C... and denies chest pain -- see e.g. Fig. 2."
    assert spacy_safe(text) == text


def test_case_facts_read_a_bounded_prefix_and_say_so(live_server) -> None:
    import httpx

    question = "A 45-year-old man has a fever of 39 °C. " + "$" * (CASE_READ_CHARS + 5_000) + " He denies chest pain."
    reply = httpx.post(f"{live_server.url}/v1/case", json={"question": question}, timeout=60)
    assert reply.status_code == 200, reply.text[:300]
    body = reply.json()
    assert body["question_chars_read"] == CASE_READ_CHARS and body["question_truncated"] is True
    assert any(fact["key"] == "age" for fact in body["facts"])  # what was read is still extracted
    assert not any("chest pain" in fact["text"].lower() for fact in body["facts"])  # past the cap: not read
    short = httpx.post(f"{live_server.url}/v1/case", json={"question": "A 45-year-old man."}, timeout=60).json()
    assert short["question_chars_read"] == len("A 45-year-old man.") and short["question_truncated"] is False
