"""The speed section of the report, per profile, on the pages the pipeline read.

Seconds a page and by stage come from the pipeline's pass over every file. The
comparisons run on a subset, the first `speed_files` files of each set, right
after the pipeline has read that set (so both see the machine at about the same
load): raw full-page OCR with the same engine at the same dpi, the table peers
(camelot and PyMuPDF on text pages, img2table + Tesseract on scans when asked),
scored as peers.py says. `speed_section` adds the sets up by profile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extract.bench.harness import Log, RunResult, peak_rss_mb
from extract.bench.inputs import BenchSet
from extract.bench.peers import SCORE_MEANING, PeerScore, ensure_img2table_env, img2table_peer, text_peers
from extract.bench.speed import child_peak_rss, raw_ocr_seconds, startup
from extract.pipeline import Extractor

OURS = "filing-extract (pipeline)"


@dataclass
class SetSpeed:
    """One set's comparisons: the subset's pipeline seconds, raw OCR on it, peers on it."""

    profile: str
    subset: list[Path]
    pages: int = 0
    seconds: float = 0.0
    raw_seconds: float = 0.0
    raw_pages: int = 0
    peers: list[PeerScore] = field(default_factory=list)


class Img2tableEnv:
    """The img2table environment, made (or found) at most once a run."""

    def __init__(self) -> None:
        self.asked = False
        self.python: Path | None = None
        self.why = ""

    def get(self, log: Log) -> tuple[Path | None, str]:
        if not self.asked:
            log("img2table peer: making or reusing .venv-img2table (benchmarks/peers_env.py) ...")
            self.asked = True
            self.python, self.why = ensure_img2table_env()
            if self.python is None:
                log(f"img2table peer not run: {self.why}")
        return self.python, self.why


def compare_set(
    bench_set: BenchSet,
    run: RunResult,
    cells_found: tuple[int, int],
    extractor: Extractor,
    speed_files: int,
    img2table: Img2tableEnv | None,
    log: Log,
) -> SetSpeed:
    """Raw OCR and the peers on the first files of a set the pipeline has just read."""
    subset = [f for f in bench_set.files[:speed_files] if str(f) in run.per_file]
    done = SetSpeed(bench_set.profile, subset)
    if not subset:
        return done
    done.pages = sum(run.per_file[str(f)][0] for f in subset)
    done.seconds = sum(run.per_file[str(f)][1] for f in subset)
    ours = PeerScore(OURS, bench_set.profile, files=len(subset), pages=done.pages, seconds=done.seconds)
    ours.found, ours.values = cells_found
    ours.note = "the whole pipeline on these files; the cells its grid read, scored like the peers'"
    done.peers.append(ours)
    if bench_set.profile == "text":
        log(f"  speed: camelot and PyMuPDF on {len(subset)} files ...")
        done.peers += text_peers(subset, bench_set.profile)
        return done
    log(f"  speed: raw full-page OCR on {len(subset)} files ({done.pages} pages) ...")
    done.raw_seconds, done.raw_pages = raw_ocr_seconds(subset, extractor.engine(), extractor.settings.ocr.dpi)
    if img2table is not None:
        python, why = img2table.get(log)
        if python is None:
            done.peers.append(PeerScore("img2table + tesseract", bench_set.profile, note=why))
        else:
            log(f"  speed: img2table + tesseract on {len(subset)} files ...")
            done.peers.append(img2table_peer(subset, bench_set.profile, python, extractor.settings.ocr.dpi))
    return done


def _add_peer(into: PeerScore, other: PeerScore) -> None:
    for name in ("files", "pages", "seconds", "values", "found", "pipeline_pages", "pipeline_seconds"):
        setattr(into, name, getattr(into, name) + getattr(other, name))
    into.errors += other.errors
    into.note = into.note or other.note


def _profile_entry(profile: str, runs: list[RunResult], speeds: list[SetSpeed]) -> dict[str, Any]:
    mine = [r for r in runs if r.profile == profile]
    pages = sum(r.pages for r in mine)
    stages: dict[str, float] = {}
    for run in mine:
        for stage, seconds in run.stages.items():
            stages[stage] = stages.get(stage, 0.0) + seconds
    entry: dict[str, Any] = {
        "profile": profile,
        "groups": list(dict.fromkeys(r.group for r in mine)),
        "files": sum(r.files for r in mine),
        "pages": pages,
        "pipeline_seconds_per_page": sum(r.seconds for r in mine) / pages if pages else 0.0,
        "stages_per_page": {k: v / pages for k, v in stages.items()} if pages else {},
        "raw": None,
    }
    subset = [s for s in speeds if s.profile == profile]
    raw_pages, raw_seconds = sum(s.raw_pages for s in subset), sum(s.raw_seconds for s in subset)
    sub_pages, sub_seconds = sum(s.pages for s in subset), sum(s.seconds for s in subset)
    if raw_pages and sub_pages and raw_seconds:
        entry["raw"] = {
            "files": sum(len(s.subset) for s in subset),
            "pages": raw_pages,
            "raw_seconds_per_page": raw_seconds / raw_pages,
            "pipeline_seconds_per_page": sub_seconds / sub_pages,
            "ratio": (sub_seconds / sub_pages) / (raw_seconds / raw_pages),
        }
    return entry


def speed_section(
    sets: list[BenchSet], runs: list[RunResult], speeds: list[SetSpeed], options: Any, log: Log
) -> dict[str, Any]:
    """Per profile: seconds a page and by stage, against raw OCR and the peers; memory; start-up."""
    profiles = list(dict.fromkeys(s.profile for s in sets))
    peers: dict[tuple[str, str], PeerScore] = {}
    for speed in speeds:
        for peer in speed.peers:
            if peer.system != OURS:
                peer.pipeline_pages, peer.pipeline_seconds = speed.pages, speed.seconds
            key = (peer.profile, peer.system)
            if key not in peers:
                peers[key] = PeerScore(peer.system, peer.profile)
            _add_peer(peers[key], peer)
    ours = [p for p in peers.values() if p.system == OURS]
    for p in ours:
        p.pipeline_pages, p.pipeline_seconds = p.pages, p.seconds
    for p in peers.values():
        p.group = "+".join(dict.fromkeys(r.group for r in runs if r.profile == p.profile))
    ordered = sorted(peers.values(), key=lambda p: (profiles.index(p.profile), p.system != OURS))
    memory: dict[str, Any] = {"bench_process_peak_rss_mb": peak_rss_mb()}
    scans = [(s.profile == "office", f) for s in speeds if s.profile != "text" for f in s.subset]
    if scans:
        by_pages = {str(f): pages for run in runs for f, (pages, _) in run.per_file.items()}
        scan = max(scans, key=lambda s: (s[0], by_pages.get(str(s[1]), 0)))[1]  # an office scan, the longest
        log(f"memory: one `extract` subprocess on {scan.name} ...")
        memory["extract_scan"] = child_peak_rss(scan)
    texts = [f for s in sets if s.profile == "text" for f in s.files]
    if options.startup_runs:
        log(f"start-up: `extract` of a one-page text PDF, {options.startup_runs} runs ...")
    return {
        "speed_files": options.speed_files,
        "speed_peers": options.speed_peers,
        "score_meaning": SCORE_MEANING,
        "profiles": [_profile_entry(p, runs, speeds) for p in profiles],
        "peers": [p.summary() for p in ordered],
        "memory": memory,
        "startup": startup(texts, options.startup_runs) if options.startup_runs else {"note": "not asked for"},
    }
