"""Gold answers and boxed predictions: normalise both, then decide whether they match.

MCQ box contents resolve to an option letter: `C`, `(C)`, `C.`, `c`, `Option C`, `C: <text>`, or the
option's text (rapidfuzz `ratio` on normalised text; the unique option scoring at least
`OPTION_TEXT_THRESHOLD`). When a letter and text disagree (`C: <text of D>`), the letter wins.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz, process

from schemas.answers import FreeTextAnswer, GoldAnswer, NumericAnswer

#: Minimum rapidfuzz `ratio` (0-100) for boxed text to count as an option's text; exactly one option
#: may reach it, otherwise the box is ambiguous and resolves to nothing.
OPTION_TEXT_THRESHOLD = 85.0
#: Minimum rapidfuzz `token_sort_ratio` for a free-text prediction to match the gold or an alias.
FREE_TEXT_THRESHOLD = 90.0

AnswerKind = Literal["mcq", "text", "numeric"]


class GoldAnswerError(ValueError):
    """The gold answer cannot be interpreted for this item (e.g. a letter that is not an option)."""


@dataclass(frozen=True, slots=True)
class Gold:
    kind: AnswerKind
    letter: str | None = None  # mcq
    options: tuple[tuple[str, str], ...] = ()  # mcq: (letter, normalised text)
    texts: tuple[str, ...] = ()  # text: normalised gold and aliases
    value: float = 0.0  # numeric
    abs_tol: float = 0.0
    rel_tol: float = 0.0

    @property
    def display(self) -> str:
        if self.kind == "mcq":
            return self.letter or ""
        if self.kind == "text":
            return self.texts[0]
        return repr(self.value)


_NON_ALNUM_RE = re.compile(r"[^0-9a-z]+")
_ARTICLES_RE = re.compile(r"\b(?:the|a|an)\b")


def normalise_text(text: str) -> str:
    """Lower case, punctuation to spaces, whitespace collapsed."""
    return _NON_ALNUM_RE.sub(" ", text.lower()).strip()


def _normalise_free_text(text: str) -> str:
    return " ".join(_ARTICLES_RE.sub(" ", normalise_text(text)).split())


def make_gold(answer: GoldAnswer, options: dict[str, str] | None) -> Gold:
    """Interpret the wire `answer` given the item's options; raises GoldAnswerError when impossible."""
    if isinstance(answer, NumericAnswer):
        return Gold("numeric", value=answer.value, abs_tol=answer.abs_tol or 0.0, rel_tol=answer.rel_tol or 0.0)
    if isinstance(answer, float | int) and not isinstance(answer, bool):
        return Gold("numeric", value=float(answer), rel_tol=1e-6)
    if isinstance(answer, FreeTextAnswer):
        texts = tuple(dict.fromkeys(_normalise_free_text(t) for t in (answer.text, *answer.aliases)))
        if not texts[0]:
            raise GoldAnswerError("answer text has no letters or digits")
        return Gold("text", texts=texts)
    assert isinstance(answer, str)
    return _gold_from_string(answer, tuple(options.items()) if options else ())


@lru_cache(maxsize=4096)
def _gold_from_string(answer: str, option_items: tuple[tuple[str, str], ...]) -> Gold:
    """Cached: the same question's gold is interpreted once, not once per sampled response."""
    options = dict(option_items)
    stripped = answer.strip()
    if options:
        norm_options = tuple((letter, normalise_text(text)) for letter, text in options.items())
        if len(stripped) == 1 and stripped.upper() in options:
            return Gold("mcq", letter=stripped.upper(), options=norm_options)
        wanted = normalise_text(stripped)
        matches = [letter for letter, text in norm_options if text == wanted and wanted]
        if len(matches) == 1:
            return Gold("mcq", letter=matches[0], options=norm_options)
        raise GoldAnswerError(
            f"answer {answer!r} is neither an option letter ({', '.join(options)}) nor an option's text"
        )
    if len(stripped) == 1 and stripped.isalpha():
        return Gold("mcq", letter=stripped.upper())
    norm = _normalise_free_text(stripped)
    if not norm:
        raise GoldAnswerError("answer has no letters or digits")
    return Gold("text", texts=(norm,))


