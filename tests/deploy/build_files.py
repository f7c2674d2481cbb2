"""Readers of the build files (Dockerfile, .dockerignore, compose interpolation) for the deployment tests.

No Docker engine runs on the development and CI machines, so the tests read these files the way Docker
does (for the subset of the syntax the project uses) and check them against what the tests run.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Instruction:
    keyword: str
    args: str

    def exec_form(self) -> list[str]:
        """The JSON (exec) form of ENTRYPOINT/CMD/HEALTHCHECK CMD; a shell form is an error here."""
        text = self.args
        if self.keyword == "HEALTHCHECK":
            text = text[text.index("CMD") + 3 :]
        value = json.loads(text.strip())
        assert isinstance(value, list) and all(isinstance(v, str) for v in value), f"{self.keyword} not exec form"
        return value


@dataclass
class Stage:
    name: str
    base: str
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]

    def last(self, keyword: str) -> Instruction | None:
        found = self.all(keyword)
        return found[-1] if found else None


@dataclass
class Dockerfile:
    args: dict[str, str]
    stages: dict[str, Stage]

    @classmethod
    def parse(cls, path: Path) -> Dockerfile:
        logical: list[str] = []
        pending = ""
        for raw in path.read_text().splitlines():
            line = raw.strip()
            if not pending and (not line or line.startswith("#")):
                continue
            if line.startswith("#"):  # comment inside a continued instruction
                continue
            if line.endswith("\\"):
                pending += line[:-1] + " "
                continue
            logical.append(pending + line)
            pending = ""
        args: dict[str, str] = {}
        stages: dict[str, Stage] = {}
        current: Stage | None = None
        for line in logical:
            keyword, _, rest = line.partition(" ")
            keyword = keyword.upper()
            rest = rest.strip()
            if keyword == "ARG" and current is None:
                name, _, default = rest.partition("=")
                args[name] = default
            elif keyword == "FROM":
                match = re.fullmatch(r"(\S+)(?:\s+AS\s+(\S+))?", rest, flags=re.IGNORECASE)
                assert match, f"cannot read FROM {rest!r}"
                base = re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], match.group(1))
                current = Stage(match.group(2) or str(len(stages)), base)
                stages[current.name] = current
            else:
                assert current is not None, f"{keyword} before FROM"
                current.instructions.append(Instruction(keyword, rest))
        return cls(args, stages)

    def lineage(self, name: str) -> list[Stage]:
        """The stage and the stages it is built FROM, nearest first."""
        chain = [self.stages[name]]
        while chain[-1].base in self.stages:
            chain.append(self.stages[chain[-1].base])
        return chain

    def final_stage(self) -> Stage:
        return list(self.stages.values())[-1]

    def env(self, name: str) -> dict[str, str]:
        """ENV of a stage, inherited ones first (`$VAR` references resolved against earlier values)."""
        env: dict[str, str] = {}
        for stage in reversed(self.lineage(name)):
            for instruction in stage.all("ENV"):
                for pair in shlex.split(instruction.args):
                    key, _, value = pair.partition("=")
                    env[key] = re.sub(r"\$\{?(\w+)\}?", lambda m: env.get(m.group(1), f"${m.group(1)}"), value)
        return env

    def inherited(self, name: str, keyword: str) -> Instruction | None:
        for stage in self.lineage(name):
            found = stage.last(keyword)
            if found is not None:
                return found
        return None

    def copy_sources(self) -> list[str]:
        """Sources of every COPY from the build context (not `--from=` another stage)."""
        sources: list[str] = []
        for stage in self.stages.values():
            for instruction in stage.all("COPY"):
                parts = shlex.split(instruction.args)
                if any(p.startswith("--from=") for p in parts):
                    continue
                parts = [p for p in parts if not p.startswith("--")]
                sources += parts[:-1]
        return sources


def _dockerignore_regex(pattern: str) -> re.Pattern[str]:
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(out)


def dockerignored(ignore_file: Path, path: str) -> bool:
    """Whether Docker leaves `path` (relative to the context) out of the build context.

    A pattern excludes a path it matches or any of whose parent directories it matches; the last
    matching pattern wins, `!pattern` re-includes.
    """
    rules = []
    for raw in ignore_file.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pattern = line[1:] if negate else line
        rules.append((negate, _dockerignore_regex(pattern.strip("/"))))
    parts = path.strip("/").split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    excluded = False
    for negate, regex in rules:
        if any(regex.fullmatch(p) for p in prefixes):
            excluded = not negate
    return excluded


def interpolate(value: str, environ: dict[str, str]) -> str:
    """Compose's `${VAR}`, `${VAR:-default}` and `${VAR-default}` interpolation."""

    def replace(match: re.Match[str]) -> str:
        name, op, default = match.group(1), match.group(2), match.group(3) or ""
        if op == ":-":
            return environ.get(name) or default
        if op == "-":
            return environ.get(name, default)
        return environ.get(name, "")

    return re.sub(r"\$\{(\w+)(?:(:-|-)([^}]*))?\}", replace, value)
