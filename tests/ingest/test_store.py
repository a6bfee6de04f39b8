"""The store keeps provenance queryable, and an older store is brought up to date."""

from __future__ import annotations

import sqlite3

from extract.ingest.store import Store, page_reads, provenance, review, sqlite_url
from extract.pipeline import Extractor
from tests.conftest import SAMPLES


def test_every_value_and_review_item_has_a_page_and_box_in_the_store(tmp_path):
    result = Extractor().extract_file(SAMPLES / "text" / "seed_003_self_evaluations.pdf")
    store = Store(sqlite_url(tmp_path))
    store.save(result.sha256, [result.path], result, seq=1)
    places = store.rows(provenance)
    assert len(places) == sum(len(r.provenance) for r in result.records) > 400
    assert all(p["page"] >= 1 and p["x1"] > p["x0"] and p["y1"] > p["y0"] for p in places)
    reads = store.rows(page_reads)
    assert sorted(r["page"] for r in reads) == [1, 2, 3, 4, 5] and {r["source"] for r in reads} == {"text_layer"}
    for item in store.rows(review):
        assert item["page"] is not None and item["x0"] is not None
    store.close()


def test_a_store_made_before_provenance_gains_its_columns(tmp_path):
    with sqlite3.connect(tmp_path / "filings.sqlite") as conn:
        conn.execute(
            "create table review (record_id varchar(80), field varchar(120), reason text, "
            "confidence float, primary key (record_id, field))"
        )
        conn.execute("insert into review values ('x:0', 'goal', 'old', 0.5)")
    store = Store(sqlite_url(tmp_path))
    (row,) = store.rows(review)
    assert row["field"] == "goal" and row["page"] is None and "x0" in row
    store.close()
