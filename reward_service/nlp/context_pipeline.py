"""The spaCy pipeline of case-fact extraction: blank English + sentencizer + line breaks +
scispaCy's AbbreviationDetector + medspaCy ConText (assertion status of the lexicon's findings).

Only blank-pipeline components are used (no statistical model is needed or downloaded). ConText's
packaged English rules are extended with inflected forms that its lemma-based patterns cannot match
without a lemmatiser ("denies", "denied"), and with pseudo-rules for vignette idioms ("3-week
history of" is a duration, not a past history; "brought by his mother" is no family history).
"""

from __future__ import annotations

import bisect
import warnings
from typing import Any

import spacy
from medspacy.context import ConTextRule
from scispacy.abbreviation import AbbreviationDetector  # noqa: F401  (registers the factory)
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from reward_service.nlp import context_matcher
from reward_service.nlp.bounded_text import spacy_safe
from reward_service.nlp.polarity import is_vaccine_target

_DURATION_UNITS = ["day", "week", "month", "year", "hour", "minute", "days", "weeks", "months", "years", "hours"]
_RELATIVES = [
    "mother",
    "father",
    "parents",
    "sister",
    "brother",
    "son",
    "daughter",
    "husband",
    "wife",
    "grandmother",
    "grandfather",
    "aunt",
    "uncle",
    "cousin",
    "sibling",
]


def _extra_rules() -> list[ConTextRule]:
    neg = "NEGATED_EXISTENCE"
    rules = [
        ConTextRule(w, neg, direction="FORWARD")
        for w in (
            "denies",
            "denied",
            "denying",
            "negative for",
            "no history of",
            "no evidence of",
            "no signs of",
            "no sign of",
            "absence of",
            "without",
            "free of",
            "never had",
            "not",
            "no",
            "none",
            "nor",
            "neither",
            "unremarkable for",
            "no family history of",
        )
    ]
    rules += [
        ConTextRule(w, neg, direction="BACKWARD")
        for w in (
            "absent",
            "is absent",
            "are absent",
            "negative",
            "is negative",
            "are negative",
            "was negative",
            "were negative",
            "not present",
            "ruled out",
            "is normal",
        )
    ]
    rules += [
        ConTextRule(w, "HISTORICAL", direction="FORWARD")
        for w in (
            "history of",
            "past medical history of",
            "previous",
            "previously",
            "had a",
            "was diagnosed with",
            "was treated for",
            "status post",
            "years ago",
        )
    ]
    rules += [
        ConTextRule(w, "FAMILY", direction="FORWARD")
        for w in (
            "family history of",
            "family history",
            "mother has",
            "father has",
            "mother had",
            "father had",
            "sister has",
            "brother has",
            "mother with",
            "father with",
            "mother died of",
            "father died of",
            "maternal",
            "paternal",
        )
    ]
    rules += [
        ConTextRule(w, "HYPOTHETICAL", direction="FORWARD")
        for w in (
            "if",
            "risk of",
            "to prevent",
            "in case of",
            "would",
            "could",
        )
    ]
    rules += [
        ConTextRule(
            "DURATION history",
            "HISTORICAL",
            direction="PSEUDO",
            pattern=[{"LOWER": {"IN": _DURATION_UNITS}}, {"LOWER": "history"}],
        ),
        ConTextRule(
            "DURATION history",
            "HISTORICAL",
            direction="PSEUDO",
            pattern=[{"LOWER": {"IN": _DURATION_UNITS}}, {"LOWER": "-"}, {"LOWER": "history"}],
        ),
        ConTextRule(
            "brought by relative",
            "FAMILY",
            direction="PSEUDO",
            pattern=[
                {"LOWER": {"IN": ["by", "with", "and"]}},
                {"LOWER": {"IN": ["his", "her", "their", "the"]}},
                {"LOWER": {"IN": _RELATIVES}},
            ],
        ),
        ConTextRule(
            "relative says",
            "FAMILY",
            direction="PSEUDO",
            pattern=[
                {"LOWER": {"IN": _RELATIVES}},
                {
                    "LOWER": {
                        "IN": [
                            "says",
                            "said",
                            "say",
                            "state",
                            "report",
                            "note",
                            "notice",
                            "reports",
                            "reported",
                            "states",
                            "stated",
                            "notes",
                            "noted",
                            "noticed",
                            "brings",
                            "found",
                            "observed",
                            "finds",
                            "called",
                            "reports that",
                            "brought",
                            "is",
                            "was",
                            "thinks",
                            "believes",
                        ]
                    }
                },
            ],
        ),
        ConTextRule(
            "previously healthy",
            "HISTORICAL",
            direction="PSEUDO",
            pattern=[{"LOWER": "previously"}, {"LOWER": {"IN": ["healthy", "well"]}}],
        ),
        ConTextRule(
            "no change",
            neg,
            direction="PSEUDO",
            pattern=[{"LOWER": "no"}, {"LOWER": {"IN": ["change", "changes", "increase", "decrease", "further"]}}],
        ),
        ConTextRule(
            "not only",
            neg,
            direction="PSEUDO",
            pattern=[{"LOWER": "not"}, {"LOWER": {"IN": ["only", "necessarily", "just"]}}],
        ),
        ConTextRule(
            "gram negative",
            neg,
            direction="PSEUDO",
            pattern=[{"LOWER": "gram"}, {"LOWER": "-", "OP": "?"}, {"LOWER": "negative"}],
        ),
    ]
    rules += [
        ConTextRule(w, neg, direction="TERMINATE")
        for w in (
            "but",
            "however",
            "although",
            "except",
            "which",
            "who",
            "whereas",
        )
    ]
    return rules


