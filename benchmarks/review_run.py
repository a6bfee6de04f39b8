"""Review by keyboard: the bundled office scans' queue cleared in headless Chromium; keystrokes and times.

    .venv/bin/python benchmarks/review_run.py [--store DIR] [--runs 1] [--json OUT] [--screenshot PNG]

Ingests samples/scans/office (real OCR, `filing-extract ingest --workers 2`) into a temporary
folder, or copies an ingested --store, starts the review server on loopback and lets the scripted
reviewer of tests/review/keyboard.py clear the queue by keystrokes alone (Enter accepts, typing
corrects, one undo, Tab and Shift+Tab once), as tests/review/test_browser.py does. Prints:

- keystrokes: every key pressed from the queue's Enter to the last decision, and per item;
- seconds per item: wall time of the same, over the items (a script does not pause to read: this is
  the app's own share of a reviewer's time, the floor under the human's);
- page ready: for each form page, the page's own `data-ready-ms` (from the start of the navigation
  to the crop of the selected item shown): the first (cold: the page rendered from the PDF) and the
  median and worst of all.

Each run starts from a fresh copy of the ingested store. Figures only: nothing here asserts a time.
--screenshot writes a picture of the first item's page (the README shows it: docs/review.png).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.review.client import running  # noqa: E402
from tests.review.keyboard import Clerk, chromium, clear_queue, item_ready, summary, wait_for  # noqa: E402

OFFICE = ROOT / "samples" / "scans" / "office"


def ingest(out: Path) -> float:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "extract", "ingest", str(OFFICE), "--out", str(out), "--workers", "2"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if done.returncode != 0:
        raise SystemExit(f"ingest failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return time.monotonic() - started


def one_run(template: Path, work: Path, n: int) -> dict:
    store = work / f"run{n}"
    shutil.copytree(template, store)
    with running(store, reviewer="benchmark") as server, chromium() as page:
        run = clear_queue(page, server.url, Clerk())
    figures = summary(run)
    figures["page_ready_ms_first"] = run.page_ready_ms[0] if run.page_ready_ms else 0.0
    figures["per_item"] = [
        {"field": d.field, "typed": d.typed, "keys": d.keys, "seconds": round(d.seconds, 3)} for d in run.decided
    ]
    return figures


def screenshot(template: Path, work: Path, png: Path) -> None:
    store = work / "screenshot"
    shutil.copytree(template, store)
    with running(store, reviewer="王会计") as server, chromium() as page:
        page.set_viewport_size({"width": 1280, "height": 760})
        page.goto(server.url)
        wait_for(page, lambda s: s.page == "queue", "the queue")
        page.keyboard.press("Enter")
        wait_for(page, item_ready, "the first item")
        page.screenshot(path=str(png))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=None, help="an ingest of samples/scans/office to copy")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--screenshot", type=Path, default=None, help="a PNG of the first item's page")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="review-run-") as tmp:
        work = Path(tmp)
        template = args.store
        if template is None:
            template = work / "office"
            print(f"ingested {OFFICE.relative_to(ROOT)} in {ingest(template):.1f} s", flush=True)
        runs = [one_run(template, work, n) for n in range(args.runs)]
        if args.screenshot:
            screenshot(template, work, args.screenshot)
    for n, f in enumerate(runs, 1):
        print(
            f"run {n}: {f['items']} items ({f['corrections']} corrected, {f['undos']} undo) cleared with "
            f"{f['keystrokes']} keystrokes ({f['keystrokes_per_item']:.2f} per item), no clicks, "
            f"in {f['seconds']:.2f} s ({f['seconds_per_item']:.2f} s per item); "
            f"page ready: first {f['page_ready_ms_first']:.0f} ms, median {f['page_ready_ms_median']:.0f} ms, "
            f"worst {f['page_ready_ms_max']:.0f} ms over {f['form_pages']} form pages"
        )
    if args.json:
        args.json.write_text(json.dumps(runs, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
