"""Are the dependencies pinned? pyproject.toml's requirements against constraints/*.txt, and the whole
installed dependency tree of an environment against its constraints file.

Used by tests/unit/test_pins.py (service environment) and tests/train/test_pins_train.py (trainer
environment).
"""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
#: Which extras each environment installs (the Makefile's pip commands).
ENVIRONMENTS = {"serve": ("serve", "dev", "fuzz"), "train": ("train", "dev")}
PROJECT = "crpo-reward"
#: Installed with the virtual environment itself, by the Python that creates it: not pinned here.
BOOTSTRAP = {"pip", "setuptools", "wheel"}


def requirements(extras: tuple[str, ...]) -> list[Requirement]:
    """The base requirements of pyproject.toml plus those of `extras`."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = [Requirement(r) for r in project["dependencies"]]
    for extra in extras:
        reqs += [Requirement(r) for r in project["optional-dependencies"][extra]]
    return reqs


def pins(environment: str) -> dict[str, Version]:
    """`name==version` lines of constraints/<environment>.txt (every line must be one)."""
    out: dict[str, Version] = {}
    for line in (ROOT / "constraints" / f"{environment}.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, version = line.partition("==")
        if not sep or not version.strip():
            raise ValueError(f"constraints/{environment}.txt: {line!r} is not pinned with ==")
        out[canonicalize_name(name)] = Version(version.strip())
    return out


def unpinned_requirements(environment: str) -> list[str]:
    """pyproject requirements of the environment that its constraints do not pin, or pin outside the range."""
    pinned = pins(environment)
    problems = []
    for req in requirements(ENVIRONMENTS[environment]):
        if req.marker and not req.marker.evaluate():
            continue
        version = pinned.get(canonicalize_name(req.name))
        if version is None:
            problems.append(f"{req.name}: not pinned")
        elif not req.specifier.contains(version, prereleases=True):
            problems.append(f"{req.name}: pinned {version}, pyproject wants {req.specifier}")
    return problems


def installed_tree(reqs: list[Requirement]) -> dict[str, str]:
    """Every installed distribution that `reqs` need, transitively (markers and extras applied)."""
    seen: dict[str, str] = {}
    todo = [(req, frozenset(req.extras)) for req in reqs]
    while todo:
        req, extras = todo.pop()
        name = canonicalize_name(req.name)
        dist = metadata.distribution(req.name)
        key = f"{name}[{','.join(sorted(extras))}]"
        if key in seen:
            continue
        seen[key] = dist.version
        for line in dist.requires or []:
            child = Requirement(line)
            if child.marker is not None:
                envs = [{**default_environment(), "extra": e} for e in ({""} | extras)]
                if not any(child.marker.evaluate(env) for env in envs):
                    continue
            todo.append((child, frozenset(child.extras)))
    return {key.split("[")[0]: version for key, version in seen.items()}


def unpinned_installed(environment: str) -> list[str]:
    """Installed dependencies (transitively) of the environment that its constraints miss or pin otherwise."""
    pinned = pins(environment)
    problems = []
    tree = installed_tree(requirements(ENVIRONMENTS[environment]))
    for name, version in sorted(tree.items()):
        if name == PROJECT or name in BOOTSTRAP:
            continue
        if name not in pinned:
            problems.append(f"{name}=={version}: installed, not in constraints/{environment}.txt")
        elif not SpecifierSet(f"=={pinned[name]}").contains(Version(version), prereleases=True):  # 2.13.0+cpu
            problems.append(f"{name}: installed {version}, constraints/{environment}.txt pins {pinned[name]}")
    return problems
