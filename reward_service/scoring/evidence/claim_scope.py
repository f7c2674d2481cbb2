"""Whether a statement in a response is about *this* patient: the scope checks of claims.

Real responses restate the case in every layout — prose ("her pulse is 128/min"), bullets
("- Pulse: 128/min"), labelled runs ("**Vitals:** T 39.2 °C, HR 128"), markdown tables — and they also
state things that are *not* about the patient: reference ranges ("a normal infant heart rate is
100–160/min"), thresholds ("hypotension, systolic < 90 mm Hg"), conditionals, and other people ("her
mother has ...", "a healthy 20-year-old woman"). The analysis reads a measurement that restates one of
the case's analytes as a claim about the patient unless one of the checks below says otherwise, so a
changed value is contradicted instead of silently dropped, and a general statement is never
contradicted.
"""

from __future__ import annotations

import re

from reward_service.nlp.common_words import FUNCTION_WORDS
from reward_service.nlp.demographics import AGE_RE
from reward_service.nlp.lang.en.generic import DISCOURSE_WORDS, GENERIC_REASON_WORDS, LIST_HEADER_WORDS
from reward_service.nlp.segment import LINE_MARKUP, is_labelled_value

#: Sentences that state general knowledge, not the patient's data.
GENERAL_RE = re.compile(
    r"\b(?:normal(?:ly)? (?:range|ranges|value|values|limits?|levels?)|reference (?:range|interval|value)s?|"
    r"(?:is|are) normally|normally (?:is|are|between|around|about)|typically|usually|generally|in general|"
    r"on average|defined (?:as|by)|is defined|definition|threshold|cut-?offs?|criteri(?:a|on)|"
    r"target|goal|should (?:be|stay|remain)|(?:a|the) normal (?!saline)|healthy|expected (?:range|value))\b",
    re.IGNORECASE,
)
#: Comparators that make a number a threshold ("BP < 90/60", "a pulse above 100").
COMPARATOR_RE = re.compile(
    r"(?:[<>≤≥]|=<|>=|<=|\b(?:below|above|under|over|less than|greater than|more than|lower than|higher than|"
    r"at least|at most|exceed(?:s|ing)?|up to|beyond)\b)\s*[^\W\d]{0,3}\s*$",
    re.IGNORECASE,
)
#: Other people of the stem or of general knowledge.
OTHER_PERSON_RE = re.compile(
    r"\b(?:mother|father|sister|brother|sibling|siblings|parents?|husband|wife|partner|son|daughter|twin|"
    r"grand(?:mother|father|parent)s?|aunt|uncle|cousin|relatives?|family|friend|roommate|coworkers?|"
    r"healthy|compared (?:to|with)|control|controls|general population)\b",
    re.IGNORECASE,
)
#: A data line: a bullet, numbered item, table row or "Label: value" line ("- Pulse: 128/min",
#: "| BP | 80/64 mm Hg |", "**Vitals:** T 39.2 °C").
DATA_LINE_RE = re.compile(
    r"^[ \t]*(?P<item>[-*•·+]\s+|\d{1,2}[.)]\s+)?(?:(?P<table>\|)|(?:\*\*)?[A-Za-z][\w ()/%.,'-]{0,40}?(?:\*\*)?\s*:)?",
    re.MULTILINE,
)
#: A list item of at least this many function words is a sentence written as a bullet, read as prose.
ITEM_SENTENCE_FUNCTION_WORDS = 4
_WORD_RE = re.compile(r"[a-z]+(?:'[a-z]+)?")


#: Where a value's own clause ends: a later clause ("…, as normal levels are below 1 mg/dL") or a
#: parenthesis ("175 ng/mL (normal value < 10 ng/mL)") says something else than the value's own words.
CLAUSE_END_RE = re.compile(
    r"[,;:(\[!?]|\.(?!\d)|\s[-–—]\s|\b(?:which|as|while|whereas|but|although|though|because|since|compared)\b",
    re.IGNORECASE,
)


