"""MedQA, MedMCQA and generic JSONL multiple-choice questions -> verl RL parquet files.

Input formats (one JSON object per line):
- `medqa`: `question`, `options` {A..E: text}, `answer` (the gold option's text), `answer_idx` (its letter);
- `medmcqa`: `question`, `opa`..`opd`, `cop` (1-4 = A-D), optional `id`, `subject_name`, `exp`;
- `jsonl`: `question`, `options` ({letter: text} or a list of texts, lettered A, B, ...), `answer` (a letter or
  the text of an option) or `answer_idx` (a letter); optional `id`, `data_source`, `subject`.

Each question becomes one verl row:
`data_source`, `prompt` (the CRPO chat prompt, `schemas.prompt.chat_messages`), `ability`,
`reward_model` {"style": "rule", "ground_truth": letter} and `extra_info` {split, index, question, options,
answer, answer_text, id, subject} — the reward function reads the case and options from `extra_info`.

Option texts are stored with whitespace collapsed, exactly as the prompt shows them. The train/validation
split is deterministic and independent of the input order: questions are ranked by a seeded SHA-256 of
their content and the first `round(n · val_fraction)` go to validation; each split keeps the input order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from schemas.options import coerce_options
from schemas.prompt import chat_messages

DatasetKind = Literal["medqa", "medmcqa", "jsonl"]
ABILITY = "medical_mcq"


class DataError(ValueError):
    """An input record is malformed; the message names the file, line and field."""


@dataclass(frozen=True)
class Question:
    question: str
    options: dict[str, str]
    answer: str
    index: int
    source_id: str | None = None
    subject: str | None = None
    data_source: str | None = None

    def content_key(self) -> str:
        return json.dumps([self.question, sorted(self.options.items())], ensure_ascii=False)


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _text(value: Any, where: str, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DataError(f"{where}: field {name!r} must be a non-empty string, got {value!r}")
    return value.strip()


def _optional_text(value: Any) -> str | None:
    return str(value) if value is not None and str(value).strip() else None


def _options(value: Any, where: str) -> dict[str, str]:
    try:
        options = coerce_options(value)
    except ValueError as exc:
        raise DataError(f"{where}: field {exc}") from exc
    if options is None or len(options) < 2:
        raise DataError(f"{where}: field 'options' must map letters to texts (at least 2), got {value!r}")
    # whitespace collapsed, as the prompt shows it
    return {letter: _collapse(_text(text, where, f"options.{letter}")) for letter, text in options.items()}


def _letter(answer: Any, options: Mapping[str, str], where: str, name: str) -> str:
    """The gold letter from a letter or from the exact text of one option."""
    if isinstance(answer, str):
        candidate = answer.strip().upper()
        if candidate in options:
            return candidate
        matches = [letter for letter, text in options.items() if text == _collapse(answer)]
        if len(matches) == 1:
            return matches[0]
    raise DataError(f"{where}: field {name!r} is {answer!r}, which is neither an option letter nor an option's text")


def parse_medqa(record: Mapping[str, Any], where: str, index: int) -> Question:
    options = _options(record.get("options"), where)
    letter = _letter(record.get("answer_idx"), options, where, "answer_idx")
    answer_text = record.get("answer")
    if isinstance(answer_text, str) and _collapse(answer_text) != options[letter]:
        raise DataError(
            f"{where}: field 'answer_idx' is {letter!r} (option text {options[letter]!r}) but field 'answer' is "
            f"{answer_text!r}"
        )
    return Question(_text(record.get("question"), where, "question"), options, letter, index)


def parse_medmcqa(record: Mapping[str, Any], where: str, index: int) -> Question:
    options = _options({letter: record.get(f"op{letter.lower()}") for letter in "ABCD"}, where)
    cop = record.get("cop")
    if isinstance(cop, bool) or not isinstance(cop, int) or not 1 <= cop <= 4:
        raise DataError(f"{where}: field 'cop' must be 1, 2, 3 or 4 (= A-D), got {cop!r}")
    return Question(
        _text(record.get("question"), where, "question"),
        options,
        "ABCD"[cop - 1],
        index,
        source_id=_optional_text(record.get("id")),
        subject=_optional_text(record.get("subject_name")),
    )


def parse_generic(record: Mapping[str, Any], where: str, index: int) -> Question:
    options = _options(record.get("options"), where)
    name = "answer" if record.get("answer") is not None else "answer_idx"
    return Question(
        _text(record.get("question"), where, "question"),
        options,
        _letter(record.get(name), options, where, name),
        index,
        source_id=_optional_text(record.get("id")),
        subject=_optional_text(record.get("subject")),
        data_source=_optional_text(record.get("data_source")),
    )


PARSERS: dict[str, Callable[[Mapping[str, Any], str, int], Question]] = {
    "medqa": parse_medqa,
    "medmcqa": parse_medmcqa,
    "jsonl": parse_generic,
}


@dataclass
class ReadResult:
    questions: list[Question] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read_questions(kind: DatasetKind, lines: Iterable[str], source: str, *, skip_invalid: bool = False) -> ReadResult:
    """Parse JSONL `lines`; with `skip_invalid`, bad records are listed in `skipped` instead of raising."""
    parser = PARSERS[kind]
    result = ReadResult()
    index = 0
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{source}:{line_no}"
        try:
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{where}: not valid JSON ({exc.msg})") from exc
            if not isinstance(record, Mapping):
                raise DataError(f"{where}: expected a JSON object, got {type(record).__name__}")
            result.questions.append(parser(record, where, index))
        except DataError as exc:
            if not skip_invalid:
                raise
            result.skipped.append(str(exc))
        index += 1
    return result


def split_questions(
    questions: list[Question], val_fraction: float, seed: int = 0
) -> tuple[list[Question], list[Question]]:
    """(train, val): deterministic, order-independent, exactly `round(n · val_fraction)` in val."""
    if not 0.0 <= val_fraction < 1.0:
        raise ValueError(f"val_fraction must be in [0, 1), got {val_fraction}")
    n_val = round(len(questions) * val_fraction)

    def rank(q: Question) -> str:
        return hashlib.sha256(f"{seed}\x00{q.content_key()}".encode()).hexdigest()

    val_ids = {id(q) for q in sorted(questions, key=rank)[:n_val]}
    return [q for q in questions if id(q) not in val_ids], [q for q in questions if id(q) in val_ids]


def verl_row(q: Question, data_source: str, split: str) -> dict[str, Any]:
    return {
        "data_source": data_source,
        "prompt": chat_messages(q.question, q.options),
        "ability": ABILITY,
        "reward_model": {"style": "rule", "ground_truth": q.answer},
        "extra_info": {
            "split": split,
            "index": q.index,
            "question": q.question,
            "options": q.options,
            "answer": q.answer,
            "answer_text": q.options[q.answer],
            "id": q.source_id or "",
            "subject": q.subject or "",
        },
    }


def write_parquet(rows: list[dict[str, Any]], path: Path) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError("writing parquet needs pyarrow: pip install 'crpo-reward[train]'") from exc
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows), path)


@dataclass
class PrepareResult:
    read: int
    skipped: list[str]
    files: dict[str, tuple[Path, int]]


def prepare(
    kind: DatasetKind,
    lines: Iterable[str],
    source: str,
    out_dir: Path,
    *,
    val_fraction: float = 0.0,
    seed: int = 0,
    data_source: str | None = None,
    skip_invalid: bool = False,
) -> PrepareResult:
    """Read, split and write `train.parquet` (and `val.parquet` when `val_fraction` > 0) into `out_dir`."""
    read = read_questions(kind, lines, source, skip_invalid=skip_invalid)
    if not read.questions:
        raise DataError(f"{source}: no questions found")
    train, val = split_questions(read.questions, val_fraction, seed)
    if not train or (val_fraction > 0 and not val):
        raise DataError(
            f"{source}: --val-fraction {val_fraction} splits {len(read.questions)} questions into {len(train)} for "
            f"training and {len(val)} for validation; both need at least one"
        )
    default_source = data_source or (kind if kind != "jsonl" else Path(source).stem)
    files: dict[str, tuple[Path, int]] = {}
    for split, questions in (("train", train), ("val", val)):
        if split == "val" and val_fraction == 0.0:
            continue
        path = out_dir / f"{split}.parquet"
        rows = [verl_row(q, data_source or q.data_source or default_source, split) for q in questions]
        write_parquet(rows, path)
        files[split] = (path, len(rows))
    return PrepareResult(read=len(read.questions) + len(read.skipped), skipped=read.skipped, files=files)
