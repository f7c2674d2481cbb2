"""An `hf` rollout for verl 0.9.1's v1 trainer: Hugging Face `generate` in a Ray actor, on CPU.

verl 0.9.1 registers only vllm, sglang and trtllm as rollouts (`_ROLLOUT_REGISTRY` in
`verl.workers.rollout.base`, `RolloutReplicaRegistry` in `verl.workers.rollout.replica`); its old
synchronous `HFRollout` cannot serve the v1 trainer, which talks to a rollout *server* through the agent
loop. This module provides the three pieces verl expects of a rollout, under the name `hf`:

- `HFRolloutServer`, the server (one Ray actor per replica, named `hf_server_<replica>`): token-in,
  token-out `generate` (sampled with the agent loop's temperature/top-p/top-k, at most
  `rollout.response_length` tokens) returning verl's `TokenOutput` with the tokens' log-probabilities,
  and `load_weights`, which replaces the model's weights;
- `HFReplica`, verl's `RolloutReplica`: launches the server for a hybrid (colocated) worker group;
- `HFServerAdapter`, the `BaseRollout` that lives in the trainer worker: verl's standard "naive" weight
  sync (`ActorRolloutRefWorker.update_weights` -> `rollout.update_weights(per_tensor_param)`) hands it
  the actor's full tensors, which it sends to the server.

Every weight load is printed by the server (`hf rollout: loaded weights of step <n> ...`), which is
how a run's own output shows that the rollout follows the policy. Requests are generated one at a time
(the models this backend is for are tiny), in a thread so that the actor stays responsive; sampling is
seeded per request (`rollout.seed`, see `_request_generator`), so that two runs with the same seed
give the same metrics.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections.abc import AsyncIterator, Iterable
from typing import Any

import ray
import torch
from verl.workers.rollout.base import BaseRollout
from verl.workers.rollout.replica import RolloutReplica, TokenOutput
from verl.workers.rollout.utils import ensure_async_iterator

ROLLOUT_NAME = "hf"


def server_name(replica_rank: int) -> str:
    return f"{ROLLOUT_NAME}_server_{replica_rank}"


def weights_digest(state: dict[str, torch.Tensor]) -> str:
    """A short digest of the weights' bytes: equal digests, equal weights."""
    digest = hashlib.sha256()
    for name in sorted(state):
        digest.update(name.encode())
        digest.update(state[name].detach().to(torch.float32).contiguous().numpy().tobytes())
    return digest.hexdigest()[:12]


