"""Label Studio's full JSON export back into the store: each changed value a `decide` with its audit row.

Of each task exported by `ls_export` (its `data.fields` maps result ids to
records and fields) the latest annotation that was not cancelled is read.
Results are grouped by id (a rectangle and its text share one); the field is
the rectangle's label (a reviewer may relabel a region onto another field),
the record the one the id maps to, or for a region the reviewer drew (a
random id) the page's only form. A text that differs from the one exported is
a correction, made with the item version exported: if the store changed
since, the decision is refused as stale and reported, never forced. Texts
left as exported, and regions deleted, change nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extract.ingest.decisions import ReviewError, StaleDecision, decide
from extract.ingest.fieldpaths import FieldPathError, parse_input
from extract.ingest.review_state import load
from extract.ingest.store import Store
from extract.review.fields import valid_path, value_of


class NotAnExport(ValueError):
    """The file is not a Label Studio JSON export of tasks made by `--export-label-studio`."""


@dataclass
class ImportSummary:
    tasks: int = 0
    annotated: int = 0
    corrected: list[str] = field(default_factory=list)  # "record_id field"
    unchanged: int = 0
    already: int = 0  # the store holds the value already (an export imported twice)
    conflicts: list[str] = field(default_factory=list)  # stale: changed in the store since the export
    problems: list[str] = field(default_factory=list)


def _latest(annotations: list[dict]) -> dict | None:
    kept = [a for a in annotations if isinstance(a, dict) and not a.get("was_cancelled")]
    if not kept:
        return None
    return max(kept, key=lambda a: (str(a.get("updated_at") or a.get("created_at") or ""), a.get("id") or 0))


def _regions(results: list[dict]) -> dict[str, dict[str, Any]]:
    """Results by id: {"label": the rectangle's label, "text": the region's text lines}."""
    regions: dict[str, dict[str, Any]] = {}
    for result in results:
        if not isinstance(result, dict) or "id" not in result:
            continue
        region = regions.setdefault(str(result["id"]), {"label": None, "text": None})
        value = result.get("value") or {}
        if result.get("type") == "rectanglelabels" and value.get("rectanglelabels"):
            region["label"] = str(value["rectanglelabels"][0])
        elif result.get("type") == "textarea" and isinstance(value.get("text"), list):
            region["text"] = "\n".join(str(t) for t in value["text"])
    return regions


def _target(rid: str, region: dict, fields: dict[str, dict]) -> tuple[str, str, int | None] | str:
    """(record_id, field, expected version or None: now) of a region, or why it cannot be placed."""
    mapped = fields.get(rid)
    path = region["label"] or (mapped["field"] if mapped else None)
    if not path or not valid_path(path):
        return f"region {rid}: no field label"
    if mapped is not None:
        record_id = mapped["record_id"]
    else:
        records = {m["record_id"] for m in fields.values()}
        if len(records) != 1:
            return f"region {rid} ({path}): drawn on a page of {len(records)} forms, so its form is not known"
        (record_id,) = records
    known = next((m for m in fields.values() if m["record_id"] == record_id and m["field"] == path), None)
    return record_id, path, known["version"] if known else None


def _apply(store: Store, task: dict, annotation: dict, reviewer: str, summary: ImportSummary) -> None:
    fields = task["data"]["fields"]
    changes = []
    for rid, region in _regions(annotation.get("result") or []).items():
        if region["text"] is None:
            continue
        target = _target(rid, region, fields)
        if isinstance(target, str):
            summary.problems.append(target)
            continue
        record_id, path, version = target
        known = next((m for m in fields.values() if m["record_id"] == record_id and m["field"] == path), None)
        if known is not None and region["text"] == known["text"]:
            summary.unchanged += 1
            continue
        changes.append((record_id, path, version, region["text"]))
    seconds = float(annotation.get("lead_time") or 0.0) / max(1, len(changes))
    for record_id, path, version, text in changes:
        where = f"{record_id} {path}"
        try:
            with store.reading() as conn:
                state = load(conn, record_id)
            current = value_of(state.data, path)
            if parse_input(path, text, current) == current:
                summary.already += 1
                continue
            expected = state.versions.get(path, 0) if version is None else version
            decide(store, record_id, path, "correct", text, reviewer, seconds, expected)
            summary.corrected.append(where)
        except StaleDecision as exc:
            summary.conflicts.append(f"{where}: {exc}")
        except (ReviewError, FieldPathError) as exc:
            summary.problems.append(f"{where}: {exc}")


def read_export(path: Path) -> list[dict]:
    try:
        tasks = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise NotAnExport(f"{path} cannot be read as JSON: {exc}") from None
    if not isinstance(tasks, list) or not all(isinstance(t, dict) and isinstance(t.get("data"), dict) for t in tasks):
        raise NotAnExport(f"{path} is not a Label Studio JSON export (a list of tasks)")
    return tasks


def import_label_studio(store: Store, path: Path, reviewer: str | None = None) -> ImportSummary:
    """Apply the corrections of a Label Studio full JSON export; what was done, and what was not."""
    summary = ImportSummary()
    for task in read_export(path):
        summary.tasks += 1
        if not isinstance(task["data"].get("fields"), dict):
            summary.problems.append(f"task {task.get('id')}: not made by --export-label-studio (no data.fields)")
            continue
        annotation = _latest(task.get("annotations") or [])
        if annotation is None:
            continue
        summary.annotated += 1
        by = annotation.get("completed_by")
        by = by.get("email") or by.get("id") if isinstance(by, dict) else by
        who = reviewer or f"label-studio user {by if by is not None else '?'}"
        _apply(store, task, annotation, who, summary)
    return summary
