"""The bundled office scans' review queue cleared in a real Chromium by keystrokes alone; the exports show it.

Playwright drives Debian's `chromium` against a real review server over the
store the office scans were ingested into (real OCR, real crops). The reviewer
(tests/review/keyboard.py) presses Enter on what is right, types over what it
corrects (a number, a target, a unit in Chinese), undoes one decision and
makes it again, and never clicks. Then the store, its audit rows and the
output of `filing-extract export` (jsonl and csv) must show every correction,
each item's status and who decided. benchmarks/review_run.py prints the same
run's keystrokes and times.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal

import pytest

from extract.ingest.fieldpaths import parse_input
from extract.ingest.review_queue import decisions_of, review_items, review_stats
from extract.review.fields import display, value_of
from tests.conftest import run_cli
from tests.review.client import running
from tests.review.keyboard import Clerk, chromium, clear_queue, item_ready, summary, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_office_scans_queue_is_cleared_by_keyboard_alone_and_the_exports_show_it(office_store, tmp_path):
    with running(office_store, reviewer="clerk") as server:
        opened = review_items(server.store)
        assert len(opened) >= 5, opened
        with chromium() as page:
            run = clear_queue(page, server.url, Clerk())
        figures = summary(run)
        print("keyboard review:", json.dumps(figures))

        assert review_items(server.store) == []  # nothing left open
        assert run.clicks == 0 and run.items == len(opened) and len(run.undone) == 1
        corrected = {(d.record_id, d.field): d.typed for d in run.corrections}
        assert len(corrected) == 3, corrected  # an amount, a target and a unit
        stats = review_stats(server.store).by_status
        assert stats["corrected"] == 3 and stats["confirmed"] == len(opened) - 3 and stats["open"] == 0

        for item in opened:
            audit = decisions_of(server.store, item.record_id, item.field)
            assert {a["reviewer"] for a in audit} == {"clerk"}
            if (item.record_id, item.field) in run.undone:
                assert [a["action"] for a in audit] == ["confirm", "undo", "confirm"]
            else:
                want = "correct" if (item.record_id, item.field) in corrected else "confirm"
                assert [a["action"] for a in audit] == [want]
            assert audit[-1]["seconds"] > 0 and audit[-1]["engine"]  # time spent, and how the page was read

    out = tmp_path / "export"
    for fmt in ("jsonl", "csv"):
        done = run_cli("export", str(office_store), "--format", fmt, "--out", str(out / fmt), timeout=300)
        assert done.returncode == 0, done.stderr
    records = {
        r["record_id"]: r
        for r in map(json.loads, (out / "jsonl" / "records.jsonl").read_text(encoding="utf-8").splitlines())
    }
    with open(out / "csv" / "review.csv", encoding="utf-8-sig", newline="") as handle:
        rows = {(r["record_id 记录编号"], r["field 字段"]): r for r in csv.DictReader(handle)}
    for item in opened:
        key = (item.record_id, item.field)
        record = records[item.record_id]
        (flag,) = [i for i in record["review"] if i["field"] == item.field]
        assert flag["decided_by"] == "clerk" and rows[key]["decided_by 核定人"] == "clerk"
        if key in corrected:
            want = display(parse_input(item.field, corrected[key], json.loads(item.value or "null")))
            assert display(value_of(record, item.field)) == want, (item.field, value_of(record, item.field))
            assert flag["status"] == "corrected" and rows[key]["status 核定状态"] == "corrected"
            assert json.loads(flag["extracted"]) == json.loads(item.value or "null")
        else:
            assert display(value_of(record, item.field)) == display(json.loads(item.value or "null"))
            assert flag["status"] == "confirmed" and rows[key]["status 核定状态"] == "confirmed"


def test_blind_entry_by_keys_a_mismatch_is_resolved_beside_the_crop(text_store):
    with running(text_store, reviewer="clerk", blind=frozenset({"amounts"})) as server, chromium() as page:
        page.goto(server.url)
        wait_for(page, lambda s: s.page == "queue", "the queue")
        page.keyboard.press("Enter")
        first = wait_for(page, item_ready, "the first item")
        (item,) = [i for i in review_items(server.store) if (i.record_id, i.field) == (first.record, first.field)]
        extracted = json.loads(item.value or "null")
        assert first.kind == "decimal" and first.value is None  # the amount is not on the page at all
        assert page.locator("#fields .row.selected input.value").input_value() == ""
        wrong = str(Decimal(extracted) + 1)
        page.keyboard.type(wrong)
        page.keyboard.press("Enter")
        shown_mismatch = wait_for(page, lambda s: s.mismatch, "the mismatch")
        assert shown_mismatch.field == first.field
        assert page.locator("#mm-read").inner_text() == extracted and page.locator("#mm-typed").inner_text() == wrong
        assert decisions_of(server.store, item.record_id, item.field) == []  # nothing decided yet
        page.keyboard.press("1")  # keep what I typed
        second = wait_for(page, lambda s, at=first: item_ready(s) and s.field != at.field, "the next item")
        (audit,) = decisions_of(server.store, item.record_id, item.field)
        assert (audit["action"], audit["new_value"], audit["reviewer"]) == ("correct", f'"{wrong}"', "clerk")

        while second.kind != "decimal":  # the indicator table as a whole: not an amount, accepted as it stands
            page.keyboard.press("Enter")
            second = wait_for(page, lambda s, at=second: item_ready(s) and s.field != at.field, "the next item")
        (other,) = [i for i in review_items(server.store) if (i.record_id, i.field) == (second.record, second.field)]
        assert second.value is None
        page.keyboard.type(json.loads(other.value or "null"))  # typed as read: confirmed, no mismatch
        page.keyboard.press("Enter")
        wait_for(page, lambda s, at=second: item_ready(s) and s.field != at.field, "the next item")
        (audit,) = decisions_of(server.store, other.record_id, other.field)
        assert (audit["action"], audit["status"]) == ("confirm", "confirmed")


def test_bulk_confirm_by_keys_asks_first_then_confirms_every_one(text_store):
    with running(text_store, reviewer="clerk") as server, chromium() as page:
        same = [i for i in review_items(server.store, field="indicators[*].score") if i.value == '"5.00"']
        assert len(same) >= 3
        page.goto(server.url)  # the link, then the address of one of them, as from the queue's list
        wait_for(page, lambda s: s.page == "queue", "the queue")
        page.goto(f"{server.base}/form?record={same[0].record_id}&item={same[0].field}")
        wait_for(page, lambda s: item_ready(s) and s.field == same[0].field, "the item")
        page.keyboard.press("b")
        wait_for(page, lambda s: s.page == "bulk" and s.ready, "the confirmation page, its keys listened to")
        assert page.locator("#bulk-count").inner_text() == str(len(same))
        assert review_items(server.store, status="confirmed") == []  # asking changes nothing
        page.keyboard.press("Enter")
        wait_for(page, lambda s: s.page == "form", "back on the form")
        confirmed = review_items(server.store, status="confirmed")
        assert sorted((i.record_id, i.field) for i in confirmed) == sorted((i.record_id, i.field) for i in same)
        for i in same:
            (audit,) = decisions_of(server.store, i.record_id, i.field)
            assert (audit["action"], audit["reviewer"]) == ("bulk_confirm", "clerk")
