"""The Clinical-R1 authors' published reward rule, written literally from docs/scoring.md's appendix.

This is the benchmark's speed anchor (one regex pass plus a per-character Python loop per response),
kept deliberately naive. The service's `accuracy_mode=clinical_r1` computes the same values faster;
the tests check that both agree.
"""

from __future__ import annotations

import re
import string

EOS_TOKEN = "<|im_end|>"
ALLOWED = set(string.ascii_letters + string.digits + " \n" + string.punctuation)


def authors_reward(response: str, gold_letter: str, eos_token: str = EOS_TOKEN) -> dict[str, float]:
    if eos_token in response:
        response = response.split(eos_token)[0]
    response = response.replace("<\\think>", "</think>").replace("<\\answer>", "</answer>")

    n = response.count("\\boxed")
    if n == 1:
        match = re.search(r"\\boxed{(.*?)}", response)
        if match is None:
            accuracy = -1.0
        else:
            captured = match.group(1)
            if len(captured) == 1 and "A" <= captured <= "Z":
                accuracy = 1.0 if captured == gold_letter else 0.0
            else:
                accuracy = -0.5
    else:
        accuracy = float(-n)

    fmt = 0.0
    match = re.match(r"^<think>.*?</think>\s*<answer>(.*?)</answer>$", response.strip(), re.DOTALL)
    if match:
        fmt = 1.0
        answer_part = match.group(1)
        boxes = re.findall(r"\\boxed{.*?}", answer_part)
        if len(boxes) == 1 and answer_part.replace(boxes[0], "").strip():
            fmt += 0.5

    english = 0.0
    if response:
        allowed = 0
        for ch in response:  # the per-character loop of the published rule
            if ch in ALLOWED:
                allowed += 1
        english = allowed / len(response)

    return {
        "accuracy": accuracy,
        "format": fmt,
        "english": english,
        "training_reward": 10 * accuracy + fmt + 0.5 * english,
        "validation_reward": accuracy,
    }
