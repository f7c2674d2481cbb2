"""The report's figures (matplotlib, Agg backend: no display, no network).

Every figure has a title, labelled axes and a legend; bars carry their bootstrap intervals
(95% unless `--confidence` says otherwise).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from crpo_eval.aggregate import OUTCOMES
from crpo_eval.metrics import METRIC_BY_NAME

CORE = ("accuracy", "valid_answer", "faithfulness", "comprehensiveness", "format")
NOTION_RATES = (
    "drc",
    "distractors_rejected",
    "hallucination",
    "consistent",
    "subgoals",
    "verification",
    "backward_chaining",
    "backtracking",
)
NOTION_COUNTS = ("evidence_citations", "hallucinated_claims", "behaviours")
DISTRIBUTIONS = ("faithfulness", "comprehensiveness", "format", "total", "words")
UNIT_INTERVAL = ("faithfulness", "comprehensiveness", "format")
LINE_MIN = 40
DELTAS = (
    "accuracy",
    "valid_answer",
    "faithfulness",
    "comprehensiveness",
    "format",
    "evidence_citations",
    "drc",
    "hallucination",
)
OUTCOME_COLOURS = {
    "correct": "#2a9d4a",
    "wrong": "#d1495b",
    "unresolved": "#edae49",
    "no_box": "#8d8d8d",
    "conflicting_boxes": "#7b4ea3",
    "ambiguous": "#00798c",
    "no_answer": "#5c5c5c",
}
OUTCOME_LABELS = {
    "correct": "correct",
    "wrong": "wrong option",
    "unresolved": "box names no option",
    "no_box": "no boxed answer",
    "conflicting_boxes": "conflicting boxes",
    "ambiguous": "several options named",
    "no_answer": "no answer found",
}
#: outcomes that only lenient extraction gives; drawn only when some response has them
LENIENT_OUTCOMES = ("ambiguous", "no_answer")


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "figure.dpi": 100,
            "savefig.dpi": 110,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "figure.constrained_layout.use": True,  # room for suptitles and legends outside the axes
        }
    )
    return plt


def _colours(n: int) -> list[Any]:
    plt = _pyplot()
    cmap = plt.get_cmap("tab10" if n <= 10 else "tab20")
    return [cmap(i % cmap.N) for i in range(n)]


def _label(metric: str) -> str:
    return METRIC_BY_NAME[metric].label


def _save(fig: Any, path: Path) -> Path:
    fig.savefig(path, metadata={"Software": None})
    _pyplot().close(fig)
    return path


def _level(summary: dict[str, Any]) -> str:
    return f"{summary['settings']['confidence']:.0%}"


def _value(stats: dict[str, Any], metric: str) -> tuple[float, float, float]:
    """(value, lower error, upper error); NaN when undefined."""
    entry = stats["metrics"][metric]
    if entry["value"] is None:
        return float("nan"), 0.0, 0.0
    value = entry["value"]
    low, high = entry["ci"] or (value, value)
    return value, max(0.0, value - low), max(0.0, high - value)


def _grouped_bars(ax: Any, groups: Sequence[str], series: dict[str, list[tuple[float, float, float]]]) -> None:
    """Vertical bars: one group per `groups` entry, one bar per run, with asymmetric error bars."""
    names = list(series)
    width = 0.8 / max(1, len(names))
    x = np.arange(len(groups))
    for i, (name, colour) in enumerate(zip(names, _colours(len(names)), strict=True)):
        values = series[name]
        ax.bar(
            x + (i - (len(names) - 1) / 2) * width,
            [v for v, _, _ in values],
            width,
            yerr=np.array([[lo for _, lo, _ in values], [hi for _, _, hi in values]]),
            capsize=2.5,
            color=colour,
            label=name,
            error_kw={"elinewidth": 0.9},
        )
    ax.set_xticks(x, [textwrap.fill(g, 13) for g in groups])


def _legend(ax: Any) -> None:
    ax.legend(title="run", fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)


def comparison(summary: dict[str, Any], path: Path) -> Path:
    """Objectives side by side: grouped bars, one bar per run, with CIs."""
    plt = _pyplot()
    runs = list(summary["runs"])
    fig, ax = plt.subplots(figsize=(min(14.0, 4.0 + 0.22 * len(runs) * len(CORE)), 4.8))
    series = {run: [_value(summary["results"][run]["all"], m) for m in CORE] for run in runs}
    _grouped_bars(ax, [_label(m) for m in CORE], series)
    ax.set_ylim(0, 1.08)
    ax.set_ylabel("mean over responses (rate or score in [0, 1])")
    ax.set_title(f"Objectives per run (error bars: {_level(summary)} bootstrap CI over questions)")
    _legend(ax)
    return _save(fig, path)


def notions(summary: dict[str, Any], path: Path) -> Path:
    """The paper's evaluation notions: rates (left) and per-response counts (right)."""
    plt = _pyplot()
    runs = list(summary["runs"])
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(14, 5.4), gridspec_kw={"width_ratios": [len(NOTION_RATES), len(NOTION_COUNTS) + 1]}
    )
    _grouped_bars(
        left,
        [_label(m) for m in NOTION_RATES],
        {r: [_value(summary["results"][r]["all"], m) for m in NOTION_RATES] for r in runs},
    )
    left.set_ylim(0, 1.08)
    left.set_ylabel("fraction (of options or of responses)")
    left.set_title("Coverage, hallucination and reasoning behaviours")
    _grouped_bars(
        right,
        [_label(m) for m in NOTION_COUNTS],
        {r: [_value(summary["results"][r]["all"], m) for m in NOTION_COUNTS] for r in runs},
    )
    right.set_ylabel("mean count per response")
    right.set_title("Counts per response")
    _legend(right)
    fig.suptitle(f"Clinical reasoning notions (rule-based; {_level(summary)} bootstrap CI)")
    return _save(fig, path)


