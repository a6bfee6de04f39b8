"""Generate the committed samples, or unseen variants, with their gold records.

    python -m samples.generate            # rewrite samples/text/ from the seeds
    python -m samples.generate --unseen 20 --out /tmp/unseen --seed 7
    python -m samples.generate --scans clean,office,poor     # and samples/scans/GRADE/

Each PDF sits beside `NAME.gold.jsonl`: one gold record per form, in order.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from pathlib import Path

from models import Record, Source
from samples.degrade import GRADES, degrade_pdf
from samples.gold import seed_documents, unseen_record
from samples.render import Style, render_document

SAMPLES_DIR = Path(__file__).resolve().parent


def write_document(out_dir: Path, name: str, records: list[Record], style: Style, cover: str | None = None) -> Path:
    """Render a document and write it with its gold records; returns the PDF path."""
    drawn: list[dict] = []
    data, spans = render_document(records, style, cover, drawn)
    sha = hashlib.sha256(data).hexdigest()
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf = out_dir / f"{name}.pdf"
    pdf.write_bytes(data)
    # Every printed cell (page, text, box): the table-layer benchmark's gold cells.
    (out_dir / f"{name}.cells.json").write_text(json.dumps(drawn, ensure_ascii=False), encoding="utf-8")
    for rec, pages in zip(records, spans):
        rec.source = Source(file=pdf.name, sha256=sha, pages=pages)
    (out_dir / f"{name}.gold.jsonl").write_text(
        "".join(rec.model_dump_json() + "\n" for rec in records), encoding="utf-8"
    )
    return pdf


def write_scans(text_pdfs: list[Path], out_dir: Path, grades: list[str], seed: int) -> list[Path]:
    """Image-only scans of text-layer PDFs, one folder a grade, with their gold records.

    The gold is the text PDF's, with the scan's own hash: a scan says the same.
    """
    paths = []
    for grade_name in grades:
        folder = out_dir / grade_name
        folder.mkdir(parents=True, exist_ok=True)
        for i, pdf in enumerate(text_pdfs):
            data = degrade_pdf(pdf.read_bytes(), GRADES[grade_name], seed + i)
            target = folder / pdf.name
            target.write_bytes(data)
            sha = hashlib.sha256(data).hexdigest()
            gold = pdf.with_suffix("").with_suffix(".gold.jsonl")
            records = [
                Record.model_validate_json(line)
                for line in gold.read_text(encoding="utf-8").splitlines()
                if line.strip()
            ]
            for rec in records:
                rec.source = rec.source.model_copy(update={"sha256": sha})
            (folder / gold.name).write_text("".join(r.model_dump_json() + "\n" for r in records), encoding="utf-8")
            paths.append(target)
    return paths


# The base CJK fonts (not embedded) print Latin digits full-width, spaced out;
# scans of those are a harder, rarer case, so scan variants draw from the
# embedded font unless asked otherwise.
ALL_FONTS = ("embedded", "china-s", "china-ss")


def random_style(rng: random.Random, fonts: tuple[str, ...] = ALL_FONTS) -> Style:
    return Style(
        font=rng.choice(fonts),
        font_size=rng.choice([8.5, 9.0, 9.5, 10.0]),
        rule_style=rng.choice(["line", "thin_rect"]),
        rule_width=rng.choice([0.4, 0.6, 0.8, 1.0]),
        width_jitter=[rng.uniform(0.9, 1.12) for _ in range(8)],
        thousands=rng.random() < 0.7,
        cut_text=rng.choice(["first", "tallest"]),
        cell_padding=rng.choice([2.5, 3.0, 4.0, 6.0]),
    )


def unseen_documents(out_dir: Path, n_forms: int, seed: int, fonts: tuple[str, ...] = ALL_FONTS) -> list[Path]:
    """Documents of 1-3 unseen forms each, until n_forms forms are written."""
    rng = random.Random(seed)
    paths, made = [], 0
    while made < n_forms:
        count = min(rng.randint(1, 3), n_forms - made)
        records = [unseen_record(rng, rng.choice(["target_declaration", "self_evaluation"])) for _ in range(count)]
        paths.append(write_document(out_dir, f"unseen_{seed}_{len(paths):03d}", records, random_style(rng, fonts)))
        made += count
    return paths


# The declarations draw their rules as thin filled rectangles, in a larger
# type that pushes some forms onto a second page; the self-evaluations stroke
# their rules and print a cut cell's text in its tallest part.
SEED_STYLES = {
    "seed_000_declarations": Style(font_size=12.0, rule_style="thin_rect", rule_width=0.8, cell_padding=6.0),
    "seed_003_self_evaluations": Style(font_size=10.5, cut_text="tallest"),
}


def seed_samples(out_dir: Path) -> list[Path]:
    paths = []
    for name, (cover, records) in seed_documents().items():
        paths.append(write_document(out_dir, name, records, SEED_STYLES[name], cover))
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: samples/text)")
    parser.add_argument("--unseen", type=int, default=0, metavar="N", help="make N unseen forms instead")
    parser.add_argument("--seed", type=int, default=1, help="random seed for unseen forms and scans")
    parser.add_argument(
        "--scans",
        default=None,
        metavar="GRADES",
        help="also degrade the PDFs into image-only scans of these grades "
        f"(comma-separated: {', '.join(GRADES)}), one folder each",
    )
    args = parser.parse_args(argv)
    grades = [g for g in (args.scans or "").split(",") if g]
    if args.unseen:
        out = args.out or Path("unseen")
        fonts = ("embedded",) if grades else ALL_FONTS
        paths = unseen_documents(out / "text" if grades else out, args.unseen, args.seed, fonts)
        if grades:
            paths += write_scans(paths, out / "scans", grades, args.seed)
    else:
        paths = seed_samples(args.out or SAMPLES_DIR / "text")
        if grades:
            paths += write_scans(paths, (args.out or SAMPLES_DIR) / "scans", grades, args.seed)
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
