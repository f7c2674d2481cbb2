"""Reward throughput of verl's reward loop with the CRPO reward manager (prints numbers, asserts nothing).

    CRPO_SERVER_PYTHON=.venv/bin/python .venv-train/bin/python -m bench.bench_verl_reward [--repeats 3]

Runs in the trainer environment. A live service is started from the service environment; the workload
is bench.workload's realistic ~6,000-character responses (512 MedQA questions x 5). Each row drives
verl's own `RewardLoopWorker.compute_score_batch` over one `DataProto` of all samples (one reward
worker), once with the CRPO manager's batching (`crpo.batch_size`, `crpo.batch_window_ms`) and once
with `crpo.batch_size=1`, i.e. one HTTP request per sample as a plain per-sample HTTP reward function
would send. Medians over `--repeats` runs after one warm-up run.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench.workload import build_workload
from reward_service.testing import start_server
from schemas.prompt import chat_messages
from trainer_client.verl.compose import compose_config
from trainer_client.verl.cpu.tiny_model import build_tokenizer
from trainer_client.verl.reward import aclose_batchers
from trainer_client.verl.testing import reward_batch


def rows_and_responses(n_questions: int, per_question: int) -> tuple[list[dict[str, Any]], list[str]]:
    rows, responses = [], []
    for item in build_workload(n_questions, per_question):
        rows.append(
            {
                "data_source": "medqa",
                "prompt": chat_messages(item["question"], item["options"]),
                "reward_model": {"style": "rule", "ground_truth": item["answer"]},
                "extra_info": {"question": item["question"], "options": item["options"]},
            }
        )
        responses.append(item["response"].replace("<|im_end|>", ""))
    return rows, responses


def run_once(config: Any, data: Any) -> tuple[float, int]:
    from verl.experimental.reward_loop.reward_loop import RewardLoopWorker

    worker = RewardLoopWorker(config, None)
    started = time.perf_counter()
    outputs = worker.loop.run_until_complete(worker.compute_score_batch(data))
    seconds = time.perf_counter() - started
    requests = worker.reward_manager.batcher.requests_sent
    worker.loop.run_until_complete(worker.reward_manager.aclose())
    worker.loop.run_until_complete(aclose_batchers())
    assert len(outputs) == len(data)
    return seconds, requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--questions", type=int, default=512)
    parser.add_argument("--per-question", type=int, default=5)
    parser.add_argument("--server-workers", type=int, default=2)
    args = parser.parse_args()

    console = Console(width=120)
    with tempfile.TemporaryDirectory() as tmp:
        rows, responses = rows_and_responses(args.questions, args.per_question)
        # the tiny smoke-test policy's tokenizer (trained offline on these prompts), saved as a model's would be
        tokenizer = build_tokenizer(rows[:200], vocab_size=800)
        tokenizer_dir = Path(tmp) / "tokenizer"
        tokenizer.save_pretrained(tokenizer_dir)
        data = reward_batch(tokenizer, rows, responses)
        server = start_server(Path(tmp), workers=args.server_workers)
        try:
            table = Table(title=f"verl reward loop, {len(data)} samples, service with {args.server_workers} workers")
            for column in ("reward manager setting", "samples/s", "s per batch", "HTTP requests"):
                table.add_column(column, justify="right" if column != "reward manager setting" else "left")
            for label, extra in (
                ("CRPO manager, batch_size 256, window 20 ms", ["crpo.batch_size=256", "crpo.batch_window_ms=20"]),
                ("batch_size 1 (one request per sample)", ["crpo.batch_size=1", "crpo.batch_window_ms=0"]),
            ):
                config = compose_config(
                    [
                        f"crpo.reward_urls=['{server.url}']",
                        f"actor_rollout_ref.model.path={tokenizer_dir}",
                        "reward.num_workers=1",
                        *extra,
                    ]
                )
                run_once(config, data)  # warm-up
                runs = [run_once(config, data) for _ in range(args.repeats)]
                seconds = statistics.median(s for s, _ in runs)
                table.add_row(label, f"{len(data) / seconds:,.0f}", f"{seconds:.2f}", str(runs[0][1]))
        finally:
            server.stop()
    console.print(table)
    console.print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, medians of {args.repeats}")


if __name__ == "__main__":
    main()
