"""Reading files of generations: one `Generation` per (question, response).

Accepted rows (JSONL, a JSON list, or parquet; `.jsonl.gz` too):

- the plain format: `question`, `options` ({letter: text}, a list of texts lettered A, B, ... or a JSON
  object string), `answer` (a letter or the text of an option; `answer_idx`, MedQA's letter, wins when
  present), `response` (or `completion`, or `responses`: a list of several samples); optional `id`,
  `dataset` (or `data_source`, `source`), `subject` (or `subject_name`), `model`;
- MedMCQA's own columns instead of `options`/`answer`: `opa`..`opd` and `cop` (1-4 = A-D, as in the
  redistributed copy in data/);
- verl's generation dumps (`trainer.rollout_data_dir` / `trainer.validation_data_dir`, one
  `<step>.jsonl` per dump): `input` (the decoded prompt), `output` (the decoded response), `gts` (the
  gold letter), `score` and `step`, plus the reward function's extra keys. The question and options are
  read back from the prompt that `crpo-data` rendered (`schemas.prompt.parse_prompt`).

A question is identified across files and runs by its content (whitespace-collapsed question and
options), so the same question read from a verl dump and from a JSONL file pairs up.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemas.options import LETTERS, coerce_options
from schemas.prompt import parse_prompt

PARQUET_HINT = "reading parquet needs pyarrow: install the eval extra, pip install 'crpo-reward[eval]'"
RESPONSE_FIELDS = ("response", "completion", "output")
DATASET_FIELDS = ("dataset", "data_source", "source")
SUBJECT_FIELDS = ("subject", "subject_name")

_SUFFIXES = (".jsonl", ".jsonl.gz", ".json", ".parquet")


class GenerationsError(ValueError):
    """A file or row of generations is unusable; the message names the file, row and field."""


@dataclass(frozen=True)
class Generation:
    """One response to one question, with where it came from."""

    run: str
    question: str
    options: dict[str, str] | None
    answer: Any
    response: str
    dataset: str
    subject: str | None = None
    model: str | None = None
    id: str | None = None
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    #: the answer the file already holds (`--predicted-column`); "" when the row's value is null
    prediction: str | None = None

    @property
    def question_key(self) -> str:
        """Content hash of the question: the unit of pairing and of the cluster bootstrap."""
        return question_key(self.question, self.options)


def question_key(question: str, options: Mapping[str, str] | None) -> str:
    collapsed = [" ".join(question.split()), sorted((k, " ".join(v.split())) for k, v in (options or {}).items())]
    return hashlib.sha1(json.dumps(collapsed, ensure_ascii=False).encode()).hexdigest()[:16]


def _collapse(text: str) -> str:
    return " ".join(text.split())


def read_rows(path: Path) -> Iterator[tuple[str, Any]]:
    """(`file:line` or `file:row`, row) for every row of a JSONL, JSON-list or parquet file."""
    name = path.name.lower()
    if name.endswith(".parquet"):
        yield from _parquet_rows(path)
    elif name.endswith(".json"):
        try:
            data = json.loads(path.read_text())
        except ValueError as exc:
            raise GenerationsError(f"{path}: not valid JSON: {exc}") from exc
        if not isinstance(data, list):
            raise GenerationsError(f"{path}: a .json file must hold a list of rows, not {type(data).__name__}")
        for index, row in enumerate(data):
            yield f"{path}[{index}]", row
    elif name.endswith((".jsonl", ".jsonl.gz")):
        opener = gzip.open if name.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    yield f"{path}:{number}", json.loads(line)
                except ValueError as exc:
                    raise GenerationsError(f"{path}:{number}: not valid JSON: {exc}") from exc
    else:
        raise GenerationsError(f"{path}: unknown file type; expected one of {', '.join(_SUFFIXES)}")


def _parquet_rows(path: Path) -> Iterator[tuple[str, Any]]:
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise GenerationsError(f"{path}: {PARQUET_HINT}") from exc
    for index, row in enumerate(pq.read_table(path).to_pylist()):
        yield f"{path}[{index}]", row


def _first(row: Mapping[str, Any], names: Sequence[str]) -> Any:
    for name in names:
        value = row.get(name)
        if value is not None and value != "":
            return value
    return None


def _options(row: Mapping[str, Any], where: str) -> dict[str, str] | None:
    value = row.get("options")
    if value is None and "opa" in row:  # MedMCQA's columns
        value = [row[k] for k in ("opa", "opb", "opc", "opd", "ope") if row.get(k) is not None]
    try:
        return coerce_options(value)
    except ValueError as exc:
        raise GenerationsError(f"{where}: field {exc}") from exc


def _answer(row: Mapping[str, Any], options: dict[str, str] | None, where: str) -> Any:
    letter = row.get("answer_idx")
    if isinstance(letter, str) and options and letter.strip().upper() in options:
        return letter.strip().upper()
    if row.get("answer") is None and "cop" in row and options:  # MedMCQA: 1-4 = A-D
        cop = row["cop"]
        if not isinstance(cop, int) or not 1 <= cop <= len(options):
            raise GenerationsError(f"{where}: field 'cop' must be an option number 1-{len(options)}, got {cop!r}")
        return LETTERS[cop - 1]
    answer = row.get("answer")
    if answer is None or answer == "":
        raise GenerationsError(f"{where}: field 'answer' is missing (a letter, an option's text, or 'answer_idx')")
    if isinstance(answer, str) and options:
        stripped = answer.strip()
        if stripped.upper() in options and len(stripped) == 1:
            return stripped.upper()
        matches = [k for k, v in options.items() if _collapse(v).lower() == _collapse(stripped).lower()]
        if len(matches) == 1:
            return matches[0]
    return answer


def _is_verl_dump(row: Mapping[str, Any]) -> bool:
    return "input" in row and "output" in row and "gts" in row


def _verl_row(row: Mapping[str, Any], where: str) -> tuple[str, dict[str, str], Any, list[str]]:
    prompt = row["input"]
    if not isinstance(prompt, str):
        raise GenerationsError(f"{where}: field 'input' must be the decoded prompt (a string)")
    parsed = parse_prompt(prompt)
    if parsed is None:
        raise GenerationsError(
            f"{where}: field 'input' is not a prompt that crpo-data rendered (no 'Question:' ... 'Options:' block); "
            "write the generations with question/options/answer/response fields instead"
        )
    question, options = parsed
    gold = row["gts"]
    if isinstance(gold, Mapping):  # a reward_model dict rather than its ground_truth
        gold = gold.get("ground_truth")
    if gold is None or gold == "":
        raise GenerationsError(f"{where}: field 'gts' (the gold answer) is empty")
    if isinstance(gold, str) and gold.strip().upper() in options:
        gold = gold.strip().upper()
    output = row["output"]
    if not isinstance(output, str):
        raise GenerationsError(f"{where}: field 'output' must be a string")
    return question, options, gold, [output]


def _responses(row: Mapping[str, Any], where: str) -> list[str]:
    if isinstance(row.get("responses"), list):
        values = row["responses"]
        if not all(isinstance(v, str) for v in values):
            raise GenerationsError(f"{where}: field 'responses' must be a list of strings")
        return list(values)
    value = _first(row, RESPONSE_FIELDS)
    if value is None:
        if any(name in row for name in RESPONSE_FIELDS):
            return [""]  # an empty response is scored (at the bottom of the range), not rejected
        raise GenerationsError(f"{where}: field 'response' is missing (also accepted: completion, output, responses)")
    if not isinstance(value, str):
        raise GenerationsError(f"{where}: field 'response' must be a string, got {type(value).__name__}")
    return [value]


def _prediction(row: Mapping[str, Any], column: str | None, where: str) -> str | None:
    """The row's own answer in `column` (a letter, a label or an option's text); null is "" (no answer)."""
    if column is None:
        return None
    if column not in row:
        raise GenerationsError(f"{where}: field {column!r} (--predicted-column) is missing")
    value = row[column]
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise GenerationsError(f"{where}: field {column!r} must be a letter or an option's text, got {value!r}")
    return str(value)


def parse_row(
    row: Any, where: str, *, run: str | None, default_dataset: str, predicted_column: str | None = None
) -> list[Generation]:
    """The generations of one row (several when it holds a `responses` list). `run` None: the row's
    `model`, else the caller must name it (see `read_generations`). `predicted_column`: the field that
    holds the row's own answer (one response per row)."""
    if not isinstance(row, Mapping):
        raise GenerationsError(f"{where}: a row must be a JSON object, not {type(row).__name__}")
    prediction = _prediction(row, predicted_column, where)
    extra: dict[str, Any] = {}
    if _is_verl_dump(row):
        question, options, answer, responses = _verl_row(row, where)
        extra = {k: row[k] for k in ("score", "step", "uid") if k in row}
    else:
        question = row.get("question")
        if not isinstance(question, str) or not question.strip():
            raise GenerationsError(f"{where}: field 'question' must be a non-empty string")
        options = _options(row, where)
        answer = _answer(row, options, where)
        responses = _responses(row, where)
    if prediction is not None and len(responses) > 1:
        raise GenerationsError(f"{where}: --predicted-column needs one response per row, not a 'responses' list")
    dataset = _first(row, DATASET_FIELDS)
    subject = _first(row, SUBJECT_FIELDS)
    model = row.get("model")
    run_name = run or (str(model) if model is not None else None)
    if run_name is None:
        raise GenerationsError(f"{where}: no run name (name the file with --run NAME=FILE or give rows a 'model')")
    row_id = row.get("id")
    return [
        Generation(
            run=run_name,
            question=question,
            options=options,
            answer=answer,
            response=response,
            dataset=str(dataset) if dataset is not None else default_dataset,
            subject=str(subject) if subject is not None else None,
            model=str(model) if model is not None else None,
            id=(f"{row_id}" if len(responses) == 1 else f"{row_id}#{i}") if row_id is not None else None,
            source=where if len(responses) == 1 else f"{where}#{i}",
            extra=extra,
            prediction=prediction,
        )
        for i, response in enumerate(responses)
    ]


