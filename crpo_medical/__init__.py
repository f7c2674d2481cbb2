"""The verifiers environment `crpo-medical` (`vf.load_environment("crpo-medical", base_url=...)`).

verifiers imports an environment id as a module (`crpo-medical` -> `crpo_medical`) and calls its
`load_environment`; the environment itself is `trainer_client.integrations.verifiers_env`.
"""

from trainer_client.integrations.verifiers_env import CRPORubric, load_environment

__all__ = ["CRPORubric", "load_environment"]
