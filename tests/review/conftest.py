"""Stores to review, made by ingesting real files once a session: flagged text PDFs (fast) and the office scans.

Each is made by the real command (`filing-extract ingest` in a process of its own), so its worker
processes never start from this test process, which by then may run server and browser threads.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.bench.scoring import read_gold
from extract.ingest.review_queue import review_items
from extract.ingest.store import Store, sqlite_url
from samples.generate import write_document
from samples.render import Style
from tests.conftest import SAMPLES, run_cli
from tests.review.client import copy_store


def _form_that_breaks_a_sum(out: Path) -> Path:
    """A self-evaluation whose printed total score is one more than its parts: its scores are flagged."""
    record = read_gold(SAMPLES / "text" / "seed_003_self_evaluations.gold.jsonl")[0]
    record.total_score += 1
    return write_document(out / "flagged", "broken_sum", [record], Style())


def _ingested(inputs: list[Path], out: Path, workers: int) -> Path:
    done = run_cli("ingest", *map(str, inputs), "--out", str(out), "--workers", str(workers), timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    store = Store(sqlite_url(out))
    try:
        assert review_items(store), "nothing to review in " + done.stdout
    finally:
        store.close()
    return out


@pytest.fixture(scope="session")
def text_template(tmp_path_factory) -> Path:
    """A store of two text PDFs: one whose sums break (15 flags, decimals among them) and the declarations."""
    out = tmp_path_factory.mktemp("review-text")
    inputs = [_form_that_breaks_a_sum(out), SAMPLES / "text" / "seed_000_declarations.pdf"]
    return _ingested(inputs, out / "store", workers=1)


@pytest.fixture
def text_store(text_template, tmp_path) -> Path:
    return copy_store(text_template, tmp_path / "store")


@pytest.fixture(scope="session")
def office_template(tmp_path_factory) -> Path:
    """The bundled office scans ingested (OCR: real review items with boxes on straightened pages)."""
    out = tmp_path_factory.mktemp("review-office") / "store"
    pdfs = sorted((SAMPLES / "scans" / "office").glob("*.pdf"))
    return _ingested(pdfs, out, workers=2)


@pytest.fixture
def office_store(office_template, tmp_path) -> Path:
    return copy_store(office_template, tmp_path / "office")
