"""The review threshold's trade-off: wrong fields caught against right fields flagged.

    python benchmarks/threshold_sweep.py [GRADE|FOLDER ...]   # default: clean office poor

A GRADE names samples/scans/GRADE; a FOLDER is any folder of labelled scans,
such as the unseen ones `python -m samples.generate --unseen N --scans ...` makes.

Extracts the committed scans once, then replays the flag decision for each
threshold from every field's recorded confidence: a field is flagged when its
confidence is under the threshold (rule breaks, unmapped names and misshapen
values already sit far under any threshold worth using).
"""

from __future__ import annotations

import sys
from pathlib import Path

from extract.bench.scoring import gold_path, pair_forms, read_gold, score_form
from extract.pipeline import Extractor

ROOT = Path(__file__).resolve().parent.parent
THRESHOLDS = (0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.99)


def main(grades: list[str]) -> int:
    extractor = Extractor()
    fields: list[tuple[bool, float, bool]] = []  # (right, confidence, gold flags it)
    for grade in grades:
        folder = Path(grade) if Path(grade).is_dir() else ROOT / "samples" / "scans" / grade
        for pdf in sorted(folder.glob("*.pdf")):
            gold = read_gold(gold_path(pdf))
            result = extractor.extract_file(pdf)
            pairs, _ = pair_forms(result.records, gold)
            for got, want in pairs:
                if got is None:
                    continue
                gold_flags = {item.field for item in want.review}
                for f in score_form(got, want).fields:
                    if f.path.startswith("source."):
                        continue
                    conf = _confidence(got.confidence, f.path)
                    fields.append((f.right, conf, f.path in gold_flags))
    wrong = sum(1 for right, _, _ in fields if not right)
    right = len(fields) - wrong
    print(f"{len(fields)} fields on {', '.join(grades)} scans; {wrong} wrong")
    print("threshold | wrong caught | wrong SILENT | right flagged (noise)")
    for t in THRESHOLDS:
        caught = sum(1 for r, c, _ in fields if not r and c < t)
        noise = sum(1 for r, c, g in fields if r and c < t and not g)
        print(f"{t:9.2f} | {caught:5d}/{wrong:<6d} | {wrong - caught:12d} | {noise:5d} = {noise / right:.2%}")
    return 0


def _confidence(confidence: dict[str, float], path: str) -> float:
    """A leaf's confidence, or its nearest recorded parent's (a whole funds row)."""
    while path:
        if path in confidence:
            return confidence[path]
        path = path.rsplit(".", 1)[0] if "." in path else ""
    return 1.0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:] or ["clean", "office", "poor"]))
