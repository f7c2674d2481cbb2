"""`crpo-serve`: run the reward service with uvicorn."""

from __future__ import annotations

import os
import tempfile
from typing import Annotated

import typer

from reward_service.config import Settings

cli = typer.Typer(add_completion=False, help="Run the CRPO reward service.")


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind (env CRPO_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (env CRPO_PORT).")] = None,
    workers: Annotated[
        int | None, typer.Option(help="Worker processes; 0 = one per core, at most 8 (env CRPO_WORKERS).")
    ] = None,
    log_level: Annotated[str | None, typer.Option(help="uvicorn log level (env CRPO_LOG_LEVEL).")] = None,
) -> None:
    """Start the service. Options override the CRPO_* environment; other settings come from it."""
    import uvicorn

    for name, value in (("HOST", host), ("PORT", port), ("WORKERS", workers), ("LOG_LEVEL", log_level)):
        if value is not None:
            os.environ[f"CRPO_{name}"] = str(value)  # workers re-read settings from the environment
    settings = Settings()
    if settings.worker_count > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="crpo-metrics-")
    uvicorn.run(
        "reward_service.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.worker_count,
        log_level=settings.log_level,
        access_log=False,
        timeout_graceful_shutdown=settings.graceful_shutdown_s,
    )


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
