"""Build the committed list of common English words: ``python -m reward_service.nlp.build_common_words``.

A word that ordinary English uses often ("whether", "study", "instead", "does", "fit") says nothing
specific about a case or an option, however it is spelled; a rarer word ("valine", "livedo",
"glomeruli", "mischarged") usually does. The scorers use this list to tell *distinctive* content words
from common ones (premises of factual questions, the reasons given for options). It is built from
``wordfreq`` (the ``lexicon`` build extra) — every word of at least ``MIN_ZIPF`` on the Zipf scale
(about once per 10 million words and more often), with its Zipf value — and written to
``reward_service/nlp/data/common_words.txt.gz``; the service reads that file and never imports
``wordfreq``. The output is deterministic for a given ``wordfreq`` version.
"""

from __future__ import annotations

import argparse
import gzip
import re
from pathlib import Path

OUT_PATH = Path(__file__).parent / "data" / "common_words.txt.gz"
MIN_ZIPF = 3.0
CANDIDATES = 200_000
_WORD_RE = re.compile(r"[a-z][a-z'-]*")


def build() -> list[tuple[str, float]]:
    """(word, Zipf frequency rounded to 0.1) for every common word, sorted by word."""
    from wordfreq import top_n_list, zipf_frequency

    words = {}
    for word in top_n_list("en", CANDIDATES):
        zipf = zipf_frequency(word, "en")
        if _WORD_RE.fullmatch(word) and zipf >= MIN_ZIPF:
            words[word] = round(zipf, 1)
    return sorted(words.items())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_PATH)
    args = parser.parse_args(argv)
    from importlib.metadata import version

    words = build()
    header = f"#wordfreq {version('wordfreq')} min_zipf {MIN_ZIPF} words {len(words)}\n"
    with gzip.GzipFile(args.out, "wb", mtime=0) as fh:
        fh.write((header + "".join(f"{word}\t{zipf}\n" for word, zipf in words)).encode())
    print(f"{len(words)} words -> {args.out}")


if __name__ == "__main__":
    main()
