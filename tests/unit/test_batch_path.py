"""The one batch path of the scoring protocols (`reward_service.api.batch.score_batch`), in-process with the
real engine on the accuracy objectives (no NLP layer): places, limits, slices, error places, advantages.

Over HTTP, every protocol's answers are covered by tests/integration (score, alias, OpenRLHF, slime, status
and monitors) and tests/reliability/test_guard.py (errors named across slices, admission).
"""

from __future__ import annotations

import pytest

from crpo_core.advantages import compute_advantages
from crpo_core.objective import OBJECTIVE_ORDER
from reward_service.api.batch import SLICE_ITEMS, GroupAdvantages, score_batch, slices
from reward_service.api.guard import Guard, Ticket
from reward_service.api.openrlhf import locate as openrlhf_locate
from reward_service.api.slime import locate as slime_locate
from reward_service.config import Settings
from reward_service.errors import RequestProblem
from reward_service.scoring.engine import ScoringEngine
from schemas import ScoredItem, ScoreItem, ScoreRequest

OPTIONS = {"A": "Aspirin", "B": "Paracetamol", "C": "Ibuprofen"}
ACCURACY = ("accuracy", "format")


def item(letter: str | None, group: str | None = "g", answer: str | None = "B") -> ScoreItem:
    response = "I weigh the options." + (f" \\boxed{{{letter}}}" if letter else "")
    return ScoreItem(response=response, options=OPTIONS, answer=answer, group_id=group)


def run(request: ScoreRequest, settings: Settings | None = None, **kwargs):
    settings = settings or Settings(preload_nlp=False)
    ticket = Ticket(Guard(settings).admission)
    return score_batch(ScoringEngine(settings.weights), settings, ticket, request, ACCURACY, **kwargs), ticket


def test_results_do_not_depend_on_slicing_and_advantages_cover_the_whole_batch() -> None:
    items = [item("BAC"[i % 3], group=f"q{i % 7}") for i in range(3 * SLICE_ITEMS + 5)]
    assert len(list(slices(items))) == 4
    batch, ticket = run(ScoreRequest(items=items, advantages="sum"))
    whole = ScoringEngine().score(ScoreRequest(items=items), ACCURACY)
    assert [r.total for r in batch.response.results] == [r.total for r in whole.results]
    expected = compute_advantages(
        [i.group_id for i in items], [r.model_dump(include=set(OBJECTIVE_ORDER)) for r in whole.results],
        whole.weights.model_dump(), "sum",
    )  # fmt: skip
    assert [r.advantage for r in batch.response.results] == expected.advantages
    assert batch.response.advantage_diagnostics == expected.diagnostics
    assert batch.scored == list(range(len(items))) and ticket.items == len(items)


def test_given_items_keep_their_places_and_count_against_the_limits() -> None:
    given = {0: ScoredItem(group_id="g", accuracy=1.0), 3: ScoredItem(group_id="g", accuracy=-1.0, format=1.0)}
    request = ScoreRequest(items=[item("B"), item("A"), item(None)], weights={"format": 2.0})
    plan = GroupAdvantages("sum", skip_unscorable=False)
    batch, ticket = run(request, given=given, advantages=plan)
    results = batch.response.results
    assert batch.scored == [1, 2, 4] and ticket.items == 5
    assert [r.accuracy for r in results] == [1.0, 1.0, 0.0, -1.0, -1.0]
    assert results[3].total == -10.0 + 2.0  # a given item's total uses the request's weights
    assert batch.response.weights.format == 2.0 and all(r.advantage is not None for r in results)
    with pytest.raises(RequestProblem) as info:
        run(request, Settings(preload_nlp=False, max_items=4), given=given, advantages=plan)
    assert info.value.status == 413 and "5 items exceed the limit of 4" in info.value.msg


def test_an_error_names_the_item_by_its_place_in_the_request() -> None:
    items = [item("B") for _ in range(SLICE_ITEMS + 10)]
    items[SLICE_ITEMS + 3] = item("B", answer="Z")  # an answer that is no option: 422 from the second slice
    with pytest.raises(RequestProblem) as info:
        run(ScoreRequest(items=items))
    assert info.value.loc == ("items", SLICE_ITEMS + 3, "answer")
    # with items given before it, its place moves past them; a protocol names it in its own terms
    given = {0: ScoredItem(group_id="g", accuracy=1.0)}
    with pytest.raises(RequestProblem) as info:
        run(ScoreRequest(items=items), given=given)
    assert info.value.loc == ("items", SLICE_ITEMS + 4, "answer")
    for locate, place in ((openrlhf_locate, ("labels", SLICE_ITEMS + 3)), (slime_locate, ("label", SLICE_ITEMS + 3))):
        with pytest.raises(RequestProblem) as info:
            run(ScoreRequest(items=items), locate=locate)
        assert info.value.loc == place
    long = ScoreRequest(items=[item("B"), item("B")])
    with pytest.raises(RequestProblem) as info:
        run(long, Settings(preload_nlp=False, max_response_chars=10), locate=openrlhf_locate)
    assert info.value.status == 413 and info.value.loc == ("query", 0)


def test_unscorable_items_sit_out_their_group_unless_the_protocol_ranks_every_item() -> None:
    items = [item("B"), item("A"), item("B", answer=None)]  # no gold: unscorable
    batch, _ = run(ScoreRequest(items=items, advantages="sum"))
    assert batch.response.results[2].status == "unscorable" and batch.response.results[2].advantage is None
    assert batch.response.results[0].advantage == -batch.response.results[1].advantage != 0
    ranked, _ = run(ScoreRequest(items=items), advantages=GroupAdvantages("sum", skip_unscorable=False))
    assert all(r.advantage is not None for r in ranked.response.results)


def test_overflowing_weights_are_a_422_naming_the_weights() -> None:
    request = ScoreRequest(items=[item("B"), item("A")], weights={"accuracy": 1e308}, advantages="sum")
    with pytest.raises(RequestProblem) as info:
        run(request)
    assert info.value.status == 422 and info.value.loc == ("weights",)
