"""Learned aliases: a reviewer's "this printed name means that entry", kept beside the store.

`DIR/vocabulary.user.json` (docs/exports.md shows its shape) is the user's
own vocabulary, read after the packaged one. Writes are atomic and
serialised by a lock file, so two reviewers saving at once lose nothing.
"""

from __future__ import annotations

import fcntl
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

USER_VOCABULARY = "vocabulary.user.json"
AliasKind = Literal["indicator", "label"]
DESCRIPTION = (
    "Aliases learned in review: a printed text (an indicator name, or a field's label) and the "
    "canonical entry it means, for one form type or all (form_type null). Read after the packaged vocabulary."
)


def save_alias(
    out_dir: Path,
    kind: AliasKind,
    printed: str,
    canonical: str,
    form_type: str | None = None,
    reviewer: str | None = None,
) -> Path:
    """Add (or replace) the alias `printed` -> `canonical` in DIR/vocabulary.user.json; returns the file."""
    if kind not in ("indicator", "label"):
        raise ValueError(f"kind must be indicator or label, not {kind!r}")
    printed, canonical = printed.strip(), canonical.strip()
    if not printed or not canonical:
        raise ValueError("an alias needs the printed text and the canonical entry")
    path = out_dir / USER_VOCABULARY
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / (USER_VOCABULARY + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data = load_user_vocabulary(out_dir)
        entry = {
            "kind": kind,
            "printed": printed,
            "canonical": canonical,
            "form_type": form_type,
            "added_by": reviewer,
            "added_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        same = (kind, printed, form_type)
        data["aliases"] = [a for a in data["aliases"] if (a["kind"], a["printed"], a.get("form_type")) != same]
        data["aliases"].append(entry)
        temp = path.with_name(path.name + ".tmp")
        temp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        os.replace(temp, path)
    return path


def load_user_vocabulary(out_dir: Path) -> dict:
    """The user vocabulary beside the store (an empty one when there is none yet)."""
    path = out_dir / USER_VOCABULARY
    if not path.exists():
        return {"description": DESCRIPTION, "version": 1, "aliases": []}
    data = json.loads(path.read_text(encoding="utf-8"))
    data.setdefault("aliases", [])
    return data
