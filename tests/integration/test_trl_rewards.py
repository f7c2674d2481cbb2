"""The TRL reward functions against the real service, called the way TRL's GRPOTrainer calls them."""

from __future__ import annotations

import asyncio
import inspect
import json

import pytest

from schemas.prompt import chat_messages
from tests.live import LiveServer
from trainer_client import RewardClient
from trainer_client.trl_rewards import CRPORewards

OPTIONS = {"A": "Myocardial infarction", "B": "Pulmonary embolism", "C": "Aortic dissection"}
QUESTION = "A 61-year-old man has crushing chest pain radiating to the left arm. What is the diagnosis?"
COMPLETIONS = [
    "<dx>Crushing pain to the arm: infarction; B and C fit less.</dx><conclusion>Infarction. \\boxed{A}</conclusion>",
    "<dx>Sudden dyspnoea would suggest embolism.</dx><conclusion>Embolism it is. \\boxed{B}</conclusion>",
    "<dx>Tearing pain.</dx><conclusion>No decision.</conclusion>",
    "<think>short</think><answer>\\boxed{Z}</answer>",
]


def trl_call(crpo: CRPORewards, functions: list, conversational: bool, columns: dict) -> list[list[float | None]]:
    """As GRPOTrainer._calculate_rewards: every async function gathered on one loop, same arguments."""
    prompt = chat_messages(QUESTION, OPTIONS)
    prompts = [prompt if conversational else prompt[-1]["content"]] * len(COMPLETIONS)
    completions = [[{"role": "assistant", "content": c}] if conversational else c for c in COMPLETIONS]

    async def run() -> list[list[float | None]]:
        return list(
            await asyncio.gather(
                *(
                    f(prompts=prompts, completions=completions, completion_ids=[[1]] * 4, trainer_state=None, **columns)
                    for f in functions
                )
            )
        )

    return asyncio.run(run())


def test_functions_are_async_named_for_trl_logs_and_share_one_request(live_server: LiveServer) -> None:
    crpo = CRPORewards(live_server.url)
    functions = crpo.functions(("accuracy", "faithfulness", "comprehensiveness", "format"), total=True)
    names = [f.__name__ for f in functions]
    assert names == ["crpo_accuracy", "crpo_faithfulness", "crpo_comprehensiveness", "crpo_format", "crpo_total"]
    assert all(inspect.iscoroutinefunction(f) for f in functions)
    columns = {"question": [QUESTION] * 4, "options": [OPTIONS] * 4, "answer": ["A"] * 4}
    values = trl_call(crpo, functions, conversational=True, columns=columns)
    assert crpo.requests_sent == 1  # five functions, one POST /v1/score
    with RewardClient(live_server.url) as client:
        items = [{"response": c, "question": QUESTION, "options": OPTIONS, "answer": "A"} for c in COMPLETIONS]
        reference = client.score(items)
    for name, column in zip(("accuracy", "faithfulness", "comprehensiveness", "format", "total"), values, strict=True):
        assert column == [getattr(r, name) for r in reference]  # null stays None (TRL: NaN, left out of means)
    assert values[0] == [1.0, 0.0, -1.0, -0.5]


def test_question_and_options_parsed_from_the_prompt_and_other_column_shapes(live_server: LiveServer) -> None:
    crpo = CRPORewards(live_server.url)
    parsed = trl_call(crpo, [crpo.accuracy], conversational=False, columns={"answer": ["A"] * 4})
    assert parsed == [[1.0, 0.0, -1.0, -0.5]]
    # an HF struct column pads missing letters with None; JSON strings and lists are accepted too
    padded = {**OPTIONS, "D": None, "E": None}
    for options in (padded, json.dumps(OPTIONS), list(OPTIONS.values())):
        columns = {"question": [QUESTION] * 4, "options": [options] * 4, "answer": ["A"] * 4}
        assert trl_call(crpo, [crpo.accuracy], conversational=True, columns=columns) == parsed
    renamed = CRPORewards(live_server.url, question_key="stem", options_key="choices", answer_key="gold")
    columns = {"stem": [QUESTION] * 4, "choices": [OPTIONS] * 4, "gold": ["A"] * 4}
    assert trl_call(renamed, [renamed.accuracy], conversational=True, columns=columns) == parsed


def test_missing_gold_column_and_unparsable_prompt_fail_clearly(live_server: LiveServer) -> None:
    crpo = CRPORewards(live_server.url)
    with pytest.raises(KeyError, match="'answer' column"):
        trl_call(crpo, [crpo.accuracy], conversational=True, columns={})

    async def unparsable() -> None:
        await crpo.accuracy(prompts=["What is 2+2?"], completions=["\\boxed{4}"], answer=["4"])

    with pytest.raises(ValueError, match="not a CRPO prompt"):
        asyncio.run(unparsable())


def test_unscorable_items_are_none_in_every_function(live_server: LiveServer) -> None:
    """No gold answer (or a letter gold without options): every function gives None, which TRL ≥ 1.6 reads as
    an unscorable completion (left out of its group's baseline, advantage 0)."""
    crpo = CRPORewards(live_server.url)
    functions = crpo.functions(("accuracy", "faithfulness", "comprehensiveness", "format"), total=True)
    columns = {
        "question": [QUESTION] * 4,
        "options": [OPTIONS, OPTIONS, None, OPTIONS],
        "answer": ["A", None, "A", "A"],
    }
    values = trl_call(crpo, functions, conversational=False, columns=columns)
    for column in values:
        assert column[1] is None and column[2] is None
    assert all(v is not None for v in (values[0][0], values[0][3], values[4][0], values[4][3]))
