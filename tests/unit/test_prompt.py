from __future__ import annotations

from schemas.prompt import chat_messages, parse_prompt, render_user_prompt

OPTIONS = {"A": "Amantadine", "B": "Benztropine", "C": "Selegiline"}


def test_round_trip_plain_and_chat_wrapped() -> None:
    prompt = render_user_prompt("A 59-year-old man ...\nWhich drug?", OPTIONS)
    assert parse_prompt(prompt) == ("A 59-year-old man ...\nWhich drug?", OPTIONS)
    wrapped = f"<|im_start|>system\nx<|im_end|>\n<|im_start|>user\n{prompt}<|im_end|>\n<|im_start|>assistant\n"
    assert parse_prompt(wrapped) == ("A 59-year-old man ...\nWhich drug?", OPTIONS)


def test_not_a_crpo_prompt() -> None:
    assert parse_prompt("What is 2 + 2?") is None


def test_chat_messages_shape() -> None:
    messages = chat_messages("Q?", OPTIONS)
    assert [m["role"] for m in messages] == ["system", "user"] and "\\boxed{}" in messages[1]["content"]


def test_coerce_options_shapes() -> None:
    import pytest

    from schemas.options import coerce_options

    assert coerce_options(None) is None
    assert coerce_options({"b": "y", "A": "x", "C": None}) == {"A": "x", "B": "y"}
    assert coerce_options('{"A": "x"}') == {"A": "x"}
    assert coerce_options(["x", "y"]) == {"A": "x", "B": "y"}
    with pytest.raises(ValueError, match="'AA', which is not a single letter"):
        coerce_options({"AA": "x"})
    with pytest.raises(ValueError, match="not a JSON object"):
        coerce_options("{oops")
    with pytest.raises(ValueError, match="mapping, a list"):
        coerce_options(3)
