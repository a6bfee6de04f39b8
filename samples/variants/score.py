"""Score a generated part: per variant and profile, fields right, wrong and not flagged, review items a form.

    python -m samples.variants.score out/variants/dev [--profiles text,office] [--errors 10]

Review items a form count the items beyond the cells the form prints empty by
design (its gold review), over all forms and over the forms read all right (the
issue's bound: at most 2). The disclosure tables count as refused or not.
Scoring is extract.bench.scoring's (Tally, pair_forms, read_gold, gold_path).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from extract import Extractor
from extract.bench.scoring import Tally, gold_path, pair_forms, read_gold


def score_part(root: Path, profiles: list[str] | None = None, extractor: Extractor | None = None) -> dict:
    """(variant, profile) -> {'tally', 'review', 'named', 'refused', 'errors'} over the part's manifest.

    'review' holds (review items beyond the designed flags, whether the form was read all right) a form.
    """
    extractor = extractor or Extractor()
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    out: dict = defaultdict(lambda: {"tally": Tally(), "review": [], "named": 0, "refused": [], "errors": []})
    for entry in manifest["files"]:
        if profiles and entry["profile"] not in profiles:
            continue
        path = root / entry["path"]
        cell = out[(entry["variant"].rsplit("/", 1)[-1], entry["profile"])]
        result = extractor.extract_file(path)
        if entry["refuse"]:
            cell["refused"].append(result.status == "failed" and "multi-project budget table" in (result.error or ""))
            if not cell["refused"][-1]:
                cell["errors"].append(f"{entry['path']}: not refused ({result.status}, {len(result.records)} forms)")
            continue
        tally = cell["tally"]
        pairs, invented = pair_forms(result.records, read_gold(gold_path(path)))
        tally.forms_invented += len(invented)
        for (got, want), form in zip(pairs, entry["forms"]):
            before = len(tally.errors)
            score = tally.add_form(got, want)
            cell["errors"] += [f"{entry['path']}: {e}" for e in tally.errors[before:]]
            if got is not None:
                cell["named"] += got.variant == entry["variant"]
                extra = len([r for r in got.review if r.field not in form["flags"]])
                cell["review"].append((extra, not score.wrong))
    return dict(out)


def table(scores: dict) -> str:
    rows = [
        "| variant | profile | forms | fields | right | wrong, not flagged | wrong, flagged | review items a form | "
        "forms read all right: review items a form (most) | variant named |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for (variant, profile), s in sorted(scores.items()):
        t = s["tally"]
        if s["refused"]:
            refused = f"refused {sum(s['refused'])}"
            rows.append(f"| {variant} | {profile} | {len(s['refused'])} tables | | {refused} | | | | | |")
            continue
        every = [n for n, _ in s["review"]]
        right = [n for n, ok in s["review"] if ok]
        review = sum(every) / len(every) if every else 0.0
        on_right = f"{len(right)} forms: {sum(right) / len(right):.2f} ({max(right)})" if right else "none"
        rows.append(
            f"| {variant} | {profile} | {t.forms} | {t.fields} | {t.right} ({t.accuracy:.2%}) | {t.wrong_silent} | "
            f"{t.wrong_flagged} | {review:.2f} | {on_right} | {s['named']}/{t.forms} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samples.variants.score", description=__doc__)
    parser.add_argument("part", type=Path, help="DIR/<part>, as python -m samples.variants wrote it")
    parser.add_argument("--profiles", default="", help="comma-separated (default: all in the part)")
    parser.add_argument("--errors", type=int, default=10, help="wrong, unflagged fields to list per row")
    args = parser.parse_args(argv)
    scores = score_part(args.part, [p for p in args.profiles.split(",") if p] or None)
    print(table(scores))
    for (variant, profile), s in sorted(scores.items()):
        for line in s["errors"][: args.errors]:
            print(f"  {variant} {profile}: {line[:220]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
