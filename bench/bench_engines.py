"""Multi-pattern engines for the lexicon scan, measured side by side on real responses (numbers only).

    python -m bench.bench_engines [--repeats 5] [--limit 40]

The lexicon scan finds every whole-word occurrence of ~130k padded terms (`" term "`) in the
`match_form` of a response, overlapping matches included (overlaps are resolved afterwards). Three
engines can do exactly that; each is built from the same term list and must return the same
candidate set on every text (checked here before timing):

- `pyahocorasick` (C; an iterator yields each match to Python) — used by the service today;
- `ahocorasick-rs` (Rust, PyO3; one call returns every match as a list);
- `hyperscan` (Vectorscan inside; literal database, start of match reported; matches arrive
  through a Python callback).

Rows: build time, memory, and the median time to scan the corpus (realgen responses, also the
bench workload's 5,800-character responses), as ratios to pyahocorasick.
"""

from __future__ import annotations

import argparse
import itertools
import resource
import statistics
import time
from collections.abc import Callable

from rich.console import Console
from rich.table import Table

from bench.validity.data import default_data_dir, read_source, source_files
from bench.workload import build_workload
from reward_service.nlp.textnorm import match_form

Scanner = Callable[[str], list[tuple[int, int]]]


def terms_of_lexicon() -> list[str]:
    from reward_service.nlp import get_clinical_nlp

    return sorted(get_clinical_nlp().lexicon.term_patterns())


def build_pyahocorasick(terms: list[str]) -> Scanner:
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for index, term in enumerate(terms):
        automaton.add_word(term, (index, len(term)))
    automaton.make_automaton()

    def scan(text: str) -> list[tuple[int, int]]:
        return [(end - length + 1, index) for end, (index, length) in automaton.iter(text)]

    return scan


def build_ahocorasick_rs(terms: list[str]) -> Scanner:
    import ahocorasick_rs

    automaton = ahocorasick_rs.AhoCorasick(terms, matchkind=ahocorasick_rs.MatchKind.Standard)

    def scan(text: str) -> list[tuple[int, int]]:
        return [(start, index) for index, start, _ in automaton.find_matches_as_indexes(text, overlapping=True)]

    return scan


def build_hyperscan(terms: list[str]) -> Scanner:
    import hyperscan

    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    flags = hyperscan.HS_FLAG_SOM_LEFTMOST
    database.compile(
        expressions=[term.encode("utf-8") for term in terms],
        ids=list(range(len(terms))),
        elements=len(terms),
        flags=[flags] * len(terms),
        literal=True,
    )

    def scan(text: str) -> list[tuple[int, int]]:
        data = text.encode("utf-8")
        out: list[tuple[int, int]] = []

        def on_match(index: int, start: int, end: int, flags: int, context: object) -> None:
            out.append((start, index))

        database.scan(data, match_event_handler=on_match)
        if len(data) != len(text):  # byte offsets -> character offsets
            offsets = {b: c for c, b in enumerate(itertools.accumulate((len(ch.encode()) for ch in text), initial=0))}
            out = [(offsets[start], index) for start, index in out]
        return out

    return scan


ENGINES: dict[str, Callable[[list[str]], Scanner]] = {
    "pyahocorasick": build_pyahocorasick,
    "ahocorasick-rs": build_ahocorasick_rs,
    "hyperscan": build_hyperscan,
}


def corpus(limit: int) -> dict[str, list[str]]:
    data_dir = default_data_dir()
    real = []
    if data_dir is not None:
        for path in source_files(data_dir):
            real += [row.reasoning for row in itertools.islice(read_source(path), limit)]
    bench = [item["response"] for item in build_workload(n_questions=100)]
    return {
        "realgen": [" " + match_form(text) + " " for text in real],
        "bench": [" " + match_form(text) + " " for text in bench],
    }


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--limit", type=int, default=40, help="responses per realgen file")
    args = parser.parse_args(argv)
    terms = terms_of_lexicon()
    texts = corpus(args.limit)
    console = Console()
    console.print(
        f"{len(terms):,} terms; realgen {len(texts['realgen'])} texts "
        f"({sum(map(len, texts['realgen'])):,} chars), bench {len(texts['bench'])} texts "
        f"({sum(map(len, texts['bench'])):,} chars)"
    )
    rows = {}
    reference: dict[str, list[list[tuple[int, int]]]] = {}
    for name, build in ENGINES.items():
        before = rss_mb()
        started = time.perf_counter()
        scan = build(terms)
        built = time.perf_counter() - started
        grown = rss_mb() - before
        timings = {}
        for corpus_name, corpus_texts in texts.items():
            found = [sorted(scan(text)) for text in corpus_texts]
            if corpus_name not in reference:
                reference[corpus_name] = found
            elif found != reference[corpus_name]:
                raise SystemExit(f"{name} disagrees with pyahocorasick on {corpus_name}")
            seconds = []
            for _ in range(args.repeats):
                t0 = time.perf_counter()
                for text in corpus_texts:
                    scan(text)
                seconds.append(time.perf_counter() - t0)
            timings[corpus_name] = statistics.median(seconds)
        rows[name] = (built, grown, timings)
    table = Table(title="lexicon scan: same candidates from every engine (checked); medians")
    for column in (
        "engine",
        "build s",
        "RSS growth MB",
        "realgen ms",
        "vs pyahocorasick",
        "bench ms",
        "vs pyahocorasick",
    ):
        table.add_column(column, justify="right")
    base = rows["pyahocorasick"][2]
    for name, (built, grown, timings) in rows.items():
        table.add_row(
            name,
            f"{built:.2f}",
            f"{grown:.0f}",
            f"{timings['realgen'] * 1e3:.1f}",
            f"{base['realgen'] / timings['realgen']:.2f}x",
            f"{timings['bench'] * 1e3:.1f}",
            f"{base['bench'] / timings['bench']:.2f}x",
        )
    console.print(table)


if __name__ == "__main__":
    main()
