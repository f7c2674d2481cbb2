"""The reward service as a Ray Serve application: the same FastAPI app, in N replicas behind Ray's proxy.

    python -m deploy.ray_serve --replicas 4 --port 8000                  # local Ray, 4 replicas
    python -m deploy.ray_serve --address auto --replicas 8 --num-cpus 2  # an existing Ray cluster
    serve run deploy/ray_serve.yaml                                      # the same, from a config file

Each replica builds its own app with `reward_service.app.create_app()` (so each loads the lexicon once,
at start-up) and answers with an `x-crpo-replica` header naming itself. CRPO_* settings of the
launching shell are passed to the replicas. Ray's proxy spreads requests over the replicas; with
`--max-replicas` above `--replicas`, Serve's autoscaler adds replicas under load.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from typing import Annotated, Any

import typer
from fastapi import FastAPI
from ray import serve
from ray.serve import Application
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REPLICA_HEADER = "x-crpo-replica"
APP_NAME = "crpo-reward"


class ReplicaHeader:
    """Adds `x-crpo-replica: <replica id>` (and the process id) to every response (pure ASGI)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.value: bytes | None = None

    def _header(self) -> bytes:
        if self.value is None:
            try:
                replica = serve.get_replica_context().replica_id.unique_id
            except Exception:  # outside a replica (e.g. the app served by plain uvicorn)
                replica = "none"
            self.value = f"{replica}; pid={os.getpid()}".encode()
        return self.value

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (REPLICA_HEADER.encode(), self._header())]
            await send(message)

        await self.app(scope, receive, send_with_header)


def build_asgi_app() -> FastAPI:
    """Runs in each replica when it starts: the service's app, plus the replica header."""
    from reward_service.app import create_app

    app = create_app()
    app.add_middleware(ReplicaHeader)
    return app


@serve.deployment(name="RewardService", ray_actor_options={"num_cpus": 1}, max_ongoing_requests=32)
@serve.ingress(build_asgi_app)
class RewardService:
    """The CRPO reward service app (`serve.ingress`); every route of `create_app()` is served."""


def hide_unimportable_pyarrow() -> None:
    """Ray imports pyarrow, when it is installed, to register optional Arrow serializers; a pyarrow built
    for another numpy major version raises ImportError there and takes Ray down. Serving needs no Arrow,
    so such a pyarrow is marked absent. Runs in the driver and, as Ray's worker setup hook, in every
    worker before it deserialises anything."""
    if "pyarrow" in sys.modules:
        return
    try:
        import pyarrow  # noqa: F401
    except ModuleNotFoundError:
        return
    except ImportError:
        sys.modules["pyarrow"] = None  # type: ignore[assignment]  # `import pyarrow` now: ModuleNotFoundError


def crpo_env() -> dict[str, str]:
    """CRPO_* variables of this process, forwarded to the replicas (they may run on other nodes)."""
    return {k: v for k, v in os.environ.items() if k.startswith("CRPO_")}


def deployment_options(
    replicas: int, num_cpus: float, max_replicas: int | None = None, target_ongoing_requests: float = 4.0
) -> dict[str, Any]:
    """`RewardService.options(...)` for a fixed number of replicas, or autoscaling between the two."""
    options: dict[str, Any] = {"ray_actor_options": {"num_cpus": num_cpus, "runtime_env": {"env_vars": crpo_env()}}}
    if max_replicas is not None and max_replicas > replicas:
        options["autoscaling_config"] = {
            "min_replicas": replicas,
            "initial_replicas": replicas,
            "max_replicas": max_replicas,
            "target_ongoing_requests": target_ongoing_requests,
        }
    else:
        options["num_replicas"] = replicas
    return options


def build(args: dict[str, Any]) -> Application:
    """Application builder for `serve run deploy.ray_serve:build replicas=4 num_cpus=1 max_replicas=8`."""
    max_replicas = args.get("max_replicas")
    options = deployment_options(
        int(args.get("replicas", 2)),
        float(args.get("num_cpus", 1)),
        int(max_replicas) if max_replicas is not None else None,
        float(args.get("target_ongoing_requests", 4.0)),
    )
    return RewardService.options(**options).bind()


#: The bound application with default options, for `serve run` config files (`import_path`).
app = RewardService.bind()

cli = typer.Typer(add_completion=False, help="Serve the CRPO reward service with Ray Serve.")


@cli.command()
def main(
    replicas: Annotated[int, typer.Option(min=1, help="Replicas (the minimum when autoscaling).")] = 2,
    max_replicas: Annotated[
        int | None, typer.Option(help="Autoscale up to this many replicas (default: a fixed number).")
    ] = None,
    num_cpus: Annotated[float, typer.Option(min=0.0, help="CPUs reserved per replica.")] = 1.0,
    host: Annotated[str, typer.Option(help="Interface of Ray's HTTP proxy.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port of Ray's HTTP proxy.")] = 8000,
    address: Annotated[
        str | None, typer.Option(help="Ray cluster to join ('auto', 'ray://head:10001'); default: start Ray here.")
    ] = None,
    ray_cpus: Annotated[int | None, typer.Option(help="CPUs of a Ray started here (default: all).")] = None,
    object_store_mb: Annotated[
        int | None, typer.Option(help="Object store of a Ray started here, in MiB (default: Ray's).")
    ] = None,
    py_executable: Annotated[
        str | None,
        typer.Option(help="Python that runs Serve's actors (a service env on every node of a trainer's cluster)."),
    ] = None,
    working_dir: Annotated[
        str | None, typer.Option(help="Ship this directory to the cluster (the source tree, if not installed there).")
    ] = None,
) -> None:
    """Start the application and keep it up until SIGINT/SIGTERM; then shut Serve (and a local Ray) down."""
    import ray

    hide_unimportable_pyarrow()
    runtime_env: dict[str, Any] = {"env_vars": crpo_env(), "worker_process_setup_hook": hide_unimportable_pyarrow}
    if py_executable:
        runtime_env["py_executable"] = py_executable
    if working_dir:
        runtime_env["working_dir"] = working_dir
    init: dict[str, Any] = {"runtime_env": runtime_env, "include_dashboard": False, "log_to_driver": False}
    if address:
        init["address"] = address
    else:  # a new Ray here, never one that happens to run on this machine already
        init["address"] = "local"
        if ray_cpus is not None:
            init["num_cpus"] = ray_cpus
        if object_store_mb is not None:
            init["object_store_memory"] = object_store_mb * 1024 * 1024
    ray.init(**init)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        serve.start(http_options={"host": host, "port": port})
        options = deployment_options(replicas, num_cpus, max_replicas)
        serve.run(RewardService.options(**options).bind(), name=APP_NAME, route_prefix="/", blocking=False)
        print(f"CRPO reward service on http://{host}:{port} ({replicas} replicas)", flush=True)
        stop.wait()
    finally:
        if address:  # leave the cluster as it was: other Serve apps keep running
            serve.delete(APP_NAME)
            if not serve.status().applications:
                serve.shutdown()
        else:
            serve.shutdown()
        ray.shutdown()


if __name__ == "__main__":
    cli()
