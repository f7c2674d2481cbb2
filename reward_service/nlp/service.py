"""The process-wide clinical NLP facade consumed by the scorers and the API."""

from __future__ import annotations

import functools
import threading
from collections.abc import Collection

from reward_service.nlp.analytes import analytes
from reward_service.nlp.lexicon import Lexicon
from reward_service.nlp.measurements import MeasurementExtractor
from reward_service.nlp.mentions import MentionFinder
from reward_service.nlp.segment import sentence_spans
from reward_service.nlp.types import CaseFacts, Mention


class ClinicalNLP:
    """Lexicon + analyte table + measurement extractor + mention finder (+ spaCy pipeline for case
    facts, built on first use). Thread-safe; outputs are deterministic and immutable."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or Lexicon.load()
        self.measurer = MeasurementExtractor()
        self.mention_finder = MentionFinder(self.lexicon, self.measurer)
        self._extractor = None
        self._lock = threading.Lock()

    def _case_extractor(self):
        if self._extractor is None:
            from reward_service.nlp.case_facts import CaseFactExtractor  # imports spaCy

            self._extractor = CaseFactExtractor(self.lexicon, self.measurer)
        return self._extractor

    def warm_up(self) -> None:
        """Build the spaCy pipeline now (service start) instead of on the first request."""
        with self._lock:
            self._case_extractor()

    @functools.cached_property
    def generic_finding_keys(self) -> frozenset[str]:
        """Concept keys of the curated generic findings ("pain", "swelling", "bleeding", ...)."""
        from reward_service.nlp.data import curated_terms as cur
        from reward_service.nlp.lexicon_sources import parse_block

        keys = set()
        for preferred, synonyms, _ in parse_block(cur.GENERIC_FINDINGS):
            for term in (preferred, *synonyms):
                entry = self.lexicon.lookup(term)
                if entry is not None:
                    keys.add(entry.key)
        return frozenset(keys)

    def lexicon_info(self) -> dict:
        info = self.lexicon.info()
        info["analytes"] = len(analytes())
        return info

    def case_facts(self, question: str, options: dict[str, str] | None = None) -> CaseFacts:
        """The case facts of a question, extracted now (spaCy + ConText; a few milliseconds). Not cached
        here: the scorers keep them, with everything else derived from a question, in one
        `scoring.question.QuestionCache`."""
        with self._lock:  # the spaCy pipeline is built once and not shared across threads while running
            return self._case_extractor().extract(question, options)

    def find_mentions(
        self,
        text: str,
        case: CaseFacts | None = None,
        spans: list[tuple[int, int]] | None = None,
        scan: Collection[int] | None = None,
        keys: Collection[str] = (),
        case_lexicon: Lexicon | None = None,
        norm: str | None = None,
    ) -> list[Mention]:
        """Mentions of case facts and lexicon concepts; see ``MentionFinder.find`` for the filters."""
        return self.mention_finder.find(text, case, spans, scan, keys, case_lexicon, norm)

    def sentences(self, text: str) -> list[tuple[int, int]]:
        return sentence_spans(text)

    def same_value(self, key: str, a: float, b: float) -> bool:
        """Whether two canonical values of analyte ``key`` agree within tolerance."""
        an = analytes().get(key)
        if an is None:
            return abs(a - b) <= 0.015 * max(abs(a), abs(b), 1e-9)
        return an.same_value(a, b)


_instance: ClinicalNLP | None = None
_instance_lock = threading.Lock()


def get_clinical_nlp() -> ClinicalNLP:
    """The process-wide instance, created on first call (double-checked locking)."""
    global _instance
    if _instance is None:
        with _instance_lock:
            if _instance is None:
                _instance = ClinicalNLP()
    return _instance
