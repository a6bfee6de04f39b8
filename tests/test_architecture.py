"""The tree shows the layers: imports point one way, style is checked, the API is public."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from extract.errors import ExitCode
from tests.conftest import ROOT

BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    found = BIN / name if (BIN / name).exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]' installs it")
    return str(found)


def test_no_layer_imports_a_layer_above_it_and_there_are_no_cycles():
    proc = subprocess.run([_tool("lint-imports"), "--no-cache"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0 and " 0 broken" in proc.stdout, proc.stdout + proc.stderr


def test_ruff_lint_and_format_are_clean():
    lint = subprocess.run([_tool("ruff"), "check", "."], capture_output=True, text=True, cwd=ROOT)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = subprocess.run([_tool("ruff"), "format", "--check", "."], capture_output=True, text=True, cwd=ROOT)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_extract_has_at_most_a_handful_of_flat_modules():
    flat = sorted(p.name for p in (ROOT / "extract").glob("*.py"))
    assert flat == ["__init__.py", "__main__.py", "errors.py", "pipeline.py", "settings.py"]
    rooms = sorted(p.name for p in (ROOT / "extract").iterdir() if p.is_dir() and p.name != "__pycache__")
    assert rooms == [
        "bench",
        "cli",
        "datamodel",
        "forms",
        "grid",
        "ingest",
        "inspect",
        "normalize",
        "ocr",
        "read",
        "record",
        "review",
    ]


def test_the_readme_exit_code_table_is_the_enum():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", readme, flags=re.M))
    assert {int(k) for k in table} == {int(c) for c in ExitCode}
    for code in ExitCode:
        assert table[str(code.value)] == code.meaning


def test_the_public_api_is_importable_from_the_package():
    import extract
    from extract import ExitCode as Code

    assert set(extract.__all__) >= {"Extractor", "Settings", "ExitCode"}
    assert Code.INTERNAL == 70
