"""Generation files built from the project's data, and independent checks of crpo-eval's outputs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from tests.live import DATA, ROOT

VARIANTS = (
    "ideal",
    "ideal_r1",
    "wrong_but_careful",
    "terse",
    "hallucinated",
    "inconsistent",
    "single_option",
    "copy_stuffing",
)
LETTERS = "ABCD"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> Path:
    with path.open("w") as handle:
        for row in rows:
            handle.write(json.dumps(row) + "\n")
    return path


def graded_rows() -> dict[str, list[dict[str, Any]]]:
    """variant -> its 12 generations in the plain format (question, options, answer, response, dataset)."""
    questions = {q["source_id"]: q for q in json.loads((DATA / "graded" / "questions.json").read_text())}
    runs: dict[str, list[dict[str, Any]]] = {v: [] for v in VARIANTS}
    for line in (DATA / "graded" / "responses.jsonl").read_text().splitlines():
        row = json.loads(line)
        q = questions[row["qid"]]
        runs[row["variant"]].append(
            {
                "id": row["qid"],
                "question": q["question"],
                "options": q["options"],
                "answer": q["answer_idx"],
                "response": row["response"],
                "dataset": q["source"],
            }
        )
    return runs


def medmcqa_explained(n: int) -> list[dict[str, Any]]:
    """The first `n` MedMCQA dev rows whose expert explanation has at least 15 words."""
    rows = [json.loads(line) for line in (DATA / "medmcqa_dev_part1.jsonl").read_text().splitlines()]
    return [r for r in rows if r.get("exp") and len(r["exp"].split()) >= 15][:n]


def crpo_response(explanation: str, letter: str) -> str:
    """A MedMCQA explanation wrapped as a CRPO-format response that boxes `letter`."""
    return (
        f"<dx>\n{explanation}\n</dx>\n<conclusion>\nThe explanation above supports option {letter}. "
        f"Final answer: \\boxed{{{letter}}}\n</conclusion>"
    )


def medmcqa_generations(rows: Sequence[dict[str, Any]], *, wrong_every: int | None) -> list[dict[str, Any]]:
    """MedMCQA's own columns (opa..opd, cop, subject_name) plus a response; with `wrong_every` k, every
    k-th question (0, k, 2k, ...) boxes the option after the gold one."""
    out = []
    for i, r in enumerate(rows):
        gold = LETTERS[r["cop"] - 1]
        boxed = LETTERS[r["cop"] % 4] if wrong_every and i % wrong_every == 0 else gold
        out.append(
            {k: r[k] for k in ("id", "question", "opa", "opb", "opc", "opd", "cop", "subject_name")}
            | {"dataset": "medmcqa", "response": crpo_response(r["exp"], boxed)}
        )
    return out


def run_cli(args: Sequence[str], *, cwd: Path = ROOT, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`crpo-eval ARGS` as `python -m crpo_eval`, so the worktree's code runs."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "crpo_eval", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def check_png(path: Path) -> tuple[int, int]:
    """Asserts `path` is a PNG that Pillow can decode fully; returns its size."""
    from PIL import Image

    assert path.read_bytes()[:8] == PNG_SIGNATURE, path
    with Image.open(path) as image:
        image.verify()
    with Image.open(path) as image:
        image.load()
        assert image.format == "PNG"
        width, height = image.size
    assert width >= 400 and height >= 300, (path, width, height)
    return width, height


def mean(values: Iterable[float | None]) -> float | None:
    defined = [float(v) for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None


def doc_command(containing: str, url: str) -> list[str]:
    """The arguments of the `crpo-eval` command in the bash block of docs/eval.md that contains
    `containing`, pointed at `url` instead of the documented default service address."""
    import shlex

    from tests.docs import code_blocks

    (block,) = code_blocks("eval.md", "bash", containing)
    argv = shlex.split(block.replace("\\\n", " "))
    assert argv[0] == "crpo-eval", block
    return [url if arg == "http://127.0.0.1:8000" else arg for arg in argv[1:]]


def doc_python(containing: str) -> str:
    from tests.docs import code_blocks

    (block,) = code_blocks("eval.md", "python", containing)
    return block
