"""The hostile-input corpus: `build_corpus(out_dir, good_pdf)` writes every case and lists them.

Deterministic (fixed seeds), a few seconds, tens of MB on disk. Each Case says what a
correct reader must do with it (`expect`); tests/fuzz/smoke.py runs them all.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tests.fuzz import images, pdf_damage, pdf_structure, zips
from tests.fuzz.case import EXPECTS, Case

__all__ = ["EXPECTS", "GOOD_PDF", "Case", "build_corpus"]

GOOD_PDF = Path(__file__).resolve().parents[2] / "samples" / "text" / "seed_003_self_evaluations.pdf"


def build_corpus(out_dir: Path, good_pdf: Path = GOOD_PDF) -> list[Case]:
    """Write every hostile case under OUT_DIR (one folder per family); return them in order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    good = good_pdf.read_bytes()
    other = zips.resaved(good)
    cases: list[Case] = []
    cases += pdf_damage.truncations(out_dir, good)
    cases += pdf_damage.flips(out_dir, good)
    cases += pdf_damage.not_pdfs(out_dir, good)
    cases += pdf_damage.encrypted(out_dir, good_pdf)
    cases += pdf_structure.sizes(out_dir)
    cases += pdf_structure.image_bombs(out_dir, good_pdf)
    cases += pdf_structure.nesting(out_dir)
    cases += pdf_structure.trees(out_dir)
    cases += pdf_structure.repairs(out_dir, good)
    cases += images.damaged(out_dir, good_pdf)
    cases += images.lying(out_dir, good_pdf)
    cases += images.frames_and_good(out_dir, good_pdf)
    cases += zips.safety(out_dir, good)
    cases += zips.bombs(out_dir)
    cases += zips.nesting(out_dir, good)
    cases += zips.damage(out_dir, good, other)
    cases += zips.names(out_dir, good, other)
    cases += zips.mixed(out_dir, good, other)
    names = Counter(case.name for case in cases)
    doubled = [name for name, n in names.items() if n > 1]
    if doubled:
        raise ValueError(f"case names used twice: {doubled}")
    return cases


if __name__ == "__main__":
    import sys
    import tempfile
    import time

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="hostile-"))
    start = time.perf_counter()
    built = build_corpus(target)
    size = sum(case.path.stat().st_size for case in built)
    for family, n in Counter(case.family for case in built).items():
        print(f"{family:18} {n}")
    print(f"{len(built)} cases, {size / 2**20:.1f} MiB, {time.perf_counter() - start:.1f}s -> {target}")
