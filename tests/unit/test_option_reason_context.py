"""The sentence before an inline verdict is the option's reason only when linked to it (`options._lends_reason`):
a content word shared with the option, a back-reference opening the verdict sentence, or a conclusion word.
Real engine and lexicon."""

from __future__ import annotations

from tests.unit.test_hacks_hack12 import BASE, option, score

#: a sentence on another option (dissection), with no words of pulmonary embolism
OTHER = "Unequal pulses and a widened mediastinum point to a tear of the aortic wall."


def test_the_sentence_on_another_option_lends_no_reason() -> None:
    result = score(f"{BASE} {OTHER} Option C is unlikely.")
    assert option(result, "C")["status"] != "specific"


def test_a_conclusion_from_the_sentence_before_is_a_reason() -> None:
    reason = "The arm pressures are equal and there is no hypoxia, pleuritic pain or leg swelling."
    assert option(score(f"{BASE} {reason} Therefore option C is unlikely."), "C")["status"] == "specific"
    assert option(score(f"{BASE} {reason} This makes option C unlikely."), "C")["status"] == "specific"


def test_a_sentence_sharing_the_options_words_is_its_reason() -> None:
    reason = "An embolism would cause hypoxia and pleuritic pain with a clear chest film."
    assert option(score(f"{BASE} {reason} Option C is unlikely."), "C")["status"] == "specific"


def test_a_following_sentence_that_refers_back_is_a_reason() -> None:
    follow = "This clot would cause hypoxia and pleuritic pain, which the case does not describe."
    assert option(score(f"{BASE} {OTHER} Option C is unlikely. {follow}"), "C")["status"] == "specific"
