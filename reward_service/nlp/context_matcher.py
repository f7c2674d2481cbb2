"""ConText's token-pattern rules compiled into one spaCy `PhraseMatcher`: the same matches, ~50x faster.

medspaCy matches its ConText rules with three matchers: literal phrases (`PhraseMatcher`), token patterns
(spaCy's `Matcher`) and regular expressions. Every token pattern of the packaged English rules and of
ours is a sequence of `LOWER` tests, each one word or a set of words, some optional (`OP: "?"`). Such a
pattern is a finite set of word sequences, and spaCy's `Matcher` (without `greedy`) returns every
match of every alternative, so a `PhraseMatcher` on `LOWER` over the expanded sequences finds exactly
the same (rule, start, end) matches. The `Matcher` steps a state machine per token and pattern and was
~60 % of the first sight of a question; the `PhraseMatcher` is a hash lookup per token.

Order: medspaCy concatenates the token-pattern matches before the phrase matches and prunes overlaps
after a stable sort on (start, end), so only matches of two token-pattern rules with the very same span
could depend on the `Matcher`'s internal order. `expand_rules` refuses rule sets where two rules share
an expanded word sequence (none of ours do), so that case cannot arise.

A pattern that is not of that form (other attributes, `*`/`+` operators, a callback) leaves the whole
rule set on spaCy's `Matcher`: `compile_token_patterns` returns None and nothing is replaced.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

__all__ = ["ExpandedPatternMatcher", "compile_token_patterns", "install"]


def _token_alternatives(token: dict[str, Any]) -> list[str | None] | None:
    """The words one pattern token can match (None: skipped, for an optional token); None if unsupported."""
    if not set(token) <= {"LOWER", "OP"} or token.get("OP") not in (None, "?"):
        return None
    value = token["LOWER"]
    if isinstance(value, dict):
        if set(value) != {"IN"}:
            return None
        words = list(value["IN"])
    elif isinstance(value, str):
        words = [value]
    else:
        return None
    # a token's lower form is lower-case and holds no space: such a word can never match one token
    usable: list[str | None] = [w for w in words if w == w.lower() and not any(c.isspace() for c in w)]
    return [*usable, None] if token.get("OP") == "?" else usable


def expand_pattern(pattern: Sequence[dict[str, Any]]) -> list[tuple[str, ...]] | None:
    """Every word sequence a `LOWER`/`?` token pattern matches, or None if it is of another form."""
    choices = []
    for token in pattern:
        alternatives = _token_alternatives(token)
        if alternatives is None:
            return None
        choices.append(alternatives)
    sequences = {tuple(w for w in combo if w is not None) for combo in itertools.product(*choices)}
    return sorted(s for s in sequences if s)


def expand_rules(rules: Iterable[Any]) -> dict[str, list[tuple[str, ...]]] | None:
    """Rule id -> word sequences for every token-pattern rule; None if any rule cannot be expanded.

    Raises ValueError when two rules expand to the same word sequence (their relative order would then
    depend on spaCy's `Matcher`)."""
    expanded: dict[str, list[tuple[str, ...]]] = {}
    owner: dict[tuple[str, ...], str] = {}
    for rule in rules:
        if not isinstance(rule.pattern, list):
            continue
        if rule.on_match is not None:
            return None
        sequences = expand_pattern(rule.pattern)
        if sequences is None:
            return None
        for sequence in sequences:
            if owner.setdefault(sequence, rule._rule_id) != rule._rule_id:
                raise ValueError(
                    f"ConText rules {owner[sequence]} and {rule._rule_id} both match {' '.join(sequence)!r}"
                )
        expanded[rule._rule_id] = sequences
    return expanded


class ExpandedPatternMatcher:
    """Stands in for the spaCy `Matcher` of a medspaCy matcher: same `(match_id, start, end)` matches."""

    def __init__(self, vocab: Vocab, expanded: dict[str, list[tuple[str, ...]]]) -> None:
        self._phrases = PhraseMatcher(vocab, attr="LOWER")
        for rule_id, sequences in expanded.items():
            self._phrases.add(rule_id, [Doc(vocab, words=list(words)) for words in sequences])
        self.rule_count = len(expanded)

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        # the PhraseMatcher finds each (rule, span) once; sorted for a deterministic order
        return sorted(self._phrases(doc), key=lambda match: (match[2], match[1], match[0]))

    def __len__(self) -> int:
        return self.rule_count

    def add(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("the ConText rules are compiled: add rules before `install`")


def compile_token_patterns(medspacy_matcher: Any, vocab: Vocab) -> ExpandedPatternMatcher | None:
    """The phrase matcher equivalent to ``medspacy_matcher``'s token patterns, or None if there is none."""
    expanded = expand_rules(medspacy_matcher.rules)
    return None if expanded is None else ExpandedPatternMatcher(vocab, expanded)


def install(context_component: Any, vocab: Vocab) -> bool:
    """Replace the token-pattern `Matcher` inside a medspaCy ConText component (medspaCy 1.3's private
    attributes, pinned in constraints/serve.txt). Call after every rule is added. Whether it was replaced."""
    medspacy_matcher = context_component._ConText__matcher
    compiled = compile_token_patterns(medspacy_matcher, vocab)
    if compiled is None:
        return False
    medspacy_matcher._MedspacyMatcher__matcher = compiled
    return True
