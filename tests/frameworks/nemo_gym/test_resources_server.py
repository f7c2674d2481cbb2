"""The `crpo_medical` NeMo Gym resources server, called through NeMo Gym's own client (nemo-gym 0.4.0).

The servers are NeMo Gym's apps as `run_webserver` builds them (`setup_webserver()` and its exception
middleware, without the Ray head and hydra config that `ng_run` adds) on loopback: our resources server,
NeMo Gym's own `SimpleAgent` (the agent `configs/crpo_medical.yaml` names) and a scripted Responses-API
model. Requests are made as NeMo Gym makes them: `ServerClient.post(server_name=..., url_path=...)` with
its global aiohttp client, `raise_for_status`, `get_response_json`, answers validated with NeMo Gym's
`BaseVerifyResponse`; whole rollouts go through `RolloutCollectionHelper.run_examples` (the interface
`ng_collect_rollouts` and NeMo RL's NeMo Gym environment use) to the agent's `/run`. Runs in `.venv-nemo`
(Python 3.12; make .venv-nemo/.nemo).
"""

from __future__ import annotations

import asyncio
import threading
import time

import httpx
import orjson
import pytest
import uvicorn
from aiohttp import ClientResponseError
from fastapi import FastAPI
from nemo_gym.base_resources_server import BaseVerifyResponse
from nemo_gym.config_types import BaseServerConfig, ModelServerRef, ResourcesServerRef
from nemo_gym.global_config import (
    AGENT_REF_KEY_NAME,
    ROLLOUT_INDEX_KEY_NAME,
    TASK_INDEX_KEY_NAME,
    get_first_server_config_dict,
)
from nemo_gym.openai_utils import NeMoGymResponse, NeMoGymResponseCreateParamsNonStreaming
from nemo_gym.rollout_collection import RolloutCollectionHelper
from nemo_gym.server_utils import (
    GlobalAIOHTTPAsyncClientConfig,
    ServerClient,
    get_response_json,
    raise_for_status,
    set_global_aiohttp_client,
)
from omegaconf import OmegaConf
from pydantic import ValidationError
from responses_api_agents.simple_agent.app import SimpleAgent, SimpleAgentConfig, SimpleAgentVerifyResponse

from schemas import OBJECTIVES
from schemas.prompt import chat_messages
from tests.live import LiveServer, free_port
from trainer_client.integrations.nemo_gym.app import (
    CRPOResourcesServer,
    CRPOResourcesServerConfig,
    CRPOVerifyRequest,
)

NAME = "crpo_medical"
AGENT = "crpo_medical_simple_agent"
MODEL = "policy_model"
#: what the scripted model answers every request with
POLICY_TEXT = "<dx>The presentation fits option A best; the others do not.</dx><conclusion>\\boxed{A}</conclusion>"


def uvicorn_server(app: FastAPI, port: int) -> uvicorn.Server:
    return uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))


def serve(app: FastAPI, port: int) -> tuple[uvicorn.Server, threading.Thread]:
    """The app on its own thread (and event loop): for servers that make no NeMo Gym client calls."""
    server = uvicorn_server(app, port)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    return server, thread


def scripted_model() -> FastAPI:
    """A Responses-API model server that answers `POLICY_TEXT` (what the agent's `/v1/responses` calls)."""
    app = FastAPI()

    @app.post("/v1/responses")
    async def responses() -> dict:
        return response_object(POLICY_TEXT).model_dump()

    return app


