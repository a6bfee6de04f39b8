"""The Label Studio round trip, against a real server on loopback.

A page image and a task with predictions go in, a reviewer's annotation (the
predictions with one value corrected) is submitted, and the full JSON export
gives back the corrected value under the same result id and label. This proves
the plumbing (env.py, server.py, client.py) and the shapes in FORMAT.md that
the production exporter/importer are written from.
"""

from __future__ import annotations

import copy
import json
import time

import pytest

from tests.labelstudio import client as ls
from tests.labelstudio import env
from tests.labelstudio.sample import CORRECTED, FIELDS, LABEL_CONFIG, make_page, predicted_results
from tests.labelstudio.server import running_server

pytestmark = [pytest.mark.slow, pytest.mark.labelstudio]

TIMINGS: dict[str, float] = {}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    started = time.monotonic()
    python, why = env.ensure()
    if python is None:
        # Not skipped quietly: the run says plainly that the Label Studio round trip was not tested.
        pytest.fail(
            f"the Label Studio virtual environment could not be made, so the Label Studio "
            f"round trip is NOT tested: {why}"
        )
    TIMINGS[f"env ({why})"] = time.monotonic() - started
    with running_server(tmp_path_factory.mktemp("label-studio")) as running:
        TIMINGS["server start-up"] = running.startup_s
        yield running
    print("label studio timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in TIMINGS.items()))


def test_export_review_import_roundtrip(server, tmp_path):
    started = time.monotonic()
    c = server.client
    image = tmp_path / "page.png"
    width, height, boxes = make_page(image)

    project_id = ls.create_project(c, "filing-extract plumbing", LABEL_CONFIG)
    image_url = ls.upload_file(c, project_id, image)
    assert image_url.startswith("/data/upload/"), image_url
    status, headers, body = c.raw("GET", image_url)
    assert (status, headers.get("Content-Type"), body) == (200, "image/png", image.read_bytes())
    assert c.raw("GET", image_url, auth=False)[0] == 401  # served to logged-in users only

    predicted = predicted_results(width, height, boxes)
    task = {
        "data": {"image": image_url, "source": "seed_003_self_evaluations.pdf", "page": 3},
        "predictions": [{"model_version": "filing-extract-0.1", "score": 0.87, "result": predicted}],
    }
    ls.import_tasks(c, project_id, [task])

    (listed,) = ls.list_tasks(c, project_id)
    assert listed["data"]["image"] == image_url and listed["total_predictions"] == 1
    (prediction,) = ls.get_task(c, listed["id"])["predictions"]
    assert prediction["result"] == predicted and prediction["score"] == 0.87

    # The reviewer accepts the prediction and corrects one value. Through the API here: the
    # prediction's results, scores dropped (the editor keeps them and adds "origin": FORMAT.md).
    reviewed = [{k: v for k, v in r.items() if k != "score"} for r in copy.deepcopy(prediction["result"])]
    key, value = CORRECTED
    (text_result,) = [r for r in reviewed if r["id"] == key and r["type"] == "textarea"]
    text_result["value"]["text"] = [value]
    annotation_id = ls.submit_annotation(c, listed["id"], reviewed, lead_time=12.5)

    exported = ls.export_json(c, project_id)
    (out,) = exported
    (tmp_path / "export.json").write_text(json.dumps(exported, indent=2, ensure_ascii=False))
    assert out["id"] == listed["id"] and out["data"] == task["data"]
    (annotation,) = out["annotations"]
    assert annotation["id"] == annotation_id and not annotation["was_cancelled"]
    by_id: dict[str, dict[str, dict]] = {}
    for result in annotation["result"]:
        by_id.setdefault(result["id"], {})[result["type"]] = result
    assert set(by_id) == set(FIELDS)  # ids with '.', '[' and ']' come back unchanged
    assert by_id[key]["textarea"]["value"]["text"] == [value]
    assert by_id[key]["rectanglelabels"]["value"]["rectanglelabels"] == [key]
    assert by_id[key]["rectanglelabels"]["value"]["x"] == pytest.approx(boxes[key][0])
    for other, (_, predicted_value, _) in FIELDS.items():
        if other != key:
            assert by_id[other]["textarea"]["value"]["text"] == [predicted_value]
    (exported_prediction,) = out["predictions"]
    assert isinstance(exported_prediction, dict) and exported_prediction["result"] == predicted
    assert exported_prediction["score"] == 0.87 and exported_prediction["model_version"] == "filing-extract-0.1"
    TIMINGS["round trip"] = time.monotonic() - started
