"""NeMo Gym resources server `crpo_medical` (see `app.py`); importing this package needs `nemo-gym` installed."""
