"""Do two versions of the code give the same records on the bundled samples?

    python benchmarks/compare_records.py dump OUT_DIR        # this checkout's records, one JSON a sample
    python benchmarks/compare_records.py diff BEFORE AFTER   # differences, additive fields ignored

Run `dump` on the old checkout and on the new one, then `diff`. Fields that a
contract version added (provenance, page reads, review boxes) and the schema
version are left out of the comparison: a restructuring must change nothing
else. Exit 0 when the records are the same, 1 otherwise.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ADDED = {"provenance", "schema_version"}


def dump(out: Path) -> int:
    try:
        from extract import Extractor
    except ImportError:  # a checkout from before the public API
        from extract.pipeline import Extractor
    out.mkdir(parents=True, exist_ok=True)
    extractor = Extractor()
    for pdf in sorted(Path("samples").rglob("*.pdf")):
        result = extractor.extract_file(pdf)
        records = [json.loads(r.model_dump_json()) for r in result.records]
        name = str(pdf).replace("/", "__") + ".json"
        (out / name).write_text(json.dumps({"status": result.status, "records": records}, ensure_ascii=False))
        print(f"{pdf}: {result.status}, {len(records)} records", file=sys.stderr)
    return 0


def comparable(record: dict) -> dict:
    record = {k: v for k, v in record.items() if k not in ADDED}
    if record.get("source"):
        record["source"] = {k: v for k, v in record["source"].items() if k != "reads"}
    record["review"] = [{k: v for k, v in item.items() if k not in ("page", "box")} for item in record["review"]]
    return record


def diff(before: Path, after: Path) -> int:
    different = 0
    for old in sorted(before.glob("*.json")):
        new = after / old.name
        a, b = json.loads(old.read_text()), json.loads(new.read_text()) if new.exists() else {"records": None}
        same = a.get("status") == b.get("status") and [comparable(r) for r in a["records"]] == [
            comparable(r) for r in b["records"] or []
        ]
        different += not same
        print(f"{'same' if same else 'DIFFERENT'}  {old.name}")
    print(f"{different} of {len(list(before.glob('*.json')))} samples differ")
    return 1 if different else 0


if __name__ == "__main__":
    command, *paths = sys.argv[1:]
    sys.exit(dump(Path(paths[0])) if command == "dump" else diff(Path(paths[0]), Path(paths[1])))
