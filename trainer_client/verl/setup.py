"""Register the CRPO components in verl's registries of the current process.

verl looks the estimator (`algorithm.adv_estimator`) and the trainer (`trainer.v1.trainer_mode`) up in
in-process registries, inside its Ray `TaskRunner` actor. `crpo-train` therefore names `register` as
Ray's `worker_process_setup_hook` (`ray_kwargs.ray_init.runtime_env.worker_process_setup_hook`), which
Ray runs in every worker process before it executes any task or actor. Importing the modules is the
registration; calling `register` again is a no-op.
"""

from __future__ import annotations

import importlib

#: Modules whose import registers a component: the "crpo" estimator, the "crpo_*" v1 trainers.
MODULES = ("trainer_client.verl.estimator", "trainer_client.verl.trainer")


def register() -> None:
    """Register the `crpo` advantage estimator and the `crpo_*` v1 trainers."""
    for module in MODULES:
        importlib.import_module(module)
