"""`crpo-eval`: score files of generations through the reward service and write a report directory."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console

from crpo_eval.generations import GenerationsError, load_runs
from trainer_client.errors import RewardServiceError

app = typer.Typer(add_completion=False, help=__doc__)


@app.command()
def crpo_eval(
    generations: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Generation files (JSONL, JSON, parquet, verl dumps) or directories of them; each is a run named "
            "by its rows' 'model', else by the file name.",
            show_default=False,
        ),
    ] = None,
    run: Annotated[
        list[str] | None,
        typer.Option("--run", help="NAME=FILE: a named run; repeat for several runs (a name repeated gathers files)."),
    ] = None,
    reward_url: Annotated[
        list[str],
        typer.Option("--reward-url", envvar="CRPO_REWARD_URL", help="Reward service URL (repeat for several)."),
    ] = ...,  # type: ignore[assignment]
    out: Annotated[Path, typer.Option("--out", help="Report directory (created).")] = ...,  # type: ignore[assignment]
    baseline: Annotated[
        str | None, typer.Option(help="Run the others are compared with (default: the first run).")
    ] = None,
    dataset: Annotated[str, typer.Option(help="Dataset name of rows that have none.")] = "default",
    api_key: Annotated[str | None, typer.Option(envvar="CRPO_API_KEY", help="Bearer key of the service.")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Responses per request.")] = 256,
    concurrency: Annotated[int, typer.Option(min=1, help="Requests in flight.")] = 2,
    bootstrap: Annotated[int, typer.Option(min=100, help="Bootstrap resamples.")] = 2000,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap.")] = 0,
    confidence: Annotated[float, typer.Option(min=0.5, max=0.999, help="Confidence level of the intervals.")] = 0.95,
    profile: Annotated[Literal["auto", "crpo", "r1"], typer.Option(help="Response layout.")] = "auto",
    accuracy_mode: Annotated[
        Literal["crpo", "clinical_r1"], typer.Option(help="Accuracy rule (clinical_r1: the authors' published rule).")
    ] = "crpo",
    answer_extraction: Annotated[
        Literal["strict", "lenient"],
        typer.Option(
            help="lenient: also answers that are not boxed (JSON answer fields, 'Answer: C', 'The answer is (C)', a "
            "final option line, an option's text); strict: only \\boxed{} (the CRPO training rule). Strict-format "
            "validity is reported either way."
        ),
    ] = "lenient",
    predicted_column: Annotated[
        str | None,
        typer.Option(
            help="A field of the rows that already holds the answer (a letter, an option label or text): accuracy "
            "uses it instead of extracting one from the response."
        ),
    ] = None,
    plots: Annotated[bool, typer.Option("--plots/--no-plots", help="Write the PNG figures.")] = True,
) -> None:
    """Score GENERATIONS (or --run NAME=FILE ...) on the reward service; write summary.json, report.md,
    metrics.csv, responses.jsonl and PNG plots to --out."""
    from functools import partial

    from crpo_eval.pipeline import evaluate
    from crpo_eval.scoring import score_with_progress

    console = Console(stderr=True)
    try:
        runs = load_runs(generations or [], run or [], default_dataset=dataset, predicted_column=predicted_column)
        files: dict[str, list[str]] = {}
        for spec in run or []:
            name, _, file = spec.partition("=")
            files.setdefault(name.strip(), []).append(file.strip())
        for path in generations or []:
            for name in {g.run for g in runs_of(runs, path)}:
                files.setdefault(name, []).append(str(path))
        size = sum(len(g) for g in runs.values())
        console.print(f"{size} responses in {len(runs)} run(s): {', '.join(runs)}", soft_wrap=True, highlight=False)
        score = partial(
            score_with_progress,
            reward_url,
            api_key=api_key,
            batch_size=batch_size,
            concurrency=concurrency,
            profile=profile,
            accuracy_mode=accuracy_mode,
            answer_extraction=answer_extraction,
        )
        summary = evaluate(
            runs,
            score,
            out,
            files=files,
            baseline=baseline,
            resamples=bootstrap,
            seed=seed,
            confidence=confidence,
            plots=plots,
        )
    except (GenerationsError, ValueError) as exc:
        console.print(f"[red]error:[/red] {exc}", markup=True, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from exc
    except RewardServiceError as exc:
        console.print(f"[red]reward service error:[/red] {exc}", markup=True, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from exc
    _print_summary(console, summary, out)


def runs_of(runs: dict[str, list], path: Path) -> list:
    """The generations read from `path` (a file or a directory given on the command line)."""
    prefix = str(path)
    return [g for gens in runs.values() for g in gens if g.source.startswith(prefix)]


def _print_summary(console: Console, summary: dict, out: Path) -> None:
    from rich.table import Table

    table = Table(title="crpo-eval: means over responses (intervals in report.md)")
    columns = {"accuracy": "acc", "valid_answer": "valid", "strict_valid": "strict", "faithfulness": "faith"}
    columns |= {"comprehensiveness": "comp"}
    columns |= {"format": "format", "hallucination": "halluc.", "total": "total"}
    table.add_column("run", overflow="fold", min_width=10)
    table.add_column("n", justify="right")
    for short in columns.values():
        table.add_column(short, justify="right", no_wrap=True, min_width=len(short))
    for name, results in summary["results"].items():
        stats = results["all"]
        values = [stats["metrics"][c]["value"] for c in columns]
        table.add_row(name, str(stats["responses"]), *("–" if v is None else f"{v:.3f}" for v in values))
    console.print(table)
    console.print(f"report: {out / 'report.md'}", soft_wrap=True, highlight=False)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
