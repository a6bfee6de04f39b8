"""Make (or reuse) the virtual environment the img2table peer runs in.

img2table needs opencv-contrib-python, which clashes with this project's
opencv-python-headless in one environment, so it gets its own, made on demand
(only when `filing-extract bench --speed-peers` asks for it): img2table and
pymupdf from PyPI. Tesseract itself is Debian's `tesseract-ocr-chi-sim`
(tests/setup-system.sh installs it).

    python benchmarks/peers_env.py      # make it now; prints its python, or why it could not be made
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv-img2table"
PACKAGES = ("img2table>=1.4", "pymupdf>=1.24")


def python() -> Path:
    return VENV / "bin" / "python"


def ensure(timeout: float = 1500) -> tuple[Path | None, str]:
    """The environment's python, or None and the reason it could not be made."""
    marker = VENV / ".ready"
    if marker.exists() and python().exists():
        return python(), "reused"
    steps = [
        [sys.executable, "-m", "venv", str(VENV)],
        [str(python()), "-m", "pip", "install", "-q", *PACKAGES],
        [str(python()), "-c", "import img2table.ocr, pymupdf"],
    ]
    for step in steps:
        try:
            proc = subprocess.run(step, capture_output=True, text=True, timeout=timeout)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return None, f"{' '.join(step[:5])} failed: {exc}"
        if proc.returncode != 0:
            return None, f"{' '.join(step[:5])} failed: {(proc.stdout + proc.stderr).strip()[-600:]}"
        if step[1:3] == ["-m", "venv"]:
            (VENV / ".gitignore").write_text("*\n")  # the environment stays out of git without touching .gitignore
    marker.write_text("ok\n")
    return python(), "made"


if __name__ == "__main__":
    made, why = ensure()
    sys.stdout.write(f"{made or 'not made'}: {why}\n")
    raise SystemExit(0 if made else 1)
