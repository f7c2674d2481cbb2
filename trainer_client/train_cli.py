"""`crpo-train`: a verl GRPO/CRPO run whose rewards come from the CRPO reward service.

    crpo-train --reward-url http://10.0.0.5:8000 [--reward-url http://10.0.0.6:8000] \
        [--train-files ...] [--model ...] [--advantage-mode sum|decoupled] [--device gpu|cpu] [--dry-run] \
        [key=value ...]

Composes `trainer_client/verl/config/crpo_trainer.yaml` (verl's `ppo_trainer` + CRPO defaults) with the
options and the trailing Hydra overrides, checks the data files, the CRPO registrations, the reward
service (`/readyz`, `/v1/info`, the objectives behind the weights) and verl's own config validation,
then runs `python -m verl.trainer.main_ppo` on the same config. `--dry-run` prints the resolved config
(YAML, on stdout) and exits 0.

`--device cpu` runs the same trainer on CPU through the project's verl CPU backend
(`trainer_client.verl.cpu`: a "cpu" platform, an `hf` rollout, FSDP2; sized for a tiny model, see
docs/train.md); the default, `gpu`, is verl's own NVIDIA path (vLLM rollout, FSDP).

Exit codes: 2 bad options, config or data files; 3 reward service unusable; 4 no GPU or rollout engine.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from pydantic import ValidationError
from rich.console import Console

from schemas import OBJECTIVES
from trainer_client.service_check import ServiceCheckError, check_services
from trainer_client.settings import RewardSettings

app = typer.Typer(add_completion=False)
console = Console(stderr=True, soft_wrap=True)

EXIT_CONFIG, EXIT_SERVICE, EXIT_ENVIRONMENT = 2, 3, 4
_UNSAFE_IN_OVERRIDE = set("'\"\\,[]{}")


def fail(message: str, code: int) -> typer.Exit:
    console.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code=code)


def _quoted(value: str, what: str) -> str:
    if set(value) & _UNSAFE_IN_OVERRIDE:
        raise fail(f"{what} {value!r} contains quotes, commas, brackets or braces; pass it as a Hydra override", 2)
    return f"'{value}'"


def cli_overrides(
    reward_urls: list[str],
    train_files: Path | None,
    val_files: Path | None,
    model: str | None,
    advantage_mode: str | None,
    rollouts: int | None,
    weights: str | None,
    gpus: int | None,
) -> list[str]:
    """The Hydra overrides that the options stand for (user overrides come after and win)."""
    urls = ",".join(_quoted(url.rstrip("/"), "--reward-url") for url in reward_urls)
    overrides = [f"crpo.reward_urls=[{urls}]"]
    if train_files is not None:
        overrides.append(f"data.train_files={_quoted(str(train_files), '--train-files')}")
    if val_files is not None:
        overrides.append(f"data.val_files={_quoted(str(val_files), '--val-files')}")
    if model is not None:
        overrides.append(f"actor_rollout_ref.model.path={_quoted(model, '--model')}")
    if advantage_mode is not None:
        overrides.append(f"algorithm.crpo.mode={advantage_mode}")
    if rollouts is not None:
        overrides.append(f"actor_rollout_ref.rollout.n={rollouts}")
    if gpus is not None:
        overrides.append(f"trainer.n_gpus_per_node={gpus}")
    for pair in (weights or "").split(","):
        if not pair.strip():
            continue
        name, sep, value = pair.partition("=")
        try:
            number = float(value)
        except ValueError:
            number = None
        if not sep or number is None:
            raise fail(f"--weights expects name=number pairs separated by commas, got {pair!r}", EXIT_CONFIG)
        if name.strip() not in OBJECTIVES:
            raise fail(f"--weights: unknown objective {name.strip()!r}; expected some of {', '.join(OBJECTIVES)}", 2)
        overrides.append(f"crpo.weights.{name.strip()}={number!r}")
    return overrides


def _local_files(value: Any) -> list[str]:
    files = [value] if isinstance(value, str) else list(value or [])
    return [str(f) for f in files if "://" not in str(f)]


def check_data_files(config: Any) -> None:
    for key in ("train_files", "val_files"):
        for name in _local_files(config.data.get(key)):
            if not Path(name).expanduser().is_file():
                raise fail(
                    f"data.{key}: {name} does not exist. Prepare it with e.g. `crpo-data prepare --dataset medqa "
                    f"--input <medqa_train.jsonl> --out {Path(name).expanduser().parent} --val-fraction 0.05`, or "
                    f"pass --train-files/--val-files",
                    EXIT_CONFIG,
                )


def check_gpu(config: Any) -> None:
    import torch

    if not torch.cuda.is_available():
        raise fail(
            "crpo-train needs NVIDIA GPUs (vLLM rollout and FSDP training) and found none "
            f"(trainer.n_gpus_per_node={config.trainer.n_gpus_per_node}). `crpo-train --dry-run ...` checks "
            "the config, the data and the reward service on a CPU machine.",
            EXIT_ENVIRONMENT,
        )
    engine = str(config.actor_rollout_ref.rollout.name)
    if importlib.util.find_spec(engine) is None:
        raise fail(
            f"the rollout engine {engine!r} (actor_rollout_ref.rollout.name) is not installed; install a version "
            "supported by verl 0.9.1 (e.g. `pip install vllm`)",
            EXIT_ENVIRONMENT,
        )


def check_cpu_backend() -> None:
    """Load the CPU backend here first: an unsupported verl fails before Ray starts."""
    try:
        importlib.import_module("trainer_client.verl.cpu")
    except RuntimeError as exc:  # patches.UnsupportedVerl
        raise fail(str(exc), EXIT_ENVIRONMENT) from exc


def check_verl_components(config: Any) -> None:
    """Resolve estimator, trainer, reward manager and reward function the way verl will."""
    from trainer_client.verl.setup import register

    register()
    from verl.trainer.ppo.core_algos import get_adv_estimator_fn
    from verl.trainer.ppo.reward import get_custom_reward_fn, resolve_reward_manager_cls
    from verl.trainer.ppo.utils import need_critic, need_reference_policy
    from verl.trainer.ppo.v1 import get_trainer_cls
    from verl.utils.config import validate_config

    try:
        if config.algorithm.adv_estimator not in ("gae", "grpo"):
            get_adv_estimator_fn(config.algorithm.adv_estimator)
        get_trainer_cls(config.trainer.v1.trainer_mode)
        resolve_reward_manager_cls(config)
        get_custom_reward_fn(config)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            validate_config(config, use_reference_policy=need_reference_policy(config), use_critic=need_critic(config))
    except (ValueError, AssertionError, AttributeError, ImportError, FileNotFoundError) as exc:
        raise fail(f"verl rejects the config: {exc}", EXIT_CONFIG) from exc


def _run_env(device: str = "gpu") -> dict[str, str]:
    """The environment of main_ppo: from a source checkout, Ray workers must import this same code."""
    env = dict(os.environ)
    if device == "cpu":
        from trainer_client.verl.cpu.overrides import cpu_env

        env = cpu_env(env)
    root = Path(__file__).resolve().parents[1]
    if (root / "pyproject.toml").is_file():
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH", "")) if p)
    return env


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def main(
    reward_url: Annotated[
        list[str], typer.Option("--reward-url", help="Reward service URL; repeat for several replicas.")
    ],
    overrides: Annotated[list[str] | None, typer.Argument(help="verl/Hydra overrides, key=value.")] = None,
    train_files: Annotated[Path | None, typer.Option(help="Training parquet (crpo-data prepare).")] = None,
    val_files: Annotated[Path | None, typer.Option(help="Validation parquet.")] = None,
    model: Annotated[str | None, typer.Option(help="Policy model (default Qwen/Qwen2.5-3B-Instruct).")] = None,
    advantage_mode: Annotated[Literal["sum", "decoupled"] | None, typer.Option(help="CRPO advantages.")] = None,
    rollouts: Annotated[int | None, typer.Option(min=2, help="Rollouts per prompt, G (default 5).")] = None,
    weights: Annotated[str | None, typer.Option(help="Objective weights, e.g. accuracy=10,format=0.5.")] = None,
    gpus: Annotated[int | None, typer.Option(min=1, help="GPUs per node (trainer.n_gpus_per_node).")] = None,
    device: Annotated[
        Literal["gpu", "cpu"], typer.Option(help="gpu: verl on NVIDIA GPUs; cpu: the CPU backend (tiny models).")
    ] = "gpu",
    wait_ready: Annotated[float, typer.Option(help="Seconds to wait for a loading service.")] = 60.0,
    check_service: Annotated[bool, typer.Option(help="Check the reward service first.")] = True,
    dry_run: Annotated[bool, typer.Option(help="Print the resolved config and exit.")] = False,
) -> None:
    """Train with verl (GRPO-style, CRPO rewards and advantages) against the CRPO reward service."""
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    from trainer_client.verl.compose import compose_config, main_ppo_command

    backend: list[str] = []
    if device == "cpu":
        from trainer_client.verl.cpu.overrides import cpu_overrides

        backend = cpu_overrides()
    all_overrides = [
        *backend,
        *cli_overrides(reward_url, train_files, val_files, model, advantage_mode, rollouts, weights, gpus),
        *(overrides or []),
    ]
    try:
        config = compose_config(all_overrides)
        settings = RewardSettings.from_mapping(OmegaConf.to_container(config.crpo, resolve=True))
    except ValidationError as exc:
        raise fail(f"crpo settings: {exc}", EXIT_CONFIG) from exc
    except Exception as exc:  # Hydra's override and composition errors
        raise fail(f"cannot compose the config: {exc}", EXIT_CONFIG) from exc

    check_data_files(config)
    if device == "cpu":
        check_cpu_backend()
    elif not dry_run:
        check_gpu(config)
    with contextlib.redirect_stdout(sys.stderr):  # verl prints progress; stdout carries only the config
        check_verl_components(config)
    if check_service:
        try:
            status = check_services(
                settings.reward_urls,
                api_key=settings.api_key,
                weights=settings.weights,
                advantage_mode=str(config.algorithm.get("crpo", {}).get("mode", "sum")),
                wait_s=wait_ready,
            )
        except ServiceCheckError as exc:
            raise fail(str(exc), EXIT_SERVICE) from exc
        for warning in status.warnings:
            console.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)
        sent = settings.weights or status.info.default_weights.model_dump()
        console.print(
            f"reward service ok: {', '.join(status.urls)} (spec {status.info.spec_version}, objectives "
            f"{', '.join(status.info.objectives)}); weights sent with every request: {sent}",
            highlight=False,
        )

    if dry_run:
        try:
            typer.echo(OmegaConf.to_yaml(config, resolve=True))
        except OmegaConfBaseException as exc:
            raise fail(f"cannot resolve the config: {exc}", EXIT_CONFIG) from exc
        return
    command = main_ppo_command(all_overrides)
    console.print("running: " + " ".join(command), highlight=False)
    raise typer.Exit(code=subprocess.run(command, env=_run_env(device), check=False).returncode)


if __name__ == "__main__":
    app()
