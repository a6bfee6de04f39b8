"""A labelled test corpus printed by programs the extractor did not grow up with.

samples/render.py draws every committed sample itself; real filings come out of
browsers, spreadsheets and word processors. This package describes each form
once as a printer-independent Sheet (sheet.py, layouts.py), prints it three
ways (HTML+CSS through headless Chromium, XLSX through LibreOffice Calc, DOCX
through LibreOffice Writer), reads each form's real pages off the printed PDF
(locate.py) and scans the PDFs under four profiles (scan.py). Every document
NAME.pdf / NAME.tif has NAME.gold.jsonl beside it, one models.Record a line.

Two parts:
  dev     seed 20260601, pools_dev.py: for looking at failures and tuning.
  sealed  seed 20261201, pools_sealed.py: disjoint regions, departments, units,
          project topics, invented indicator names, sentences, and the other
          half of the vocabulary's names, with its own layout and style draws.
          Nothing tuned on dev has seen it; keep it that way by never tuning on it.

    python -m samples.corpus --part dev --out out/corpus
    build_part("dev", Path("out/corpus"), profiles=("text", "office"), n_forms=6)
"""

from samples.corpus.build import PROFILES, build_part
from samples.corpus.plan import PRINTERS, SEEDS

__all__ = ["PRINTERS", "PROFILES", "SEEDS", "build_part"]
