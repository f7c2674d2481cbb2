"""Validity benchmark of the CRPO scorers on real model outputs (issue 12).

`data` loads and wraps the real responses, `perturb` builds the perturbations (each with the change
it must cause, known by construction), `judge` scores them in-process and checks the change.
`bench/bench_validity.py` runs it over `../shared/data/realgen`; `tests/unit/test_validity_sample.py`
runs a fixed sample of the same perturbations.
"""
