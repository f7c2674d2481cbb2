"""verl's model initialisation imports what it needs from the pinned trl (it crashed with trl 1.16).

verl 0.9.1's `apply_monkey_patch` (`verl/models/transformers/monkey_patch.py`), run for every actor,
reference and critic model, imports `AutoModelForCausalLMWithValueHead` from `trl.experimental.ppo` or
`trl` whenever trl is installed. Run in a fresh interpreter, as a verl worker would, so that the patch
does not leak into other tests.
"""

from __future__ import annotations

import subprocess
import sys

from tests.live import ROOT

SCRIPT = """
import torch
from transformers import Qwen2Config, Qwen2ForCausalLM
from verl.models.transformers.monkey_patch import apply_monkey_patch

config = Qwen2Config(vocab_size=64, hidden_size=16, intermediate_size=32, num_hidden_layers=1,
                     num_attention_heads=2, num_key_value_heads=1)
model = Qwen2ForCausalLM(config)
apply_monkey_patch(model)
from trl.experimental.ppo import AutoModelForCausalLMWithValueHead
assert AutoModelForCausalLMWithValueHead.state_dict.__qualname__ == "apply_monkey_patch.<locals>.state_dict"
print("model init ok")
"""


def test_verls_model_initialisation_runs_with_the_pinned_trl() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=ROOT, env={"PATH": "/usr/bin:/bin"}
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Monkey patch state_dict in AutoModelForCausalLMWithValueHead" in result.stdout
    assert "model init ok" in result.stdout
