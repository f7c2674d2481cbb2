"""`crpo-data`: prepare medical multiple-choice questions as verl RL parquet files.

Example: `crpo-data prepare --dataset medqa --input data/medqa_dev.jsonl --out ~/data/crpo/medqa --val-fraction 0.1`
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import rich.progress
import typer
from rich.console import Console
from rich.table import Table

from trainer_client.data import DataError, DatasetKind, prepare

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Prepare CRPO training data for verl.")
console = Console(stderr=True, soft_wrap=True)


@app.callback()
def _group() -> None:
    """Prepare CRPO training data for verl."""


@app.command("prepare")
def prepare_command(
    dataset: Annotated[DatasetKind, typer.Option(help="Input format: medqa, medmcqa or jsonl (generic).")],
    input_path: Annotated[
        Path, typer.Option("--input", exists=True, dir_okay=False, readable=True, help="JSONL file to read.")
    ],
    out: Annotated[Path, typer.Option(help="Directory for train.parquet (and val.parquet).")],
    val_fraction: Annotated[
        float, typer.Option(min=0.0, max=0.99, help="Fraction of questions held out as val.parquet.")
    ] = 0.0,
    seed: Annotated[int, typer.Option(help="Seed of the deterministic train/val split.")] = 0,
    data_source: Annotated[
        str | None, typer.Option(help="data_source column (default: medqa, medmcqa, or the file's stem).")
    ] = None,
    skip_invalid: Annotated[bool, typer.Option(help="Skip malformed records instead of stopping.")] = False,
    progress: Annotated[bool, typer.Option(help="Show a progress bar while reading.")] = True,
) -> None:
    """Convert MedQA, MedMCQA or generic JSONL questions into verl parquet with the CRPO prompt."""
    out = out.expanduser()
    try:
        with rich.progress.open(
            input_path, "r", encoding="utf-8", description=f"Reading {input_path.name}", console=console,
            disable=not progress,
        ) as handle:  # fmt: skip
            result = prepare(
                dataset,
                handle,
                str(input_path),
                out,
                val_fraction=val_fraction,
                seed=seed,
                data_source=data_source,
                skip_invalid=skip_invalid,
            )
    except DataError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(code=2) from exc
    for problem in result.skipped[:10]:
        console.print(f"[yellow]skipped:[/yellow] {problem}")
    table = Table(title=f"{dataset}: {result.read} records read, {len(result.skipped)} skipped")
    table.add_column("split")
    table.add_column("rows", justify="right")
    table.add_column("file")
    for split, (path, rows) in result.files.items():
        table.add_row(split, str(rows), str(path))
    console.print(table)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
