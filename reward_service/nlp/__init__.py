"""Offline clinical NLP layer: lexicon, analytes, measurements, case facts and mention finding.

Importing this package is cheap: nothing heavy (spaCy, the lexicon) loads until
``get_clinical_nlp()`` is called, so the accuracy-only path of the service never pays for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reward_service.nlp.service import ClinicalNLP
    from reward_service.nlp.types import CaseFacts, Fact, Mention

__all__ = ["CaseFacts", "ClinicalNLP", "Fact", "Mention", "get_clinical_nlp"]


def get_clinical_nlp() -> ClinicalNLP:
    """The process-wide ClinicalNLP singleton (loaded lazily, thread-safe)."""
    from reward_service.nlp.service import get_clinical_nlp as _get

    return _get()


def __getattr__(name: str) -> Any:
    if name in ("CaseFacts", "Fact", "Mention"):
        from reward_service.nlp import types

        return getattr(types, name)
    if name == "ClinicalNLP":
        from reward_service.nlp.service import ClinicalNLP

        return ClinicalNLP
    raise AttributeError(name)