def distributions(records: dict[str, list[dict[str, Any]]], summary: dict[str, Any], path: Path) -> Path:
    """Accuracy outcomes (stacked) and the distribution of every other objective, per run."""
    plt = _pyplot()
    runs = list(records)
    colours = _colours(len(runs))
    fig, axes = plt.subplots(2, 3, figsize=(16, 9))
    ax = axes[0, 0]
    left = np.zeros(len(runs))
    shown = [
        o
        for o in OUTCOMES
        if o not in LENIENT_OUTCOMES or any(summary["results"][run]["all"]["outcomes"][o] for run in runs)
    ]
    for outcome in shown:
        shares = []
        for run in runs:
            counts = summary["results"][run]["all"]["outcomes"]
            total = sum(counts.values()) or 1
            shares.append(counts[outcome] / total)
        ax.barh(runs, shares, left=left, color=OUTCOME_COLOURS[outcome], label=OUTCOME_LABELS[outcome])
        for y, (start, share) in enumerate(zip(left, shares, strict=True)):
            if share >= 0.08:
                ax.text(start + share / 2, y, f"{share:.0%}", ha="center", va="center", fontsize=8, color="white")
        left += np.array(shares)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of responses")
    ax.set_title("Accuracy outcome")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(0, -0.12), ncols=3, frameon=False)
    for ax, metric in zip(axes.flat[1:], DISTRIBUTIONS, strict=True):
        data = [[r[metric] for r in records[run] if r[metric] is not None] for run in runs]
        positions = np.arange(1, len(runs) + 1)
        filled = [(p, d, c) for p, d, c in zip(positions, data, colours, strict=True) if d]
        if filled:
            box = ax.boxplot(
                [d for _, d, _ in filled],
                positions=[p for p, _, _ in filled],
                widths=0.6,
                showmeans=True,
                patch_artist=True,
                meanprops={"marker": "D", "markerfacecolor": "white", "markeredgecolor": "black", "markersize": 5},
                medianprops={"color": "black"},
                flierprops={"markersize": 0},
            )
            for patch, (_, _, colour) in zip(box["boxes"], filled, strict=True):
                patch.set_facecolor((*colour[:3], 0.35))
            rng = np.random.default_rng(0)  # jitter only; fixed so the figure is reproducible
            for p, d, colour in filled:
                alpha = float(min(0.75, 12.0 / np.sqrt(len(d))))
                size = 14 if len(d) <= 200 else 6
                ax.scatter(
                    p + rng.uniform(-0.2, 0.2, len(d)), d, s=size, color=colour, alpha=alpha, linewidths=0, zorder=3
                )
        if metric in UNIT_INTERVAL:
            ax.set_ylim(-0.03, 1.03)
        ax.set_xticks(positions, runs, rotation=30 if len(runs) > 3 else 0, ha="right" if len(runs) > 3 else "center")
        ax.set_title(_label(metric))
        ax.set_ylabel("words" if metric == "words" else "score per response")
    fig.suptitle("Distribution per run (box: quartiles, line: median, diamond: mean, dots: responses)")
    return _save(fig, path)


