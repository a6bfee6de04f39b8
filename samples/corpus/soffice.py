"""LibreOffice headless conversion of many XLSX/DOCX files to PDF in one call.

One soffice process per batch (start-up dominates the cost) with a private
user profile, so two corpus builds running at once do not share a lock.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


def to_pdf(files: list[Path], out_dir: Path, timeout: float = 900) -> list[Path]:
    """Convert `files` into `out_dir`; returns the PDFs in the order given."""
    if not files:
        return []
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="corpus-lo-") as profile:
        cmd = [
            exe,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            *map(str, files),
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    pdfs = [out_dir / (f.stem + ".pdf") for f in files]
    missing = [p.name for p in pdfs if not p.exists()]
    if missing:
        raise RuntimeError(f"soffice did not write {missing}: {done.stderr[-2000:]}")
    return pdfs
