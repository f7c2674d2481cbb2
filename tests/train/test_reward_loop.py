"""verl's reward loop (its `RewardLoopWorker`) with the CRPO reward manager and reward function,
scoring real verl `DataProto` batches against the live service on loopback."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path
from typing import Any

import pytest

from tests.flaky import FlakyProxy
from tests.live import LiveServer, free_port
from tests.train.helpers import EXPECTED_ACCURACY, read_rows, response_for
from trainer_client import RewardClient, ServiceUnavailable
from trainer_client.batching import BatchScoringFailed
from trainer_client.verl.compose import compose_config
from trainer_client.verl.reward import (
    REWARD_KEYS,
    UNSCORABLE_KEY,
    MissingCaseError,
    aclose_batchers,
    compute_score,
    score_item,
)
from trainer_client.verl.testing import reward_batch

KINDS = ("gold", "wrong", "none")


def reward_config(tokenizer_dir: Path, urls: list[str], *extra: str) -> Any:
    quoted = ",".join(f"'{url}'" for url in urls)
    return compose_config(
        [
            f"crpo.reward_urls=[{quoted}]",
            f"actor_rollout_ref.model.path={tokenizer_dir}",
            "reward.num_workers=1",
            *extra,
        ]
    )


def run_worker(config: Any, data: Any) -> tuple[list[dict], Any]:
    """verl's reward loop worker, driven on its own event loop; closes its HTTP clients afterwards."""
    from verl.experimental.reward_loop.reward_loop import RewardLoopWorker

    worker = RewardLoopWorker(config, None)
    loop = worker.loop
    try:
        return loop.run_until_complete(worker.compute_score_batch(data)), worker
    finally:
        manager = worker.reward_manager
        if hasattr(manager, "aclose"):
            loop.run_until_complete(manager.aclose())
        loop.run_until_complete(aclose_batchers())


def samples(parquet: Path, n_rows: int) -> tuple[list[dict], list[str], list[str]]:
    rows = read_rows(parquet, n_rows)
    cases = [(row, kind) for row in rows for kind in KINDS]
    return [c[0] for c in cases], [response_for(row, kind) for row, kind in cases], [kind for _, kind in cases]


def test_reward_loop_scores_a_batch_like_the_service(
    live_server: LiveServer, tokenizer_dir: Path, tokenizer: Any, medqa_parquet: dict[str, Path]
) -> None:
    rows, responses, kinds = samples(medqa_parquet["val"], 6)
    data = reward_batch(tokenizer, rows, responses)
    outputs, worker = run_worker(reward_config(tokenizer_dir, [live_server.url]), data)

    assert type(worker.reward_manager).__name__ == "CRPORewardManager"
    assert len(outputs) == len(rows) == 18
    with RewardClient(live_server.url) as client:
        direct = client.score(
            [
                score_item(r, row["reward_model"]["ground_truth"], row["extra_info"])
                for r, row in zip(responses, rows, strict=True)
            ]
        )
    for output, kind, expected in zip(outputs, kinds, direct, strict=True):
        info = output["reward_extra_info"]
        assert tuple(info) == REWARD_KEYS  # the same keys, in the same order, for every sample
        assert info["accuracy"] == EXPECTED_ACCURACY[kind]
        assert output["reward_score"] == info["score"] == expected.total
        # Objectives the service does not compute stay None (never 0); computed ones are passed through.
        assert [info[k] for k in REWARD_KEYS[1:5]] == [
            expected.accuracy,
            expected.faithfulness,
            expected.comprehensiveness,
            expected.format,
        ]

    # verl's reward loop manager places each score on the last valid response token.
    scores = [output["reward_score"] for output in outputs]
    rm_scores = type(worker.reward_manager).assemble_rm_scores(data, scores)
    assert rm_scores.sum(dim=-1).tolist() == pytest.approx(scores)
    last = data.batch["attention_mask"][:, data.batch["prompts"].shape[1] :].sum(dim=1) - 1
    assert rm_scores[range(len(scores)), last].tolist() == pytest.approx(scores)


def test_manager_batches_the_concurrent_samples_of_a_worker(
    live_server: LiveServer, tokenizer_dir: Path, tokenizer: Any, medqa_parquet: dict[str, Path]
) -> None:
    rows, responses, kinds = samples(medqa_parquet["val"], 8)  # 24 samples
    data = reward_batch(tokenizer, rows, responses)
    with FlakyProxy(live_server.url) as proxy:
        config = reward_config(tokenizer_dir, [proxy.url], "crpo.batch_size=8", "crpo.batch_window_ms=1000")
        outputs, worker = run_worker(config, data)
    assert [o["reward_extra_info"]["accuracy"] for o in outputs] == [EXPECTED_ACCURACY[k] for k in kinds]
    assert len(proxy.calls) == 3  # 24 samples in 3 POST /v1/score requests of 8
    assert worker.reward_manager.batcher.requests_sent == 3