def _horizontal_groups(
    ax: Any, labels: Sequence[str], series: dict[str, list[tuple[float, float, float]]], metric: str, level: str
) -> None:
    names = list(series)
    height = 0.8 / max(1, len(names))
    y = np.arange(len(labels))
    for i, (name, colour) in enumerate(zip(names, _colours(len(names)), strict=True)):
        values = series[name]
        ax.barh(
            y + (i - (len(names) - 1) / 2) * height,
            [v for v, _, _ in values],
            height,
            xerr=np.array([[lo for _, lo, _ in values], [hi for _, _, hi in values]]),
            capsize=2,
            color=colour,
            label=name,
            error_kw={"elinewidth": 0.8},
        )
    ax.set_yticks(y, labels)
    if not ax.yaxis_inverted():  # shared y axes: invert once, so the first group and run are on top
        ax.invert_yaxis()
    ax.set_xlim(0, 1.05)
    ax.set_xlabel(f"{_label(metric).lower()} ({level} bootstrap CI)")


def groups(
    summary: dict[str, Any], path: Path, *, by: str, metrics: Sequence[str] = ("accuracy", "faithfulness")
) -> Path:
    """Per-subject (`by="subjects"`) or per-dataset (`by="datasets"`) bars of `metrics`, one bar per run."""
    plt = _pyplot()
    runs = list(summary["runs"])
    keys = group_keys(summary, by)
    several = len({d for d, _ in keys}) > 1
    sizes = [_group_size(summary, key) for key in keys]
    labels = [
        f"{(f'{d} / {s}' if several else s) if s is not None else d} (n={n})"
        for (d, s), n in zip(keys, sizes, strict=True)
    ]
    per_row = max(1, min(len(runs), 6)) * 0.22 + 0.25
    fig, axes = plt.subplots(
        1,
        len(metrics),
        figsize=(5.2 * len(metrics) + 2.5, max(4.0, per_row * len(keys) + 2.2)),
        sharey=True,
        squeeze=False,
    )
    for ax, metric in zip(axes[0], metrics, strict=True):
        series = {}
        for run in runs:
            results = summary["results"][run]
            values = []
            for dataset, subject in keys:
                stats = (
                    results["datasets"].get(dataset)
                    if subject is None
                    else results["subjects"].get(dataset, {}).get(subject)
                )
                values.append(_value(stats, metric) if stats else (float("nan"), 0.0, 0.0))
            series[run] = values
        _horizontal_groups(ax, labels, series, metric, _level(summary))
        ax.set_title(_label(metric))
    axes[0][0].set_ylabel("subject" if by == "subjects" else "dataset")
    _legend(axes[0][-1])
    fig.suptitle(
        f"{'Per subject' if by == 'subjects' else 'Per dataset'}: {', '.join(_label(m).lower() for m in metrics)}"
    )
    return _save(fig, path)


def _group_size(summary: dict[str, Any], key: tuple[str, str | None]) -> int:
    """The largest number of responses any run has in the group."""
    dataset, subject = key
    sizes = []
    for results in summary["results"].values():
        stats = (
            results["datasets"].get(dataset) if subject is None else results["subjects"].get(dataset, {}).get(subject)
        )
        sizes.append(stats["responses"] if stats else 0)
    return max(sizes)


