"""Score an original response and its perturbations in-process, and judge each perturbation.

Scoring uses the project's engine (`ScoringEngine`, details on), one item per call so that an error
is charged to the item that caused it. A generator that raises counts as an error too.
"""

from __future__ import annotations

import traceback
from dataclasses import asdict, dataclass

from bench.validity.data import RealResponse
from bench.validity.perturb import (
    FAMILY_OF,
    GENERATORS,
    HACK_TOLERANCE,
    SPECIFICITY_TOLERANCE,
    Baseline,
    Expect,
    Perturbation,
    option_is_specific,
    option_state,
    perturbations,
)
from schemas import OBJECTIVES

_ENGINE = None


def engine():
    global _ENGINE
    if _ENGINE is None:
        from reward_service.scoring.engine import ScoringEngine

        _ENGINE = ScoringEngine()
    return _ENGINE


def score(row: RealResponse, reasoning: str, conclusion: str = "") -> dict:
    """Scores and details (plain dicts) of `reasoning` wrapped with the row's own letter."""
    from schemas import ScoreRequest

    request = ScoreRequest(
        items=[
            {
                "response": row.response(reasoning, conclusion),
                "question": row.question,
                "options": row.options,
                "answer": row.answer if row.answer in row.options else None,
            }
        ],
        details=True,
    )
    result = engine().score(request).results[0]
    return result.model_dump()


def claims_of(result: dict) -> list[dict]:
    faith = (result.get("details") or {}).get("faithfulness") or {}
    return list(faith.get("claims") or [])


def options_of(result: dict) -> list[dict]:
    comp = (result.get("details") or {}).get("comprehensiveness") or {}
    return list(comp.get("options") or [])


def _flagged(claims: list[dict], statuses: tuple[str, ...], kinds: tuple[str, ...], key: str | None) -> list[dict]:
    return [
        c
        for c in claims
        if c.get("status") in statuses
        and (not kinds or c.get("kind") in kinds)
        and (key is None or c.get("key") == key)
    ]


def _identity(claim: dict) -> tuple:
    return (claim.get("kind"), claim.get("key"), claim.get("status"), str(claim.get("text") or "").lower())


def expected_change(expect: Expect, before: dict, after: dict) -> tuple[bool, str]:
    """Did the change that `expect` names happen? (and a short account of what the scorer did).

    For claims: more matching claims than before, or a matching claim that was not there before (a
    changed value that is now contradicted while an earlier contradiction of the same fact stays).
    """
    if expect.rule == "option_status":
        old = next((o for o in options_of(before) if o.get("letter") == expect.letter), None)
        new = next((o for o in options_of(after) if o.get("letter") == expect.letter), None)
        ok = new is not None and not option_is_specific(new)
        return ok, f"{expect.letter}: {option_state(old)} -> {option_state(new)}"
    statuses = ("unsupported", "contradicted") if expect.rule == "new_flag" else ("contradicted",)
    old = _flagged(claims_of(before), statuses, expect.claim_kinds, expect.key)
    new = _flagged(claims_of(after), statuses, expect.claim_kinds, expect.key)
    seen = {_identity(c) for c in old}
    fresh = [c for c in new if _identity(c) not in seen]
    label = "/".join(statuses) + (f"[{expect.key}]" if expect.key else "")
    return len(new) > len(old) or bool(fresh), f"{label}: {len(old)} -> {len(new)}" + (
        f" (new: {fresh[0].get('text')!r})" if fresh else ""
    )


@dataclass
class Outcome:
    """The verdict on one perturbation of one response."""

    source: str
    uid: str
    family: str
    kind: str
    variant: str
    ok: bool  # sensitivity: the expected change happened; specificity: nothing moved; hack: no gain
    delta_total: float
    max_delta: float  # largest |change| of any objective
    note: str
    detail: str
    error: str | None = None


def judge(p: Perturbation, before: dict, after: dict, source: str, uid: str) -> Outcome:
    delta_total = (after.get("total") or 0.0) - (before.get("total") or 0.0)
    deltas = [
        abs((after.get(o) or 0.0) - (before.get(o) or 0.0))
        for o in OBJECTIVES
        if after.get(o) is not None or before.get(o) is not None
    ]
    max_delta = max(deltas, default=0.0)
    if p.family == "sensitivity":
        assert p.expect is not None
        ok, detail = expected_change(p.expect, before, after)
    elif p.family == "specificity":
        ok = max_delta < SPECIFICITY_TOLERANCE
        detail = ", ".join(f"{o} {before.get(o)}->{after.get(o)}" for o in OBJECTIVES if before.get(o) != after.get(o))
    else:
        ok = delta_total <= HACK_TOLERANCE
        detail = f"total {before.get('total')} -> {after.get('total')}"
    return Outcome(
        source, uid, p.family, p.kind, p.variant, ok, round(delta_total, 6), round(max_delta, 6), p.note, detail
    )


def error_outcome(row: RealResponse, family: str, kind: str, exc: BaseException) -> Outcome:
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return Outcome(row.source, row.uid, family, kind, "", False, 0.0, 0.0, "", "", error=text[:500])


def run_row(row: RealResponse, kinds: set[str] | None = None) -> list[dict]:
    """Every applicable perturbation of one response, judged (plain dicts, for multiprocessing)."""
    try:
        before = score(row, row.reasoning)
    except Exception as exc:  # counted and reported, never hidden
        return [asdict(error_outcome(row, "baseline", "baseline", exc))]
    base = Baseline(claims=claims_of(before), options=options_of(before))
    outcomes: list[dict] = []
    for name in GENERATORS:
        if kinds is not None and name not in kinds:
            continue
        try:
            made = perturbations(row, base, {name})
        except Exception as exc:
            outcomes.append(asdict(error_outcome(row, FAMILY_OF[name], name, exc)))
            continue
        for p in made:
            try:
                after = score(row, p.reasoning, p.conclusion)
                outcomes.append(asdict(judge(p, before, after, row.source, row.uid)))
            except Exception as exc:
                outcomes.append(asdict(error_outcome(row, p.family, p.kind, exc)))
    return outcomes
