"""Coercion of the many shapes datasets give options in, into the wire form `{letter: text}`."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def coerce_options(value: Any) -> dict[str, str] | None:
    """`{letter: text}` from a mapping, a JSON object string, or a list of texts (lettered A, B, ...).

    None entries (Hugging Face struct columns pad with them) are dropped, letters are upper-cased and
    sorted. None stays None. Raises ValueError, without a location (callers add theirs), for any other
    shape or a key that is not a single letter A-Z.
    """
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise ValueError(f"'options' is a string but not a JSON object: {exc}") from exc
    if isinstance(value, Mapping):
        options = {str(k).strip().upper(): str(v) for k, v in value.items() if v is not None}
    elif isinstance(value, Sequence) and not isinstance(value, str | bytes):
        if len(value) > len(LETTERS):
            raise ValueError(f"'options' has {len(value)} entries; at most {len(LETTERS)} are supported")
        options = {LETTERS[i]: str(text) for i, text in enumerate(value) if text is not None}
    else:
        raise ValueError(f"'options' must be a mapping, a list or a JSON object string, not {type(value).__name__}")
    for key in options:
        if len(key) != 1 or key not in LETTERS:
            raise ValueError(f"'options' has key {key!r}, which is not a single letter A-Z")
    return dict(sorted(options.items()))
