"""Regional variant forms with gold records, printed by programs the extractor did not grow up with.

Every province prints the two forms its own way; each printing is a form
definition under models/forms/. This package writes filled forms of the four
packaged variants (shanghai, anhui, sichuan, hunan: one module each, the
column structures from real filings, the content invented here) and, as a
negative case, a budget disclosure's multi-project 项目支出绩效目标表 the
extractor must refuse. Forms are Sheets printed, located and scanned by
samples/corpus; each document NAME.pdf has NAME.gold.jsonl beside it, one
models.Record a line, with `variant` set and the fields printed empty by design
in its `review`; manifest.json also lists the fields printed blank (null, and
never to be flagged) and the multi-year projects.

Two parts, as samples/corpus has:
  dev     seed 20260611, pools_dev.py: for looking at failures and tuning the definitions.
  sealed  seed 20261211, pools_sealed.py: disjoint regions, agencies, units, topics,
          invented indicator names and sentences, and the other half of the
          vocabulary's names. Score it once, after all tuning; never tune on it.

    python -m samples.variants --part dev --out out/variants
    build_part("dev", Path("out/variants"), profiles=("text", "office"), n_forms=2)
    python -m samples.variants.score out/variants/dev   # per variant: right, wrong unflagged, review
"""

from samples.variants.build import PROFILES, build_part
from samples.variants.plan import PRINTERS, SEEDS, VARIANTS

__all__ = ["PRINTERS", "PROFILES", "SEEDS", "VARIANTS", "build_part"]
