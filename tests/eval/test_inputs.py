"""Reading generation files: the accepted layouts, and errors that name the file, row and field."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from crpo_eval.generations import GenerationsError, load_runs, read_generations
from tests.eval.helpers import run_cli, write_jsonl
from tests.live import ROOT, LiveServer

QUESTION = "A 30-year-old woman has a fever of 39 °C. Which drug?"
OPTIONS = {"A": "Aspirin", "B": "Paracetamol", "C": "Ibuprofen"}


def row(**fields: Any) -> dict[str, Any]:
    return {"question": QUESTION, "options": OPTIONS, "answer": "B", "response": "<dx>x</dx>"} | fields


def test_plain_jsonl_json_and_gzip(tmp_path: Path) -> None:
    rows = [row(id="q1", subject="Pharmacology", dataset="mine"), row(response="", model="m")]
    write_jsonl(tmp_path / "a.jsonl", rows)
    (tmp_path / "b.json").write_text(json.dumps(rows))
    with gzip.open(tmp_path / "c.jsonl.gz", "wt") as handle:
        handle.write("\n".join(json.dumps(r) for r in rows) + "\n\n")
    for name in ("a.jsonl", "b.json", "c.jsonl.gz"):
        first, second = read_generations(tmp_path / name, run="r")
        assert (first.id, first.subject, first.dataset, first.answer) == ("q1", "Pharmacology", "mine", "B")
        assert second.response == "" and second.dataset == "default" and second.model == "m"
    assert read_generations(tmp_path / "a.jsonl", run="r")[0].source == f"{tmp_path / 'a.jsonl'}:1"


def test_answer_and_option_layouts(tmp_path: Path) -> None:
    rows = [
        row(answer="Paracetamol"),  # MedQA's `answer` is the option's text
        row(answer="Paracetamol", answer_idx="B"),
        row(options=["Aspirin", "Paracetamol", "Ibuprofen"], answer="b"),
        row(options=json.dumps(OPTIONS)),
        {
            "question": QUESTION,
            "opa": "Aspirin",
            "opb": "Paracetamol",
            "opc": "Ibuprofen",
            "opd": "None",
            "cop": 2,
            "subject_name": "Pharmacology",
            "completion": "text",
        },
        row(response=None, responses=["one", "two", "three"], id="q9"),
        row(options=None, answer={"text": "paracetamol", "aliases": ["acetaminophen"]}),
    ]
    generations = read_generations(write_jsonl(tmp_path / "g.jsonl", rows), run="r")
    assert [g.answer for g in generations[:5]] == ["B"] * 5
    assert generations[2].options == OPTIONS
    assert generations[4].options == OPTIONS | {"D": "None"} and generations[4].subject == "Pharmacology"
    assert generations[4].response == "text"
    assert [g.response for g in generations[5:8]] == ["one", "two", "three"]
    assert [g.id for g in generations[5:8]] == ["q9#0", "q9#1", "q9#2"]
    assert generations[8].options is None and generations[8].answer == {
        "text": "paracetamol",
        "aliases": ["acetaminophen"],
    }
    same = generations[:4] + generations[5:8]  # same question and options, however written
    assert len({g.question_key for g in same}) == 1 and generations[4].question_key != same[0].question_key


def test_runs_from_specs_models_and_file_names(tmp_path: Path) -> None:
    a = write_jsonl(tmp_path / "base_medqa.jsonl", [row()])
    b = write_jsonl(tmp_path / "base_medmcqa.jsonl", [row(question="Other?")])
    mixed = write_jsonl(tmp_path / "mixed.jsonl", [row(model="grpo"), row(model="crpo"), row(model="grpo")])
    runs = load_runs([mixed, a], [f"base={a}", f"base={b}"])
    assert list(runs) == ["base", "grpo", "crpo", "base_medqa"]
    assert len(runs["base"]) == 2 and len(runs["grpo"]) == 2 and len(runs["crpo"]) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"question": QUESTION, "options": OPTIONS, "answer": "B"}, ":2: field 'response' is missing"),
        (row(question=""), ":2: field 'question' must be a non-empty string"),
        (row(options={"AB": "x"}), ":2: field 'options' has key 'AB', which is not a single letter A-Z"),
        (row(options="not json"), ":2: field 'options' is a string but not a JSON object"),
        (row(answer=None), ":2: field 'answer' is missing"),
        (
            {"question": QUESTION, "opa": "a", "opb": "b", "cop": 7, "response": "r"},
            ":2: field 'cop' must be an option number 1-2",
        ),
        (row(response=42), ":2: field 'response' must be a string"),
        (
            {"input": "no template here", "output": "r", "gts": "A"},
            ":2: field 'input' is not a prompt that crpo-data rendered",
        ),
        ([1, 2], ":2: a row must be a JSON object"),
    ],
)
def test_bad_rows_name_file_row_and_field(tmp_path: Path, content: Any, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(row()) + "\n" + json.dumps(content) + "\n")
    with pytest.raises(GenerationsError) as info:
        read_generations(path, run="r")
    assert str(info.value).startswith(str(path)) and message in str(info.value)


def test_bad_files(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text("a,b\n")
    (tmp_path / "empty.jsonl").write_text("\n")
    (tmp_path / "broken.jsonl").write_text('{"question": \n')
    (tmp_path / "dict.json").write_text("{}")
    cases = {
        tmp_path / "x.csv": "unknown file type",
        tmp_path / "empty.jsonl": "no generations in this file",
        tmp_path / "broken.jsonl": "broken.jsonl:1: not valid JSON",
        tmp_path / "dict.json": "must hold a list of rows",
        tmp_path / "missing.jsonl": "no such file",
    }
    for path, message in cases.items():
        with pytest.raises(GenerationsError, match=message):
            load_runs([], [f"r={path}"])
    with pytest.raises(GenerationsError, match="expected NAME=FILE"):
        load_runs([], ["just-a-file.jsonl"])
    with pytest.raises(GenerationsError, match="no generations given"):
        load_runs([], [])


def test_parquet_without_pyarrow_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "g.parquet"
    pq.write_table(pa.Table.from_pylist([row()]), path)
    assert read_generations(path, run="r")[0].answer == "B"
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # `import pyarrow` now raises ImportError
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(GenerationsError) as info:
        read_generations(path, run="r")
    assert "pip install 'crpo-reward[eval]'" in str(info.value) and str(path) in str(info.value)


def test_importing_the_client_and_the_cli_stays_light() -> None:
    code = (
        "import sys, trainer_client, crpo_eval, crpo_eval.cli, crpo_eval.generations\n"
        "heavy = [m for m in ('matplotlib', 'scipy', 'pyarrow', 'pandas', 'torch') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_cli_errors(tmp_path: Path, live_server: LiveServer) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(row(response=None, completion=None, output=None) | {"response": 3}) + "\n")
    done = run_cli(["--run", f"r={bad}", "--reward-url", live_server.url, "--out", str(tmp_path / "o")])
    assert done.returncode == 2 and "bad.jsonl:1: field 'response' must be a string" in done.stderr
    assert not (tmp_path / "o").exists()
    # a row the service refuses (too long a response): the message names the file and line, not the batch index
    long = write_jsonl(tmp_path / "long.jsonl", [row(), row(response="x" * 200_001)])
    done = run_cli(["--run", f"r={long}", "--reward-url", live_server.url, "--out", str(tmp_path / "o")])
    assert done.returncode == 2, done.stderr
    assert "long.jsonl:2 (run r): the service rejected it" in " ".join(done.stderr.split())
    done = run_cli(
        ["--run", f"r={long}", "--reward-url", live_server.url, "--out", str(tmp_path / "o"), "--baseline", "zz"]
    )
    assert done.returncode == 2 and "--baseline 'zz' is not one of the runs" in done.stderr
