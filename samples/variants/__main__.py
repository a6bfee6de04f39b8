"""CLI: python -m samples.variants --out DIR [--part dev|sealed] [options]."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from samples.variants.build import PROFILES, build_part
from samples.variants.plan import DEFAULT_FORMS, PRINTERS, VARIANTS


def _list(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samples.variants", description=__doc__)
    parser.add_argument("--part", choices=("dev", "sealed"), default="dev")
    parser.add_argument("--out", type=Path, required=True, help="writes OUT/<part>/...")
    parser.add_argument(
        "--profiles", type=_list, default=["text", "office"], help=f"comma-separated, from {','.join(PROFILES)}"
    )
    parser.add_argument(
        "--forms", type=int, default=DEFAULT_FORMS, help=f"forms per variant and printer (default {DEFAULT_FORMS})"
    )
    parser.add_argument("--printers", type=_list, default=list(PRINTERS), help=f"from {','.join(PRINTERS)}")
    parser.add_argument("--variants", type=_list, default=list(VARIANTS), help="definition ids (default: all four)")
    parser.add_argument("--workers", type=int, default=None, help="scan processes (default: cores)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        written = build_part(args.part, args.out, args.profiles, args.forms, args.printers, args.variants, args.workers)
    except ValueError as exc:
        parser.error(str(exc))
    manifest = json.loads((args.out / args.part / "manifest.json").read_text(encoding="utf-8"))
    print(
        f"{args.part}: {manifest['forms']} forms, {len(written)} documents in "
        f"{time.perf_counter() - started:.0f} s ({manifest['seconds']}) -> {args.out / args.part}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
