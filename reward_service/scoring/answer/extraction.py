"""Lenient answer extraction (`answer_extraction: "lenient"`): find the answer of a response that does not box it.

For evaluating outputs written for other formats (API models, base models, other frameworks). The rules,
tried in this order, the first that finds something decides (`Extraction.rule` names it):

1. `boxed`: the strict rule (`accuracy.score_accuracy`), when a box resolves to an answer (or boxes conflict);
2. `json`: a JSON answer field (`answer_choice`, `answer`, `final_answer`, ...), as MIRAGE/MedRAG write it;
3. `final_line`: the last line is only an option label, possibly with its text (`**C.**`, `(C)`, `C) Text`);
4. `answer_statement`: the last statement of an answer (`Answer: C`, `The answer is (C)`, `Final answer: C`,
   `Option C is correct`, `I would choose C`, `...the answer is <option text>`);
5. `option_text`: the text of exactly one option in the final sentence, not negated.

Where a tagged layout has a conclusion (`<conclusion>` / `<answer>`), rules 3-5 read only the conclusion: an
answer argued in the reasoning but not concluded is not taken. An answer that names several options
("A or B", "either A or B", "A and C") or a final sentence with the texts of two options is *ambiguous*: no
answer, never a guess. Pitfalls handled (each has cases in `data/answer_extraction/cases.jsonl`): the
article "A" ("A 45-year-old man..."), the pronoun "I" ("Answer: I think..."), negations ("not A",
"rather than B"), hypotheticals ("if the answer is A"), letters that are not options.

Every rule is a regular expression or a substring scan over the text (or its last sentence), so the work is
linear in the length of the response.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from reward_service.scoring.answer.answers import (
    OPTION_TEXT_THRESHOLD,
    Gold,
    normalise_text,
    resolve,
    resolve_number,
    resolve_option,
    resolve_text,
)

ExtractionRule = Literal["boxed", "json", "final_line", "answer_statement", "option_text", "given"]
#: found: one answer; ambiguous: several options named; unresolved: an answer that names no option (a letter
#: that is not an option, "none of the above"); none: no answer at all
ExtractionStatus = Literal["found", "ambiguous", "unresolved", "none"]

#: JSON fields that hold the answer, in order of preference.
JSON_ANSWER_FIELDS = ("answer_choice", "final_answer", "answer", "answer_letter", "choice", "prediction")
#: Words after an "A" or "I" that still make it an option letter ("A because ..."); any other lower-case word
#: makes it the article or the pronoun ("A 45-year-old", "I think").
LETTER_CONNECTORS = frozenset(
    [
        "because",
        "since",
        "as",
        "given",
        "due",
        "which",
        "is",
        "was",
        "seems",
        "would",
        "should",
        "and",
        "or",
        "but",
        "for",
        "with",
        "where",
        "while",
        "so",
    ]
)
#: Words that, starting an answer statement, negate it ("the answer is not A"): the statement is passed over.
NEGATED_STARTS = frozenset(["not", "never", "unlikely", "incorrect", "wrong"])
#: Words that, starting an answer, say that no option is the answer ("none of the above"): unresolved.
NO_OPTION_STARTS = frozenset(
    [
        "none",
        "neither",
        "nothing",
        "unclear",
        "unknown",
        "cannot",
        "impossible",
        "indeterminate",
        "undetermined",
        "insufficient",
    ]
)
#: Words within three words before an option's text that negate it ("rather than X", "not X").
NEGATION_BEFORE = frozenset(
    ["not", "no", "rather", "instead", "unlikely", "except", "excluding", "exclude", "excludes", "than", "nor"]
)
#: Words within three words after an option's text that negate it ("X is unlikely", "X is not").
NEGATION_AFTER = frozenset(["unlikely", "excluded", "ruled", "not", "incorrect", "wrong", "less"])
HEDGE_WORDS = ("most likely", "probably", "likely", "definitely", "clearly", "certainly", "either", "both", "perhaps")
#: A one-word option text shorter than this is not looked for in the final sentence: "no", "maybe", "ASD" are
#: ordinary words or abbreviations there ("there is no evidence"), not answers.
MIN_SINGLE_WORD_OPTION = 6
#: The final sentence is read from at most this many trailing characters (an unpunctuated response is one
#: sentence; the answer is near its end).
FINAL_SENTENCE_CHARS = 1_000

_LEAD_RE = re.compile(r"[\s*_#>\"'“”‘’`:=\-–—|]*")
_HEDGE_RE = re.compile(
    r"(?:(?:i\s+(?:think|believe|would\s+say)|it(?:'s|’s|\s+is|\s+would\s+be)|"
    + "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in HEDGE_WORDS)
    + r")[\s,:]+)*",
    re.IGNORECASE,
)
_LABEL_WORD_RE = re.compile(r"(?:option|choice|letter|answer)\b\s*[:#]?\s*", re.IGNORECASE)
_LETTER_RE = re.compile(r"\(\s*([A-Za-z])\s*\)|\[\s*([A-Za-z])\s*\]|([A-Za-z])(?![A-Za-z0-9'’\-])")
_NEXT_WORD_RE = re.compile(r"[ \t]+([A-Za-z0-9][\w'’\-]*)")
_SECOND_LETTER_RE = re.compile(
    r"\s*[).]?\s*(?:,|/|&|\bor\b|\band\b|\bnor\b|\bvs\b\.?|\bversus\b)\s*(?:(?:maybe|possibly|perhaps|even)\s+)?(?:option\s*)?(?:\(\s*([A-Za-z])\s*\)|((?-i:[A-Z]))(?![A-Za-z0-9'’\-]))",
    re.IGNORECASE,
)
#: a further option label on the line: a connector, then a letter with its ")" or "." ("or C. Chlorine...")
_LABEL_LIST_RE = re.compile(
    r"(?:,|;|/|&|\bor\b|\band\b|\bnor\b)\s*['\"“‘*_]*(?i:option\s*)?(?:\(\s*([A-Z])\s*\)|([A-Z])\s*[).](?=\s|$))"
)
_PAREN_LETTER_RE = re.compile(r"\s*[(\[]\s*([A-Za-z])\s*[)\]]")
_LONE_LETTER_RE = re.compile(r"\(?\s*([A-Za-z])\s*\)?\.?")
_WORD_RE = re.compile(r"[a-z0-9]+")

# The statement patterns run on an ASCII-lower-cased copy of the text (same offsets; case-sensitive patterns
# over lower case are several times faster than IGNORECASE ones); letter case is read back from the original.
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_STATEMENT_RES = (  # one pattern each: an alternation of them defeats the regex engine's prefix scan
    re.compile(
        r"\b(?:answer|option|choice)s?(?:\s+choice)?[*_\s]*(?:\([^()\n]{0,40}\)\s*)?"
        r"(?:is|are|would\s+be|will\s+be|should\s+be|must\s+be|=|:|–|—|-\s)"
    ),
    re.compile(r"\bi(?:\s+would|\s+will|['’]d|['’]ll)?\s+(?:choose|pick|select|go\s+with)\b"),
    re.compile(r"^[#>*_ \t]*(?:final\s+)?answer[*_ \t]*$", re.MULTILINE),
)
_VERDICT_TAIL = (
    r"(?![a-z0-9'’\-])[*_]*\s+(?:is|would\s+be|seems\s+to\s+be)\s+(?:the\s+)?"
    r"(?:correct|right|best|most\s+likely|most\s+appropriate|answer|true)\b"
)
#: "Option C is correct", "(C) is the answer", "Thus, B is the correct answer"
_LETTER_FIRST_RES = (
    re.compile(r"\b(?:option|choice)(?:\s+|\s*\(\s*)([a-z])\s*\)?" + _VERDICT_TAIL),
    re.compile(r"\(\s*([a-z])\s*\)" + _VERDICT_TAIL),
)
#: a bare capital letter before the verdict counts only at the start of a sentence or after "so", "thus"...
_BARE_LETTER_FIRST_RE = re.compile(r"(?<![a-z0-9'’\-])([a-z])" + _VERDICT_TAIL)
_BARE_LETTER_CONTEXT_RE = re.compile(r"(?:^|[.:;!?\n]|\b(?:so|thus|therefore|hence),?)[ \t*_]*$", re.IGNORECASE)
_HYPOTHETICAL_RE = re.compile(
    r"\b(?:if|whether|suppose|assuming|unless)\s+(?:the\s+|my\s+)?[\w\s]{0,20}$", re.IGNORECASE
)
_FINAL_LINE_RE = re.compile(
    r"(?i:option\s*)?(?:\(\s*([A-Za-z])\s*\)|([A-Z])(?![A-Za-z0-9])|([a-z])(?=\s*[.):]|$))\s*[.):]?\s*(.*)",
    re.DOTALL,
)
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=\S)|\n+")
_JSON_FIELD_RE = re.compile(
    r"[\"'](" + "|".join(JSON_ANSWER_FIELDS) + r")[\"']\s*:\s*(?:\"((?:[^\"\\\n]|\\.)*)\"|'([^'\n]*)'|([A-Za-z]\b))",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Extraction:
    answer: str | float | None
    status: ExtractionStatus
    rule: ExtractionRule | None


NOTHING = Extraction(None, "none", None)


@dataclass(frozen=True, slots=True)
class _Choice:
    """What an answer's words name: a letter (maybe not an option), several options, or nothing."""

    status: ExtractionStatus
    letter: str | None = None