class HFRolloutServer:
    """Token-in, token-out generation with a transformers causal LM (one per replica)."""

    def __init__(self, config: Any, model_config: Any, replica_rank: int) -> None:
        from transformers import AutoModelForCausalLM

        self.config = config
        self.replica_rank = replica_rank
        path = model_config.get("local_path") or model_config.path
        self.model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32, attn_implementation="eager")
        self.model.eval()
        self.eos_token_ids = self._eos_ids(self.model.generation_config.eos_token_id)
        self.pad_token_id = self.model.generation_config.pad_token_id
        if self.pad_token_id is None:
            self.pad_token_id = self.eos_token_ids[0] if self.eos_token_ids else 0
        self.global_steps: int | None = None
        self.weight_loads = 0
        self._lock = threading.Lock()
        self._seed = int(config.get("seed", 0) or 0)
        self._occurrences: dict[tuple[int | None, str], int] = {}

    @staticmethod
    def _eos_ids(value: Any) -> list[int]:
        if value is None:
            return []
        return [int(v) for v in value] if isinstance(value, list | tuple) else [int(value)]

    def _max_new_tokens(self, prompt_len: int, sampling_params: dict[str, Any]) -> int:
        limit = sampling_params.get("max_tokens", sampling_params.get("max_new_tokens"))
        budget = int(self.config.response_length)
        if limit is not None:
            budget = min(budget, int(limit))
        return max(1, budget)

    def _request_generator(self, prompt_ids: list[int]) -> torch.Generator:
        """A generator seeded by (seed, weights version, prompt, how many times this prompt came before).

        The G rollouts of a prompt arrive concurrently, in any order, with identical prompts: the k-th
        gets the k-th seed, so a group's set of responses, and a run's metrics, do not depend on the
        arrival order (unlike a shared generator).
        """
        prompt = hashlib.sha256(repr(prompt_ids).encode()).hexdigest()[:16]
        key = (self.global_steps, prompt)
        occurrence = self._occurrences.get(key, 0)
        self._occurrences[key] = occurrence + 1
        material = f"{self._seed}:{self.global_steps}:{prompt}:{occurrence}".encode()
        return torch.Generator().manual_seed(int.from_bytes(hashlib.sha256(material).digest()[:8], "little"))

    def _sample(self, logits: torch.Tensor, params: dict[str, Any], generator: torch.Generator) -> int:
        temperature = float(params.get("temperature", 1.0) or 0.0)
        if temperature <= 0:
            return int(torch.argmax(logits))
        scores = logits / temperature
        top_k = int(params.get("top_k", -1) or -1)
        if 0 < top_k < scores.numel():
            kth = torch.topk(scores, top_k).values[-1]
            scores = scores.masked_fill(scores < kth, float("-inf"))
        top_p = float(params.get("top_p", 1.0) or 1.0)
        if top_p < 1.0:
            sorted_scores, order = torch.sort(scores, descending=True)
            cumulative = torch.softmax(sorted_scores, dim=-1).cumsum(-1)
            drop = cumulative - torch.softmax(sorted_scores, dim=-1) > top_p
            scores = scores.clone()
            scores[order[drop]] = float("-inf")
        probs = torch.softmax(scores, dim=-1)
        return int(torch.multinomial(probs, 1, generator=generator))

    @torch.no_grad()
    def _generate(
        self, prompt_ids: list[int], sampling_params: dict[str, Any], generator: torch.Generator
    ) -> tuple[list[int], list[float]]:
        """Sample token by token with a KV cache; log-probs are those of the model (temperature 1)."""
        tokens: list[int] = []
        log_probs: list[float] = []
        input_ids = torch.tensor([prompt_ids])
        past = None
        for _ in range(self._max_new_tokens(len(prompt_ids), sampling_params)):
            out = self.model(input_ids=input_ids, past_key_values=past, use_cache=True)
            past = out.past_key_values
            logits = out.logits[0, -1].float()
            token = self._sample(logits, sampling_params, generator)
            tokens.append(token)
            log_probs.append(float(torch.log_softmax(logits, dim=-1)[token]))
            if token in self.eos_token_ids:
                break
            input_ids = torch.tensor([[token]])
        return tokens, log_probs

    def _generate_locked(
        self, prompt_ids: list[int], sampling_params: dict[str, Any], generator: torch.Generator
    ) -> tuple[list[int], list[float]]:
        with self._lock:
            return self._generate(prompt_ids, sampling_params, generator)

    async def generate(
        self,
        prompt_ids: list[int],
        sampling_params: dict[str, Any],
        request_id: str,
        image_data: Any = None,
        video_data: Any = None,
        **kwargs: Any,
    ) -> TokenOutput:
        if image_data is not None or video_data is not None:
            raise NotImplementedError("the hf rollout generates text only")
        generator = self._request_generator(list(prompt_ids))  # on the event loop: counted in arrival order
        tokens, log_probs = await asyncio.to_thread(
            self._generate_locked, list(prompt_ids), dict(sampling_params), generator
        )
        return TokenOutput(
            token_ids=tokens,
            log_probs=log_probs if sampling_params.get("logprobs") else None,
            stop_reason="completed",
            extra_fields={"global_steps": self.global_steps},
        )

    def load_weights(self, state: dict[str, torch.Tensor], global_steps: int | None) -> dict[str, Any]:
        """Replace the model's weights by the actor's (every parameter must be given, tied ones aside)."""
        with self._lock:
            result = self.model.load_state_dict(state, strict=False)
            tied = set(getattr(self.model, "_tied_weights_keys", None) or [])
            missing = [k for k in result.missing_keys if k not in tied and k != "lm_head.weight"]
            if missing or result.unexpected_keys:
                raise ValueError(
                    f"hf rollout: weights do not match the model: missing {missing}, unexpected "
                    f"{result.unexpected_keys}"
                )
            self.global_steps = global_steps
            self._occurrences.clear()
            self.weight_loads += 1
            digest = weights_digest(dict(self.model.state_dict()))
        print(
            f"hf rollout: loaded weights of step {global_steps} ({len(state)} tensors, digest {digest}, "
            f"load {self.weight_loads})",
            flush=True,
        )
        return {"global_steps": global_steps, "tensors": len(state), "digest": digest, "loads": self.weight_loads}

    # The rest of verl's server interface: nothing to free or pause for a model this size.
    async def sleep(self) -> None:
        pass

    async def wake_up(self) -> None:
        pass

    async def clear_kv_cache(self) -> None:
        pass

    async def release_kv_cache(self) -> None:
        pass

    async def resume_kv_cache(self) -> None:
        pass

    async def abort_all_requests(self, reject_request: bool = False) -> dict[str, Any]:
        return {"aborted_count": 0, "request_ids": []}

    async def resume_generation(self) -> None:
        pass

    async def wait_for_requests_to_drain(self) -> None:
        pass

    async def start_profile(self, **kwargs: Any) -> None:
        pass

    async def stop_profile(self) -> None:
        pass


