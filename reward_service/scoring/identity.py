"""Scorer identity: the spec version and a hash of the effective configuration of a request.

`config_hash` is the SHA-256 (first 16 hex digits) of the canonical JSON of everything that decides the
numbers besides the items: the spec and lexicon versions, the objectives computed, the effective weights
(service defaults with the request's overrides), the accuracy mode and the profile (and any other scoring
option of the request, such as `answer_extraction`). It is a pure function of those values, so every worker
and process of every replica with the same build and settings gives the same hash: a run can record it,
replay with it and cache by it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from schemas import ScoreRequest, Weights
from schemas.version import SPEC_VERSION

LEXICON_PATH = Path(__file__).resolve().parents[1] / "nlp" / "data" / "lexicon.tsv.gz"
#: Request fields that change how items are scored (fields absent from this build's schema are skipped).
SCORING_OPTIONS = ("accuracy_mode", "profile", "answer_extraction")


@lru_cache(maxsize=1)
def lexicon_version(path: Path = LEXICON_PATH) -> str:
    """The lexicon artifact's version, read from its `#meta` line without loading the lexicon."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            first = fh.readline()
    except OSError:
        return "missing"
    if not first.startswith("#meta\t"):
        return "unknown"
    return str(json.loads(first.split("\t", 1)[1]).get("version", "unknown"))


def config_hash(config: dict[str, Any]) -> str:
    payload = json.dumps(config, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(payload.encode("ascii")).hexdigest()[:16]


def score_config(request: ScoreRequest, weights: Weights, objectives: Sequence[str]) -> dict[str, Any]:
    """The effective configuration of a scoring request (what `config_hash` hashes)."""
    options = {name: getattr(request, name) for name in SCORING_OPTIONS if name in type(request).model_fields}
    return {
        "spec_version": SPEC_VERSION,
        "lexicon_version": lexicon_version(),
        "objectives": list(objectives),
        "weights": weights.model_dump(),
        **options,
    }
