"""`Question`: everything responses to one question are matched against, built once per distinct question.

A GRPO step scores G responses to each prompt, so the per-question work — case facts (spaCy and
medspaCy ConText), the premises of a patient-less question, the question's copy n-grams, the option
stems and their automaton, the case's own lexicon — is done on first sight of a question and then
read by every response to it. All of it lives in one `Question`, and the questions in one LRU
(`QuestionCache`), keyed by the question text and its options: one key scheme, one size, one
`clear()`. Each part is computed on first use, so a request that only needs accuracy never builds it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING

from reward_service.scoring.evidence.bound_quantities import QuestionQuantities
from reward_service.scoring.evidence.guards import (
    COPY_MIN_TOKENS,
    QuestionGrams,
    StemIndex,
    copy_window,
    question_ngrams,
    stem_index,
)
from reward_service.scoring.evidence.option_reasons import OptionWords, question_stems_of
from reward_service.scoring.evidence.options import OptionStemIndex, option_stem_index
from reward_service.scoring.evidence.premises import Premises, premises_of

if TYPE_CHECKING:
    from reward_service.nlp.lexicon import Lexicon
    from reward_service.nlp.service import ClinicalNLP
    from reward_service.nlp.types import CaseFacts

#: Distinct questions kept: a GRPO step rarely spans more than a few hundred prompts.
DEFAULT_QUESTION_CACHE_SIZE = 1024

OptionItems = tuple[tuple[str, str], ...]


class Question:
    """One question (stem and options) and what is derived from it; immutable once built."""

    def __init__(self, text: str, options: Mapping[str, str] | None, nlp: ClinicalNLP) -> None:
        self.text = text
        self.option_items: OptionItems = tuple(sorted((options or {}).items()))
        self.options: dict[str, str] = dict(self.option_items)
        self.nlp = nlp
        #: stem and option texts, one per line: what a copied run is looked for in
        self.question_text = "\n".join([text, *(t for _, t in self.option_items)])

    @cached_property
    def case(self) -> CaseFacts:
        return self.nlp.case_facts(self.text, self.options or None)

    @cached_property
    def premises(self) -> Premises:
        """What a patient-less question states (see `premises.py`)."""
        return premises_of(self.text, self.option_items, self.nlp)

    @cached_property
    def quantities(self) -> QuestionQuantities:
        """The stem's quantities with the words they are bound to (`evidence/bound_quantities.py`)."""
        return QuestionQuantities.of(self.text)

    @cached_property
    def copy_grams(self) -> QuestionGrams:
        return question_ngrams(self.question_text)

    @cached_property
    def stem_grams(self) -> QuestionGrams | None:
        """The shorter copy window of a short stem (`copy_window`), or None when it is the usual one."""
        window = copy_window(self.text)
        return question_ngrams(self.text, window) if window < COPY_MIN_TOKENS else None

    @cached_property
    def stem_runs(self) -> StemIndex:
        """Where the stem's short runs start, for the paraphrase guard (`guards.paraphrased_spans`)."""
        return stem_index(self.text)

    @cached_property
    def option_words(self) -> OptionWords:
        """The options' own words (stems, numbers), which never count as a reason for an option."""
        return OptionWords.of(self.options)

    @cached_property
    def question_stems(self) -> frozenset[str]:
        """Stems of every word and number of the stem and options: an anchor made only of these restates
        the question (`option_reasons.ReasonFinder.restates_question`)."""
        return question_stems_of(self.question_text)

    @cached_property
    def option_stems(self) -> OptionStemIndex:
        return option_stem_index(self.option_items)

    @cached_property
    def case_lexicon(self) -> Lexicon:
        """The lexicon restricted to the case's concepts (and, without a patient, the premises' concepts)."""
        keys = self.premises.concepts if not self.case.describes_patient else frozenset()
        return self.nlp.mention_finder.case_lexicon(self.case, keys)


class QuestionCache:
    """An LRU of `Question`s keyed by (question text, options). Thread-safe; building happens outside
    the lock (two threads may build the same question once each; both results are equal)."""

    def __init__(self, nlp: Callable[[], ClinicalNLP], size: int = DEFAULT_QUESTION_CACHE_SIZE) -> None:
        self._nlp = nlp
        self._size = size
        self._questions: OrderedDict[tuple[str, OptionItems], Question] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, text: str, options: Mapping[str, str] | None) -> Question:
        key = (text, tuple(sorted((options or {}).items())))
        with self._lock:
            question = self._questions.get(key)
            if question is not None:
                self._questions.move_to_end(key)
                return question
        question = Question(text, options, self._nlp())
        with self._lock:
            self._questions[key] = question
            if len(self._questions) > self._size:
                self._questions.popitem(last=False)
        return question

    def clear(self) -> None:
        with self._lock:
            self._questions.clear()

    def __len__(self) -> int:
        return len(self._questions)
