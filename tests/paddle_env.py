"""Make (or reuse) the virtual environment native PaddleOCR runs in.

paddlex pins numpy/opencv-contrib versions that clash with the main
environment, so it gets its own: paddleocr and onnxruntime from PyPI, and this
project's source without its own dependencies (it runs on what paddlex brings).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv-paddle"
PACKAGES = [
    "paddleocr>=3.7",
    "onnxruntime>=1.32",
    "pymupdf>=2.0",
    "rapidfuzz>=3.14",
    "pydantic>=2.14",
    "sqlalchemy>=2.1",
    "tqdm>=4.70",
]


def python() -> Path:
    return VENV / "bin" / "python"


def ensure() -> tuple[Path | None, str]:
    """The environment's python, or None and the reason it could not be made."""
    marker = VENV / ".ready"
    if marker.exists():
        return python(), "reused"
    steps = [
        [sys.executable, "-m", "venv", str(VENV)],
        [str(python()), "-m", "pip", "install", "-q", *PACKAGES],
        [str(python()), "-m", "pip", "install", "-q", "--no-deps", "-e", str(ROOT)],
    ]
    for step in steps:
        proc = subprocess.run(step, capture_output=True, text=True, timeout=1500)
        if proc.returncode != 0:
            return None, f"{' '.join(step[:4])} failed:\n{(proc.stdout + proc.stderr)[-2000:]}"
    marker.write_text("ok\n")
    return python(), "made"
