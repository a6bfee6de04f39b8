"""The benchmark: end to end on samples and on corpus parts, and scoring (records, peers' cells) that counts right."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from extract.bench.scoring import Tally, pair_forms, read_gold
from extract.errors import GoldFileError
from models import FundsRow, ReviewItem
from tests.conftest import SAMPLES, run_cli

GOLD = SAMPLES / "text" / "seed_003_self_evaluations.gold.jsonl"


def test_scoring_counts_injected_errors_and_tells_flagged_from_silent():
    gold = read_gold(GOLD)
    got = [g.model_copy(deep=True) for g in gold]
    first = got[0]
    first.project_name = "合作交流工作业务费用"  # wrong, flagged
    first.funds.total.executed = Decimal("46.82")  # wrong, flagged
    first.indicators[2].target = "≥5.00(次)"  # wrong, SILENT
    first.review = [
        ReviewItem(field="project_name", reason="test", confidence=0.4),
        ReviewItem(field="funds.total", reason="test", confidence=0.4),
        ReviewItem(field="grade", reason="test", confidence=0.6),
    ]  # right, flagged: noise
    got.pop(2)  # a missed form
    invented = got[0].model_copy(deep=True)
    invented.form_type = "target_declaration"
    got.append(invented)  # an invented form

    tally = Tally()
    pairs, extra = pair_forms(got, gold)
    for g, w in pairs:
        tally.add_form(g, w)
    per_form = len(Tally().add_form(gold[2], gold[2]).fields)
    assert len(extra) == 1
    assert tally.forms_missed == 1
    assert tally.wrong_flagged == 2
    assert tally.wrong_silent == 1 and "indicators[2].target" in tally.errors[0]
    # funds.total is flagged as a whole: all its values are covered, all but one of them right.
    assert tally.right_flagged == 1 + len(FundsRow.model_fields) - 1
    assert tally.fields - tally.right == 3 + per_form
    assert tally.forms_exact == 2


def test_malformed_gold_file_says_where(tmp_path: Path):
    bad = tmp_path / "x.gold.jsonl"
    bad.write_text('{"form_type": "target_declaration", "year": "twenty"}\n', encoding="utf-8")
    with pytest.raises(GoldFileError, match=r"x.gold.jsonl:1: .*year"):
        read_gold(bad)


@pytest.mark.slow
def test_bench_runs_end_to_end_on_one_sample(tmp_path: Path):
    samples = tmp_path / "samples" / "text"
    samples.mkdir(parents=True)
    for suffix in (".pdf", ".gold.jsonl", ".cells.json"):
        shutil.copy(SAMPLES / "text" / f"seed_003_self_evaluations{suffix}", samples)
    out = tmp_path / "report"
    proc = run_cli("bench", str(tmp_path / "samples"), "--profile", "text", "--datasets", "", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    report = json.loads((out / "bench.json").read_text(encoding="utf-8"))
    (run,) = report["runs"]
    assert run["profile"] == "text" and run["accuracy"] == 1.0 and run["wrong_silent"] == 0
    assert set(report["table_layer_gold_cells"]) == {"filing-extract grid", "camelot lattice", "pymupdf find_tables"}
    assert (out / "bench.md").read_text(encoding="utf-8").startswith("# filing-extract benchmark")
    assert (out / "bench.png").stat().st_size > 1000
    assert "fields right" in proc.stdout


def test_peer_scoring_counts_gold_values_found_in_cells_on_the_forms_pages():
    from extract.bench.peers import gold_values, score_cells
    from models import Funds, Record, Source

    def form(name: str, page: int) -> Record:
        return Record(
            form_type="target_declaration",
            year=2024,
            project_name=name,
            department="乙局",
            goal="完成年度\n建设任务",
            funds=Funds(total=Decimal("1234.50")),
            source=Source(file="x.pdf", sha256="0" * 64, pages=[page]),
        )

    first, second = form("甲项目", 2), form("丙项目", 3)
    assert sorted(gold_values(first)) == sorted(["2024", "甲项目", "乙局", "完成年度建设任务", "1234.50"])
    cells = {
        1: ["2024", "丙项目"],  # the right values, on pages no form is on
        2: ["甲 项目", "1,234.50", "完成年度建设任务", " 乙局", "项目名称", "2024年度"],  # year not verbatim
        3: ["丙项目", "丙项目"],  # a value twice in cells still counts once
    }
    assert score_cells([first], cells) == (4, 5)
    assert score_cells([second], cells) == (1, 5)
    assert score_cells([first, second], cells) == (5, 10)
    assert score_cells([first], {}) == (0, 5)


def test_importtime_lines_are_read_slowest_first():
    from extract.bench.speed import parse_importtime

    stderr = "\n".join(
        [
            "import time: self [us] | cumulative | imported package",
            "import time:       120 |        120 |   zipimport",
            "import time:      3000 |       5000 | pymupdf",
            "import time:      2000 |       2000 |   pymupdf.mupdf",
            "some other line",
        ]
    )
    rows = parse_importtime(stderr, top=2)
    assert [(r["module"], r["depth"], r["cumulative_ms"]) for r in rows] == [
        ("pymupdf", 0, 5.0),
        ("pymupdf.mupdf", 1, 2.0),
    ]


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("chromium"), reason="the corpus's html printer needs chromium")
def test_bench_builds_a_tiny_corpus_and_reports_each_part_profile_and_printer(tmp_path: Path):
    corpus, out = tmp_path / "corpus", tmp_path / "report"
    args = ["bench", "--no-samples", "--corpus", str(corpus), "--build", "--build-forms", "1", "--printers", "html"]
    args += ["--profile", "text", "--datasets", "", "--startup-runs", "1", "--ocr-peers", "", "--out", str(out)]
    proc = run_cli(*args)
    assert proc.returncode == 0, proc.stderr
    assert (corpus / "dev" / "manifest.json").exists() and (corpus / "sealed" / "manifest.json").exists()
    report = json.loads((out / "bench.json").read_text(encoding="utf-8"))
    assert [(r["group"], r["profile"]) for r in report["runs"]] == [("sealed", "text"), ("dev", "text")]
    for run in report["runs"]:
        (printer,) = run["by_printer"]
        assert printer["printer"] == "html" and printer["fields"] == run["fields"] > 0
        assert run["forms"] == 1 and run["files"] == 1 and run["pages"] >= 1
        for key in ("accuracy", "forms_exact", "forms_missed", "forms_invented", "wrong_flagged", "wrong_silent"):
            assert key in run
        assert 0 <= run["right_flagged_share"] <= 1 and run["review_per_form"] >= 0
    calibrations = {c["group"]: c for c in report["calibration"]}
    assert set(calibrations) == {"sealed", "dev"}
    for c in calibrations.values():
        assert sum(band["fields"] for band in c["reliability"]) == c["fields"] > 0
        assert len(c["sweep"]) >= 5 and all(0 <= row["flagged_share"] <= 1 for row in c["sweep"])
    peers = {p["system"]: p for p in report["speed"]["peers"]}
    assert {"filing-extract (pipeline)", "camelot lattice", "pymupdf find_tables"} <= set(peers)
    assert all(p["values"] > 0 and 0 <= p["found"] <= p["values"] for p in peers.values())
    assert report["speed"]["startup"]["median_seconds"] > 0
    assert any(t["measure"].startswith("SEALED text") for t in report["targets"])
    md = (out / "bench.md").read_text(encoding="utf-8")
    assert md.index("## SEALED") < md.index("## Corpus part `dev`") < md.index("## Speed")
    assert "observed accuracy" in md and "(current)" in md
    assert "fields right" in proc.stdout


def _lay_corpus(root: Path, part: str, sample: str) -> None:
    """A corpus part laid out by hand, as samples.corpus writes one: a text PDF of the html printer."""
    folder = root / part / "text" / "html"
    folder.mkdir(parents=True)
    for suffix in (".pdf", ".gold.jsonl"):
        shutil.copy(SAMPLES / "text" / f"{sample}{suffix}", folder / f"{part}-html-000{suffix}")
    entry = {"path": f"text/html/{part}-html-000.pdf", "printer": "html", "profile": "text", "pages": 5}
    manifest = {"part": part, "files": [entry]}
    (root / part / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_bench_on_a_laid_out_corpus_reports_parts_sealed_first_with_calibration(tmp_path: Path):
    from extract.bench.report import summary_text
    from extract.bench.run import BenchOptions, run_bench

    corpus = tmp_path / "corpus"
    _lay_corpus(corpus, "dev", "seed_003_self_evaluations")
    _lay_corpus(corpus, "sealed", "seed_003_self_evaluations")
    lines: list[str] = []
    options = BenchOptions(out=tmp_path / "out", samples=None, corpus=corpus, speed_files=0, startup_runs=0)
    report = run_bench(options, lines.append)
    assert [(r["group"], r["profile"], r["printer"]) for r in report["runs"]] == [
        ("sealed", "text", ""),
        ("dev", "text", ""),
    ]
    gold_forms = len(read_gold(GOLD))
    for run in report["runs"]:
        assert run["accuracy"] == 1.0 and run["wrong_silent"] == 0 and run["forms"] == gold_forms
        assert [p["printer"] for p in run["by_printer"]] == ["html"] and run["by_printer"][0]["fields"] == run["fields"]
    assert [(c["group"], c["profile"]) for c in report["calibration"]] == [("sealed", "text"), ("dev", "text")]
    assert all(c["reliability"] and c["sweep"] for c in report["calibration"])
    assert any(line.startswith("sealed text html") for line in lines)
    assert "\nSEALED\n" in summary_text(report)
    md = (tmp_path / "out" / "bench.md").read_text(encoding="utf-8")
    assert md.index("## SEALED") < md.index("## Corpus part `dev`")
