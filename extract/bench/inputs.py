"""What the bench reads: sets of labelled files, one a source x part x profile x printer.

Two sources. The bundled samples: SAMPLES/text and SAMPLES/scans/GRADE, each
PDF beside NAME.gold.jsonl. A corpus built by `python -m samples.corpus`:
CORPUS/<part>/manifest.json lists every document with its printer and profile.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from extract.bench.scoring import gold_path
from extract.errors import UsageError

SAMPLE_PROFILES = ("text", "clean", "office", "poor")
CORPUS_PROFILES = ("text", "clean", "office", "archive", "bitonal")
CORPUS_PRINTERS = ("html", "xlsx", "docx")
PARTS = ("sealed", "dev")  # the order the report shows them in: sealed first


@dataclass(frozen=True)
class BenchSet:
    source: str  # samples | corpus
    part: str  # '' for the samples
    profile: str
    printer: str  # '' for the samples
    files: tuple[Path, ...]

    @property
    def group(self) -> str:
        return self.part or self.source

    @property
    def label(self) -> str:
        return " ".join(x for x in (self.group, self.profile, self.printer) if x)


def split_list(text: str | None) -> list[str]:
    return [t.strip() for t in (text or "").split(",") if t.strip()]


def check_names(profiles: list[str], parts: list[str], printers: list[str]) -> None:
    """A usage error for a profile, part or printer the bench does not know."""
    for what, names, known in (
        ("profile", profiles, tuple(dict.fromkeys(SAMPLE_PROFILES + CORPUS_PROFILES))),
        ("part", parts, PARTS),
        ("printer", printers, CORPUS_PRINTERS),
    ):
        unknown = [n for n in names if n not in known]
        if unknown:
            raise UsageError(f"unknown {what}(s) {', '.join(unknown)}: choose from {', '.join(known)}")


def sample_sets(samples: Path, profiles: list[str], limit: int | None) -> list[BenchSet]:
    """The bundled samples, one set a profile (all of them when `profiles` is empty)."""
    out = []
    for profile in SAMPLE_PROFILES:
        if profiles and profile not in profiles:
            continue
        folder = samples / "text" if profile == "text" else samples / "scans" / profile
        files = sorted(p for p in folder.glob("*.pdf") if gold_path(p).exists())[:limit]
        if files:
            out.append(BenchSet("samples", "", profile, "", tuple(files)))
    return out


def corpus_parts(corpus: Path) -> dict[str, Path]:
    """Part name -> its folder: CORPUS/<part>/manifest.json, or CORPUS itself when it is one part."""
    own = corpus / "manifest.json"
    if own.exists():
        return {json.loads(own.read_text(encoding="utf-8"))["part"]: corpus}
    return {part: corpus / part for part in PARTS if (corpus / part / "manifest.json").exists()}


def corpus_sets(
    part_dir: Path, part: str, profiles: list[str], printers: list[str], limit: int | None
) -> list[BenchSet]:
    """One set a profile x printer of a built part, in the manifest's order of files."""
    manifest = json.loads((part_dir / "manifest.json").read_text(encoding="utf-8"))
    grouped: dict[tuple[str, str], list[Path]] = {}
    for entry in manifest["files"]:
        path = part_dir / entry["path"]
        if path.exists() and gold_path(path).exists():
            grouped.setdefault((entry["profile"], entry["printer"]), []).append(path)
    out = []
    for profile in CORPUS_PROFILES:
        if profiles and profile not in profiles:
            continue
        for printer in CORPUS_PRINTERS:
            files = grouped.get((profile, printer))
            if files and (not printers or printer in printers):
                out.append(BenchSet("corpus", part, profile, printer, tuple(files[:limit])))
    return out


def build_missing(
    corpus: Path,
    parts: list[str],
    profiles: list[str],
    printers: list[str],
    forms: int | None,
    log: Callable[[str], None],
) -> list[str]:
    """Build each asked part that CORPUS lacks (with the asked profiles and printers); returns those built."""
    missing = [p for p in parts if p not in corpus_parts(corpus)]
    if not missing:
        return []
    try:
        from samples.corpus import build_part
    except ImportError as exc:
        raise UsageError(f"--build needs the samples.corpus package of a source checkout ({exc})") from exc
    wanted = [p for p in CORPUS_PROFILES if not profiles or p in profiles]
    for part in missing:
        log(f"building corpus part {part} ({', '.join(wanted)}) into {corpus / part} ...")
        try:
            build_part(part, corpus, wanted, forms, [p for p in CORPUS_PRINTERS if not printers or p in printers])
        except (ValueError, OSError, RuntimeError) as exc:
            raise UsageError(f"could not build corpus part {part}: {exc}") from exc
    return missing


def select_parts(corpus: Path, asked: list[str], log: Callable[[str], None]) -> dict[str, Path]:
    """The parts to score, sealed first: those asked (default: every part present)."""
    present = corpus_parts(corpus)
    for part in asked:
        if part not in present:
            log(f"corpus part {part} not found under {corpus} (no manifest.json; --build makes it): left out")
    order = [p for p in PARTS if p in present] + [p for p in present if p not in PARTS]
    return {p: present[p] for p in order if not asked or p in asked}
