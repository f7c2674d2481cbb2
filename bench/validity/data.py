"""Real model responses (`shared/data/realgen`), wrapped in the CRPO layout, and the stratified sample.

Every response is wrapped as `<dx>reasoning</dx><conclusion>Final answer: \\boxed{X}</conclusion>`
with X the response's own predicted letter, so that layout and accuracy do not confound what the
benchmark measures. MIRAGE responses are JSON strings: their `step_by_step_thinking` is the reasoning.
Rows without a usable predicted letter or with an empty reasoning are left out.
"""

from __future__ import annotations

import gzip
import json
import random
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MIN_REASONING_CHARS = 20


@dataclass(frozen=True)
class RealResponse:
    """One real response, ready to score."""

    source: str  # the file name without `.jsonl.gz`
    row: int  # line number in the file
    dataset: str
    question: str
    options: dict[str, str]
    answer: str
    predicted: str
    reasoning: str

    @property
    def uid(self) -> str:
        return f"{self.source}#{self.row}"

    def response(self, reasoning: str | None = None, conclusion: str = "") -> str:
        return wrap(self.reasoning if reasoning is None else reasoning, self.predicted, conclusion)


def wrap(reasoning: str, letter: str, conclusion: str = "") -> str:
    """The CRPO layout; `conclusion` (text before the final answer) is empty except for hacks that put
    their text there."""
    lead = f"{conclusion}\n" if conclusion else ""
    return f"<dx>\n{reasoning}\n</dx>\n<conclusion>\n{lead}Final answer: \\boxed{{{letter}}}\n</conclusion>"


def default_data_dir() -> Path | None:
    """`shared/data/realgen` next to the repository (or next to the worktree folder above it)."""
    for parent in ROOT.parents:
        candidate = parent / "shared" / "data" / "realgen"
        if candidate.is_dir():
            return candidate
    return None


def reasoning_of(raw: dict) -> str:
    text = raw.get("response") or ""
    if text.lstrip().startswith("{"):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError:
            return text.strip()
        if isinstance(parsed, dict):
            return str(parsed.get("step_by_step_thinking") or "").strip()
    return text.strip()


def from_row(source: str, index: int, raw: dict) -> RealResponse | None:
    options = {str(k).strip().upper(): str(v) for k, v in (raw.get("options") or {}).items()}
    predicted = raw.get("predicted")
    if not options or not isinstance(predicted, str) or predicted.strip().upper() not in options:
        return None
    reasoning = reasoning_of(raw)
    if len(reasoning) < MIN_REASONING_CHARS:
        return None
    return RealResponse(
        source=source,
        row=index,
        dataset=str(raw.get("dataset") or ""),
        question=str(raw.get("question") or ""),
        options=options,
        answer=str(raw.get("answer") or "").strip().upper(),
        predicted=predicted.strip().upper(),
        reasoning=reasoning,
    )


def source_name(path: Path) -> str:
    return path.name.removesuffix(".gz").removesuffix(".jsonl")


def read_source(path: Path) -> Iterator[RealResponse]:
    opener = gzip.open if path.suffix == ".gz" else open
    name = source_name(path)
    with opener(path, "rt", encoding="utf-8") as handle:
        for index, line in enumerate(handle):
            if line.strip():
                row = from_row(name, index, json.loads(line))
                if row is not None:
                    yield row


def source_files(data_dir: Path) -> list[Path]:
    return sorted([*data_dir.glob("*.jsonl.gz"), *data_dir.glob("*.jsonl")])


def stratified_sample(rows: Iterable[RealResponse], size: int, seed: int) -> list[RealResponse]:
    """`size` rows drawn without replacement, proportionally to the (dataset, correct?) strata.

    Largest-remainder allocation with at least one row per non-empty stratum (while `size` allows);
    the draw depends only on `seed` and the rows, so a run is reproducible.
    """
    strata: dict[tuple[str, bool], list[RealResponse]] = defaultdict(list)
    for row in rows:
        strata[(row.dataset, row.predicted == row.answer)].append(row)
    total = sum(len(v) for v in strata.values())
    if total <= size:
        return [r for key in sorted(strata) for r in strata[key]]
    keys = sorted(strata)
    quotas = {k: size * len(strata[k]) / total for k in keys}
    alloc = {k: min(len(strata[k]), max(1, int(quotas[k]))) for k in keys}
    by_remainder = sorted(keys, key=lambda k: quotas[k] - int(quotas[k]), reverse=True)
    while sum(alloc.values()) > size:
        biggest = max(keys, key=lambda k: alloc[k])
        alloc[biggest] -= 1
    i = 0
    while sum(alloc.values()) < size and i < 10 * len(keys):
        k = by_remainder[i % len(keys)]
        if alloc[k] < len(strata[k]):
            alloc[k] += 1
        i += 1
    sample: list[RealResponse] = []
    for k in keys:
        rng = random.Random(seed * 1_000_003 + zlib.crc32(repr(k).encode()))
        sample.extend(sorted(rng.sample(strata[k], alloc[k]), key=lambda r: r.row))
    return sample


def load_sample(
    data_dir: Path,
    per_source: int,
    seed: int = 0,
    sources: list[str] | None = None,
    extra_per_source: int = 0,
    extra_wanted: Callable[[RealResponse], bool] | None = None,
) -> tuple[list[RealResponse], list[RealResponse]]:
    """The stratified sample of every source file, and (when `extra_wanted` is given) up to
    `extra_per_source` more rows per file, outside the sample, for which `extra_wanted` is true: rare
    perturbation kinds get enough cases to be measured."""
    sample: list[RealResponse] = []
    extra: list[RealResponse] = []
    for path in source_files(data_dir):
        name = source_name(path)
        if sources and not any(s in name for s in sources):
            continue
        rows = list(read_source(path))
        drawn = stratified_sample(rows, per_source, seed + zlib.crc32(name.encode()))
        sample.extend(drawn)
        if extra_wanted is not None and extra_per_source > 0:
            taken = {r.row for r in drawn}
            pool = [r for r in rows if r.row not in taken and extra_wanted(r)]
            extra.extend(stratified_sample(pool, extra_per_source, seed + 1 + zlib.crc32(name.encode())))
    return sample, extra


def stable_hash(*parts: object) -> int:
    """A hash that does not change between runs (Python's `hash` of str is salted)."""
    return zlib.crc32("\x1f".join(map(str, parts)).encode())
