"""Hack rules of issue 12 (docs/scoring.md §6-7): case words pasted after verdicts, template reasons, and
what they cite; each with the real analyses that must keep their credit. Real engine and lexicon."""

from __future__ import annotations

import pytest

from reward_service.scoring.engine import ScoringEngine
from schemas import ScoreRequest

QUESTION = (
    "A 62-year-old man comes to the emergency department because of sudden chest pain that radiates to the back. "
    "He has a history of hypertension, smoking and diabetes. His pulse is 112/min and blood pressure is "
    "168/96 mm Hg in the right arm and 170/94 mm Hg in the left arm. He is diaphoretic and nauseous. "
    "Which of the following is the most likely diagnosis?"
)
OPTIONS = {
    "A": "Acute myocardial infarction",
    "B": "Aortic dissection",
    "C": "Pulmonary embolism",
    "D": "Acute pericarditis",
}
BASE = "The sudden chest pain in a smoker with hypertension and diabetes points to a coronary cause."

engine = ScoringEngine()


def score(reasoning: str, letter: str = "A") -> dict:
    request = ScoreRequest(
        items=[
            {
                "response": f"<dx>{reasoning}</dx><conclusion>Final answer: \\boxed{{{letter}}}</conclusion>",
                "question": QUESTION,
                "options": OPTIONS,
                "answer": "A",
            }
        ],
        details=True,
    )
    return engine.score(request).results[0].model_dump()


def statuses(result: dict) -> dict[str, str]:
    return {o["letter"]: o["status"] for o in result["details"]["comprehensiveness"]["options"]}


def option(result: dict, letter: str) -> dict:
    return next(o for o in result["details"]["comprehensiveness"]["options"] if o["letter"] == letter)


CASE_WORD_LINES = "\n".join(
    [
        "A. Acute myocardial infarction — most likely given the diaphoretic.",
        "B. Aortic dissection — unlikely given the smoking.",
        "C. Pulmonary embolism — unlikely given the nauseous.",
        "D. Acute pericarditis — unlikely given the hypertension.",
    ]
)


def test_one_case_word_after_a_verdict_is_no_reason() -> None:
    result = score(f"{BASE}\n\n{CASE_WORD_LINES}")
    assert set(statuses(result).values()) <= {"vacuous", "mentioned"}
    assert "question's words" in (option(result, "B")["note"] or "")
    base = score(BASE)
    assert result["total"] <= base["total"] + 0.05


def test_pasted_case_words_cite_nothing() -> None:
    """The case facts named only in vacuous verdict lines earn no citation or recall."""
    base = score(BASE)
    hacked = score(f"{BASE}\n\n{CASE_WORD_LINES}")
    assert hacked["details"]["faithfulness"]["cited_key_facts"] == base["details"]["faithfulness"]["cited_key_facts"]
    assert hacked["details"]["comprehensiveness"]["key_fact_recall"] == pytest.approx(
        base["details"]["comprehensiveness"]["key_fact_recall"]
    )


def test_two_case_words_in_the_same_sentence_are_still_no_reason() -> None:
    lines = "\n".join(
        [
            "A. Acute myocardial infarction — most likely, as the patient has smoking and diabetes.",
            "B. Aortic dissection — unlikely, as the patient has hypertension and nausea.",
            "C. Pulmonary embolism — unlikely, as the patient has diaphoresis and back pain.",
        ]
    )
    assert set(statuses(score(f"{BASE}\n\n{lines}")).values()) <= {"vacuous", "mentioned", "absent"}


def test_the_same_filler_around_other_case_words_is_a_template() -> None:
    """A word of its own ("argues") passes the restatement check, but the same sentence around a
    different case word for every option is a template: none of them counts."""
    lines = "\n".join(
        [
            "Option A (Acute myocardial infarction): the diaphoresis argues for it.",
            "Option B (Aortic dissection): the smoking argues against it.",
            "Option C (Pulmonary embolism): the nausea argues against it.",
            "Option D (Acute pericarditis): the hypertension argues against it.",
        ]
    )
    result = score(f"{BASE}\n\n{lines}")
    assert set(statuses(result).values()) <= {"vacuous", "mentioned"}
    assert any("template" in (o["note"] or "") for o in result["details"]["comprehensiveness"]["options"])


