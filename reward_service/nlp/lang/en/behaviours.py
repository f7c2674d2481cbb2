"""Cue phrases of the four reasoning behaviours (English), matched as whole words on lower-cased text by
`scoring/evidence/behaviours.py`: differential, verification, backward chaining, backtracking."""

from __future__ import annotations


def _inflect(stem: str, endings: str) -> list[str]:
    return [stem + e for e in endings.split(",")]


_VERBS_AFTER_WOULD = [
    "expect",
    "cause",
    "produce",
    "present",
    "show",
    "give",
    "explain",
    "lead",
    "result",
    "have",
    "see",
    "find",
    "appear",
]
BEHAVIOUR_PHRASES: dict[str, list[str]] = {
    "differential": [
        "differential",
        "possibility",
        "possibilities",
        *_inflect("consider", ",ing,ed,s"),
        "rule out",
        "ruled out",
        "ruling out",
        "rules out",
        "first,",
        *(f"step {i}" for i in range(1, 10)),
        "the question asks",
        "to answer",
        "checking each",
        "each option",
        "each choice",
    ],
    "verification": [
        *_inflect("confirm", ",s,ed,ing,ation"),
        *_inflect("verif", "y,ies,ied,ying,ication"),
        *_inflect("check", ",s,ed,ing"),
        "consistent with",
        "fit",
        "fits",
        "match",
        "matches",
        "matching",
        "account for",
        "accounts for",
        "explain",
        "explains",
        "in keeping with",
        "support",
        "supports",
        *_inflect("corroborat", "e,es,ed,ing,ion"),
    ],
    "backward_chaining": [
        "would be expected",
        *(f"expected to {v}" for v in ("see", "find", "cause", "show")),
        *(f"would {v}" for v in _VERBS_AFTER_WOULD),
        *(f"would not {v}" for v in _VERBS_AFTER_WOULD),
    ],
    "backtracking": [
        "however",
        "although",
        "but wait",
        "on second thought",
        *_inflect("reconsider", ",s,ed,ing,ation"),
        *_inflect("re-evaluat", "e,es,ed,ing,ion"),
        *_inflect("reevaluat", "e,es,ed,ing,ion"),
        "initially",
        "at first",
        "on reflection",
        *_inflect("revisit", ",s,ed,ing"),
        "actually",
        "on the other hand",
        "instead",
    ],
}
