"""Make (or reuse) the virtual environment the Label Studio test server runs in.

Label Studio is a Django application with dependencies of its own (Django,
psycopg, boto, ...) that have nothing to do with this project, so it gets its
own environment, like native PaddleOCR (tests/paddle_env.py). Only the server
runs there; the tests talk to it over HTTP on loopback.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
VENV = ROOT / ".venv-label-studio"
PACKAGES = ["label-studio>=1.23,<2"]


def python() -> Path:
    return VENV / "bin" / "python"


def executable() -> Path:
    """The `label-studio` command inside the environment."""
    return VENV / "bin" / "label-studio"


def ensure() -> tuple[Path | None, str]:
    """The environment's python, or None and the reason it could not be made."""
    marker = VENV / ".ready"
    if marker.exists():
        return python(), "reused"
    steps = [
        [sys.executable, "-m", "venv", str(VENV)],
        [str(python()), "-m", "pip", "install", "-q", "--upgrade", "pip"],
        [str(python()), "-m", "pip", "install", "-q", *PACKAGES],
        [str(python()), "-c", "import label_studio"],
    ]
    for step in steps:
        try:
            proc = subprocess.run(step, capture_output=True, text=True, timeout=1500)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return None, f"{' '.join(step[:4])} failed: {exc}"
        if proc.returncode != 0:
            return None, f"{' '.join(step[:4])} failed:\n{(proc.stdout + proc.stderr)[-2000:]}"
    marker.write_text("ok\n")
    return python(), "made"


if __name__ == "__main__":
    py, why = ensure()
    print(py, why)
    sys.exit(0 if py else 1)