def _natural_key(path: Path) -> tuple[Any, ...]:
    """`9.jsonl` before `10.jsonl` (verl names dumps by step)."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.name))


def expand(path: Path) -> list[Path]:
    """A file, or the generation files of a directory (a verl dump directory: one file per step)."""
    if path.is_dir():
        files = sorted((p for p in path.iterdir() if p.name.lower().endswith(_SUFFIXES)), key=_natural_key)
        if not files:
            raise GenerationsError(f"{path}: no {', '.join(_SUFFIXES)} files in this directory")
        return files
    if not path.exists():
        raise GenerationsError(f"{path}: no such file")
    return [path]


def run_name_of(path: Path) -> str:
    name = path.name
    for suffix in _SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def read_generations(
    path: Path, *, run: str | None = None, default_dataset: str = "default", predicted_column: str | None = None
) -> list[Generation]:
    """Every generation of one file. `run` None: each row's `model`, else the file's name (stem)."""
    generations: list[Generation] = []
    fallback = run_name_of(path)
    for where, row in read_rows(path):
        named = run
        if named is None and not (isinstance(row, Mapping) and row.get("model") is not None):
            named = fallback
        generations.extend(
            parse_row(row, where, run=named, default_dataset=default_dataset, predicted_column=predicted_column)
        )
    if not generations:
        raise GenerationsError(f"{path}: no generations in this file")
    return generations


def parse_run_spec(spec: str) -> tuple[str, Path]:
    """`NAME=FILE` -> (NAME, FILE)."""
    name, sep, file = spec.partition("=")
    if not sep or not name.strip() or not file.strip():
        raise GenerationsError(f"--run {spec!r}: expected NAME=FILE")
    return name.strip(), Path(file.strip())


def load_runs(
    files: Sequence[Path],
    run_specs: Sequence[str],
    *,
    default_dataset: str = "default",
    predicted_column: str | None = None,
) -> dict[str, list[Generation]]:
    """Runs in the order first named: `--run NAME=FILE` specs (a name given twice gathers its files),
    then positional files (each run named by its rows' `model`, else by the file name)."""
    runs: dict[str, list[Generation]] = {}
    read = {"default_dataset": default_dataset, "predicted_column": predicted_column}
    for spec in run_specs:
        name, path = parse_run_spec(spec)
        for file in expand(path):
            runs.setdefault(name, []).extend(read_generations(file, run=name, **read))  # type: ignore[arg-type]
    for path in files:
        for file in expand(path):
            for generation in read_generations(file, **read):  # type: ignore[arg-type]
                runs.setdefault(generation.run, []).append(generation)
    if not runs:
        raise GenerationsError("no generations given: pass files, or --run NAME=FILE")
    return runs