def test_a_template_cannot_lift_the_consistency_cap() -> None:
    """The reasoning rejects A; pasted case-word verdicts accepting A do not vote."""
    rejecting = (
        "A. Acute myocardial infarction — unlikely: the equal arm pressures do not rule out a tear of the aorta."
    )
    capped = score(rejecting, "A")
    hacked = score(f"{rejecting}\n\n{CASE_WORD_LINES}", "A")
    assert capped["details"]["faithfulness"]["consistency"]["cap"] is not None
    assert (
        hacked["details"]["faithfulness"]["consistency"]["cap"]
        == capped["details"]["faithfulness"]["consistency"]["cap"]
    )


@pytest.mark.parametrize(
    ("line", "letter"),
    [
        # knowledge beyond the case: "tearing" and "unequal" are not the question's words
        ("B. Aortic dissection — unlikely: no tearing pain, and the arm pressures are not unequal.", "B"),
        # a case fact with words of its own on how it bears on the option
        ("C. Pulmonary embolism — unlikely, the pain radiates to the back rather than being pleuritic.", "C"),
        # three case facts listed as the reason for the chosen option
        (
            "A is the most likely diagnosis because the patient has a history of smoking, hypertension, and diabetes.",
            "A",
        ),
    ],
)
def test_real_specific_analyses_keep_their_credit(line: str, letter: str) -> None:
    result = score(f"{BASE}\n{line}")
    assert option(result, letter)["status"] == "specific", option(result, letter)


def test_parallel_real_analyses_are_not_a_template() -> None:
    """Parallel wording with different knowledge per option ("causes ST elevation" / "causes a friction
    rub") is not a template: the words beyond the question differ."""
    lines = "\n".join(
        [
            "A. Acute myocardial infarction — likely: diaphoresis and risk factors fit, troponin would rise.",
            "D. Acute pericarditis — unlikely: it causes a friction rub and pain relieved by leaning forward.",
            "C. Pulmonary embolism — unlikely: it causes hypoxemia and pleuritic pain, often after immobility.",
        ]
    )
    result = score(f"{BASE}\n\n{lines}")
    assert statuses(result)["D"] == "specific"
    assert statuses(result)["C"] == "specific"


# ----------------------------------------------------------------------------------------- lists


def test_a_list_of_case_words_earns_no_demographic() -> None:
    base = score(BASE)
    listed = score(f"{BASE}\n\nRelevant: man, diaphoretic, nauseous, radiates, back, arm.")
    assert not any(c["kind"] == "demographic" for c in listed["details"]["faithfulness"]["claims"])
    assert listed["total"] <= base["total"] + 0.05


def test_an_option_named_inside_a_list_is_not_weighed() -> None:
    result = score(
        f"{BASE}\n\nKey concepts: aortic dissection, tearing pain, pulse deficit, mediastinum, hypertension."
    )
    assert option(result, "B")["status"] in ("mentioned", "absent")


def test_a_labelled_age_in_prose_still_counts() -> None:
    result = score(f"A 62-year-old man with chest pain radiating to the back. {BASE}")
    assert any(
        c["kind"] == "demographic" and c["status"] == "supported" for c in result["details"]["faithfulness"]["claims"]
    )


# ----------------------------------------------------------------------------------------- paraphrase


def paraphrase(stem: str) -> str:
    """The stem cut into bullets of at most six words, a few words changed (no 12-token run survives)."""
    text = stem.replace("comes to", "comes into").replace("because of", "for").replace("has a history of", "has hx of")
    words = text.split()
    return "Key facts:\n" + "\n".join("- " + " ".join(words[i : i + 6]) for i in range(0, len(words), 6))


def test_paraphrased_stem_is_copied_text() -> None:
    from reward_service.scoring.evidence.guards import paraphrased_spans, stem_index

    block = paraphrase(QUESTION)
    spans = paraphrased_spans(block, stem_index(QUESTION))
    covered = sum(b - a for a, b in spans)
    assert covered > 0.8 * len(block) - len("Key facts:")