#: LaTeX wrappers nested deeper than this inside a box are left in place (real answers nest 1-2 deep).
MAX_WRAPPER_DEPTH = 8
_WRAPPER_RE = re.compile(r"\\(?:text|textbf|textit|textrm|mathrm|mathbf|mathit|mbox|emph|operatorname)\s*\{([^{}]*)\}")
_LETTER_ONLY_RE = re.compile(r"^\(?\s*([A-Za-z])\s*\)?$")
_OPTION_WORD_RE = re.compile(
    r"^(?:option|answer|choice)\s*[:#]?\s*\(?\s*([A-Za-z])\s*\)?(?:\s*[.:)\-–—]\s*.*|\s*)$", re.IGNORECASE | re.DOTALL
)
_LETTER_THEN_TEXT_RE = re.compile(r"^(?:\(([A-Za-z])\)\s*|([A-Za-z])\s*(?:[.:)–—]|-\s)\s*)\S", re.DOTALL)
_DIGIT_RUN_RE = re.compile(r"\d+")
_NUMBER_RE = re.compile(r"[-+−]?(?:\d[\d,]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def clean_box_content(content: str) -> str:
    """Remove LaTeX wrappers (`\\text{…}`), math delimiters, emphasis and a trailing full stop."""
    for _ in range(MAX_WRAPPER_DEPTH):  # innermost first; bounded so nesting cannot make it quadratic
        unwrapped = _WRAPPER_RE.sub(r"\1", content)
        if unwrapped == content:
            break
        content = unwrapped
    content = content.replace("$", " ").replace("\\,", " ").replace("~", " ")
    content = content.strip()
    while len(content) >= 2 and content[0] == "{" and content[-1] == "}":
        content = content[1:-1].strip()
    content = content.strip("*_").strip()
    return content.rstrip(".").strip()


def resolve_option(content: str, gold: Gold) -> str | None:
    """The option letter a box names, or None when it names no option (or several)."""
    text = clean_box_content(content)
    valid = {letter for letter, _ in gold.options} if gold.options else None

    def accept(letter: str) -> str | None:
        letter = letter.upper()
        return letter if valid is None or letter in valid else None

    for pattern in (_LETTER_ONLY_RE, _OPTION_WORD_RE):
        match = pattern.match(text)
        if match:
            return accept(match.group(1))
    wanted = normalise_text(text)
    if gold.options and wanted:
        exact = [letter for letter, option in gold.options if option == wanted]
        if len(exact) == 1:
            return exact[0]
    match = _LETTER_THEN_TEXT_RE.match(text)
    if match:
        return accept(match.group(1) or match.group(2))
    if not gold.options or not wanted:
        return None
    letters = [letter for letter, _ in gold.options]
    scored = process.extract(wanted, [option for _, option in gold.options], scorer=fuzz.ratio, limit=2)
    digits = _DIGIT_RUN_RE.findall(wanted)
    above = [
        (score, index)
        for _, score, index in scored
        # a near spelling may name an option, a near number never does ("1500" is not "500")
        if score >= OPTION_TEXT_THRESHOLD and _DIGIT_RUN_RE.findall(gold.options[index][1]) == digits
    ]
    if len(above) == 1:
        return letters[above[0][1]]
    return None


def resolve_text(content: str) -> str | None:
    norm = _normalise_free_text(clean_box_content(content))
    return norm or None


def resolve_number(content: str) -> float | None:
    match = _NUMBER_RE.search(clean_box_content(content))
    if not match:
        return None
    try:
        value = float(match.group(0).replace(",", "").replace("−", "-"))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def resolve(content: str | None, gold: Gold) -> str | float | None:
    """What a box's content predicts, in the gold's terms (letter, normalised text or number)."""
    if content is None:
        return None
    if gold.kind == "mcq":
        return resolve_option(content, gold)
    if gold.kind == "text":
        return resolve_text(content)
    return resolve_number(content)


def is_correct(prediction: str | float, gold: Gold) -> bool:
    if gold.kind == "mcq":
        return prediction == gold.letter
    if gold.kind == "text":
        assert isinstance(prediction, str)
        if prediction in gold.texts:
            return True
        return any(fuzz.token_sort_ratio(prediction, t) >= FREE_TEXT_THRESHOLD for t in gold.texts)
    assert isinstance(prediction, float)
    return math.isclose(prediction, gold.value, rel_tol=gold.rel_tol, abs_tol=gold.abs_tol)
