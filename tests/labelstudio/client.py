"""Typed calls on a Label Studio server's API, as FORMAT.md documents them.

Each takes the `Client` of a running server (server.py). Only the endpoints the
export/review/import round trip needs are here.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from tests.labelstudio.server import Client, LabelStudioError

EXPORT_TIMEOUT_S = 120.0


def create_project(client: Client, title: str, label_config_xml: str) -> int:
    """A new project with this labeling config; its id."""
    project = client.post("/api/projects", {"title": title, "label_config": label_config_xml})
    return int(project["id"])


def upload_file(client: Client, project_id: int, path: Path) -> str:
    """Store a file (a page image) in Label Studio without making a task of it.

    Returns the URL to put in task data, e.g. "/data/upload/1/3ced345b-page.png": relative to
    the server, served only to authenticated users (the browser's session or the API token).
    """
    answer = client.post_files(
        f"/api/projects/{project_id}/import", {"file": Path(path)}, params={"commit_to_project": "false"}
    )
    (upload_id,) = answer["file_upload_ids"]
    uploads = client.get(f"/api/projects/{project_id}/file-uploads", ids=json.dumps([upload_id]))
    (upload,) = [u for u in uploads if u["id"] == upload_id]
    return "/data/" + upload["file"]  # "file" is the storage name "upload/<project>/<prefix>-<name>"


def import_tasks(client: Client, project_id: int, tasks: list[dict]) -> None:
    """Import tasks (each {"data": {...}, "predictions": [...]}) into a project."""
    answer = client.post(f"/api/projects/{project_id}/import", tasks)
    if answer.get("task_count") != len(tasks):
        raise LabelStudioError(
            "POST", f"/api/projects/{project_id}/import", 200, f"asked to import {len(tasks)} tasks, got {answer}"
        )


def list_tasks(client: Client, project_id: int, page_size: int = 100) -> list[dict]:
    """Every task of a project (data, counts; not the predictions or annotations themselves)."""
    tasks: list[dict] = []
    page = 1
    while True:
        answer = client.get("/api/tasks", project=project_id, page=page, page_size=page_size)
        batch = answer.get("tasks", [])
        tasks.extend(batch)
        if not batch or len(tasks) >= answer.get("total", 0):
            return tasks
        page += 1


def get_task(client: Client, task_id: int) -> dict:
    """One task with its predictions and annotations in full."""
    return client.get(f"/api/tasks/{task_id}")


def submit_annotation(client: Client, task_id: int, result: list[dict], lead_time: float | None = None) -> int:
    """Submit an annotation (a reviewer's answer) on a task; its id."""
    body: dict[str, Any] = {"result": result, "was_cancelled": False, "ground_truth": False}
    if lead_time is not None:
        body["lead_time"] = lead_time
    annotation = client.post(f"/api/tasks/{task_id}/annotations", body)
    return int(annotation["id"])


def export_json(client: Client, project_id: int, timeout: float = EXPORT_TIMEOUT_S) -> list[dict]:
    """The project's full JSON export: every task, with annotations and predictions in full.

    Uses an export snapshot (POST .../exports/, then .../download?exportType=JSON): the
    one-shot GET .../export?exportType=JSON lists predictions as ids only.
    """
    snapshot = client.post(
        f"/api/projects/{project_id}/exports/",
        {
            "title": "filing-extract",
            "task_filter_options": {"only_with_annotations": False},
            "serialization_options": {
                "predictions": {"only_id": False},
                "drafts": {"only_id": False},
                "annotations__completed_by": {"only_id": True},
            },
        },
    )
    deadline = time.monotonic() + timeout
    while snapshot["status"] != "completed":  # synchronous on Label Studio Community
        if snapshot["status"] == "failed" or time.monotonic() > deadline:
            raise LabelStudioError(
                "GET",
                f"/api/projects/{project_id}/exports/{snapshot['id']}",
                200,
                f"export did not complete: {snapshot}",
            )
        time.sleep(0.5)
        snapshot = client.get(f"/api/projects/{project_id}/exports/{snapshot['id']}")
    return client.get(f"/api/projects/{project_id}/exports/{snapshot['id']}/download", exportType="JSON")
