"""Character-level text normalisation shared by the lexicon builder and the matchers.

``match_form`` lower-cases and maps every non-alphanumeric character to a space, one character for
one character, so offsets in the normalised text are offsets in the original text. Word boundaries
then reduce to spaces, which lets an Aho-Corasick automaton over ``" term "`` keys find only
whole-word matches without a Python-level boundary check per hit.
"""

from __future__ import annotations

import re
import unicodedata

_KEEP = set("abcdefghijklmnopqrstuvwxyz0123456789")


def _build_table() -> dict[int, int | None]:
    table: dict[int, int | None] = {}
    for cp in range(0x3000):
        ch = chr(cp)
        low = ch.lower()
        if len(low) != 1:
            continue
        if low in _KEEP:
            if low != ch:
                table[cp] = ord(low)
            continue
        if cp < 128 or not low.isalnum():
            table[cp] = 0x20
        elif low != ch:
            table[cp] = ord(low)
    return table


_TABLE = _build_table()
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
_WS_RE = re.compile(r"\s+")


_ASCII_TABLE = bytes((c + 32 if 65 <= c <= 90 else c) if chr(c).isalnum() else 0x20 for c in range(256))


def match_form(text: str) -> str:
    """Lower-cased text with punctuation and whitespace as single spaces; same length as ``text``."""
    if text.isascii():  # the common case: a byte-table translation is ~50x faster than a dict one
        return text.encode("ascii").translate(_ASCII_TABLE).decode("ascii")
    # Mostly-ASCII text (dashes, degree signs, Greek letters): translate the ASCII part as bytes, each
    # other character on its own (encode("ascii", "replace") keeps one "?" per character).
    out = text.encode("ascii", "replace").translate(_ASCII_TABLE).decode("ascii")
    others = [(m.start(), m.group()) for m in _NON_ASCII_RE.finditer(text)]
    if len(others) * 8 < len(text):
        pieces: list[str] = []
        previous = 0
        for index, ch in others:
            mapped = ch.translate(_TABLE)
            pieces += (out[previous:index], mapped if len(mapped) == 1 else " ")
            previous = index + 1
        pieces.append(out[previous:])
        return "".join(pieces)
    out = text.translate(_TABLE)
    if len(out) != len(text):  # pragma: no cover - only for exotic characters beyond the table
        out = "".join(c if len(c) == 1 else " " for c in (ch.translate(_TABLE) for ch in text))
    return out


def norm_term(term: str) -> str:
    """Canonical spelling of a lexicon term: NFKC, lower case, straight quotes, single spaces."""
    t = unicodedata.normalize("NFKC", term).replace("’", "'").replace("‘", "'")
    t = t.replace("–", "-").replace("—", "-")
    return _WS_RE.sub(" ", t).strip().lower()


def term_key(term: str) -> str:
    """The automaton key of a term: its ``match_form`` with runs of spaces kept (offset-exact)."""
    return match_form(norm_term(term)).strip()