def group_keys(summary: dict[str, Any], by: str) -> list[tuple[str, str | None]]:
    """(dataset, subject or None) of every group that some run has, sorted."""
    keys: set[tuple[str, str | None]] = set()
    for results in summary["results"].values():
        if by == "subjects":
            keys |= {(d, s) for d, subjects in results["subjects"].items() for s in subjects}
        else:
            keys |= {(d, None) for d in results["datasets"]}
    return sorted(keys, key=lambda k: (k[0], k[1] or ""))


def length_vs_score(
    records: dict[str, list[dict[str, Any]]],
    path: Path,
    metrics: Sequence[str] = ("total", "faithfulness", "comprehensiveness"),
) -> Path:
    """Response length against each objective: every response a dot; per run, a line through the means
    of its length quintiles (runs with at least `LINE_MIN` responses) or a diamond at (median length,
    mean score)."""
    plt = _pyplot()
    from matplotlib.ticker import LogLocator, NullFormatter, ScalarFormatter

    runs = list(records)
    words = np.array([r["words"] for run in runs for r in records[run]])
    log = words.size > 0 and words.min() > 0 and words.max() / words.min() > 10
    fig, axes = plt.subplots(1, len(metrics), figsize=(5.4 * len(metrics) + 1.5, 4.6), squeeze=False)
    for ax, metric in zip(axes[0], metrics, strict=True):
        for run, colour in zip(runs, _colours(len(runs)), strict=True):
            pairs = np.array([(r["words"], r[metric]) for r in records[run] if r[metric] is not None])
            if not pairs.size:
                continue
            alpha = float(min(0.45, 8.0 / np.sqrt(len(pairs))))
            ax.scatter(pairs[:, 0], pairs[:, 1], s=10, color=colour, alpha=alpha, linewidths=0)
            if len(pairs) >= LINE_MIN:
                edges = np.unique(np.quantile(pairs[:, 0], np.linspace(0, 1, 6)))
                bins = np.clip(np.searchsorted(edges, pairs[:, 0], side="right") - 1, 0, max(0, len(edges) - 2))
                centres = [float(np.median(pairs[bins == b, 0])) for b in np.unique(bins)]
                means = [float(pairs[bins == b, 1].mean()) for b in np.unique(bins)]
                ax.plot(centres, means, "-o", color=colour, markersize=4, label=run)
            else:
                ax.plot(
                    [float(np.median(pairs[:, 0]))],
                    [float(pairs[:, 1].mean())],
                    "D",
                    color=colour,
                    markeredgecolor="black",
                    markersize=8,
                    label=run,
                )
        if log:
            ax.set_xscale("log")
            ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
            ax.xaxis.set_major_formatter(ScalarFormatter())
            ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("response length (words)" + (", log scale" if log else ""))
        ax.set_ylabel(_label(metric))
        ax.set_title(f"{_label(metric)} vs length")
    _legend(axes[0][-1])
    fig.suptitle(
        "Response length vs score (dots: responses; lines: mean per length quintile, "
        f"or diamond: median length and mean score for runs under {LINE_MIN} responses)",
        fontsize=10,
    )
    return _save(fig, path)