_NONE = _Choice("none")


def _valid(gold: Gold) -> set[str] | None:
    return {letter for letter, _ in gold.options} if gold.options else None


def _option_prefix(text: str, gold: Gold) -> str | None:
    """The option whose whole text starts `text` (longest wins), e.g. "Cholesterol embolization, because"."""
    words = " ".join(_WORD_RE.findall(text.lower()[:2_000]))
    best: tuple[int, str] | None = None
    for letter, option in gold.options:
        starts = bool(option) and (words == option or words.startswith(option + " "))
        if starts and (best is None or len(option) > best[0]):
            best = (len(option), letter)
    return best[1] if best else None


def read_choice(span: str, gold: Gold, *, isolated: bool = False) -> _Choice:
    """The option named at the start of `span` (the words after "the answer is"); `isolated`: `span` is the
    whole answer (a JSON value, a given prediction), so an exact option text or a lone letter settles it."""
    text = span[_LEAD_RE.match(span).end() :]  # type: ignore[union-attr]
    text = text[_HEDGE_RE.match(text).end() :]  # type: ignore[union-attr]
    text = text[_LEAD_RE.match(text).end() :]  # type: ignore[union-attr]
    if isolated and gold.options:
        cleaned = text.strip().strip("*_'\"").strip()
        if _LONE_LETTER_RE.fullmatch(cleaned):
            return _letter_choice(_LONE_LETTER_RE.fullmatch(cleaned).group(1), gold)  # type: ignore[union-attr]
        wanted = normalise_text(cleaned)
        exact = [letter for letter, option in gold.options if option == wanted and wanted]
        if len(exact) == 1:  # "B>A>D>C" is option A's text, not the letter B
            return _Choice("found", exact[0])
    label = _LABEL_WORD_RE.match(text)
    body = text[label.end() :] if label else text
    match = _LETTER_RE.match(body)
    by_text = _option_prefix(text, gold) if gold.options else None
    if by_text is not None and (match is None or len(dict(gold.options)[by_text].split()) > 1):
        # "no" (PubMedQA), "B cells" (an option's text, not the letter B); "X, Y or Z": several options
        named = _options_named(_SENTENCE_END_RE.split(text, maxsplit=1)[0], gold)
        if len(named) > 1:
            return _Choice("ambiguous")
        label_after = _PAREN_LETTER_RE.match(_after_own_text(text, by_text, gold))
        if label_after and label_after.group(1).upper() != by_text and label_after.group(1).upper() in _valid(gold):
            return _Choice("ambiguous")  # "riboflavin (B)" where riboflavin is C: text and letter disagree
        return _Choice("found", by_text)
    if match:
        bare = match.group(3)
        letter = match.group(1) or match.group(2) or bare
        rest = body[match.end() :]
        if bare is not None and not _is_option_letter(bare, rest, gold):
            return _NONE
        if _names_second_option(rest, letter, gold):
            return _Choice("ambiguous")
        return _letter_choice(letter, gold)
    first = _WORD_RE.match(text.lower())
    if first and first.group() in NEGATED_STARTS:
        return _NONE
    if first and first.group() in NO_OPTION_STARTS:
        return _Choice("unresolved")
    if gold.options:
        sentence = _SENTENCE_END_RE.split(text, maxsplit=1)[0]
        letter = resolve_option(sentence, gold)
        if letter is not None:
            return _Choice("found", letter)
    return _NONE


