"""The config hash (deterministic across processes), the lexicon version it reads, the monitors' group
signals and the vacuous-verdict labels (the scorer's `status` when present, else the proxy)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from crpo_core.monitors import group_signals, summarise_items
from reward_service.nlp.lexicon import Lexicon
from reward_service.scoring.identity import config_hash, lexicon_version, score_config
from schemas import ScoreRequest, Weights
from tests.live import ROOT

HASH_SNIPPET = (
    "from reward_service.scoring.identity import config_hash, score_config\n"
    "from schemas import ScoreRequest, Weights\n"
    "request = ScoreRequest(items=[], accuracy_mode='clinical_r1', profile='r1')\n"
    "print(config_hash(score_config(request, Weights(faithfulness=2.0), ['accuracy', 'faithfulness'])))\n"
)


def test_the_config_hash_is_the_same_in_every_process() -> None:
    request = ScoreRequest(items=[], accuracy_mode="clinical_r1", profile="r1")
    here = config_hash(score_config(request, Weights(faithfulness=2.0), ["accuracy", "faithfulness"]))
    seen = set()
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-c", HASH_SNIPPET], env=env, capture_output=True, text=True, cwd=ROOT)
        assert done.returncode == 0, done.stderr
        seen.add(done.stdout.strip())
    assert seen == {here}


def test_the_config_hash_changes_with_each_setting() -> None:
    base = ScoreRequest(items=[])
    objectives = ["accuracy", "faithfulness", "comprehensiveness", "format"]
    reference = config_hash(score_config(base, Weights(), objectives))
    variants = [
        score_config(base, Weights(format=0.5), objectives),
        score_config(base, Weights(), objectives[:2]),
        score_config(base.model_copy(update={"accuracy_mode": "clinical_r1"}), Weights(), objectives),
        score_config(base.model_copy(update={"profile": "crpo"}), Weights(), objectives),
        {**score_config(base, Weights(), objectives), "lexicon_version": "other"},
        {**score_config(base, Weights(), objectives), "spec_version": "other"},
    ]
    hashes = {config_hash(v) for v in variants}
    assert reference not in hashes and len(hashes) == len(variants)


def test_the_lexicon_version_is_the_loaded_lexicons() -> None:
    assert lexicon_version() == Lexicon.load(with_analytes=False).version != "unknown"


def test_group_signals_name_the_objective_that_alone_decides() -> None:
    weights = Weights().model_dump()
    rows = [
        # g1: accuracy ties, only comprehensiveness varies -> decided by comprehensiveness
        {"accuracy": 1.0, "faithfulness": 0.5, "comprehensiveness": 0.2},
        {"accuracy": 1.0, "faithfulness": 0.5, "comprehensiveness": 0.9},
        # g2: accuracy varies (weight 10) and dominates the small faithfulness spread
        {"accuracy": 1.0, "faithfulness": 0.5, "comprehensiveness": 0.5},
        {"accuracy": -1.0, "faithfulness": 0.6, "comprehensiveness": 0.5},
        # g3: faithfulness and comprehensiveness vary alike: neither decides alone
        {"accuracy": 1.0, "faithfulness": 0.2, "comprehensiveness": 0.2},
        {"accuracy": 1.0, "faithfulness": 0.8, "comprehensiveness": 0.8},
        # g4: no spread at all; a singleton; an unscorable (None) row
        {"accuracy": 1.0, "faithfulness": 0.5, "comprehensiveness": 0.5},
        {"accuracy": 1.0, "faithfulness": 0.5, "comprehensiveness": 0.5},
        {"accuracy": 1.0, "faithfulness": 0.5, "comprehensiveness": 0.5},
        None,
    ]
    ids = ["g1", "g1", "g2", "g2", "g3", "g3", "g4", "g4", "g5", "g1"]
    signals = group_signals(ids, rows, weights)
    assert (signals.groups, signals.spread_groups) == (4, 3)
    assert signals.decided == {"accuracy": 1, "faithfulness": 0, "comprehensiveness": 1}
    shares = signals.shares()
    assert shares["decided_by_share"]["comprehensiveness"] == pytest.approx(1 / 3)
    assert shares["zero_spread_share"] == {
        "total": 0.25,
        "accuracy": 0.75,
        "faithfulness": 0.5,
        "comprehensiveness": 0.5,
    }
    # the order of the items changes nothing
    order = [9, 3, 1, 7, 5, 0, 8, 2, 6, 4]
    assert group_signals([ids[i] for i in order], [rows[i] for i in order], weights) == signals


def test_item_summary_is_a_ratio_of_sums() -> None:
    items = [
        {"response_chars": 100, "option_verdicts": 4, "vacuous_verdicts": 4, "all_options_accepted": False},
        {"response_chars": 300, "option_verdicts": 1, "vacuous_verdicts": 0, "all_options_accepted": True},
        {"response_chars": 200, "option_verdicts": 0, "vacuous_verdicts": 0, "copied_share": 0.5},
        None,
    ]
    summary = summarise_items(items)
    assert summary["items"] == 3 and summary["response_chars_mean"] == 200 and summary["response_chars_max"] == 300
    assert summary["vacuous_verdict_share"] == 0.8 and summary["all_options_accepted_share"] == 0.5
    assert summary["copied_share_mean"] == 0.5 and summary["repeated_share_mean"] is None


def test_monitors_count_the_scorers_own_option_labels() -> None:
    from reward_service.scoring.engine import ScoringEngine

    template = (
        "<dx>A. Influenza — accepted, because it fits the case.\n"
        "B. Lyme disease — rejected: no erythema migrans and no tick exposure.\n"
        "C. Sarcoidosis — rejected, because it does not fit the case.</dx>"
        "<conclusion>Influenza is the diagnosis. \\boxed{A}</conclusion>"
    )
    item = {
        "response": template,
        "question": "A 30-year-old man has fever, myalgia and cough for 2 days in January.",
        "options": {"A": "Influenza", "B": "Lyme disease", "C": "Sarcoidosis"},
        "answer": "A",
    }
    result = ScoringEngine().score(ScoreRequest(items=[item], details=True)).results[0]
    statuses = [o.status for o in result.details.comprehensiveness.options]
    assert statuses == ["vacuous", "specific", "vacuous"]
    assert result.monitors.option_verdicts == 3 and result.monitors.vacuous_verdicts == 2
