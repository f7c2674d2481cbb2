"""The real service on loopback for tests (`reward_service.testing`), and the test data's location.

`CRPO_SERVER_PYTHON` selects the interpreter that runs the server: the training tests run in a
separate environment (verl needs numpy 2, the NLP stack numpy 1) and start the server from the
service environment.
"""

from __future__ import annotations

from pathlib import Path

from reward_service.testing import LiveServer, free_port, start_server

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"  # copies of ../shared/data (MedQA, MedMCQA: MIT; see data/README.md)

__all__ = ["DATA", "ROOT", "LiveServer", "free_port", "start_server"]
