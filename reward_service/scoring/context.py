"""Per-item scoring context: what every objective needs, computed once and shared."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from reward_service.scoring.answer.accuracy import AccuracyResult, score_accuracy
from reward_service.scoring.answer.answers import Gold
from reward_service.scoring.answer.format import FormatResult, score_format
from reward_service.scoring.response.doc import ResponseDoc
from reward_service.scoring.response.parse import ParsedResponse, parse_response
from schemas import AccuracyMode, AnswerExtraction, Profile, ScoreItem

if TYPE_CHECKING:
    from reward_service.scoring.question import Question, QuestionCache


@dataclass
class ItemContext:
    """One item being scored. Objectives read from it; derived values are cached on first use."""

    item: ScoreItem
    gold: Gold | None
    profile: Profile
    accuracy_mode: AccuracyMode
    want_details: bool = False
    answer_extraction: AnswerExtraction = "strict"
    questions: QuestionCache | None = None  # the engine's; None: a private one (tests, one-off use)
    extras: dict[str, Any] = field(default_factory=dict)  # cache for objectives' shared work

    @cached_property
    def question(self) -> Question:
        """The item's question (stem and options) and everything derived from it, shared by every item
        that asks the same question."""
        if self.questions is None:
            from reward_service.nlp import get_clinical_nlp
            from reward_service.scoring.question import QuestionCache

            self.questions = QuestionCache(get_clinical_nlp, size=1)
        return self.questions.get(self.item.question, self.item.options)

    @cached_property
    def parsed(self) -> ParsedResponse:
        return parse_response(self.item.response, self.profile)

    @cached_property
    def doc(self) -> ResponseDoc:
        """The analysed text (reasoning, then conclusion) and its views, read once for every objective."""
        return ResponseDoc(self.parsed.reasoning, self.parsed.conclusion)

    @cached_property
    def accuracy(self) -> AccuracyResult | None:
        """The project's own accuracy verdict (also used by `format` and faithfulness consistency: the extracted
        answer is the one consistency checks)."""
        if self.gold is None:
            return None
        return score_accuracy(self.parsed, self.gold, self.answer_extraction, self.item.prediction)

    @cached_property
    def format(self) -> FormatResult:
        agree = self.accuracy.boxes_agree if self.accuracy is not None else _boxes_identical(self.parsed)
        return score_format(self.parsed, agree)


def _boxes_identical(parsed: ParsedResponse) -> bool:
    contents = [b.content for b in parsed.boxes]
    return bool(contents) and None not in contents and len({c.strip() for c in contents if c}) == 1