#: How far around a value its scope cues are read (characters): a sentence of hundreds of values ("5% 5%
#: 5% …") costs linear work, not quadratic.
SCOPE_REACH = 400


def value_scope(text: str, sentence_start: int, sentence_end: int, value_end: int) -> str:
    """The words that can make a value general or another person's: its sentence up to the end of the
    value's own clause (at most `SCOPE_REACH` characters either way). "AFP is elevated at 175 ng/mL (normal
    value < 10 ng/mL)" states the patient's AFP; "In a healthy adult, the heart rate is 60-100/min" does
    not (the cue comes before the value)."""
    sentence_start = max(sentence_start, value_end - 2 * SCOPE_REACH)
    sentence_end = min(sentence_end, value_end + SCOPE_REACH)
    end = CLAUSE_END_RE.search(text, value_end, sentence_end)
    return text[sentence_start : end.start() if end else sentence_end]


def sentence_is_general(sentence: str) -> bool:
    return GENERAL_RE.search(sentence) is not None


#: "has a normal", "with a normal": the patient's own normal value, not the general "a normal infant heart
#: rate is ..." that `GENERAL_RE` reads in "a normal".
_OWN_NORMAL_RE = re.compile(
    r"\b(?:has|have|had|having|with|shows?|showed|shown|reveals?|revealed|demonstrates?|demonstrated)\s+"
    r"(?:a|an)\s+normal\b",
    re.IGNORECASE,
)


def level_sentence_is_general(sentence: str) -> bool:
    """`sentence_is_general` for a level stated in words: "The patient has a normal blood pH" is about the
    patient, the level word being the only "a normal" of the sentence."""
    return sentence_is_general(_OWN_NORMAL_RE.sub(" ", sentence))


def sentence_names_other_person(sentence: str) -> bool:
    return OTHER_PERSON_RE.search(sentence) is not None


#: Where the words about one person end inside a sentence ("her mother died at 48, so she ...").
_CLAUSE_BREAK_RE = re.compile(r"[,;:()]|\b(?:and|but|while|whereas|so|which|who)\b", re.IGNORECASE)
OTHER_PERSON_REACH = 60
#: Conditionals and general statements that make a demographic mention hypothetical ("if she were 60",
#: "a 20-year-old would", "patients over 50 usually"); diagnostic framing ("consider", "concerning
#: for") does not.
CONDITIONAL_RE = re.compile(
    r"\b(?:if|would|could|might|may|should|unless|whether|suppose|supposing|assume|assuming|imagine|were|"
    r"patients|people|typically|usually|commonly|often|generally)\b",
    re.IGNORECASE,
)


def names_other_person_at(text: str, start: int, end: int) -> bool:
    """Whether the age or sex mention at `start:end` is about someone else: another person is named in its
    own clause before it ("his 10-year-old daughter", "compared with a healthy 20-year-old woman", "her
    mother died at the age of 48") or right after it ("a 20-year-old sibling"). A person named elsewhere in
    the sentence ("the patient is 38 years old, and her mother ...") leaves the mention the patient's."""
    lo = max(0, start - OTHER_PERSON_REACH, text.rfind("\n", 0, start) + 1)
    before = text[lo:start]
    cut = max((m.end() for m in _CLAUSE_BREAK_RE.finditer(before)), default=0)
    after = re.match(r"[\s-]*\w*", text[end : end + 30])
    return OTHER_PERSON_RE.search(before, cut) is not None or (
        after is not None and OTHER_PERSON_RE.search(after.group(0)) is not None
    )


def conditional_before(text: str, start: int, sentence_start: int) -> bool:
    """A conditional or generalising word before `start` in its sentence."""
    return CONDITIONAL_RE.search(text, sentence_start, start) is not None


def opens_with_age(text: str, start: int, end: int) -> bool:
    """A sentence that opens with an age ("34 years old.", "18 years old is within the age range of ...")
    states the patient's age, unless it is general or conditional ("5 years old is typically ...")."""
    pos = start + len(text[start:end]) - len(text[start:end].lstrip(LINE_MARKUP))
    found = AGE_RE.match(text, pos, end)
    return (
        found is not None
        and not sentence_is_general(text[start:end])
        and CONDITIONAL_RE.search(text, found.end(), end) is None
    )


