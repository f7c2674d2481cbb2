"""Every dependency is pinned: pyproject.toml against constraints/, and this (service) environment's
installed dependency tree against constraints/serve.txt."""

from __future__ import annotations

from tests.pins import pins, unpinned_installed, unpinned_requirements


def test_every_pyproject_requirement_is_pinned_within_its_range() -> None:
    assert unpinned_requirements("serve") == []
    assert unpinned_requirements("train") == []


def test_constraints_are_exact_pins() -> None:
    for environment in ("serve", "train"):
        assert len(pins(environment)) > 50  # parsed; a line that is not `name==version` raises


def test_the_service_environment_is_exactly_the_pinned_one() -> None:
    assert unpinned_installed("serve") == []
