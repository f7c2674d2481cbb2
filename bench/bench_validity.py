"""Validity of the scores on real model outputs: sensitivity, specificity and hack resistance (issue 12).

    python -m bench.bench_validity [--per-source 60] [--rare-per-source 20] [--seed 0] [--workers 2] [--json PATH]
                                   [--data ../shared/data/realgen] [--source NAME ...] [--kind KIND ...]

Over a fixed-seed sample of every file of `shared/data/realgen` (stratified by dataset and by whether
the response's letter is right), plus up to `--rare-per-source` rows per file where a rare kind applies
(a restated case value, age or sex; only those kinds run on them), each response is wrapped as `<dx>reasoning</dx><conclusion>Final
answer: \\boxed{its letter}</conclusion>`, scored in-process with the project's engine, then perturbed
(bench/validity/perturb.py) and scored again:

- sensitivity: share of applicable responses where the change known by construction happened
  (target ≥ 0.95 per kind);
- specificity: share of meaning-preserving rewrites that move no objective by 0.03 or more (≥ 0.99);
- hacks: share of responses whose total rises by more than 0.05 (≤ 0.05), and the largest gain;
- errors: scoring or generator exceptions (must be 0).

Per source file and overall, with PASS/FAIL against the issue 12 targets. `--json` writes the summary
and the failing cases (a few per kind) for reading.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench.validity.data import RealResponse, default_data_dir, load_sample
from bench.validity.perturb import FAMILY_OF, RARE_KINDS, applies_to_rare_kind

TARGETS = {"sensitivity": 0.95, "specificity": 0.99, "hack": 0.95}
FAMILY_TITLES = {
    "sensitivity": "Sensitivity: share where the expected change happened (target ≥ 0.95)",
    "specificity": "Specificity: share of rewrites that moved no objective by ≥ 0.03 (target ≥ 0.99)",
    "hack": "Hacks: share of responses where the total rose by > 0.05 (target ≤ 0.05), and the max gain",
}
EXAMPLES_PER_KIND = 5


def short_name(source: str) -> str:
    """`thoughtsource__gpt-4__zeroshot_cot` -> `ts:gpt-4`, `lievin2022__text-davinci-002__medqa_…` -> `lv:medqa`."""
    parts = source.split("__")
    if parts[0].startswith("lievin"):
        return "lv:" + parts[-1].split("_")[0]
    prefix = {"thoughtsource": "ts", "mirage": "mi"}.get(parts[0], parts[0][:4])
    model = parts[1] if len(parts) > 1 else source
    model = model.replace("text-davinci-00", "dv").replace("gpt-35-turbo-16k", "gpt-3.5").replace("-32k", "")
    model = (
        model.replace("command-xlarge-nightly", "command")
        .replace("gpt-3.5-turbo", "gpt-3.5")
        .replace("flan-T5-xxl", "flan-t5")
    )
    return f"{prefix}:{model}"


def _worker(args: tuple[RealResponse, list[str] | None]) -> list[dict]:
    from bench.validity.judge import run_row

    row, kinds = args
    return run_row(row, set(kinds) if kinds else None)


def _warm() -> None:
    from bench.validity.judge import engine
    from reward_service.nlp import get_clinical_nlp

    engine()
    get_clinical_nlp().warm_up()


def run(jobs: list[tuple[RealResponse, list[str] | None]], workers: int) -> list[dict]:
    if workers <= 1:
        _warm()
        return [o for job in jobs for o in _worker(job)]
    context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    with context.Pool(workers, initializer=_warm) as pool:
        return [o for chunk in pool.imap(_worker, jobs, chunksize=4) for o in chunk]


def share_ok(outcomes: list[dict]) -> float | None:
    return sum(o["ok"] for o in outcomes) / len(outcomes) if outcomes else None


def summarise(outcomes: list[dict], sources: list[str]) -> dict:
    """Per family, kind and source: n, share ok (for hacks also the share gained and the max gain)."""
    by: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    errors: list[dict] = []
    for o in outcomes:
        if o["error"]:
            errors.append(o)
            continue
        by[(o["family"], o["kind"], o["source"])].append(o)
        by[(o["family"], o["kind"], "overall")].append(o)
    summary: dict = {"families": {}, "errors": len(errors), "error_cases": errors[:20]}
    for family in ("sensitivity", "specificity", "hack"):
        kinds = [k for k, f in FAMILY_OF.items() if f == family]
        rows = {}
        for kind in kinds:
            cells = {}
            for source in [*sources, "overall"]:
                group = by.get((family, kind, source), [])
                ok = share_ok(group)
                cell: dict = {"n": len(group), "share_ok": ok}
                if family == "hack":
                    cell["share_gained"] = None if ok is None else 1 - ok
                    top = max(group, key=lambda o: o["delta_total"], default=None)
                    cell["max_gain"] = None if top is None else top["delta_total"]
                    cell["max_gain_case"] = None if top is None else f"{top['uid']}: {top['detail']}"
                if family == "specificity":
                    cell["max_move"] = max((o["max_delta"] for o in group), default=None)
                cells[source] = cell
            overall = cells["overall"]
            overall["pass"] = overall["share_ok"] is not None and overall["share_ok"] >= TARGETS[family]
            variants: dict[str, list[bool]] = defaultdict(list)
            for o in by.get((family, kind, "overall"), []):
                variants[o["variant"]].append(o["ok"])
            failures = [o for o in by.get((family, kind, "overall"), []) if not o["ok"]]
            rows[kind] = {
                "cells": cells,
                "variants": {v: {"n": len(x), "share_ok": sum(x) / len(x)} for v, x in sorted(variants.items())},
                "failures": [
                    {k: o[k] for k in ("uid", "variant", "note", "detail", "delta_total")}
                    for o in failures[:EXAMPLES_PER_KIND]
                ],
            }
        summary["families"][family] = rows
    return summary


def _fmt(cell: dict, family: str) -> str:
    if cell["share_ok"] is None:
        return "–"
    if family == "hack":
        return f"{cell['share_gained']:.2f}"
    return f"{cell['share_ok']:.2f}"


def print_tables(summary: dict, sources: list[str], console: Console) -> None:
    for family, rows in summary["families"].items():
        table = Table(title=FAMILY_TITLES[family], title_justify="left", pad_edge=False)
        table.add_column("kind", no_wrap=True)
        table.add_column("n", justify="right")
        table.add_column("overall", justify="right")
        if family == "hack":
            table.add_column("max gain", justify="right")
        table.add_column("")
        for source in sources:
            table.add_column(short_name(source), justify="right", no_wrap=True)
        for kind, row in rows.items():
            overall = row["cells"]["overall"]
            verdict = "–" if overall["share_ok"] is None else ("[green]PASS[/]" if overall["pass"] else "[red]FAIL[/]")
            cells = [kind, str(overall["n"]), _fmt(overall, family)]
            if family == "hack":
                gain = overall.get("max_gain")
                cells.append("–" if gain is None else f"{gain:+.3f}")
            cells.append(verdict)
            cells.extend(_fmt(row["cells"][s], family) for s in sources)
            table.add_row(*cells)
        console.print(table)
        if family == "sensitivity":
            console.print("by variant (layout or template): share ok (n)")
            for kind, row in rows.items():
                parts = [f"{v} {x['share_ok']:.2f} ({x['n']})" for v, x in row["variants"].items()]
                if parts:
                    console.print(f"  {kind}: " + ", ".join(parts), soft_wrap=True)
    errors = summary["errors"]
    console.print(f"errors: {errors} ({'[green]PASS[/]' if errors == 0 else '[red]FAIL[/]'})")
    for case in summary["error_cases"][:5]:
        console.print(f"  {case['uid']} {case['kind']}: {case['error']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=None, help="folder of realgen *.jsonl.gz files")
    parser.add_argument("--per-source", "--limit", type=int, default=60, dest="per_source")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--rare-per-source",
        type=int,
        default=20,
        help="extra rows per file, outside the sample, where a rare kind applies (restated value, age, sex)",
    )
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--source", action="append", help="only sources whose file name contains this")
    parser.add_argument("--kind", action="append", help="only these perturbation kinds")
    parser.add_argument("--json", type=Path, default=None, help="write the summary here")
    args = parser.parse_args(argv)
    data = args.data or default_data_dir()
    if data is None or not data.is_dir():
        print("no realgen data: pass --data (shared/data/realgen)", file=sys.stderr)
        return 2
    unknown = [k for k in args.kind or [] if k not in FAMILY_OF]
    if unknown:
        print(f"unknown --kind {unknown}; known: {sorted(FAMILY_OF)}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    rows, extra = load_sample(data, args.per_source, args.seed, args.source, args.rare_per_source, applies_to_rare_kind)
    sources = sorted({r.source for r in rows})
    rare = [k for k in RARE_KINDS if not args.kind or k in args.kind]
    jobs = [(row, args.kind) for row in rows] + [(row, rare) for row in extra if rare]
    outcomes = run(jobs, args.workers)
    seconds = time.perf_counter() - started
    summary = summarise(outcomes, sources)
    summary.update(
        {
            "responses": len(rows),
            "extra_responses_for_rare_kinds": len(extra),
            "perturbations": len(outcomes),
            "per_source": args.per_source,
            "seed": args.seed,
            "seconds": round(seconds, 1),
            "sources": {s: short_name(s) for s in sources},
        }
    )
    console = Console(width=max(120, 75 + 11 * len(sources)))
    console.print(
        f"{len(rows)} responses from {len(sources)} files (--per-source {args.per_source}, seed {args.seed}) "
        f"+ {len(extra)} for the rare kinds {', '.join(RARE_KINDS)} (--rare-per-source {args.rare_per_source}), "
        f"{len(outcomes)} scored perturbations in {seconds:.0f} s with {args.workers} worker(s)"
    )
    print_tables(summary, sources, console)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1, default=str))
    failed = summary["errors"] > 0 or any(
        not row["cells"]["overall"]["pass"]
        for rows_ in summary["families"].values()
        for row in rows_.values()
        if row["cells"]["overall"]["share_ok"] is not None
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