def threshold_before(text: str, value_start: int) -> bool:
    """A comparator right before the number at `value_start`."""
    return COMPARATOR_RE.search(text, max(0, value_start - 24), value_start) is not None


def on_data_line(text: str, pos: int) -> bool:
    """Whether `pos` lies on a data line: a table row, a "Label: value" line (also as a list item), or a
    list item that is a fragment ("- Fever for 3 days", "- BP 80/64 mm Hg"). A list item that is a whole
    sentence ("- The resident is working 70 hours per week") is prose with a bullet in front: it is read
    as the same sentence would be in a paragraph, so bullets and prose earn the same claims."""
    line_start = text.rfind("\n", 0, pos) + 1
    match = DATA_LINE_RE.match(text, line_start)
    if match is None:
        return False
    item_end = match.end("item") if match.group("item") else line_start
    if match.group("table") or match.end() > item_end:  # a table row or a label before ":"
        return True
    if match.group("item") is None:
        return False
    line_end = text.find("\n", match.end())
    body = text[match.end() : line_end if line_end >= 0 else len(text)].lower()
    return sum(1 for word in _WORD_RE.findall(body) if word in FUNCTION_WORDS) < ITEM_SENTENCE_FUNCTION_WORDS


def labels_its_line(text: str, start: int, mention_text: str) -> bool:
    """A measurement whose analyte's name opens its line ("HR 138/min", "Glucose 412 mg/dL", "**Hb** 6.4
    g/dL"): a data line without a bullet or colon, about the patient as much as "- HR: 138/min" is."""
    return (
        bool(mention_text)
        and not mention_text[0].isdigit()
        and is_labelled_value(text, start, start + len(mention_text))
    )


#: A level stated in words ("elevated CK", "AST and ALT are normal", "low albumin").
_LEVEL_WORDS = {
    "high": r"elevated|raised|high|higher|increased|elevation|rising",
    "low": r"low|lower|decreased|reduced|depressed|diminished",
    "normal": r"(?:low|high|upper|lower)[- ]normal|normal|within normal limits|unremarkable|wnl",
}
LEVEL_RE = re.compile(  # "low-normal" is a normal reading: the normal words are tried first
    r"\b(?P<neg>not |no |without |absence of )?(?:(?P<normal>"
    + _LEVEL_WORDS["normal"]
    + r")|(?P<high>"
    + _LEVEL_WORDS["high"]
    + r")|(?P<low>"
    + _LEVEL_WORDS["low"]
    + r"))\b",
    re.IGNORECASE,
)
#: Words that end the reach of a level word ("elevated CK but normal AST").
_LEVEL_BREAK_RE = re.compile(r"\b(?:but|while|whereas|however|although|except|yet)\b|[;.!?()]", re.IGNORECASE)
LEVEL_REACH = 80
#: A level word that qualifies another noun, which the analyte only completes ("increased destruction of
#: platelets", "increased loss of albumin", "high doses of calcium", "reduced clearance of creatinine"): the
#: level is that noun's, not the analyte's. The nouns that carry an analyte's own level are not such nouns.
_OTHER_NOUN_RE = re.compile(r"\s+(?P<noun>[a-z]+)\s+(?:of|in|from|by|to)\b", re.IGNORECASE)
_LEVEL_NOUNS = frozenset(
    {
        "level",
        "levels",
        "concentration",
        "concentrations",
        "count",
        "counts",
        "value",
        "values",
        "titer",
        "titers",
        "titre",
        "titres",
        "activity",
        "amount",
        "amounts",
        "quantity",
        "quantities",
        "number",
        "numbers",
        "percentage",
        "percentages",
        "proportion",
        "fraction",
        "ratio",
        "serum",
        "plasma",
        "blood",
    }
)