def test_paraphrased_stem_earns_nothing() -> None:
    base = score(BASE)
    hacked = score(f"{BASE}\n\n{paraphrase(QUESTION)}")
    assert hacked["total"] <= base["total"] + 0.05
    assert hacked["details"]["faithfulness"]["cited_key_facts"] == base["details"]["faithfulness"]["cited_key_facts"]


def test_telegraphic_stem_is_copied_text() -> None:
    """Function words dropped or changed: the content words still follow the stem."""
    from reward_service.scoring.evidence.guards import paraphrased_spans, stem_index

    drop = {"a", "the", "of", "to", "and", "is", "in", "he", "has", "his", "that"}
    telegraphic = " ".join(w for w in QUESTION.split() if w.lower() not in drop)
    assert paraphrased_spans(telegraphic, stem_index(QUESTION))


def test_a_summary_in_own_words_keeps_its_citations() -> None:
    """Citing the case's facts in another order and wording is not copying."""
    summary = (
        "Summary: hypertensive diabetic smoker, 62 years old, with tachycardia of 112/min, diaphoresis and "
        "chest pain radiating to the back; arm pressures are symmetric (168/96 vs 170/94 mm Hg)."
    )
    from reward_service.scoring.evidence.guards import paraphrased_spans, stem_index

    assert paraphrased_spans(summary, stem_index(QUESTION)) == []
    result = score(f"{summary}\n{BASE}")
    assert len(result["details"]["faithfulness"]["cited_key_facts"]) >= 3


# ----------------------------------------------------------------------------------------- repeats


ANALYSIS = (
    "Let's derive the differential step by step:\n"
    "calcium carbonate: not used as an abrasive in the dentifrice\n"
    "silica: used as an abrasive in the dentifrice because it polishes enamel without scratching\n"
    "sodium chloride: not used as an abrasive in the dentifrice"
)


def test_lines_joined_and_reworded_are_repeated() -> None:
    from reward_service.nlp.textnorm import match_form
    from reward_service.scoring.evidence.guards import repeated_runs

    joined = " ".join("To restate, " + line for line in ANALYSIS.split("\n"))
    text = f"{ANALYSIS}\n{joined}"
    spans = repeated_runs(text, match_form(text))
    assert spans and spans[0][0] >= len(ANALYSIS)
    assert sum(b - a for a, b in spans) > 0.6 * len(joined)


def test_parallel_lines_are_not_repeats() -> None:
    from reward_service.nlp.textnorm import match_form
    from reward_service.scoring.evidence.guards import repeated_runs

    assert repeated_runs(ANALYSIS, match_form(ANALYSIS)) == []


def test_repeats_do_not_depend_on_the_order_of_paragraphs() -> None:
    from reward_service.nlp.textnorm import match_form
    from reward_service.scoring.evidence.guards import repeated_runs

    a = "Stratified sampling divides the population into strata by age and sex and samples each stratum."
    b = "Cluster sampling selects whole clusters at random, such as schools, without dividing into strata."
    for text in (f"{a}\n\n{b}", f"{b}\n\n{a}"):
        assert repeated_runs(text, match_form(text)) == []


def test_a_paraphrased_stem_weighs_no_option() -> None:
    """The restated stem is discounted text for options and behaviours too: an option's words inside it
    ("... forced vital capacity ...") weigh nothing."""
    stem = (
        "A 42-year-old woman presents with fatigue and dyspnea for 6 months and bilateral hilar lymphadenopathy "
        "on chest x-ray. Which change of forced vital capacity is expected on pulmonary function testing?"
    )
    options = {"A": "Decreased forced vital capacity", "B": "Increased lung compliance"}
    telegraphic = " ".join(w for w in stem.split() if w.lower() not in {"a", "with", "and", "for", "on", "of", "is"})
    request = ScoreRequest(
        items=[
            {
                "response": f"<dx>Summary: {telegraphic}</dx><conclusion>Final answer: \\boxed{{A}}</conclusion>",
                "question": stem,
                "options": options,
                "answer": "A",
            }
        ],
        details=True,
    )
    result = engine.score(request).results[0].model_dump()
    comp = result["details"]["comprehensiveness"]
    assert any(d.startswith("copied:") for d in comp["discounted"])  # option mentions there are skipped
    assert all(o["status"] != "specific" for o in comp["options"])
