"""`crpo-eval`: score files of generations through the reward service and write a report.

    crpo-eval --run base=base.jsonl --run crpo=crpo.jsonl --reward-url http://localhost:8000 --out report/

The pieces, one job each: `generations` (read JSONL / JSON / parquet / verl dumps), `scoring` (batches
through `RewardClient`, with a progress bar), `metrics` (one flat record per response), `bootstrap`
(seeded cluster-bootstrap confidence intervals), `aggregate` (per run, dataset and subject), `compare`
(paired tests against a baseline run), `plots` (matplotlib, Agg), `report` (summary.json, report.md,
metrics.csv) and `cli` (typer).

Importing this package imports none of matplotlib, scipy or pyarrow; the modules that need them import
them when used (install them with the `eval` extra: `pip install 'crpo-reward[eval]'`).
"""