def _qualifies_other_noun(text: str, level_end: int, limit: int) -> bool:
    """Whether the level word ending at `level_end` qualifies another noun ("increased loss of ..."), one
    that ends before `limit` (the analyte's mention: "elevated CK in ..." is the analyte's own level)."""
    found = _OTHER_NOUN_RE.match(text, level_end)
    return found is not None and found.end("noun") <= limit and found.group("noun").lower() not in _LEVEL_NOUNS


def stated_level(text: str, start: int, end: int, clause_start: int, clause_end: int) -> str | None:
    """The level ("high", "low", "normal") the words around an analyte mention give it, if any: the
    nearest level word before it in its clause ("elevated levels of CK, LDH and AST"), else right after it
    ("CK is elevated"). "Not elevated" reads as normal."""
    lo = max(clause_start, start - LEVEL_REACH)
    before = text[lo:start]
    cut = max((m.end() for m in _LEVEL_BREAK_RE.finditer(before)), default=0)
    hits = list(LEVEL_RE.finditer(before, cut))
    if hits:  # the nearest level word decides ("decreased production or increased destruction of platelets")
        return None if _qualifies_other_noun(text, lo + hits[-1].end(), start) else _level(hits[-1])
    after_end = min(clause_end, end + 40)
    after = text[end:after_end]
    stop = _LEVEL_BREAK_RE.search(after)
    hit = LEVEL_RE.search(after, 0, stop.start() if stop else len(after))
    if hit is None or _qualifies_other_noun(text, end + hit.end(), len(text)):
        return None
    return _level(hit)


def _level(match: re.Match[str]) -> str:
    level = "high" if match.group("high") else "low" if match.group("low") else "normal"
    if match.group("neg") and level in ("high", "low"):
        return "normal"
    return level


LIST_MIN_ITEMS = 5
LIST_MAX_ITEM_WORDS = 3
LIST_MAX_FUNCTION_SHARE = 0.2
SHORT_LIST_MIN_ITEMS = 2
_ITEM_SPLIT_RE = re.compile(r"[,;]|\band\b")
_LIST_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]*")


def _says_nothing(header: str, function_words: frozenset[str]) -> bool:
    """Whether every word of a list header is a function, generic, discourse or list-header word (and it
    has no number: "Step 1: fatigue and weakness" is a step of the reasoning)."""
    if any(c.isdigit() for c in header):
        return False
    return all(
        w in function_words or w in GENERIC_REASON_WORDS or w in DISCOURSE_WORDS or w in LIST_HEADER_WORDS
        for w in (x.lower() for x in _LIST_WORD_RE.findall(header))
    )


def is_keyword_list(sentence: str, function_words: frozenset[str]) -> bool:
    """A bare list of terms ("Key concepts: tachycardia, hypotension, fever, sepsis, ..."): at least
    `LIST_MIN_ITEMS` comma-separated items of at most `LIST_MAX_ITEM_WORDS` words on average, and few
    function words; or, behind a header that says nothing itself ("Relevant: humans, useful.", "Key terms:";
    not "Medications: ramipril and pantoprazole"), at least `SHORT_LIST_MIN_ITEMS`
    items of at most `LIST_MAX_ITEM_WORDS` words each and no function word at all. Naming concepts in a
    list asserts nothing about the patient."""
    headed = ":" in sentence[:40]
    header, body = sentence.split(":", 1) if headed else ("", sentence)
    items = [i for i in _ITEM_SPLIT_RE.split(body) if i.strip()]
    if headed and len(items) >= SHORT_LIST_MIN_ITEMS and _says_nothing(header, function_words):
        item_words = [_LIST_WORD_RE.findall(i) for i in items]
        if all(0 < len(w) <= LIST_MAX_ITEM_WORDS for w in item_words) and not any(
            x.lower() in function_words for w in item_words for x in w
        ):
            return True
    if len(items) < LIST_MIN_ITEMS:
        return False
    words = _LIST_WORD_RE.findall(body)
    if not words or len(words) / len(items) > LIST_MAX_ITEM_WORDS:
        return False
    return sum(w.lower() in function_words for w in words) / len(words) < LIST_MAX_FUNCTION_SHARE
