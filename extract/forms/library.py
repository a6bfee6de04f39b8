"""The form definitions, ready to read with: titles compiled, labels keyed, variants told apart.

A form is recognised by title and structure together: the title names the form
type when it is printed and legible (above the grid or inside it, with a
county prefix or the year on the same line); the labels found in the grid say
which variant of that type it is, and name the type when the title is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from extract.errors import FormDefinitionError
from extract.normalize.labels import Label, LabelSet, label_key
from extract.normalize.text import fold
from models.forms import DefinitionError, FormDefinition, load_definitions

# What a title line may carry around the form's name: the year, the project level, a serial.
_TITLE_NOISE = re.compile(r"[(（]?\s*\d{4}\s*年度?\s*[)）]?|[(（](一级项目|二级项目|项目|部门)[)）]|[\s:：]+$")
MAX_TITLE_CHARS = 40  # longer lines are sentences that happen to mention a form


@dataclass
class FormSpec:
    """One definition with its labels keyed for matching."""

    definition: FormDefinition
    labels: LabelSet
    titles: list[re.Pattern[str]]
    signature: set[str]
    title_cores: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.definition.id

    @property
    def form_type(self) -> str:
        return self.definition.form_type


def _labels(definition: FormDefinition) -> list[Label]:
    out: list[Label] = []
    for path, spec in definition.fields.items():
        out += [Label(path, text, "field", spec.at, spec.occurrence) for text in spec.labels]
    if definition.funds is not None:
        for line, spec in definition.funds.lines.items():
            out += [Label(f"funds.{line}", text, "funds_line", spec.at, spec.occurrence) for text in spec.labels]
        for column, texts in definition.funds.columns.items():
            out += [Label(column, text, "funds_column") for text in texts]
    if definition.indicators is not None:
        for column, texts in definition.indicators.columns.items():
            out += [Label(column, text, "column") for text in texts]
        out += [Label("total", text, "total") for text in definition.indicators.totals]
        for table, texts in definition.indicators.tables.items():
            out += [Label(table, text, "table") for text in texts]
    out += [Label(None, text, "structure") for text in definition.structure]
    return out


def _learned_labels(definition: FormDefinition, learned: list[dict]) -> list[Label]:
    """Labels reviewers taught (a printed label -> the field it names), for this form type or all."""
    out = []
    for alias in learned:
        if alias.get("kind") != "label" or alias.get("form_type") not in (None, definition.form_type):
            continue
        spec = definition.fields.get(alias["canonical"])
        if spec is not None:
            out.append(Label(alias["canonical"], alias["printed"], "field", spec.at, spec.occurrence))
    return out


def _core(pattern: str) -> str:
    """The literal name in a title pattern ('绩效自评表$' -> '绩效自评表'), for fuzzy matching."""
    return re.sub(r"[\^$\\.*+?()\[\]{}|]", "", pattern)


class FormLibrary:
    """Every known form definition; `extra_dirs` are a user's own folders of definitions."""

    def __init__(self, definitions: list[FormDefinition], learned: list[dict] | None = None) -> None:
        self.specs = [
            FormSpec(
                d,
                LabelSet(_labels(d) + _learned_labels(d, learned or [])),
                [re.compile(t) for t in d.titles],
                {label_key(s) for s in d.signature},
                [_core(t) for t in d.titles],
            )
            for d in definitions
        ]
        self.by_id = {spec.id: spec for spec in self.specs}
        # Block headings (项目绩效目标) are never titles, however close to one they read.
        self.headings = {label_key(text) for d in definitions for text in d.structure}

    @classmethod
    def load(cls, extra_dirs: tuple[str | Path, ...] = (), learned: list[dict] | None = None) -> FormLibrary:
        try:
            return cls(load_definitions(extra_dirs), learned)
        except DefinitionError as exc:
            raise FormDefinitionError(f"{exc}. Fix the file, or leave its folder out of --definitions.") from None

    def base(self, form_type: str) -> FormSpec:
        return self.by_id.get(f"{form_type}/base") or next(s for s in self.specs if s.form_type == form_type)

    def title_type(self, text: str, min_score: float) -> tuple[str, float] | None:
        """The form type a printed title line names, and how sure (1.0: exact), or None."""
        key = _TITLE_NOISE.sub("", fold(text))
        if len(key) < 4 or len(key) > MAX_TITLE_CHARS or label_key(text) in self.headings:
            return None
        best: tuple[str, float] | None = None
        for spec in self.specs:
            for pattern, core in zip(spec.titles, spec.title_cores):
                if pattern.search(key):
                    score = 1.0
                elif len(key) >= len(core):
                    # An OCR slip in the name itself: compare the line's end with it.
                    score = fuzz.ratio(key[-len(core) :], core) / 100.0
                else:
                    continue
                if score >= min_score and (best is None or score > best[1]):
                    best = (spec.form_type, score)
        return best

    def form_type_of(self, cell_texts: list[str], min_labels: int = 3) -> str | None:
        """The form type whose field labels a table carries most (at least `min_labels`), or None.

        For a form whose title did not print or was lost to a bad scan.
        """
        keys = {label_key(text) for text in cell_texts}
        hits: dict[str, set[str]] = {}
        for spec in self.specs:
            own = {lab.key for lab in spec.labels.labels if lab.role in ("field", "funds_line", "funds_column")}
            hits.setdefault(spec.form_type, set()).update(own & keys)
        ranked = sorted(hits.items(), key=lambda kv: len(kv[1]), reverse=True)
        if not ranked or len(ranked[0][1]) < min_labels or (len(ranked) > 1 and len(ranked[1][1]) == len(ranked[0][1])):
            return None
        return ranked[0][0]

    def choose(self, form_type: str, cell_texts: list[str], title: str | None, title_in_grid: bool = False) -> FormSpec:
        """The variant of `form_type` whose signature this form carries best.

        A variant is chosen when more than half of its signature is on the
        form (its labels, and where the title is printed); otherwise the
        type's base definition. Ties go to the variant whose own title
        pattern the title line matches.
        """
        keys = {label_key(text) for text in cell_texts}
        title_key = _TITLE_NOISE.sub("", fold(title)) if title else ""
        best, best_score = self.base(form_type), 0.5
        for spec in self.specs:
            hint = spec.definition.title_in_grid
            size = len(spec.signature) + (hint is not None)
            if spec.form_type != form_type or not size:
                continue
            score = (len(spec.signature & keys) + (hint is not None and hint == title_in_grid)) / size
            if title_key and any(p.search(title_key) for p in spec.titles):
                score += 0.01
            if score > best_score:
                best, best_score = spec, score
        return best
