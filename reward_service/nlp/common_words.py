"""Common English words (the committed list built by `build_common_words`) and function words.

A *distinctive* word is one ordinary English rarely uses: four letters or more, not a function word,
not in the common-word list. Distinctive words carry the content of a factual question ("valine",
"ribosome", "mischarged") or of a reason ("glomeruli", "perifascicular"); common words ("whether",
"study", "instead", "facilitates") do not.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS

DATA_PATH = Path(__file__).parent / "data" / "common_words.txt.gz"
MIN_DISTINCTIVE_LENGTH = 4


#: Words at least this frequent (Zipf scale: 3.0 is about once per 10 million words) are common.
COMMON_ZIPF = 3.0


@lru_cache(maxsize=1)
def common_words() -> dict[str, float]:
    """Word -> Zipf frequency, for every word of Zipf >= 3.0 (the committed list)."""
    out: dict[str, float] = {}
    with gzip.open(DATA_PATH, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or "\t" not in line:
                continue
            word, zipf = line.rstrip("\n").split("\t")
            out[word] = float(zipf)
    return out


FUNCTION_WORDS: frozenset[str] = frozenset(STOP_WORDS)


def is_function_word(word: str) -> bool:
    return word.lower() in FUNCTION_WORDS


def is_distinctive(word: str, max_zipf: float = COMMON_ZIPF) -> bool:
    """Whether `word` (any case) is rarer in ordinary English than `max_zipf` (>= COMMON_ZIPF)."""
    lower = word.lower().strip("'-")
    if len(lower) < MIN_DISTINCTIVE_LENGTH or not lower[0].isalpha():
        return False
    if lower in FUNCTION_WORDS:
        return False
    words = common_words()
    if words.get(lower, 0.0) >= max_zipf:
        return False
    # plural / possessive / simple inflections of a common word are common too
    for suffix in ("'s", "s", "es", "ed", "ing", "ly"):
        if lower.endswith(suffix) and words.get(lower[: -len(suffix)], 0.0) >= max_zipf:
            return False
    return True
