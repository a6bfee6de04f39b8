"""What a reviewer's browser does to the shapes in FORMAT.md: a manual check, not a pytest test.

The pytest round trip (test_roundtrip_plumbing.py) submits the annotation through the API.
This script does it as a person would, in Label Studio's own editor under headless Chromium:
log in, open the task (the prediction is pre-filled into a draft annotation), correct the
funds.total text, draw one new box with a label and text, submit; then it reads the export and
checks what the editor sent (ids kept, `origin` added, new regions get random ids).

It needs Playwright (`pip install playwright pillow` in any Python 3.11 venv; no browser download:
it drives the system's /usr/bin/chromium, Debian's `chromium` package) and blocks every request
that is not to the loopback server:

    python3 -m venv /tmp/pw && /tmp/pw/bin/pip install playwright pillow
    PYTHONPATH=. /tmp/pw/bin/python -m tests.labelstudio.ui_check --out /tmp/ls-ui

Screenshots and export.json land in --out. Exit status 0 when every check holds.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from tests.labelstudio import client as ls
from tests.labelstudio.sample import CORRECTED, FIELDS, LABEL_CONFIG, make_page, predicted_results
from tests.labelstudio.server import running_server

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
NEW_TEXT = "drawn by reviewer"


def review_in_browser(server, project_id: int, out: Path) -> list[str]:
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})

        def only_loopback(route):
            url = route.request.url
            if url.startswith((server.url, "data:", "blob:")):
                route.continue_()
            else:
                blocked.append(url)
                route.abort()

        page.route("**/*", only_loopback)
        page.goto(server.url + "/user/login/")
        page.fill("input[name=email]", server.username)
        page.fill("input[name=password]", server.password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        # Open the task from the list: a deep link (/projects/N/data?task=M) loads the task twice
        # and now and then drops the prediction pre-fill (a frontend race).
        page.goto(f"{server.url}/projects/{project_id}/data")
        page.wait_for_load_state("networkidle")
        page.locator("[class*=row-wrapper]").first.click()
        field, value = CORRECTED
        page.get_by_text(field, exact=True).last.wait_for()
        page.wait_for_timeout(1500)
        page.screenshot(path=str(out / "1-task-opened.png"))

        # Correct the value: select the region in the outliner, the text's edit button, type, Enter.
        page.get_by_text(field, exact=True).last.click()
        page.get_by_test_id("htx-textbox-edit-button").first.click()
        page.keyboard.press("Control+A")  # focus is in the text box, so label hotkeys (1, 2, 3) stay off
        page.keyboard.type(value)
        page.keyboard.press("Enter")
        page.wait_for_timeout(500)
        page.screenshot(path=str(out / "2-value-corrected.png"))

        # Draw a new box: pick a label, drag on the image, select the new region, give it text.
        page.keyboard.press("Escape")
        page.locator(".lsf-label__text", has_text="project_name").first.click()
        canvases = [c.bounding_box() for c in page.locator("canvas").all()]
        box = max((b for b in canvases if b), key=lambda b: b["width"] * b["height"])
        x0, y0 = box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.55
        page.mouse.move(x0, y0)
        page.mouse.down()
        page.mouse.move(x0 + 200, y0 + 30, steps=10)
        page.mouse.up()
        page.wait_for_timeout(500)
        page.get_by_text("project_name", exact=True).last.click()
        (text_input,) = [e for e in page.get_by_test_id("textarea-input").all() if e.is_visible()]
        text_input.fill(NEW_TEXT)
        text_input.press("Enter")
        page.wait_for_timeout(500)
        page.screenshot(path=str(out / "3-box-drawn.png"))

        page.get_by_role("button", name="Submit").click()
        page.wait_for_timeout(3000)
        page.screenshot(path=str(out / "4-submitted.png"))
        browser.close()
    return blocked


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(tempfile.mkdtemp(prefix="ls-ui-")))
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    with running_server(out / "server") as server:
        c = server.client
        width, height, boxes = make_page(out / "page.png")
        project_id = ls.create_project(c, "filing-extract ui check", LABEL_CONFIG)
        image_url = ls.upload_file(c, project_id, out / "page.png")
        predicted = predicted_results(width, height, boxes)
        prediction = {"model_version": "filing-extract-0.1", "score": 0.87, "result": predicted}
        ls.import_tasks(c, project_id, [{"data": {"image": image_url}, "predictions": [prediction]}])
        blocked = review_in_browser(server, project_id, out)
        exported = ls.export_json(c, project_id)
    (out / "export.json").write_text(json.dumps(exported, indent=2, ensure_ascii=False))

    if blocked:
        failures.append(f"the page asked for off-loopback URLs (blocked): {blocked[:5]}")
    (task,) = exported
    if len(task["annotations"]) != 1:
        failures.append(f"expected one submitted annotation, got {len(task['annotations'])}")
        result = []
    else:
        result = task["annotations"][0]["result"]
    by_id: dict[str, dict[str, dict]] = {}
    for r in result:
        by_id.setdefault(r["id"], {})[r["type"]] = r
    field, value = CORRECTED
    for key, (_, predicted_value, _) in FIELDS.items():
        got = by_id.get(key)
        if not got or set(got) != {"rectanglelabels", "textarea"}:
            failures.append(f"{key}: the editor did not send back both results under id {key!r}: {got}")
            continue
        want_text, want_origin = (value, "prediction-changed") if key == field else (predicted_value, "prediction")
        if got["textarea"]["value"]["text"] != [want_text]:
            failures.append(f"{key}: text {got['textarea']['value']['text']} != {[want_text]}")
        if got["rectanglelabels"]["value"]["rectanglelabels"] != [key]:
            failures.append(f"{key}: label {got['rectanglelabels']['value']['rectanglelabels']}")
        if {r.get("origin") for r in got.values()} != {want_origin}:
            failures.append(f"{key}: origin {[r.get('origin') for r in got.values()]} != {want_origin}")
    new = {k: v for k, v in by_id.items() if k not in FIELDS}
    if len(new) != 1:
        failures.append(f"expected one new region, got {sorted(new)}")
    else:
        ((new_id, new_results),) = new.items()
        if new_results.get("textarea", {}).get("value", {}).get("text") != [NEW_TEXT]:
            failures.append(f"new region {new_id}: {new_results}")
        print(f"new region id {new_id!r}, origin {[r.get('origin') for r in new_results.values()]}")
    print(json.dumps({"out": str(out), "failures": failures}, indent=2))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
