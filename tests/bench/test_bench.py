"""The benchmark harness: end to end on one sample, and scoring that counts right."""

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
