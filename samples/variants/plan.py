"""Plan a part: which variant forms go into which file, printed by which printer, in which style.

Everything is drawn up front from the part's seed. Each (variant, printer)
pair draws from a stream of its own, so a smaller part (the test's) is the
first files of a larger one (the figures'), and leaving a printer out does not
change what the others print.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from types import ModuleType

from samples.corpus.plan import DocPlan
from samples.corpus.style import PrintStyle, draw_style
from samples.variants import anhui, disclosure, hunan, shanghai, sichuan
from samples.variants.common import Form
from samples.variants.pools import pools_for
from samples.variants.rules import breaches

# Fixed seeds: dev is for tuning the definitions; sealed is drawn from its own seed
# and pools and is scored once, after all tuning, and never tuned on.
SEEDS = {"dev": 20260611, "sealed": 20261211}
PRINTERS = ("html", "xlsx", "docx")
VARIANTS: dict[str, ModuleType] = {
    shanghai.VARIANT: shanghai,
    anhui.VARIANT: anhui,
    sichuan.VARIANT: sichuan,
    hunan.VARIANT: hunan,
}
DISCLOSURE = "disclosure"
DEFAULT_FORMS = 12  # per variant and printer, for the figures


def short_name(variant: str) -> str:
    """'target_declaration/shanghai-2026' -> 'shanghai-2026'."""
    return variant.rsplit("/", 1)[-1]


@dataclass
class VariantDoc:
    """One output file: forms of one variant (or the disclosure table), printed by one printer."""

    variant: str
    plan: DocPlan  # what samples/corpus prints from: sheets, style, fresh pages
    forms: list[Form] = field(default_factory=list)  # empty for the disclosure table

    @property
    def name(self) -> str:
        return self.plan.name

    @property
    def printer(self) -> str:
        return self.plan.printer


def _style(rng: random.Random, variant: str) -> PrintStyle:
    style = draw_style(rng, forms_wide=variant.startswith("self_evaluation"))
    if variant in (sichuan.VARIANT, DISCLOSURE):
        style.landscape = True  # ten columns: printed landscape, as filed
    return style


def _variant_docs(part: str, variant: str, printer: str, n_forms: int) -> list[VariantDoc]:
    rng = random.Random(f"{SEEDS[part]}:{variant}:{printer}")
    module, pools = VARIANTS[variant], pools_for(part)
    docs: list[VariantDoc] = []
    left = n_forms
    while left > 0:
        k = min(left, rng.choice((1, 2, 2)))
        drawn = n_forms - left
        forms = [module.draw(rng, part, pools, set(), drawn + i) for i in range(k)]
        for form in forms:
            problems = breaches(form.record, multi_year=form.multi_year, empty_level1=bool(form.flags))
            if problems:
                raise AssertionError(f"generated gold breaks the contract: {problems}")
        names = [f.record.project_name or "" for f in forms]
        if len(forms) == 2 and (names[0] in names[1] or names[1] in names[0]):
            continue
        thousands = rng.random() < 0.5
        sheets = [module.sheet(f, thousands) for f in forms]
        fresh = [True] + [rng.random() < 0.5 for _ in forms[1:]]
        name = f"{short_name(variant)}-{printer}-{len(docs):03d}"
        plan = DocPlan(
            name, printer, [f.record for f in forms], [f.opts for f in forms], _style(rng, variant), fresh, ""
        )
        plan.sheets = sheets
        docs.append(VariantDoc(variant, plan, forms))
        left -= k
    return docs


def _disclosure_doc(part: str, printer: str) -> VariantDoc:
    rng = random.Random(f"{SEEDS[part]}:{DISCLOSURE}:{printer}")
    projects, year = disclosure.draw(rng, part, pools_for(part))
    plan = DocPlan(f"{DISCLOSURE}-{printer}-000", printer, [], [], _style(rng, DISCLOSURE), [True], "")
    plan.sheets = [disclosure.sheet(projects, year)]
    return VariantDoc(DISCLOSURE, plan)


def plan_part(
    part: str,
    n_forms: int | None = None,
    printers: list[str] | tuple[str, ...] = PRINTERS,
    variants: list[str] | tuple[str, ...] = tuple(VARIANTS),
) -> list[VariantDoc]:
    """Every file of a part: `n_forms` forms of each variant per printer, and one disclosure table a printer."""
    if part not in SEEDS:
        raise ValueError(f"unknown part {part!r}: dev or sealed")
    unknown = (set(printers) - set(PRINTERS)) | (set(variants) - set(VARIANTS))
    if unknown:
        raise ValueError(f"unknown printers or variants {sorted(unknown)}")
    docs: list[VariantDoc] = []
    for variant in variants:
        for printer in printers:
            docs += _variant_docs(part, variant, printer, n_forms or DEFAULT_FORMS)
    return docs + [_disclosure_doc(part, printer) for printer in printers]