def _letter_choice(letter: str, gold: Gold) -> _Choice:
    valid = _valid(gold)
    upper = letter.upper()
    return _Choice("found" if valid is None or upper in valid else "unresolved", upper)


def _is_option_letter(letter: str, rest: str, gold: Gold) -> bool:
    """A bare letter followed by `rest`: an option label, or the article "A", the pronoun "I", a word "a"?"""
    following = _NEXT_WORD_RE.match(rest)
    if letter.islower():
        return following is None and (not rest.strip() or rest.lstrip()[0] in ".):;,")
    if letter in "AI" and following is not None:
        if following.group(1).lower() in LETTER_CONNECTORS:
            return True
        option = dict(gold.options).get(letter)  # "A Bartholin gland cyst" names option A by its text
        return bool(option) and " ".join(_WORD_RE.findall(rest.lower()[:300])).startswith(option)
    return True


def _names_second_option(rest: str, first: str, gold: Gold) -> bool:
    """`rest` (after a letter) names another option: "or B", ", C", "and (D)" right after it, or a list of
    labels later on the line ("A) RNA polymerase, B) Transfer RNA, or C) Ribosomal RNA")."""
    line = _after_own_text(rest.split("\n", 1)[0][:400], first, gold)
    valid = _valid(gold)
    match = _SECOND_LETTER_RE.match(line)
    if match:
        second = (match.group(1) or match.group(2)).upper()
        other = second != first.upper() and (valid is None or second in valid)
        if other and (not (match.group(2) and second in "AI") or _is_option_letter(second, line[match.end() :], gold)):
            return True
    for label in _LABEL_LIST_RE.finditer(line):
        second = (label.group(1) or label.group(2)).upper()
        if second != first.upper() and (valid is None or second in valid):
            return True
    return False


