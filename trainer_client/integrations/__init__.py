"""Adapters that point RL frameworks at the reward service (one module per framework).

- `nemo_gym`: a NeMo Gym resources server whose `/verify` scores on the service (NeMo Gym's env);
- `verifiers_env`: a verifiers environment with a CRPO rubric (`crpo_medical.load_environment`);
- `slime`: slime `--custom-rm-path` functions that skip unscorable samples (`remove_sample`);
- `status`: how every adapter reads a result's `status` (a sample the service cannot score is skipped,
  never given a number).
"""
