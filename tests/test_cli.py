"""The command line: every failure maps to the documented exit code, by running the CLI."""

from __future__ import annotations

import subprocess
import sys

import pytest

from extract.cli import build_parser
from extract.errors import ExitCode
from tests.conftest import ROOT, SAMPLES, run_cli

pytestmark = pytest.mark.slow  # each case runs the CLI in a fresh interpreter

TEXT = SAMPLES / "text" / "seed_003_self_evaluations.pdf"
SCAN = SAMPLES / "scans" / "office" / "seed_003_self_evaluations.pdf"


def run_patched(setup: str, *args: str) -> subprocess.CompletedProcess:
    """Run the CLI in a fresh interpreter after `setup` (e.g. breaking a stage, hiding a package)."""
    code = f"import sys\n{setup}\nfrom extract.cli import main\nsys.exit(main({list(args)!r}))\n"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)


BROKEN_STAGE = """
import extract.forms.split as split
def broken(*args, **kwargs):
    raise ZeroDivisionError("deliberately broken stage")
split.split_forms = broken
"""


def test_a_broken_stage_exits_70_with_a_report_me_message_and_no_traceback():
    proc = run_patched(BROKEN_STAGE, "extract", str(TEXT))
    assert proc.returncode == ExitCode.INTERNAL == 70
    assert "internal error" in proc.stderr and "please report it with the input file" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_verbose_shows_the_traceback_of_an_internal_error():
    proc = run_patched(BROKEN_STAGE, "extract", str(TEXT), "--verbose")
    assert proc.returncode == 70
    assert "Traceback" in proc.stderr and "ZeroDivisionError: deliberately broken stage" in proc.stderr


def test_a_broken_stage_in_a_batch_exits_70_at_the_end_and_the_batch_is_recorded(tmp_path):
    proc = run_patched(BROKEN_STAGE, "ingest", str(TEXT), "--out", str(tmp_path), "--workers", "1")
    assert proc.returncode == 70, proc.stderr
    assert "1 failed" in proc.stderr and (tmp_path / "records.jsonl").exists()


@pytest.mark.parametrize(
    "hidden,args,extra",
    [
        ("ray", ["ingest", str(TEXT), "--out", "{out}", "--executor", "ray"], "ray"),
        (
            "psycopg",
            ["ingest", str(TEXT), "--out", "{out}", "--db", "postgresql+psycopg://u@127.0.0.1:1/db"],
            "postgres",
        ),
        ("paddleocr", ["extract", str(SCAN), "--engine", "paddleocr"], "paddle"),
    ],
    ids=["ray", "postgres", "paddleocr"],
)
def test_a_missing_optional_dependency_exits_2_and_names_the_extra(tmp_path, hidden, args, extra):
    args = [a.replace("{out}", str(tmp_path / "out")) for a in args]
    proc = run_patched(f"sys.modules[{hidden!r}] = None  # as if not installed", *args)
    assert proc.returncode == ExitCode.USAGE == 2, proc.stderr
    assert f"pip install 'filing-extract[{extra}]'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_usage_errors_exit_2(tmp_path):
    (tmp_path / "empty").mkdir()
    assert run_cli("ingest", str(tmp_path / "empty"), "--out", str(tmp_path / "out")).returncode == 2
    assert run_cli("ingest", str(TEXT), "--out", str(tmp_path / "o"), "--workers", "0").returncode == 2
    assert run_cli("export", str(tmp_path / "empty")).returncode == 2
    assert run_cli("frobnicate").returncode == 2


def test_a_bad_input_exits_1_and_a_good_one_0(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    assert run_cli("extract", str(bad)).returncode == ExitCode.INPUT_FAILED
    assert run_cli("extract", str(TEXT)).returncode == ExitCode.OK


def test_every_command_lists_every_exit_code_in_its_help():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for name in ("ingest", "extract"):
        text = commands[name].format_help()
        for code in ExitCode:
            assert f"  {code.value:<4}{code.meaning}"[:40] in text, (name, code)
