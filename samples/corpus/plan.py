"""Plan a part: which forms go into which file, printed how.

Everything a part will contain is drawn here, up front, from the part's seed:
records, layout options, print style, which forms start on a fresh page. The
build then only executes the plan, so the same part is the same corpus however
its printing is scheduled.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field

from models import Record
from samples.corpus.content import make_document
from samples.corpus.layout_common import LayoutOptions, draw_options
from samples.corpus.layouts import build_sheet
from samples.corpus.pools import pools_for
from samples.corpus.sheet import Sheet
from samples.corpus.style import PrintStyle, draw_style

# Fixed seeds: dev is for tuning; sealed is drawn from its own seed and pools
# and must never be used for tuning.
SEEDS = {"dev": 20260601, "sealed": 20261201}
PRINTERS = ("html", "xlsx", "docx")
DEFAULT_FORMS = {"dev": 40, "sealed": 40}


@dataclass
class DocPlan:
    """One output file before printing."""

    name: str
    printer: str
    records: list[Record]
    options: list[LayoutOptions]
    style: PrintStyle
    fresh: list[bool]  # per form: starts on a fresh page (the first always does)
    filler: str
    sheets: list[Sheet] = field(default_factory=list)

    def describe(self) -> dict:
        return {"style": self.style.as_dict(), "fresh_page": self.fresh, "layout": [asdict(o) for o in self.options]}


def printed_extras(rec: Record, opts: LayoutOptions) -> None:
    """Fill the contract's optional fields (schema 1.2) for what the layout prints.

    Guarded by the model's fields, so gold stays valid for a model without them.
    """
    fields = Record.model_fields
    if "reporting_unit" in fields and "unit" in opts.lines_above:
        rec.reporting_unit = rec.implementing_unit
    if "project_attribute" in fields and opts.checkbox_row:
        rec.project_attribute = opts.checkbox_ticked


def _forms_per_printer(n_forms: int, printers: list[str]) -> dict[str, int]:
    base, extra = divmod(n_forms, len(printers))
    return {p: base + (i < extra) for i, p in enumerate(printers)}


def plan_part(part: str, n_forms: int | None = None, printers: list[str] | tuple[str, ...] = PRINTERS) -> list[DocPlan]:
    """The files of a part, 1-3 forms each, split across the printers."""
    if part not in SEEDS:
        raise ValueError(f"unknown part {part!r}: dev or sealed")
    unknown = set(printers) - set(PRINTERS)
    if unknown:
        raise ValueError(f"unknown printers {sorted(unknown)}: choose from {PRINTERS}")
    rng = random.Random(SEEDS[part])
    pools = pools_for(part)
    plans: list[DocPlan] = []
    # Each printer draws from its own stream, so leaving a printer out does not
    # change what the others print.
    streams = {p: random.Random(rng.randrange(1 << 62)) for p in PRINTERS}
    for printer in printers:
        prng = streams[printer]
        left = _forms_per_printer(n_forms or DEFAULT_FORMS[part], list(printers))[printer]
        index = 0
        while left > 0:
            k = min(left, prng.choice((1, 2, 2, 3)))
            records = make_document(prng, part, pools, k)
            options = [draw_options(prng, r.form_type) for r in records]
            for rec, opts in zip(records, options):
                printed_extras(rec, opts)
            wide = any(r.form_type == "self_evaluation" for r in records)
            fresh = [True] + [prng.random() < 0.4 for _ in records[1:]]
            plan = DocPlan(
                name=f"{part}-{printer}-{index:03d}",
                printer=printer,
                records=records,
                options=options,
                style=draw_style(prng, wide),
                fresh=fresh,
                filler=prng.choice(pools.fillers),
            )
            plan.sheets = [build_sheet(r, o, plan.filler) for r, o in zip(records, options)]
            plans.append(plan)
            left -= k
            index += 1
    return plans