def _after_own_text(line: str, letter: str, gold: Gold) -> str:
    """`line` without the letter's own option text when it follows the letter: in "D, B/L otitis media." the
    "B" belongs to option D's text, and only what comes after that text may name a second option."""
    own = dict(gold.options).get(letter.upper()) if gold.options else None
    if not own:
        return line
    words = own.split()
    tokens = list(_WORD_RE.finditer(line.lower()))
    if len(tokens) < len(words) or [t.group() for t in tokens[: len(words)]] != words:
        return line
    return line[tokens[len(words) - 1].end() :]


def _json_values(text: str) -> Iterator[str]:
    """Answer fields of a JSON object response (parsed when it parses, else found by pattern), best first."""
    stripped = text.strip()
    if stripped.startswith("```"):
        stripped = stripped.strip("`").removeprefix("json").strip()
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except ValueError:
            data = None
        if isinstance(data, dict):
            lowered = {str(k).lower(): v for k, v in data.items()}
            for name in JSON_ANSWER_FIELDS:
                value = lowered.get(name)
                if isinstance(value, str | int | float) and not isinstance(value, bool):
                    yield str(value)
                    return
    found = list(_JSON_FIELD_RE.finditer(text))
    for name in JSON_ANSWER_FIELDS:
        for match in reversed(found):
            if match.group(1).lower() == name:
                raw = match.group(2)
                if raw is not None:
                    with contextlib.suppress(ValueError):
                        raw = json.loads(f'"{raw}"')  # undo JSON string escapes
                    yield raw
                else:
                    yield match.group(3) if match.group(3) is not None else match.group(4)
                return


