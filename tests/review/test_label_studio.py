"""The Label Studio round trip against a real Label Studio server on loopback.

`filing-extract review DIR --export-label-studio OUT` writes the project; its
config becomes a project made through Label Studio's API, its page images are
uploaded and its tasks imported; a reviewer's annotation changes one value
(the prediction's regions with one text corrected, as the editor submits
them); Label Studio's full JSON export goes back in with
`--import-label-studio`, and the change is then a decision in the store's
audit trail and a corrected value in `filing-extract export`. The server is
the real one (tests/labelstudio: its own virtual environment, bound to
127.0.0.1, telemetry off, a legacy API token).
"""

from __future__ import annotations

import copy
import json

import pytest

from extract.ingest.review_queue import decisions_of
from extract.ingest.store import Store, sqlite_url
from tests.conftest import run_cli
from tests.labelstudio import client as ls
from tests.labelstudio import env
from tests.labelstudio.server import running_server

pytestmark = [pytest.mark.labelstudio, pytest.mark.slow]

FIELD, CORRECTED = "total_score", "97.28"
IMAGE_ONLY = '<View><Image name="page" value="$image"/></View>'


@pytest.fixture(scope="module")
def label_studio(tmp_path_factory):
    python, why = env.ensure()
    if python is None:  # said plainly, not skipped: the round trip is then not tested
        pytest.fail(f"the Label Studio virtual environment could not be made, so the round trip is NOT tested: {why}")
    with running_server(tmp_path_factory.mktemp("label-studio")) as server:
        yield server


def _records(store_dir, out) -> dict[str, dict]:
    done = run_cli("export", str(store_dir), "--format", "jsonl", "--out", str(out), timeout=300)
    assert done.returncode == 0, done.stderr
    lines = (out / "records.jsonl").read_text(encoding="utf-8").splitlines()
    return {r["record_id"]: r for r in map(json.loads, lines)}


def test_export_tasks_review_in_label_studio_and_import_the_correction_back(label_studio, text_store, tmp_path):
    out = tmp_path / "label-studio-project"
    made = run_cli("review", str(text_store), "--export-label-studio", str(out), timeout=300)
    assert made.returncode == 0, made.stderr
    tasks = json.loads((out / "tasks.json").read_text(encoding="utf-8"))
    assert tasks and all(t["predictions"][0]["result"] for t in tasks)

    c = label_studio.client
    # A file upload needs a config with one data key, and config.xml has three ($image, $title, $flags): the
    # project starts with the image alone, takes the page images, then gets config.xml (docs/review.md).
    project = ls.create_project(c, "filing-extract review", IMAGE_ONLY)
    for task in tasks:  # each page image uploaded; the task points at Label Studio's copy
        task["data"]["image"] = ls.upload_file(c, project, out / task["data"]["image"])
    config = (out / "config.xml").read_text(encoding="utf-8")
    c.request("PATCH", f"/api/projects/{project}", json_body={"label_config": config})
    assert c.get(f"/api/projects/{project}")["label_config"].strip() == config.strip()
    ls.import_tasks(c, project, tasks)

    listed = ls.list_tasks(c, project)
    assert len(listed) == len(tasks)
    (target,) = [t for t in listed if FIELD in t["data"]["fields"]]
    mapped = target["data"]["fields"][FIELD]
    record_id, extracted = mapped["record_id"], mapped["text"]
    assert extracted == "98.28"  # the printed total that breaks the sum: flagged

    (prediction,) = ls.get_task(c, target["id"])["predictions"]
    regions = {r["id"] for r in prediction["result"]}
    assert FIELD in regions and len(regions) == len(target["data"]["fields"])
    reviewed = [{k: v for k, v in r.items() if k != "score"} for r in copy.deepcopy(prediction["result"])]
    (text,) = [r for r in reviewed if r["id"] == FIELD and r["type"] == "textarea"]
    text["value"]["text"] = [CORRECTED]
    ls.submit_annotation(c, target["id"], reviewed, lead_time=21.0)

    exported = tmp_path / "label-studio-export.json"
    exported.write_text(json.dumps(ls.export_json(c, project), ensure_ascii=False), encoding="utf-8")
    back = run_cli("review", str(text_store), "--import-label-studio", str(exported), "--reviewer", "lena")
    assert back.returncode == 0, back.stdout + back.stderr
    assert f"{len(tasks)} tasks, 1 annotated: 1 corrections applied" in back.stdout, back.stdout

    store = Store(sqlite_url(text_store))
    try:
        audit = decisions_of(store, record_id, FIELD)
    finally:
        store.close()
    assert [(a["action"], a["reviewer"], a["old_value"], a["new_value"]) for a in audit] == [
        ("correct", "lena", '"98.28"', f'"{CORRECTED}"')
    ]
    assert audit[0]["seconds"] > 0

    record = _records(text_store, tmp_path / "export")[record_id]
    assert record[FIELD] == CORRECTED
    (flag,) = [i for i in record["review"] if i["field"] == FIELD]
    assert (flag["status"], flag["decided_by"], json.loads(flag["extracted"])) == ("corrected", "lena", "98.28")

    again = run_cli("review", str(text_store), "--import-label-studio", str(exported), "--reviewer", "lena")
    assert again.returncode == 0 and "0 corrections applied" in again.stdout, again.stdout + again.stderr
