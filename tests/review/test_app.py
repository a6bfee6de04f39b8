"""The review app over HTTP: the queue, a form's page, decisions and their audit rows, two reviewers, bulk, blind."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import urllib.request
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from extract.ingest.aliases import load_user_vocabulary
from extract.ingest.export import export
from extract.ingest.review_queue import decisions_of, review_items, review_stats, sample_unflagged
from extract.ingest.tables import forms
from tests.conftest import ROOT, run_cli
from tests.review.client import Browserless, running


@pytest.fixture
def server(text_store):
    with running(text_store) as r:
        yield r


def _reviewer(server, name: str) -> Browserless:
    client = Browserless(server)
    client.login(name)
    return client


def _item(server, field: str):
    (item,) = [i for i in review_items(server.store) if i.field == field]
    return item


def _decide(client: Browserless, item, **body):
    payload = {"record_id": item.record_id, "field": item.field, "version": item.version, "seconds": 1.5, **body}
    return client.post("/api/decide", payload)


def test_the_queue_lists_every_open_item_least_confident_first_with_filters(server):
    alice = _reviewer(server, "alice")
    page = alice.get("/")
    assert page.status == 200
    left = int(re.search(r'<b id="left">(\d+)</b>', page.text).group(1))
    assert left == len(review_items(server.store)) == 15
    assert page.text.count('<a href="/form?') == 15
    assert "do not add up" in page.text  # the reason in plain words

    def count(**filters: str) -> int:
        return int(re.search(r'<b id="left">(\d+)</b>', alice.get("/", **filters).text).group(1))

    assert count(field="indicators[*].score") == 12
    assert count(form_type="target_declaration") == 0 and "Nothing left to review" not in alice.get("/").text
    assert count(form_type="self_evaluation") == 15
    assert count(reason="total score") == 15 and count(reason="OCR") == 0
    assert count(file="broken_sum") == 15 and count(file="seed_000") == 0
    assert alice.get("/", form_type="nonsense").status == 400
    assert alice.get("/", field="../etc").status == 400


def test_a_form_page_shows_the_crop_the_value_the_reason_and_the_neighbours(server):
    alice = _reviewer(server, "alice")
    start = alice.get("/next")
    assert start.status == 303
    query = parse_qs(urlsplit(start.headers["location"]).query)
    item = _item(server, query["item"][0])
    page = alice.get(start.headers["location"])
    assert page.status == 200
    html = unescape(page.text)
    assert f'data-field="{item.field}"' in html and f'data-version="{item.version}"' in html
    (row,) = [r for r in server.store.rows(forms) if r["record_id"] == item.record_id]
    record = json.loads(row["record_json"])
    # The reason, and the field's calibrated confidence as the record holds it.
    assert "do not add up to the printed total" in html and f"{record['confidence'][item.field]:.2f}" in html
    if item.field.startswith("indicators["):
        row = int(item.field[len("indicators[") :].split("]")[0])
        assert record["indicators"][row]["name"] in html  # the rest of the indicator row beside it
    assert "Also on this form, not flagged" in html
    crops = re.findall(r'data-crop="([^"]+)"', page.text)
    assert crops
    crop = alice.get(unescape(crops[0]))
    assert crop.status == 200 and crop.headers["content-type"] == "image/png" and crop.body.startswith(b"\x89PNG")
    whole = alice.get(unescape(crops[0]) + "&whole=1")
    assert whole.status == 200 and len(whole.body) > len(crop.body)
    for asset in ("/static/review.js", "/static/review.css"):
        assert alice.get(asset).status == 200


def test_confirm_correct_and_undo_each_leave_an_audit_row_and_the_export_shows_them(server, text_store, tmp_path):
    alice = _reviewer(server, "alice")
    total = _item(server, "total_score")
    answer = _decide(alice, total, action="confirm")
    assert answer.status == 200, answer.text
    decision = answer.json()["decision"]
    assert decision["status"] == "confirmed" and decision["decided_by"] == "alice"
    assert answer.json()["next"]["record_id"] == total.record_id  # the next open item of the same form
    assert answer.json()["left"] == 14

    score = _item(server, "indicators[0].score")
    (row,) = [r for r in server.store.rows(forms) if r["record_id"] == score.record_id]
    held = json.loads(row["record_json"])["confidence"][score.field]  # calibrated, before the correction
    corrected = _decide(alice, score, action="correct", value="19.5")
    assert corrected.status == 200 and corrected.json()["decision"]["value"] == "19.5"
    audit = decisions_of(server.store, score.record_id, score.field)
    assert [(a["action"], a["reviewer"], a["old_value"], a["new_value"], a["seconds"]) for a in audit] == [
        ("correct", "alice", '"20.00"', '"19.5"', 1.5)
    ]
    assert audit[0]["confidence"] == pytest.approx(held) and held < 0.88 and audit[0]["engine"] == "text_layer"

    undone = alice.post("/api/undo", {"filters": {}})
    assert undone.status == 200 and undone.json()["decision"]["field"] == "indicators[0].score"
    assert undone.json()["decision"]["status"] == "open" and undone.json()["decision"]["value"] == "20.00"
    again = _decide(alice, _item(server, "indicators[0].score"), action="correct", value="19.00")
    assert again.status == 200

    out = export(server.store, "jsonl", tmp_path / "export")
    records = [json.loads(line) for line in out[0].read_text(encoding="utf-8").splitlines()]
    (record,) = [r for r in records if r["record_id"] == score.record_id]
    assert record["indicators"][0]["score"] == "19.00" and record["total_score"] == total.value.strip('"')
    statuses = {i["field"]: i["status"] for i in record["review"]}
    assert statuses["indicators[0].score"] == "corrected" and statuses["total_score"] == "confirmed"


def test_two_reviewers_at_once_the_later_decision_on_a_stale_version_gets_409(server):
    alice, bob = _reviewer(server, "alice"), _reviewer(server, "bob")
    item = _item(server, "total_score")
    seen_by_bob = bob.get("/form", record=item.record_id, item=item.field)
    assert f'data-version="{item.version}"' in seen_by_bob.text
    assert _decide(alice, item, action="correct", value="97.28").status == 200
    stale = _decide(bob, item, action="confirm")
    assert stale.status == 409
    other = stale.json()["stale"]
    assert other["decided_by"] == "alice" and other["status"] == "corrected" and other["value"] == "97.28"
    assert other["version"] != item.version
    retried = bob.post(
        "/api/decide",
        {"record_id": item.record_id, "field": item.field, "version": other["version"], "action": "confirm"},
    )
    assert retried.status == 200 and retried.json()["decision"]["decided_by"] == "bob"
    assert [a["reviewer"] for a in decisions_of(server.store, item.record_id, item.field)] == ["alice", "bob"]


def test_bulk_confirm_asks_first_then_confirms_each_with_its_audit_row(server):
    alice = _reviewer(server, "alice")
    page = alice.get("/bulk", field="indicators[*].score", value="5.00", form_type="self_evaluation")
    assert page.status == 200
    pairs = re.findall(r'class="bulk-item" data-record="([^"]+)" data-field="([^"]+)"', page.text)
    expected = [i for i in review_items(server.store, field="indicators[*].score") if i.value == '"5.00"']
    assert len(pairs) == len(expected) >= 3 and f'<b id="bulk-count">{len(pairs)}</b>' in page.text
    assert review_items(server.store, status="confirmed") == []  # the preview changes nothing
    done = alice.post("/api/bulk", {"field": "indicators[*].score", "value": "5.00", "pairs": [list(p) for p in pairs]})
    assert done.status == 200 and done.json()["confirmed"] == len(pairs)
    confirmed = review_items(server.store, status="confirmed")
    assert sorted((i.record_id, i.field) for i in confirmed) == sorted(pairs)
    assert {decisions_of(server.store, r, f)[0]["action"] for r, f in pairs} == {"bulk_confirm"}
    assert alice.post("/api/bulk", {"field": "../x", "pairs": []}).status == 400


def test_blind_entry_hides_amounts_until_typed_and_shows_a_mismatch(text_store):
    with running(text_store, blind=frozenset({"amounts"})) as server:
        alice = _reviewer(server, "alice")
        total = _item(server, "total_score")
        page = alice.get("/form", record=total.record_id, item=total.field)
        assert total.value == '"98.28"' and "98.28" not in page.text  # nowhere on the page: value, reason, links
        assert 'data-blind="1"' in page.text and "What was read stays hidden" in page.text
        queue = alice.get("/")
        assert "98.28" not in queue.text

        typed = _decide(alice, total, blind=True, value="98.28")
        assert typed.status == 200 and typed.json()["decision"]["status"] == "confirmed"

        score = _item(server, "indicators[1].score")
        wrong = _decide(alice, score, blind=True, value="11")
        assert wrong.status == 200
        assert wrong.json()["mismatch"] == {"typed": "11", "extracted": "10.00", "value": "11"}
        assert decisions_of(server.store, score.record_id, score.field) == []  # nothing decided yet
        assert _decide(alice, score, blind=True, value="1O,00").status == 422
        resolved = _decide(alice, score, action="correct", value="11")
        assert resolved.json()["decision"]["status"] == "corrected"


def test_a_decided_indicator_name_can_be_saved_as_a_learned_alias(server, text_store):
    alice = _reviewer(server, "alice")
    total = _item(server, "total_score")
    answer = alice.post(
        "/api/decide",
        {"record_id": total.record_id, "field": "indicators[0].name", "version": 0, "action": "correct",
         "value": "成本控制率"},
    )  # fmt: skip
    assert answer.status == 200, answer.text
    offer = answer.json()["alias"]
    assert offer == {"kind": "indicator", "printed": "成本控制", "canonical": "成本控制率", "form_type": None}
    saved = alice.post("/api/alias", offer)
    assert saved.status == 200
    (alias,) = load_user_vocabulary(text_store)["aliases"]
    assert (alias["printed"], alias["canonical"], alias["added_by"]) == ("成本控制", "成本控制率", "alice")
    assert alice.post("/api/alias", {"kind": "other", "printed": "a", "canonical": "b"}).status == 400


def test_wrong_requests_get_the_right_status(server):
    alice = _reviewer(server, "alice")
    item = _item(server, "total_score")
    assert _decide(alice, item, action="correct", value="ninety").status == 422
    assert _decide(alice, item, action="delete").status == 400
    unknown = {"record_id": "0" * 64 + ":0", "field": "total_score", "version": 1, "action": "confirm"}
    assert alice.post("/api/decide", unknown).status == 404
    assert alice.post("/api/decide", {**unknown, "field": "x/../y"}).status == 400
    assert alice.post("/api/undo", {}).status == 404  # nothing of alice's to undo yet
    assert alice.get("/form", record="0" * 64 + ":0").status == 404


def test_a_qa_sample_joins_the_queue_marked_and_stats_report_its_outcome(server, text_store):
    chosen = sample_unflagged(server.store, 0.02, seed=5)
    alice = _reviewer(server, "alice")
    page = alice.get("/", sample="only")
    assert page.text.count("QA sample</span>") == len(chosen) > 2
    assert "A random spot check" in page.text
    samples = review_items(server.store, sample=True)
    corrected = next(i for i in samples if _decide(alice, i, action="correct", value="1").status == 200)
    confirmed = next(i for i in samples if i != corrected)
    assert _decide(alice, confirmed, action="confirm").status == 200
    assert (review_stats(server.store).sample_checked, review_stats(server.store).sample_wrong) == (2, 1)
    stats = run_cli("review", str(text_store), "--stats")
    assert stats.returncode == 0, stats.stderr
    assert f"QA sample: 2 checked, 1 wrong, {len(chosen) - 2} open" in stats.stdout
    assert "QA sample error rate: 50.0% (95% Wilson interval" in stats.stdout


def test_the_command_prints_a_link_with_a_token_and_serves_it(text_store):
    proc = subprocess.Popen(
        [sys.executable, "-m", "extract", "review", str(text_store), "--reviewer", "carol"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        url = proc.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/\?token=[A-Za-z0-9_-]{32}", url), url
        jar = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with jar.open(url, timeout=30) as answer:
            assert answer.status == 200 and "carol" in answer.read().decode()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(30)
    assert proc.returncode == 0, proc.stderr.read()
