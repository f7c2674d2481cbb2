"""Compose the CRPO trainer config exactly as `verl.trainer.main_ppo` will.

The config is `config/crpo_trainer.yaml` (verl's `ppo_trainer` plus the CRPO defaults) and the same
Hydra overrides are given to both: `compose_config` for `crpo-train --dry-run` and the pre-flight
checks, `main_ppo_command` for the run itself.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from hydra import compose, initialize_config_dir
from omegaconf import DictConfig

CONFIG_DIR = Path(__file__).resolve().parent / "config"
CONFIG_NAME = "crpo_trainer"


def compose_config(overrides: Sequence[str] = ()) -> DictConfig:
    """The composed (unresolved) config; Hydra errors name the failing override."""
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base=None):
        return compose(config_name=CONFIG_NAME, overrides=list(overrides))


def main_ppo_command(overrides: Sequence[str], python: str | None = None) -> list[str]:
    """`python -m verl.trainer.main_ppo` on the CRPO config with `overrides`."""
    return [
        python or sys.executable,
        "-m",
        "verl.trainer.main_ppo",
        f"--config-path={CONFIG_DIR}",
        f"--config-name={CONFIG_NAME}",
        *overrides,
    ]
