"""Code blocks of the user documentation, so tests run the snippets users copy."""

from __future__ import annotations

import re

from tests.live import ROOT


def code_blocks(doc: str, language: str, containing: str) -> list[str]:
    """The fenced `language` blocks of `docs/<doc>` whose text contains `containing`, in order."""
    text = (ROOT / "docs" / doc).read_text()
    blocks = re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)
    return [block for block in blocks if containing in block]
