"""The process-wide clinical NLP facade consumed by the scorers and the API."""

from __future__ import annotations

import functools
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Collection

from reward_service.nlp.analytes import analytes
from reward_service.nlp.lexicon import Lexicon
from reward_service.nlp.measurements import MeasurementExtractor
from reward_service.nlp.mentions import MentionFinder
from reward_service.nlp.segment import sentence_spans
from reward_service.nlp.types import CaseFacts, Mention

#: Questions whose case facts (and per-question matchers elsewhere) are kept: a GRPO step rarely spans more
#: than a few hundred prompts, and each cached question costs ~0.2 MB.
DEFAULT_CACHE_SIZE = 1024


def case_cache_key(question: str, options: dict[str, str] | None) -> str:
    """Hash of the question and its options (order-independent)."""
    payload = json.dumps([question or "", sorted((options or {}).items())], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class ClinicalNLP:
    """Lexicon + analyte table + measurement extractor + mention finder (+ spaCy pipeline for case
    facts, built on first use). Thread-safe; outputs are deterministic and immutable."""

    def __init__(self, lexicon: Lexicon | None = None, cache_size: int = DEFAULT_CACHE_SIZE) -> None:
        self.lexicon = lexicon or Lexicon.load()
        self.measurer = MeasurementExtractor()
        self.mention_finder = MentionFinder(self.lexicon, self.measurer)
        self._extractor = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, CaseFacts] = OrderedDict()
        self._cache_size = cache_size

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
        from reward_service.nlp.lexicon_sources import _parse_block

        keys = set()
        for preferred, synonyms, _ in _parse_block(cur.GENERIC_FINDINGS):
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
        key = case_cache_key(question, options)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
            case = self._case_extractor().extract(question, options)
            self._cache[key] = case
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
            return case

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    def find_mentions(
        self,
        text: str,
        case: CaseFacts | None = None,
        spans: list[tuple[int, int]] | None = None,
        scan: Collection[int] | None = None,
        keys: Collection[str] = (),
    ) -> list[Mention]:
        """Mentions of case facts and lexicon concepts; see ``MentionFinder.find`` for the filters."""
        return self.mention_finder.find(text, case, spans, scan, keys)

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