def paired_deltas(summary: dict[str, Any], path: Path, alpha: float = 0.05) -> Path:
    """Forest plot: each run minus the baseline on shared questions, with the paired-bootstrap CI."""
    plt = _pyplot()
    baseline = summary["settings"]["baseline"]
    rows = [c for c in summary["comparisons"] if c["scope"] == "all"]
    others = [r for r in summary["runs"] if r != baseline]
    colours = dict(zip(summary["runs"], _colours(len(summary["runs"])), strict=True))
    cols = 4
    nrows = -(-len(DELTAS) // cols)
    fig, axes = plt.subplots(
        nrows, cols, figsize=(3.6 * cols + 1.5, 0.4 * len(others) * nrows + 2.0 * nrows), squeeze=False, sharey=True
    )
    for ax, metric in zip(axes.flat, DELTAS, strict=False):
        for y, run in enumerate(others):
            row = next((c for c in rows if c["run"] == run and c["metric"] == metric), None)
            if row is None or row["delta"] is None:
                continue
            low, high = row["ci"] or (row["delta"], row["delta"])
            significant = row["p_test"] is not None and row["p_test"] < alpha
            ax.errorbar(
                row["delta"],
                y,
                xerr=[[row["delta"] - low], [high - row["delta"]]],
                fmt="o",
                color=colours[run],
                markerfacecolor=colours[run] if significant else "white",
                capsize=3,
            )
        ax.axvline(0.0, color="black", linewidth=0.8)
        ax.set_yticks(range(len(others)), others)
        ax.set_ylim(len(others) - 0.5, -0.5)
        ax.set_title(_label(metric), fontsize=10)
        ax.set_xlabel(f"difference vs {baseline}")
    for ax in list(axes.flat)[len(DELTAS) :]:
        ax.set_visible(False)
    fig.suptitle(
        f"Paired differences vs {baseline} on shared questions ({_level(summary)} paired-bootstrap CI; "
        f"filled: p < {alpha} by McNemar/Wilcoxon)"
    )
    return _save(fig, path)


def monitors(summary: dict[str, Any], path: Path) -> Path:
    """The reward-hacking monitors per run (checkpoint), in the order the runs were given: item shares on
    the left, the share of groups each objective alone decides in the middle, mean length on the right."""
    from crpo_eval.monitors import SHARE_LINES

    plt = _pyplot()
    data = summary["monitors"]
    runs = list(data)
    x = np.arange(len(runs))
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.6))
    left, middle, right = axes
    for name, colour in zip(SHARE_LINES, _colours(len(SHARE_LINES)), strict=True):
        values = [data[run][name] for run in runs]
        ys = [np.nan if v is None else v for v in values]
        left.plot(x, ys, "-o", color=colour, label=name.replace("_", " "))
    objectives = sorted({k for run in runs for k in data[run]["decided_by_share"]})
    for name, colour in zip(objectives, _colours(len(objectives)), strict=True):
        ys = [data[run]["decided_by_share"].get(name, np.nan) for run in runs]
        middle.plot(x, ys, "-o", color=colour, label=f"decided by {name}")
    chars = [np.nan if data[run]["response_chars_mean"] is None else data[run]["response_chars_mean"] for run in runs]
    right.plot(x, chars, "-o", color="black", label="mean response length")
    for ax, ylabel, title in (
        (left, "share", "Vacuous verdicts, accept-all, copied and repeated text"),
        (middle, "share of groups with spread", "One objective alone decides the advantage"),
        (right, "characters", "Response length"),
    ):
        ax.set_xticks(x, runs, rotation=30, ha="right")
        ax.set_xlabel("run (checkpoint)")
        ax.set_ylabel(ylabel)
        ax.set_title(title, fontsize=10)
        if ax is not right:
            ax.set_ylim(-0.02, 1.02)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7, loc="best", frameon=False)
    fig.suptitle("Reward-hacking monitors per run", fontsize=11)
    return _save(fig, path)


def write_all(summary: dict[str, Any], records: dict[str, list[dict[str, Any]]], out: Path) -> list[Path]:
    """Every figure that applies to this report, in `out`; returns their paths."""
    paths = [
        comparison(summary, out / "objectives.png"),
        distributions(records, summary, out / "distributions.png"),
        notions(summary, out / "notions.png"),
        length_vs_score(records, out / "length_vs_score.png"),
    ]
    if len(group_keys(summary, "datasets")) > 1:
        paths.append(
            groups(
                summary, out / "datasets.png", by="datasets", metrics=("accuracy", "faithfulness", "comprehensiveness")
            )
        )
    if group_keys(summary, "subjects"):
        paths.append(groups(summary, out / "subjects.png", by="subjects"))
    if len(summary["runs"]) > 1:
        paths.append(paired_deltas(summary, out / "paired_deltas.png"))
    if summary.get("monitors"):
        paths.append(monitors(summary, out / "monitors.png"))
    return paths