@pytest.fixture(scope="module")
def resources_server(live_server: LiveServer):
    ports = {name: free_port() for name in (NAME, AGENT, MODEL)}
    config = CRPOResourcesServerConfig(
        host="127.0.0.1", port=ports[NAME], entrypoint="app.py", name=NAME, reward_url=live_server.url
    )
    head = BaseServerConfig(host="127.0.0.1", port=free_port())
    global_config = OmegaConf.create(
        {
            NAME: {"resources_servers": {NAME: {"host": "127.0.0.1", "port": ports[NAME]}}},
            AGENT: {"responses_api_agents": {"simple_agent": {"host": "127.0.0.1", "port": ports[AGENT]}}},
            MODEL: {"responses_api_models": {"scripted": {"host": "127.0.0.1", "port": ports[MODEL]}}},
        }
    )
    client = ServerClient(head_server_config=head, global_config_dict=global_config)
    resources = CRPOResourcesServer(config=config, server_client=client)
    app = resources.setup_webserver()
    resources.setup_exception_middleware(app)  # as `run_webserver` does
    server, thread = serve(app, ports[NAME])
    yield client
    server.should_exit = True
    thread.join(10)


def port_of(client: ServerClient, name: str) -> int:
    return get_first_server_config_dict(client.global_config_dict, name).port


def simple_agent(client: ServerClient) -> FastAPI:
    """NeMo Gym's `SimpleAgent` app, wired to our resources server and the scripted model."""
    agent_config = SimpleAgentConfig(
        host="127.0.0.1",
        port=port_of(client, AGENT),
        entrypoint="app.py",
        name=AGENT,
        resources_server=ResourcesServerRef(type="resources_servers", name=NAME),
        model_server=ModelServerRef(type="responses_api_models", name=MODEL),
    )
    agent = SimpleAgent(config=agent_config, server_client=client)
    app = agent.setup_webserver()
    agent.setup_exception_middleware(app)
    return app