def test_reward_function_alone_coalesces_with_verls_naive_manager(
    live_server: LiveServer, tokenizer_dir: Path, tokenizer: Any, medqa_parquet: dict[str, Path]
) -> None:
    rows, responses, kinds = samples(medqa_parquet["val"], 4)
    data = reward_batch(tokenizer, rows, responses)
    with FlakyProxy(live_server.url) as proxy:
        config = reward_config(
            tokenizer_dir,
            [proxy.url],
            "crpo.batch_window_ms=1000",
            "reward.reward_manager.source=register",
            "reward.reward_manager.name=naive",
        )
        outputs, worker = run_worker(config, data)
    assert type(worker.reward_manager).__name__ == "NaiveRewardManager"
    assert [o["reward_extra_info"]["accuracy"] for o in outputs] == [EXPECTED_ACCURACY[k] for k in kinds]
    assert len(proxy.calls) == 1  # 12 samples, one request


def test_fails_over_when_one_of_two_urls_is_down(
    live_server: LiveServer, tokenizer_dir: Path, tokenizer: Any, medqa_parquet: dict[str, Path]
) -> None:
    rows, responses, kinds = samples(medqa_parquet["val"], 4)
    data = reward_batch(tokenizer, rows, responses)
    dead = f"http://127.0.0.1:{free_port()}"
    with FlakyProxy(live_server.url) as proxy:
        config = reward_config(
            tokenizer_dir, [dead, proxy.url], "crpo.batch_size=4", "crpo.batch_window_ms=500", "crpo.backoff_s=0.01"
        )
        outputs, _ = run_worker(config, data)
    assert [o["reward_extra_info"]["accuracy"] for o in outputs] == [EXPECTED_ACCURACY[k] for k in kinds]
    assert len(proxy.calls) == 3  # each batch of 4 reached the live replica exactly once


def test_service_down_fails_loudly_after_retries_never_a_silent_zero(
    tokenizer_dir: Path, tokenizer: Any, medqa_parquet: dict[str, Path]
) -> None:
    rows, responses, _ = samples(medqa_parquet["val"], 2)
    data = reward_batch(tokenizer, rows, responses)
    dead = [f"http://127.0.0.1:{free_port()}" for _ in range(2)]
    config = reward_config(tokenizer_dir, dead, "crpo.max_attempts=3", "crpo.backoff_s=0.01", "crpo.batch_window_ms=50")
    from verl.experimental.reward_loop.reward_loop import RewardLoopWorker

    worker = RewardLoopWorker(config, None)
    manager = worker.reward_manager
    try:
        results = worker.loop.run_until_complete(
            asyncio.gather(*(manager.run_single(data[i : i + 1]) for i in range(len(data))), return_exceptions=True)
        )
    finally:
        worker.loop.run_until_complete(manager.aclose())
    assert len(results) == 6
    for result in results:  # every sample raised; none got a reward
        assert isinstance(result, BatchScoringFailed)
        assert isinstance(result.__cause__, ServiceUnavailable)
        assert "failed 3 times" in str(result)
    with pytest.raises(BatchScoringFailed):  # and verl's batch entry point propagates it
        run_worker(config, data)


def test_a_sample_without_the_case_is_rejected_with_the_field_named() -> None:
    with pytest.raises(MissingCaseError, match=r"extra_info\.question"):
        score_item("<dx>x</dx>", "A", {"options": {"A": "x", "B": "y"}})
    with pytest.raises(MissingCaseError, match=r"extra_info\.options"):
        score_item("<dx>x</dx>", "A", {"question": "q?", "options": ["x", "y"]})

    async def call() -> None:
        await compute_score("medqa", "x", "A", {"options": {"A": "x"}}, reward_urls=["http://127.0.0.1:9"])

    with pytest.raises(MissingCaseError):
        asyncio.run(call())


def test_a_sample_without_options_or_gold_comes_back_unscorable(live_server: LiveServer) -> None:
    """The service decides: a letter gold without options, or no gold, is `unscorable`, flagged for the
    estimator's mask (the score verl requires is the service's total, which the mask keeps out)."""

    async def call() -> list[dict]:
        settings = {"reward_urls": [live_server.url]}
        try:
            return [
                await compute_score("medqa", "<dx>x</dx>", "A", {"question": "q?", "options": None}, **settings),
                await compute_score("medqa", "<dx>x</dx>", None, {"question": "q?", "options": {"A": "x"}}, **settings),
                await compute_score("medqa", "<dx>x</dx>", "A", {"question": "q?", "options": {"A": "x"}}, **settings),
            ]
        finally:
            await aclose_batchers()

    assert [d[UNSCORABLE_KEY] for d in asyncio.run(call())] == [1.0, 1.0, 0.0]


def test_parquet_struct_nulls_are_not_options() -> None:
    item = score_item("r", "B", {"question": "q", "options": {"A": "x", "B": "y", "E": None}}, data_source="medmcqa")
    assert item["options"] == {"A": "x", "B": "y"}
    assert item["data_source"] == "medmcqa"
    assert list(itertools.islice(item, 3)) == ["response", "question", "options"]
