"""The `crpo_medical` NeMo Gym resources server, called through NeMo Gym's own client (nemo-gym 0.4.0).

The server is NeMo Gym's `SimpleResourcesServer` app (`setup_webserver()`, as `run_webserver` builds it,
without the Ray head and hydra config that `ng_run` adds) on loopback; the requests are made as NeMo
Gym's simple agent makes them: `ServerClient.post(server_name=..., url_path="/verify", json=...)` with
its global aiohttp client, `raise_for_status`, `get_response_json`, and the answer validated with NeMo
Gym's `BaseVerifyResponse`. Runs in `.venv-nemo` (Python 3.12; make .venv-nemo/.nemo).
"""

from __future__ import annotations

import asyncio
import threading
import time

import httpx
import pytest
import uvicorn
from nemo_gym.base_resources_server import BaseVerifyResponse
from nemo_gym.config_types import BaseServerConfig
from nemo_gym.global_config import ROLLOUT_INDEX_KEY_NAME, TASK_INDEX_KEY_NAME
from nemo_gym.openai_utils import NeMoGymResponse, NeMoGymResponseCreateParamsNonStreaming
from nemo_gym.server_utils import (
    GlobalAIOHTTPAsyncClientConfig,
    ServerClient,
    get_response_json,
    raise_for_status,
    set_global_aiohttp_client,
)
from omegaconf import OmegaConf

from schemas import OBJECTIVES
from schemas.prompt import chat_messages
from tests.live import LiveServer, free_port
from trainer_client.integrations.nemo_gym.app import (
    CRPOResourcesServer,
    CRPOResourcesServerConfig,
    CRPOVerifyRequest,
)

NAME = "crpo_medical"


@pytest.fixture(scope="module")
def resources_server(live_server: LiveServer):
    port = free_port()
    config = CRPOResourcesServerConfig(
        host="127.0.0.1", port=port, entrypoint="app.py", name=NAME, reward_url=live_server.url
    )
    head = BaseServerConfig(host="127.0.0.1", port=free_port())
    global_config = OmegaConf.create({NAME: {"resources_servers": {NAME: {"host": "127.0.0.1", "port": port}}}})
    client = ServerClient(head_server_config=head, global_config_dict=global_config)
    app = CRPOResourcesServer(config=config, server_client=client).setup_webserver()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    yield client
    server.should_exit = True
    thread.join(10)


def rollout(q: dict, text: str, *, with_fields: bool = True) -> dict:
    messages = chat_messages(q["question"], q["options"])
    params = NeMoGymResponseCreateParamsNonStreaming(
        input=[{"role": "developer" if m["role"] == "system" else m["role"], "content": m["content"]} for m in messages]
    )
    response = NeMoGymResponse(
        id="resp_1",
        created_at=0.0,
        model="policy",
        object="response",
        output=[
            {
                "id": "msg_1",
                "content": [{"annotations": [], "text": text, "type": "output_text"}],
                "role": "assistant",
                "status": "completed",
                "type": "message",
            }
        ],
        parallel_tool_calls=True,
        tool_choice="auto",
        tools=[],
    )
    fields = {"question": q["question"], "options": q["options"], "answer": q["answer_idx"]} if with_fields else {}
    if not with_fields:
        fields = {"answer": q["answer_idx"]}
    return CRPOVerifyRequest(responses_create_params=params, response=response, **fields).model_dump()


async def verify_all(client: ServerClient, bodies: list[dict]) -> list[dict]:
    set_global_aiohttp_client(GlobalAIOHTTPAsyncClientConfig())
    try:
        answers = []
        for body in bodies:
            response = await client.post(server_name=NAME, url_path="/verify", json=body)
            await raise_for_status(response)
            answers.append(await get_response_json(response))
        return answers
    finally:
        await global_aiohttp_client_exit_async()


async def global_aiohttp_client_exit_async() -> None:
    """Close NeMo Gym's global aiohttp session on this event loop (its `global_aiohttp_client_exit` runs its own)."""
    from nemo_gym import server_utils

    if server_utils._GLOBAL_AIOHTTP_CLIENT is not None:
        await server_utils._GLOBAL_AIOHTTP_CLIENT.close()
        server_utils._GLOBAL_AIOHTTP_CLIENT = None


def texts(q: dict) -> list[str]:
    gold = q["answer_idx"]
    wrong = next(letter for letter in q["options"] if letter != gold)
    case = q["question"][:150]
    return [
        f"<dx>The case: {case} Option {wrong} does not fit.</dx><conclusion>\\boxed{{{gold}}}</conclusion>",
        f"<dx>The case: {case}</dx><conclusion>\\boxed{{{wrong}}}</conclusion>",
    ]


def reference(server: LiveServer, q: dict, text: str) -> dict:
    item = {"response": text, "question": q["question"], "options": q["options"], "answer": q["answer_idx"]}
    return httpx.post(f"{server.url}/v1/score", json={"items": [item]}, timeout=60).json()["results"][0]


@pytest.mark.parametrize("with_fields", [True, False], ids=["row-fields", "parsed-from-prompt"])
def test_verify_answers_reward_and_components(
    resources_server: ServerClient, live_server: LiveServer, medqa_test: list[dict], with_fields: bool
) -> None:
    cases = [(q, text) for q in medqa_test[:2] for text in texts(q)]
    answers = asyncio.run(verify_all(resources_server, [rollout(q, t, with_fields=with_fields) for q, t in cases]))
    for (q, text), answer in zip(cases, answers, strict=True):
        BaseVerifyResponse.model_validate(answer)  # NeMo Gym's own model of a verify answer
        expected = reference(live_server, q, text)
        assert answer["reward"] == pytest.approx(expected["total"], abs=1e-9)
        assert answer["reward_components"] == {name: expected[name] for name in OBJECTIVES}
        assert {name: answer[name] for name in OBJECTIVES} == {name: expected[name] for name in OBJECTIVES}
        assert answer["status"] == expected.get("status", "scored")
        assert answer["response"]["output"][0]["content"][0]["text"] == text  # the request is echoed back
    assert answers[0]["reward"] > answers[1]["reward"]


def test_aggregate_metrics_profiles_each_objective(resources_server: ServerClient, medqa_test: list[dict]) -> None:
    """NeMo Gym's own `/aggregate_metrics` reads our top-level objective fields (the rollout indices are the
    ones NeMo Gym's rollout collection attaches to each result)."""
    keys = [(task, n) for task in range(2) for n in range(2)]
    bodies = [rollout(q, t) for q in medqa_test[:2] for t in texts(q)]

    async def run() -> dict:
        answers = await verify_all(resources_server, bodies)
        answers = [
            a | {TASK_INDEX_KEY_NAME: t, ROLLOUT_INDEX_KEY_NAME: n} for a, (t, n) in zip(answers, keys, strict=True)
        ]
        set_global_aiohttp_client(GlobalAIOHTTPAsyncClientConfig())
        try:
            response = await resources_server.post(
                server_name=NAME, url_path="/aggregate_metrics", json={"verify_responses": answers}
            )
            await raise_for_status(response)
            return await get_response_json(response)
        finally:
            await global_aiohttp_client_exit_async()

    metrics = asyncio.run(run())
    flat = repr(metrics)
    for name in ("reward", "accuracy", "faithfulness", "comprehensiveness"):
        assert name in flat, name
