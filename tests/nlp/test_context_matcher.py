"""ConText's token patterns compiled into a PhraseMatcher (nlp/context_matcher.py) match exactly what
spaCy's Matcher matches, on the real rules and on real question and response text."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from reward_service.nlp import context_matcher
from reward_service.nlp.context_pipeline import ContextPipeline

DATA = Path(__file__).resolve().parents[2] / "data"

# negation, possibility and family cues in the shapes the token patterns cover: optional words, word
# sets, contractions, hyphens
CUES = [
    "We did not rule out pneumonia, and can't rule the patient out for sepsis.",
    "There is no new radiographic evidence of fracture; no evidence for infection.",
    "She was not ruled out for MI. PE has been ruled out. It may be ruled out for now.",
    "His mother's history of breast cancer; the patient is not known to have diabetes.",
    "Gram-negative rods; gram negative cocci. Brought by his mother, who says he is pale.",
    "Patient was not febrile. Denies chest pain, declined imaging, lacking reflexes.",
    "A 3-week history of cough and a 2 - history of nothing; previously healthy.",
    "Should the patient develop fever, come back to the clinic. Concerned about sepsis.",
]


def question_texts(limit: int) -> list[str]:
    with (DATA / "medqa_test.jsonl").open() as rows:
        return [json.loads(line)["question"] for _, line in zip(range(limit), rows, strict=False)]


@pytest.fixture(scope="module")
def pipelines() -> tuple[ContextPipeline, ContextPipeline]:
    """Our pipeline (compiled) and an uncompiled twin (spaCy's Matcher for the token patterns)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(context_matcher, "install", lambda component, vocab: False)
        original = ContextPipeline()
    assert original.compiled_rules is False
    return ContextPipeline(), original


def test_our_rules_are_compiled() -> None:
    assert ContextPipeline().compiled_rules is True


def test_the_compiled_matches_equal_spacys_matcher_on_real_text(pipelines) -> None:
    compiled, original = pipelines
    texts = CUES + question_texts(300)
    matched = 0
    for text in texts:
        doc = compiled.prepare(text)
        expected = original._ctx._ConText__matcher(doc)
        # medspaCy sorts matches by span before use, so the order of distinct spans does not matter
        assert sorted(compiled._ctx._ConText__matcher(doc)) == sorted(expected), text
        assert len({(start, end) for _, start, end in expected}) == len(expected)
        matched += bool(expected)
    assert matched > 200  # the check compared real matches, not empty lists


def test_the_assertions_equal_the_uncompiled_pipelines(pipelines, nlp) -> None:
    compiled, original = pipelines
    for text in CUES + question_texts(150):
        spans = [(hit.start, hit.end) for hit in nlp.lexicon.find(text)]
        assert compiled.assertions(compiled.prepare(text), spans) == original.assertions(original.prepare(text), spans)


def test_optional_tokens_and_word_sets_expand_to_every_sequence() -> None:
    pattern = [{"LOWER": "no"}, {"LOWER": {"IN": ["new", "other"]}, "OP": "?"}, {"LOWER": "evidence"}]
    assert context_matcher.expand_pattern(pattern) == [
        ("no", "evidence"),
        ("no", "new", "evidence"),
        ("no", "other", "evidence"),
    ]


def test_words_no_token_can_hold_are_dropped() -> None:
    # a token never holds a space or an upper-case lower form: spaCy's Matcher never matches them either
    assert context_matcher.expand_pattern([{"LOWER": {"IN": ["risk of", "risks", "Risk"]}}]) == [("risks",)]


@pytest.mark.parametrize(
    "token",
    [{"LOWER": "x", "OP": "*"}, {"LOWER": "x", "OP": "+"}, {"LEMMA": "deny"}, {"LOWER": {"REGEX": "^no"}}],
)
def test_other_pattern_forms_are_not_compiled(token) -> None:
    assert context_matcher.expand_pattern([token]) is None
    rule = SimpleNamespace(pattern=[token], on_match=None, _rule_id="R_0")
    assert context_matcher.expand_rules([rule]) is None


def test_a_rule_with_a_callback_is_not_compiled() -> None:
    rule = SimpleNamespace(pattern=[{"LOWER": "no"}], on_match=print, _rule_id="R_0")
    assert context_matcher.expand_rules([rule]) is None


def test_two_rules_matching_the_same_words_are_refused() -> None:
    first = SimpleNamespace(pattern=[{"LOWER": "no"}, {"LOWER": "new", "OP": "?"}], on_match=None, _rule_id="A_0")
    second = SimpleNamespace(pattern=[{"LOWER": "no"}, {"LOWER": "new"}], on_match=None, _rule_id="B_1")
    with pytest.raises(ValueError, match="'no new'"):
        context_matcher.expand_rules([first, second])


def test_the_compiled_matcher_refuses_new_rules() -> None:
    matcher = ContextPipeline()._ctx._ConText__matcher._MedspacyMatcher__matcher
    with pytest.raises(TypeError, match="compiled"):
        matcher.add("X", [[{"LOWER": "x"}]])