class HFReplica(RolloutReplica):
    """verl's rollout replica for `rollout.name=hf`: one `HFRolloutServer` next to the trainer worker."""

    async def launch_servers(self) -> None:
        server = (
            ray.remote(HFRolloutServer)
            .options(name=server_name(self.replica_rank), num_cpus=0, max_concurrency=self.max_concurrency)
            .remote(config=self.config, model_config=self.model_config, replica_rank=self.replica_rank)
        )
        await server.__ray_ready__.remote()
        self.servers = [server]
        self._server_handle = server
        self._server_address = server_name(self.replica_rank)  # the load balancer's key; no HTTP endpoint

    def rollout_worker_use_gpu(self) -> bool:
        return False


class HFServerAdapter(BaseRollout):
    """The trainer worker's side of the `hf` rollout: forwards verl's weight sync to the server."""

    def __init__(self, config: Any, model_config: Any, device_mesh: Any, replica_rank: int = -1, **kwargs: Any):
        super().__init__(config, model_config, device_mesh)
        import os

        rank = int(os.environ.get("RANK", "0"))
        self.replica_rank = rank if replica_rank == -1 else replica_rank
        self.is_leader_rank = True
        self.sleep_level = 1
        self._server: Any = None

    def _server_handle(self) -> Any:
        if self._server is None:
            self._server = ray.get_actor(server_name(self.replica_rank))
        return self._server

    async def update_weights(
        self,
        weights: Iterable[tuple[str, torch.Tensor]] | AsyncIterator[tuple[str, torch.Tensor]],
        wire_format: str = "named_tensors",
        global_steps: int | None = None,
        peft_config: Any = None,
        **kwargs: Any,
    ) -> None:
        if wire_format != "named_tensors" or peft_config is not None:
            raise NotImplementedError(
                f"the hf rollout takes full named tensors (got {wire_format}, LoRA {peft_config})"
            )
        state: dict[str, torch.Tensor] = {}
        async for name, tensor in ensure_async_iterator(weights):
            state[name] = tensor.detach().to("cpu", copy=True)
        await self._server_handle().load_weights.remote(state, global_steps)

    async def resume(self, tags: list[str]) -> None:
        pass

    async def release(self) -> None:
        pass