def _choice_extraction(choice: _Choice, rule: ExtractionRule) -> Extraction:
    return Extraction(choice.letter, choice.status, rule)


def _from_json(text: str, gold: Gold) -> Extraction | None:
    for value in _json_values(text):
        # a structured answer decides, even when it names no option ("None of the above")
        if gold.kind == "mcq":
            choice = read_choice(value, gold, isolated=True)
            return Extraction(choice.letter, "unresolved" if choice.status == "none" else choice.status, "json")
        answer = resolve(value, gold)
        return Extraction(answer, "found" if answer is not None else "unresolved", "json")
    return None


def _last_lines(region: str, count: int) -> list[str]:
    """The last `count` non-empty lines of `region` (markdown and quotes stripped), in text order."""
    found: list[str] = []
    for line in reversed(region[-4_000:].splitlines()):
        stripped = line.strip(" \t*_#>`\"'“”-")
        if stripped:
            found.append(stripped)
            if len(found) == count:
                break
    return found[::-1]


def _ends_with_option_list(region: str, gold: Gold) -> bool:
    lines = _last_lines(region, 2)
    return len(lines) == 2 and all(len(line) <= 300 and _option_line(line, gold) is not None for line in lines)


def _from_final_line(region: str, gold: Gold) -> Extraction | None:
    lines = _last_lines(region, 1)
    if not lines or len(lines[-1]) > 300:
        return None
    letter = _option_line(lines[-1], gold)
    return Extraction(letter, "found", "final_line") if letter is not None else None


def _option_line(line: str, gold: Gold) -> str | None:
    """The letter of a line that is only an option label (`**C.**`, `(C)`), or a label and an option's text."""
    match = _FINAL_LINE_RE.fullmatch(line)
    if not match:
        return None
    letter = (match.group(1) or match.group(2) or match.group(3)).upper()
    rest = match.group(4).strip().strip("*_").strip().rstrip(".").strip()
    valid = _valid(gold)
    if valid is not None and letter not in valid:
        return None
    if rest:  # "C) Cholesterol embolization": the rest must be an option's text (the letter wins, as in a box)
        wanted = normalise_text(rest)
        if not any(fuzz.ratio(wanted, option) >= OPTION_TEXT_THRESHOLD for _, option in gold.options):
            return None
    return letter


def _statement_spans(region: str) -> list[str]:
    """The words after each answer statement of `region`, in text order (hypotheticals left out)."""
    spans: list[tuple[int, str]] = []
    lowered = region.translate(_ASCII_LOWER)
    for pattern in _STATEMENT_RES:
        for match in pattern.finditer(lowered):
            before = region[max(0, match.start() - 40) : match.start()]
            if not _HYPOTHETICAL_RE.search(before):
                spans.append((match.start(), region[match.end() : match.end() + 400]))
    for pattern in _LETTER_FIRST_RES:
        spans.extend((m.start(), f"({region[m.start(1)]})") for m in pattern.finditer(lowered))
    for match in _BARE_LETTER_FIRST_RE.finditer(lowered):
        letter = region[match.start(1)]
        if letter.isupper() and _BARE_LETTER_CONTEXT_RE.search(region[max(0, match.start() - 20) : match.start()]):
            spans.append((match.start(), f"({letter})"))
    spans.sort(key=lambda pair: pair[0])
    return [span for _, span in spans]


def _from_statements(region: str, gold: Gold) -> Extraction | None:
    for span in reversed(_statement_spans(region)):
        if gold.kind == "mcq":
            choice = read_choice(span, gold)
            if choice.status != "none":
                return _choice_extraction(choice, "answer_statement")
            continue
        sentence = _SENTENCE_END_RE.split(span[_LEAD_RE.match(span).end() :], maxsplit=1)[0]  # type: ignore[union-attr]
        answer = resolve_number(sentence) if gold.kind == "numeric" else resolve_text(sentence)
        if answer is not None:
            return Extraction(answer, "found", "answer_statement")
    return None


