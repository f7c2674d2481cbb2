"""A non-editable install (what the image does) carries the NLP layer's data files (the lexicon) and every package.

Runs in the trainer environment only because its setuptools builds wheels without the `wheel` package.
"""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.live import ROOT

PACKAGES = ("schemas", "reward_service", "trainer_client", "crpo_eval", "crpo_core")


def test_wheel_contains_the_lexicon(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    data = source / "reward_service" / "nlp" / "data"
    data.mkdir(exist_ok=True)
    (data / "__init__.py").touch()
    lexicon = data / "lexicon.tsv.gz"
    if not lexicon.exists():  # before the NLP layer's lexicon lands: a stand-in with the same name
        lexicon.write_bytes(gzip.compress(b"term\tkey\n"))
    expected = sorted(
        f"reward_service/nlp/data/{p.name}" for p in data.iterdir() if p.is_file() and not p.name.endswith(".pyc")
    )
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-w",
            "dist",
            "./src",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    (wheel,) = (tmp_path / "dist").glob("crpo_reward-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "reward_service/nlp/data/lexicon.tsv.gz" in names
    assert [n for n in expected if n not in names] == []
    # `crpo-eval` is its own top-level package, and the console script points at it
    assert "crpo_eval/cli.py" in names and not any(n.startswith("trainer_client/eval/") for n in names)
    (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    assert "crpo-eval = crpo_eval.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
