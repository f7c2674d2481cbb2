"""The CRPO prompt template, and its inverse.

`crpo-data` writes prompts with `render_user_prompt`; endpoints that only receive the prompt text
(OpenRLHF's `/get_reward`) recover the question and options with `parse_prompt`, which also works on a
prompt that a chat template has wrapped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

SYSTEM_PROMPT = (
    "You are a careful clinician. Reason about the patient case step by step before answering, using only "
    "facts stated in the case."
)

INSTRUCTIONS = (
    "Answer the following multiple-choice medical question.\n"
    "First analyse the case inside <dx> </dx>: cite the key findings of the patient, weigh every option and "
    "say why it is accepted or rejected.\n"
    "Then write a short summary and the final answer inside <conclusion> </conclusion>, with the letter of "
    "the chosen option in \\boxed{}, for example \\boxed{C}."
)

_QUESTION_MARK = "Question:"
_OPTIONS_MARK = "Options:"
_OPTION_LINE_RE = re.compile(r"^([A-Z])\. (.*)$")


def render_user_prompt(question: str, options: Mapping[str, str]) -> str:
    lines = [INSTRUCTIONS, "", f"{_QUESTION_MARK} {question.strip()}", "", _OPTIONS_MARK]
    lines += [f"{letter}. {' '.join(text.split())}" for letter, text in sorted(options.items())]
    return "\n".join(lines)


def chat_messages(question: str, options: Mapping[str, str]) -> list[dict[str, str]]:
    """The chat list written to verl parquet's `prompt` column."""
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": render_user_prompt(question, options)},
    ]


def parse_prompt(prompt: str) -> tuple[str, dict[str, str]] | None:
    """(question, options) from a prompt rendered by `render_user_prompt`; None if it is not one."""
    start = prompt.rfind(_QUESTION_MARK)
    if start < 0:
        return None
    body = prompt[start + len(_QUESTION_MARK) :]
    split = body.rfind("\n" + _OPTIONS_MARK + "\n")
    if split < 0:
        return None
    question = body[:split].strip()
    options: dict[str, str] = {}
    for line in body[split + len(_OPTIONS_MARK) + 2 :].splitlines():
        match = _OPTION_LINE_RE.match(line.strip())
        if match is None:
            if options:  # the option block ended (e.g. a chat template's end-of-turn marker)
                break
            continue
        text = match.group(2)
        marker = text.find("<|")  # a chat template's end-of-turn marker glued to the last option
        options[match.group(1)] = (text[:marker] if marker >= 0 else text).strip()
        if marker >= 0:
            break
    return (question, options) if question and options else None
