"""The evaluation metrics: one flat record per scored response, and the registry of what is averaged.

Every metric is a per-response value (None when the service did not compute what it needs) averaged
over responses. The paper's evaluation notions are rule-based counts read from the service's details:

- evidence citations: distinct key case facts the response cites correctly (faithfulness
  `cited_key_facts`) — case-grounded evidence citation density, per response;
- distractor rejection coverage: the service's DRC (fraction of options weighed with a reason), and the
  fraction of the wrong options that the reasoning explicitly rejects;
- hallucination: the response makes at least one contradicted or unsupported claim about the case;
- behaviours: the response shows subgoals (a differential or explicit subgoals), verification,
  backward chaining, backtracking.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from crpo_eval.generations import Generation
from schemas import OBJECTIVES as SCORED_OBJECTIVES
from schemas import ScoreResult

Kind = Literal["rate", "score", "count"]
#: the service's behaviour names -> the report's (the paper's "subgoal setting" is `differential`)
BEHAVIOURS = {
    "differential": "subgoals",
    "verification": "verification",
    "backward_chaining": "backward_chaining",
    "backtracking": "backtracking",
}
VALID_REASONS = ("correct", "wrong")


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    kind: Kind
    description: str
    #: binary per response (0/1): McNemar's test applies when pairs are single responses
    binary: bool = False


METRICS: tuple[Metric, ...] = (
    Metric("accuracy", "Accuracy", "rate", "responses whose extracted answer is the gold option", binary=True),
    Metric("valid_answer", "Valid answer", "rate", "responses whose extracted answer is one existing option", True),
    Metric(
        "strict_valid",
        "Strict-format valid",
        "rate",
        "responses that box exactly one existing option (what strict extraction, the CRPO training reward, accepts)",
        binary=True,
    ),
    Metric("faithfulness", "Faithfulness", "score", "the service's faithfulness objective, in [0, 1]"),
    Metric("comprehensiveness", "Comprehensiveness", "score", "the service's comprehensiveness objective, in [0, 1]"),
    Metric("format", "Format", "score", "the service's format score, in [0, 1]"),
    Metric("total", "Total reward", "score", "the CRPO total with the service's weights (10/1/1/0: at most 12)"),
    Metric("evidence_citations", "Evidence citations", "count", "distinct key case facts cited correctly"),
    Metric("drc", "Distractor rejection coverage", "score", "fraction of the options weighed with a reason (DRC)"),
    Metric("distractors_rejected", "Distractors rejected", "score", "fraction of the wrong options rejected"),
    Metric("hallucination", "Hallucination rate", "rate", "responses with a contradicted or unsupported claim", True),
    Metric("hallucinated_claims", "Hallucinated claims", "count", "contradicted + unsupported claims per response"),
    Metric("consistent", "Answer consistency", "rate", "the boxed option is the one the reasoning argued for", True),
    Metric("subgoals", "Subgoals", "rate", "responses with a differential or explicit subgoals", binary=True),
    Metric("verification", "Verification", "rate", "responses that check the choice against the case", binary=True),
    Metric("backward_chaining", "Backward chaining", "rate", "responses that reason from a hypothesis back", True),
    Metric("backtracking", "Backtracking", "rate", "responses that reconsider a step", binary=True),
    Metric("behaviours", "Behaviours shown", "count", "how many of the four behaviours a response shows (0-4)"),
    Metric("words", "Response words", "count", "length of the response in words"),
)
METRIC_BY_NAME = {m.name: m for m in METRICS}
OBJECTIVES = (*SCORED_OBJECTIVES, "total")


def _flag(value: bool | None) -> float | None:
    return None if value is None else float(value)


def record(generation: Generation, result: ScoreResult) -> dict[str, Any]:
    """The flat per-response record: identifiers, every metric, and the raw accuracy reward/outcome."""
    details = result.details
    acc = details.accuracy if details else None
    faith = details.faithfulness if details else None
    comp = details.comprehensiveness if details else None
    reason = acc.reason if acc else None
    row: dict[str, Any] = {
        "run": generation.run,
        "question_key": generation.question_key,
        "dataset": generation.dataset,
        "subject": generation.subject,
        "id": generation.id,
        "source": generation.source,
        "outcome": reason,
        "accuracy_reward": result.accuracy,
        "accuracy": None if result.accuracy is None else float(result.accuracy == 1.0),
        "valid_answer": None if reason is None else float(reason in VALID_REASONS),
        "strict_valid": _strict_valid(acc),
        "extraction_rule": acc.extraction_rule if acc else None,
        "faithfulness": result.faithfulness,
        "comprehensiveness": result.comprehensiveness,
        "format": result.format,
        "total": result.total,
        "words": float(len(generation.response.split())),
        "status": result.status,
        "status_reason": result.status_reason,
        "monitors": result.monitors.model_dump() if result.monitors is not None else None,
    }
    if "score" in generation.extra:  # a verl dump: the reward the trainer logged, and its step
        row["trainer_score"] = generation.extra["score"]
        row["step"] = generation.extra.get("step")
    row["evidence_citations"] = float(len(set(faith.cited_key_facts))) if faith else None
    row["contradicted"] = faith.contradicted if faith else None
    row["unsupported"] = faith.unsupported if faith else None
    row["hallucinated_claims"] = float(faith.contradicted + faith.unsupported) if faith else None
    row["hallucination"] = _flag(faith.contradicted + faith.unsupported > 0) if faith else None
    row["consistent"] = _flag(faith.consistency.consistent) if faith else None
    row["drc"] = comp.drc if comp else None
    row["distractors_rejected"] = _distractors_rejected(comp, generation) if comp else None
    for service_name, name in BEHAVIOURS.items():
        snippets = comp.behaviours.get(service_name) if comp else None
        row[name] = None if snippets is None else _flag(bool(snippets))
        row[f"{name}_count"] = None if snippets is None else len(snippets)
    shown = [row[name] for name in BEHAVIOURS.values()]
    row["behaviours"] = None if any(v is None for v in shown) else float(sum(shown))
    return row


def _strict_valid(acc: Any) -> float | None:
    """Whether the strict (boxed-only) rule finds one answer: the boxes resolve to exactly one option."""
    if acc is None or acc.mode != "crpo" or acc.reason in (None, "no_gold"):
        return None
    return float(len({r for r in acc.resolved if r is not None}) == 1)


def _distractors_rejected(comp: Any, generation: Generation) -> float | None:
    gold = generation.answer if isinstance(generation.answer, str) else None
    letters = [o.letter for o in comp.options if o.letter != gold]
    if gold is None or not letters or generation.options is None or gold not in generation.options:
        return None
    rejected = sum(1 for o in comp.options if o.letter != gold and o.verdict == "rejected")
    return rejected / len(letters)
