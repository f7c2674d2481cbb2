"""Package boundaries, read from the source: benches import no tests, no private name crosses a module, the
objectives are listed once (`crpo_core.objective`), and the wire models' fields follow that list."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from crpo_core.objective import OBJECTIVE_ORDER, OBJECTIVE_RANGES, objective_range
from schemas import OBJECTIVES, ScoredItem, ScoreResult, Weights, WeightsOverride
from tests.live import ROOT

PACKAGES = ("schemas", "crpo_core", "reward_service", "trainer_client", "crpo_eval", "crpo_medical", "deploy", "bench")
#: Restructured by issue 14's scoring core (its own boundaries are checked there).
NOT_YET: tuple[str, ...] = ()


def modules(*roots: str) -> Iterator[tuple[str, ast.Module]]:
    for root in roots:
        for path in sorted((ROOT / root).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            yield name, ast.parse(path.read_text(), filename=name)


def project_module(name: str | None) -> bool:
    return name is not None and name.split(".")[0] in (*PACKAGES, "tests")


def test_benches_import_no_tests() -> None:
    found = [
        f"{name}:{node.lineno}"
        for name, tree in modules("bench")
        for node in ast.walk(tree)
        if (isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "tests")
        or (isinstance(node, ast.Import) and any(a.name.split(".")[0] == "tests" for a in node.names))
    ]
    assert found == []


def test_no_private_name_crosses_a_module() -> None:
    """`from x import _name` or `x._name` on a project module (third-party hooks such as verl's registries are
    outside this rule)."""
    found = []
    for name, tree in modules(*PACKAGES, "tests"):
        if name.startswith(NOT_YET):
            continue
        imported: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and project_module(node.module):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        found.append(f"{name}:{node.lineno}: from {node.module} import {alias.name}")
                    imported.add(alias.asname or alias.name)
            elif isinstance(node, ast.Import):
                imported |= {(a.asname or a.name).split(".")[0] for a in node.names if project_module(a.name)}
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and isinstance(node.value, ast.Name)
                and node.value.id in imported
            ):
                found.append(f"{name}:{node.lineno}: {node.value.id}.{node.attr}")
    assert found == []


def test_the_objectives_are_listed_once() -> None:
    """No module but `crpo_core/objective.py` spells out the four objectives (a tuple, list, set or dict of
    them, with or without the total); a report's own layout of columns that include them is not such a list."""
    names = set(OBJECTIVE_ORDER)
    found = []
    for name, tree in modules(*PACKAGES):
        if name == "crpo_core/objective.py" or name.startswith(NOT_YET):
            continue
        for node in ast.walk(tree):
            elements = node.keys if isinstance(node, ast.Dict) else getattr(node, "elts", None)
            if isinstance(node, ast.Tuple | ast.List | ast.Set | ast.Dict) and elements:
                spelled = {e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str)}
                if names <= spelled and spelled - names <= {"total", "score"}:
                    found.append(f"{name}:{node.lineno}")
    assert found == []


def test_wire_models_follow_the_objective_list() -> None:
    assert OBJECTIVES == OBJECTIVE_ORDER == ("accuracy", "faithfulness", "comprehensiveness", "format")
    assert tuple(OBJECTIVE_RANGES) == OBJECTIVE_ORDER
    for model in (Weights, WeightsOverride):
        assert tuple(model.model_fields) == OBJECTIVE_ORDER, model
    for model in (ScoreResult, ScoredItem):
        assert [f for f in model.model_fields if f in OBJECTIVE_ORDER] == list(OBJECTIVE_ORDER), model
    assert objective_range("accuracy") == (-1.0, 1.0) and objective_range("accuracy", "clinical_r1")[0] < -1.0
