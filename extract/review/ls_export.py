"""The review queue as a Label Studio project: a labeling config, the page images and tasks.json.

One task per page image of every form with open review items. Its prediction
holds, for each field read on that page, a rectangle labelled with the field
path and the value as per-region text; the two results share one id, the
field path (FORMAT.md in tests/labelstudio: ids of `[A-Za-z0-9_.[\\]]` survive
the API and the editor). Where two forms share a page the second form's ids
are `PATH__N` (N its form index); every id is mapped in the task's
`data.fields` to its record, field, item version and exported text, which is
what `ls_import` reads back. Boxes are in percent of the image; the region's
score is the field's confidence. Images are PNGs in OUT/images, named in
`data.image`: upload each to Label Studio (`POST /api/projects/{p}/import?
commit_to_project=false`) and put the URL it gives in `data.image` before
importing the tasks (docs/review.md shows the calls).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from xml.sax.saxutils import quoteattr

from extract.ingest.review_state import Loaded, load
from extract.ingest.store import Store, records_of
from extract.review.crops import page_read, png, render
from extract.review.fields import display, is_group, value_of
from extract.review.sources import source_bytes

FROM_BOX, FROM_TEXT, TO_IMAGE = "box", "value", "page"


@dataclass(frozen=True)
class LabelStudioExport:
    config: Path
    tasks: Path
    images: list[Path]
    fields: int  # predicted regions in all


def model_version() -> str:
    try:
        return f"filing-extract-{version('filing-extract')}"
    except PackageNotFoundError:
        return "filing-extract"


def label_config(labels: list[str]) -> str:
    lines = "\n".join(f"    <Label value={quoteattr(label)}/>" for label in labels)
    return (
        "<View>\n"
        '  <Header value="$title"/>\n'
        f'  <Image name="{TO_IMAGE}" value="$image"/>\n'
        f'  <RectangleLabels name="{FROM_BOX}" toName="{TO_IMAGE}">\n{lines}\n  </RectangleLabels>\n'
        f'  <TextArea name="{FROM_TEXT}" toName="{TO_IMAGE}" perRegion="true" editable="true"/>\n'
        '  <Text name="flags" value="$flags"/>\n'
        "</View>\n"
    )


def _results(rid: str, path: str, text: str, box: list[float], size: tuple[int, int], dpi: int, score: float) -> list:
    width, height = size
    scale = dpi / 72.0
    x0, y0, x1, y1 = (max(0.0, v * scale) for v in box)
    x0, x1 = min(x0, width), min(x1, width)
    y0, y1 = min(y0, height), min(y1, height)
    geometry = {
        "x": 100 * x0 / width,
        "y": 100 * y0 / height,
        "width": 100 * (x1 - x0) / width,
        "height": 100 * (y1 - y0) / height,
        "rotation": 0,
    }
    common = {"id": rid, "to_name": TO_IMAGE, "original_width": width, "original_height": height, "image_rotation": 0}
    return [
        {**common, "from_name": FROM_BOX, "type": "rectanglelabels", "value": {**geometry, "rectanglelabels": [path]},
         "score": score},
        {**common, "from_name": FROM_TEXT, "type": "textarea", "value": {**geometry, "text": [text]}, "score": score},
    ]  # fmt: skip


def _places(state: Loaded, page: int) -> dict[str, list[float]]:
    """The fields of a record read on `page`, with their boxes: provenance, then flagged items placed there."""
    places = {path: list(p.box) for path, p in state.record.provenance.items() if p.page == page}
    for item in state.record.review:
        if item.page == page and item.box and item.field not in places:
            places[item.field] = list(item.box)
    return {p: box for p, box in places.items() if not is_group(state.data, p)}


def _flags(states: list[Loaded], page: int) -> str:
    lines = [
        f"{i.field}: {i.reason}"
        for s in states
        for i in s.record.review
        if i.status == "open" and (i.page in (None, page))
    ]
    return "To check on this page:\n" + "\n".join(lines) if lines else "Nothing flagged on this page."


def _pages(store: Store, every_record: bool) -> dict[tuple[str, int], list[Loaded]]:
    pages: dict[tuple[str, int], list[Loaded]] = {}
    with store.reading() as conn:
        for record in records_of(conn):
            if not every_record and not any(i.status == "open" for i in record.review):
                continue
            state = load(conn, record.record_id or "")
            for page in record.source.pages if record.source else []:
                pages.setdefault((state.sha256, page), []).append(state)
    return pages


def export_label_studio(
    store: Store, out: Path, roots: tuple[Path, ...] = (), dpi: int = 150, every_record: bool = False
) -> LabelStudioExport:
    """Write OUT/config.xml, OUT/images/*.png and OUT/tasks.json for the forms with open items."""
    (out / "images").mkdir(parents=True, exist_ok=True)
    tasks, images, labels, regions = [], [], set(), 0
    for (sha256, page), states in sorted(_pages(store, every_record).items()):
        name, data = source_bytes(store, sha256, roots)
        image = render(data, name, page, page_read(states[0].record, page), dpi)
        size = (image.shape[1], image.shape[0])
        file = out / "images" / f"{sha256[:16]}-p{page:03d}.png"
        file.write_bytes(png(image))
        images.append(file)
        placed = [(s, _places(s, page)) for s in states]
        shared = sum(1 for _, p in placed if p) > 1
        fields, results, scores = {}, [], []
        for state, places in placed:
            for path, box in sorted(places.items()):
                rid = f"{path}__{state.form_index}" if shared and state.form_index else path
                text = display(value_of(state.data, path))
                score = round(float(state.record.confidence.get(path, 1.0)), 4)
                fields[rid] = {
                    "record_id": state.record.record_id,
                    "field": path,
                    "version": state.versions.get(path, 0),
                    "text": text,
                }
                results += _results(rid, path, text, box, size, dpi, score)
                scores.append(score)
                labels.add(path)
        regions += len(fields)
        labels.update(i.field for s in states for i in s.record.review if not is_group(s.data, i.field))
        first = states[0].record
        task = {
            "data": {
                "image": f"images/{file.name}",
                "title": f"{first.project_name or '(no project name read)'} · page {page}",
                "flags": _flags(states, page),
                "source": name,
                "sha256": sha256,
                "page": page,
                "fields": fields,
            },
            "predictions": [{"model_version": model_version(), "score": min(scores, default=1.0), "result": results}],
        }
        tasks.append(task)
    ordered = sorted(labels) or ["project_name"]
    for task in tasks:  # Label Studio takes a label the config lacks without a word: check here
        for result in task["predictions"][0]["result"]:
            missing = set(result["value"].get("rectanglelabels", [])) - labels
            if missing:
                raise ValueError(f"labels not in the labeling config: {sorted(missing)}")
    config = out / "config.xml"
    config.write_text(label_config(ordered), encoding="utf-8")
    tasks_file = out / "tasks.json"
    tasks_file.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
    return LabelStudioExport(config, tasks_file, images, regions)