def response_object(text: str) -> NeMoGymResponse:
    return NeMoGymResponse(
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


def create_params(messages: list[dict]) -> NeMoGymResponseCreateParamsNonStreaming:
    return NeMoGymResponseCreateParamsNonStreaming(
        input=[{"role": "developer" if m["role"] == "system" else m["role"], "content": m["content"]} for m in messages]
    )


def rollout(q: dict, text: str, *, with_fields: bool = True) -> dict:
    params = create_params(chat_messages(q["question"], q["options"]))
    fields = {"question": q["question"], "options": q["options"], "answer": q["answer_idx"]} if with_fields else {}
    if not with_fields:
        fields = {"answer": q["answer_idx"]}
    return CRPOVerifyRequest(responses_create_params=params, response=response_object(text), **fields).model_dump()


def unscorable_rows(q: dict) -> dict[str, dict]:
    """Dataset rows (without `response`) the service cannot score: no gold answer; no options anywhere."""
    no_gold = {
        "responses_create_params": create_params(chat_messages(q["question"], q["options"])).model_dump(),
        "question": q["question"],
        "options": q["options"],
        "answer": None,
    }
    no_options = {
        "responses_create_params": create_params(
            [{"role": "user", "content": f"Question: {q['question']}"}]
        ).model_dump(),
        "question": q["question"],
        "answer": q["answer_idx"],
    }
    return {"gold_missing": no_gold, "no_options": no_options}


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
        weights = {"accuracy": 10.0, "faithfulness": 1.0, "comprehensiveness": 1.0}  # the service's defaults
        assert answer["reward_components"] == {name: w * expected[name] for name, w in weights.items()}
        # NeMo RL's multi-reward bridge (validate_reward_components_match_scalar) requires this
        assert sum(answer["reward_components"].values()) == pytest.approx(answer["reward"], rel=1e-5)
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


async def post_verify(client: ServerClient, body: dict) -> dict:
    """`/verify` as NeMo Gym's agent posts it; the error NeMo Gym's `raise_for_status` raises, as a dict."""
    set_global_aiohttp_client(GlobalAIOHTTPAsyncClientConfig())
    try:
        response = await client.post(server_name=NAME, url_path="/verify", json=body)
        try:
            await raise_for_status(response)
        except ClientResponseError as error:
            return {"status": error.status, "content": orjson.loads(error.response_content)}
        return {"status": response.status, "content": await get_response_json(response)}
    finally:
        await global_aiohttp_client_exit_async()


def test_verify_refuses_an_unscorable_item_with_its_reason(
    resources_server: ServerClient, medqa_test: list[dict]
) -> None:
    """No reward, not even 0.0: NeMo Gym's verify response has no "not a reward" field, so `/verify` answers
    422 with the service's status and reason, which NeMo Gym's `raise_for_status` raises."""
    for reason, row in unscorable_rows(medqa_test[0]).items():
        body = CRPOVerifyRequest(**row, response=response_object(POLICY_TEXT)).model_dump()
        answer = asyncio.run(post_verify(resources_server, body))
        assert answer["status"] == 422, reason
        detail = answer["content"]["detail"]
        assert detail["status"] == "unscorable" and detail["status_reason"] == reason
        assert "reward" not in answer["content"]


def test_rollouts_through_the_simple_agent(
    resources_server: ServerClient, live_server: LiveServer, medqa_test: list[dict]
) -> None:
    """Whole rollouts through NeMo Gym's rollout collection (`run_examples`) and its `SimpleAgent`'s `/run`
    (seed session, the model's `/v1/responses`, `/verify`): a scorable row comes back with the service's
    reward; an unscorable one fails its rollout (the agent answers 500 carrying our reason), so NeMo Gym
    has no reward to train on: `ng_collect_rollouts` stops, NeMo RL fails the rollout (an infrastructure
    failure by its 500: retried, then the prompt dropped or the run stopped)."""
    q = medqa_test[0]
    scorable = {key: value for key, value in rollout(q, POLICY_TEXT).items() if key != "response"}
    rows = {"scored": scorable, **unscorable_rows(q)}
    examples = [{**row, AGENT_REF_KEY_NAME: {"name": AGENT}} for row in rows.values()]

    class Rollouts(RolloutCollectionHelper):
        def setup_server_client(self, head_server_config=None) -> ServerClient:  # no head server here
            return resources_server

    async def collect() -> dict[str, object]:
        # The agent calls NeMo Gym's global aiohttp client, which belongs to one event loop: it is served
        # on this one, as a NeMo Gym server process serves on its own.
        servers = [
            uvicorn_server(simple_agent(resources_server), port_of(resources_server, AGENT)),
            uvicorn_server(scripted_model(), port_of(resources_server, MODEL)),
        ]
        tasks = [asyncio.create_task(server.serve()) for server in servers]
        set_global_aiohttp_client(GlobalAIOHTTPAsyncClientConfig())
        outcomes: dict[str, object] = {}
        try:
            while not all(server.started for server in servers):
                await asyncio.sleep(0.01)
            for case, example in zip(rows, examples, strict=True):
                (future,) = Rollouts().run_examples([example])
                try:
                    _row, outcomes[case] = await future
                except ClientResponseError as error:
                    outcomes[case] = error
            return outcomes
        finally:
            await global_aiohttp_client_exit_async()
            for server in servers:
                server.should_exit = True
            await asyncio.gather(*tasks)

    outcomes = asyncio.run(collect())
    result = outcomes["scored"]
    assert isinstance(result, dict)
    BaseVerifyResponse.model_validate(result)
    expected = reference(live_server, q, POLICY_TEXT)
    assert result["reward"] == pytest.approx(expected["total"], abs=1e-9)
    assert result["status"] == "scored"
    with pytest.raises(ValidationError):  # why no null reward: NeMo Gym's agent validates `reward: float`
        SimpleAgentVerifyResponse.model_validate({**result, "reward": None})
    for reason in ("gold_missing", "no_options"):
        error = outcomes[reason]
        assert isinstance(error, ClientResponseError), reason
        assert error.status == 500  # the agent's exception middleware: an inner server failed
        assert f'"status_reason":"{reason}"' in orjson.loads(error.response_content)