def final_sentence(region: str) -> str:
    tail = region[-FINAL_SENTENCE_CHARS:].strip()
    pieces = [p for p in _SENTENCE_END_RE.split(tail) if p.strip(" \t*_#>-")]
    return pieces[-1] if pieces else ""


_CLAUSE_TOKEN_RE = re.compile(r"[a-z0-9]+|[;,:()]|\bbut\b")


def _options_named(sentence: str, gold: Gold, *, min_single_word: int = 0) -> set[str]:
    """The options whose whole text `sentence` contains, not negated in its clause ("rather than X", "X is
    unlikely"); an option's text inside a longer option's matched text counts as the longer one."""
    words: list[str] = []
    clause: list[int] = []  # clause number of each word: negation cues act within their clause
    current = 0
    for token in _CLAUSE_TOKEN_RE.findall(sentence[:FINAL_SENTENCE_CHARS].lower()):
        if token[0].isalnum() and token != "but":
            words.append(token)
            clause.append(current)
        else:
            current += 1
    hits: list[tuple[int, int, str]] = []  # (start word, end word, letter)
    for letter, option in gold.options:
        target = option.split()
        if not target or (len(target) == 1 and len(option) < min_single_word):
            continue
        size = len(target)
        for start in range(len(words) - size + 1):
            if words[start] == target[0] and words[start : start + size] == target:
                hits.append((start, start + size, letter))
    kept = [h for h in hits if not any(o[0] <= h[0] and h[1] <= o[1] and o[1] - o[0] > h[1] - h[0] for o in hits)]

    def negated(start: int, end: int) -> bool:
        before = {words[i] for i in range(max(0, start - 3), start) if clause[i] == clause[start]}
        after = {words[i] for i in range(end, min(len(words), end + 3)) if clause[i] == clause[end - 1]}
        return bool(NEGATION_BEFORE & before or NEGATION_AFTER & after)

    return {letter for start, end, letter in kept if not negated(start, end)}


def _from_option_text(region: str, gold: Gold) -> Extraction | None:
    if not gold.options:
        return None
    affirmed = _options_named(final_sentence(region), gold, min_single_word=MIN_SINGLE_WORD_OPTION)
    if len(affirmed) == 1:
        return Extraction(affirmed.pop(), "found", "option_text")
    if len(affirmed) > 1:
        return Extraction(None, "ambiguous", "option_text")
    return None


def extract_lenient(text: str, conclusion: str, gold: Gold) -> Extraction:
    """The answer of a response without a usable box. `conclusion`: the concluding block ('' when untagged)."""
    found = _from_json(text, gold)
    if found is not None:
        return found
    region = conclusion if conclusion.strip() else text
    # a response that ends by listing the options ("A) yes / B) no / C) maybe") has no final answer line or sentence
    listing = gold.kind == "mcq" and _ends_with_option_list(region, gold)
    if gold.kind == "mcq" and not listing:
        found = _from_final_line(region, gold)
        if found is not None:
            return found
    found = _from_statements(region, gold)
    if found is not None:
        return found
    if gold.kind == "mcq" and not listing:
        found = _from_option_text(region, gold)
        if found is not None:
            return found
    return NOTHING


def extract_given(prediction: str, gold: Gold) -> Extraction:
    """An answer the caller already extracted (crpo-eval's `--predicted-column`): a letter, a label, an option's
    text, or a short answer text (e.g. the answer-extraction completion of a two-stage prompt)."""
    if gold.kind == "mcq":
        choice = read_choice(prediction, gold, isolated=True)
        if choice.status == "none":  # a sentence rather than a label: the lenient rules on it
            found = extract_lenient(prediction, "", gold)
            return Extraction(found.answer, "unresolved" if found.status == "none" else found.status, "given")
        return _choice_extraction(choice, "given")
    answer = resolve(prediction, gold)
    return Extraction(answer, "found" if answer is not None else "unresolved", "given")