@Language.component("crpo_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break (lab tables, bullet lines)."""
    if "\n" not in doc.text:  # most stems are one paragraph: no token to visit
        return doc
    for tok in doc[:-1]:
        if "\n" in tok.text or tok.text_with_ws.endswith("\n"):
            doc[tok.i + 1].is_sent_start = True
    return doc


class ContextPipeline:
    """Assertion status of given character spans, plus abbreviations defined in the text."""

    def __init__(self) -> None:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("crpo_line_breaks")
        nlp.add_pipe("abbreviation_detector")
        ctx = nlp.add_pipe("medspacy_context", config={"rules": "default"})
        ctx.add(_extra_rules())
        # the token-pattern rules as one PhraseMatcher: same matches, ~50x cheaper (see context_matcher)
        self.compiled_rules = context_matcher.install(ctx, nlp.vocab)
        self.nlp = nlp
        self._pre = [(n, p) for n, p in nlp.pipeline if n != "medspacy_context"]
        self._ctx = ctx

    def abbreviations(self, doc: Doc) -> list[tuple[str, str]]:
        """(short form, long form) pairs defined in the text ("... disease (COPD)")."""
        seen: dict[str, str] = {}
        for abrv in doc._.abbreviations:
            seen.setdefault(abrv.text, abrv._.long_form.text)
        return sorted(seen.items())

    def prepare(self, text: str) -> Doc:
        """The pipeline's Doc of ``text`` (same length and offsets; see `spacy_safe`)."""
        doc = self.nlp.make_doc(spacy_safe(text))
        with warnings.catch_warnings():
            # scispaCy's detector warns on every call that its unused global matcher is empty
            warnings.filterwarnings("ignore", message=r".*\[W036\].*")
            for _name, proc in self._pre:
                doc = proc(doc)
        return doc

    def assertions(self, doc: Doc, spans: list[tuple[int, int]]) -> dict[tuple[int, int], str]:
        """Assertion per character span: present / absent / family / hypothetical / historical."""
        ents: list[Span] = []
        for s, e in spans:
            sp = doc.char_span(s, e, label="CONCEPT", alignment_mode="expand")
            if sp is not None:
                ents.append(sp)
        doc.ents = filter_spans(ents)
        doc = self._ctx(doc)
        out: dict[tuple[int, int], str] = {}
        # entities do not overlap (filter_spans): the one that can contain a span starts last at or before it
        found = sorted((ent.start_char, ent.end_char, _assertion(ent)) for ent in doc.ents)
        starts = [start for start, _, _ in found]
        text = doc.text  # rebuilt from the tokens on every access
        for s, e in spans:
            index = bisect.bisect_right(starts, s) - 1
            hit = found[index][2] if index >= 0 and e <= found[index][1] else "present"
            out[(s, e)] = "hypothetical" if is_vaccine_target(text, s) else hit
        return out


def _assertion(ent: Any) -> str:
    if ent._.is_negated:
        return "absent"
    if ent._.is_family:
        return "family"
    if ent._.is_hypothetical or ent._.is_uncertain:
        return "hypothetical"
    if ent._.is_historical:
        return "historical"
    return "present"
