"""`RewardSettings`: the `crpo` section of a trainer config."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from trainer_client.settings import RewardSettings, plain


def test_defaults_and_derived_client_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = RewardSettings.from_mapping({"reward_urls": "http://a:8000/, https://b:8000"})
    assert settings.reward_urls == ["http://a:8000", "https://b:8000"]
    assert (settings.batch_size, settings.batch_window_ms, settings.on_reward_failure) == (256, 20.0, "raise")
    assert settings.retry_policy().max_attempts == 6
    assert settings.score_options() == {"weights": None, "profile": "auto", "accuracy_mode": "crpo"}
    monkeypatch.delenv("CRPO_API_KEY", raising=False)
    assert settings.api_key is None
    monkeypatch.setenv("CRPO_API_KEY", "s3cret-key")
    assert settings.api_key == "s3cret-key"
    assert "s3cret" not in settings.model_dump_json()  # the key never becomes part of a config


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"reward_urls": []}, "at least 1 item"),
        ({"reward_urls": ["localhost:8000"]}, r"reward_urls\[0\] 'localhost:8000' is not an http\(s\) URL"),
        (
            {"reward_urls": ["http://a"], "weights": {"accuracy": 1, "fluency": 1}},
            r"unknown objective\(s\) \['fluency'\]",
        ),
        ({"reward_urls": ["http://a"], "batch_size": 0}, "batch_size"),
        ({"reward_urls": ["http://a"], "on_reward_failure": "ignore"}, "on_reward_failure"),
        ({"reward_urls": ["http://a"], "batch_sise": 8}, "batch_sise"),
    ],
)
def test_bad_settings_name_the_field(values: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        RewardSettings.from_mapping(values)


def test_missing_section_is_explained() -> None:
    with pytest.raises(ValueError, match=r"set crpo\.reward_urls"):
        RewardSettings.from_mapping(None)


def test_plain_converts_nested_mappings_and_sequences() -> None:
    assert plain({"a": ({"b": [1, 2]},), "c": "text"}) == {"a": [{"b": [1, 2]}], "c": "text"}
