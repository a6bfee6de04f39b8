"""One settings model, passed down from the CLI edge; no module-level state.

Every tunable the data decides lives here, grouped by the stage that uses it,
with its default and a check in `__post_init__`, so a bad value fails where it
is set rather than deep inside a stage.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


@dataclass(frozen=True)
class GridSettings:
    """Tolerances for turning ruling lines into cells, in points."""

    snap: float = 2.0  # rules closer than this are the same line
    join: float = 3.0  # collinear pieces with a gap below this are one rule
    min_rule_length: float = 4.0
    min_cover: float = 0.6  # share of a cell edge that must be drawn to count
    min_table_width: float = 20.0
    min_table_height: float = 8.0  # one ruled row is a table (the last row of a form)
    open_edge_min: float = 6.0  # side rules running this far past the outer rule: an undrawn edge

    def __post_init__(self) -> None:
        _check(
            self.snap > 0 and self.join >= 0 and 0 < self.min_cover <= 1,
            "grid tolerances must be positive and min_cover in (0, 1]",
        )


@dataclass(frozen=True)
class TextLayerSettings:
    """When a PDF page's own text is trusted over OCR, and what counts as a rule."""

    thin_rect: float = 2.5  # a filled rectangle thinner than this (points) is a ruling line
    # A page mostly covered by an image needs this many readable characters for
    # its text layer to be trusted (a scan may carry a few stray glyphs).
    min_text_chars_on_image: int = 20
    image_cover: float = 0.5

    def __post_init__(self) -> None:
        _check(
            self.thin_rect > 0 and self.min_text_chars_on_image >= 0 and 0 < self.image_cover <= 1,
            "text-layer thresholds must be positive and image_cover in (0, 1]",
        )


@dataclass(frozen=True)
class ScanSettings:
    """Finding rules and lines of ink in a page image (sizes in points unless named _px)."""

    rule_min_pt: float = 15.0  # shortest ruling found in an image
    line_min_pt: float = 1.2  # a band of ink thinner than this is noise ('。' alone is ~2 pt)
    cell_inset_pt: float = 2.0  # keep clear of the cell's own rules
    crop_margin_px: int = 3
    small_mark: float = 0.45  # a line of ink under this share of the text height is a lone mark
    ink_ratio: float = 0.6  # a pixel darker than this share of the paper around it is ink
    ink_share: float = 0.45  # ... or darker than this share of the page's ink level (faded print)
    rule_darkness: float = 0.02  # a rule's darkness (1 - grey / paper), smoothed, stays above this along it
    rule_pen_share: float = 0.2  # a rule reaches this share of the darkness of the page's long rules
    rule_clear_share: float = 0.4  # darkness beside a rule stays under this share of its own (text does not)
    rule_along_pt: float = 3.2  # rules are smoothed along their length over this much
    rule_max_thickness_pt: float = 4.0  # a rule, blurred (or a double rule), is never thicker
    rule_join_pt: float = 7.0  # collinear pieces of a rule broken by less than this are one rule
    max_skew: float = 3.0  # degrees searched either way when straightening
    # A page with no ink is blank and costs no OCR: seen at blank_dpi, a pixel under blank_dark of
    # the paper is ink, and under blank_max_share of the pixels being ink the page is blank.
    blank_dpi: int = 40
    blank_dark: float = 0.9
    blank_max_share: float = 0.0001

    def __post_init__(self) -> None:
        _check(
            10 <= self.blank_dpi <= 150 and 0 < self.blank_dark < 1 and 0 <= self.blank_max_share < 0.01,
            "blank_dpi must lie in [10, 150], blank_dark in (0, 1), blank_max_share in [0, 0.01)",
        )
        _check(self.rule_min_pt > 0 and self.line_min_pt > 0 and self.cell_inset_pt >= 0, "scan sizes must be positive")
        _check(
            self.rule_along_pt > 0 and self.rule_max_thickness_pt > 0 and self.rule_join_pt >= 0,
            "rule sizes must be positive",
        )
        _check(
            0 < self.ink_ratio < 1
            and 0 < self.ink_share < 1
            and 0 < self.rule_darkness < 1
            and 0 < self.rule_pen_share <= 1
            and 0 < self.rule_clear_share < 1
            and 0 < self.small_mark < 1,
            "scan ratios must lie in (0, 1)",
        )
        _check(0 <= self.max_skew <= 10, "max_skew must lie in [0, 10] degrees")


@dataclass(frozen=True)
class FormSettings:
    """Finding forms, their labels and their columns."""

    title_min_score: float = 0.8  # a text line this close to a printed title opens a form
    label_min_score: float = 0.80  # printed labels below this are not labels
    column_snap: float = 4.0  # points: rulings this close in different parts are one column edge
    # Folders of the user's own form definitions (YAML), read after the packaged ones (docs/variants.md).
    definition_dirs: tuple[str, ...] = ()
    # Aliases reviewers saved (DIR/vocabulary.user.json beside a store): read after the packaged vocabulary.
    learned_vocabulary: str | None = None

    def __post_init__(self) -> None:
        _check(
            0 < self.title_min_score <= 1 and 0 < self.label_min_score <= 1, "title and label scores must lie in (0, 1]"
        )
        _check(self.column_snap > 0, "column_snap must be positive")


@dataclass(frozen=True)
class ConfidenceSettings:
    """What each kind of doubt does to a field's confidence (the lower, the surer a flag)."""

    broken_rule: float = 0.4  # the field takes part in a rule of the contract that does not hold
    unmapped: float = 0.5  # an indicator name the vocabulary does not know
    bad_shape: float = 0.3  # the value does not have its column's shape
    repaired: float = 0.6  # a value the contract's sums corrected
    fuzzy_cap: float = 0.75  # a name mapped by an OCR-sized slip
    doubt_below: float = 0.9  # OCR or label scores under this are given as the reason

    def __post_init__(self) -> None:
        values = (self.broken_rule, self.unmapped, self.bad_shape, self.repaired, self.fuzzy_cap, self.doubt_below)
        _check(all(0 <= v <= 1 for v in values), "confidence penalties must lie in [0, 1]")


@dataclass(frozen=True)
class ReviewSettings:
    """When a field goes into `review`."""

    # Calibrated confidence under which a field is flagged, chosen on the development corpus's
    # office scans with the per-family curves (benchmarks/corpus-figures.md, 2026-12-02): at 0.88
    # no wrong field of 8,278 passes unflagged and 4.3% of right fields are flagged; 0.85 let one
    # pass (3.9%); 0.90 flags 5.0% for nothing more caught.
    flag_below: float = 0.88
    fuzzy_min_score: float = 0.84  # vocabulary matches below this stay unmapped
    calibrate: bool = True  # map raw confidence through the fitted curves (models/calibration/)

    def __post_init__(self) -> None:
        _check(0 < self.flag_below <= 1 and 0 < self.fuzzy_min_score <= 1, "review thresholds must lie in (0, 1]")


@dataclass(frozen=True)
class OcrSettings:
    engine: str = "rapidocr"
    dpi: int = 200
    model_dir: str | None = None  # for engines that run model folders given by path
    threads: int = 0  # inference threads per engine; 0: all cores (one worker)
    dropped_character_score: float = 0.5  # the score of a character the recogniser skipped
    wide_gap: float = 1.6  # a step between full-width characters this many times the usual one
    # Ink this far (in the line's ink heights) before the first or after the last character read:
    # a character the recogniser skipped (a first 一 is read as nothing at full confidence).
    lead_em: float = 0.65
    trail_em: float = 1.1
    device: str = "cpu"  # cpu, or cuda: rapidocr's models on ONNX Runtime's CUDA provider (onnxruntime-gpu)

    def __post_init__(self) -> None:
        _check(50 <= self.dpi <= 1200, f"dpi {self.dpi} is out of range; use 150-400")
        _check(self.threads >= 0, "threads must be 0 (all cores) or more")
        _check(self.device in ("cpu", "cuda"), f"device {self.device!r}: choose cpu or cuda")

    def page_threads(self) -> int:
        """The threads one worker's page work (OpenCV, the rule finder) may use: its share of the
        cores (`threads`), or all of them where it is the only worker (0)."""
        return self.threads if self.threads > 0 else max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class LimitSettings:
    """What one input may cost; past a limit that input fails with the reason and the batch goes on.

    Pages, pixels and bytes are checked before anything is decoded. The timeouts and the memory
    cap hold where files are read in worker processes (`ingest`, `extract`); 0 turns one off.
    """

    max_pages: int = 5000  # pages of one file (a /Count that lies is caught too)
    max_megapixels: float = 100.0  # a page image at the OCR dpi, or an image in the file, before decoding
    page_timeout: float = 120.0  # seconds one page may take (a scanned page takes ~3)
    file_timeout: float = 3600.0  # seconds one file may take
    max_memory_mb: int = 4096  # memory of its own one worker holds (0.2 GB on text, up to ~1.5 GB after dense scans)
    max_file_mb: int = 512  # bytes of one input: a file, or a zip member once inflated
    max_zip_ratio: float = 200.0  # inflated/compressed bytes of a zip member, judged past 32 MiB
    max_archive_mb: int = 20480  # bytes one zip archive inflates to in all (nested ones included)
    max_zip_depth: int = 3  # zip archives inside zip archives
    keep_mb: int = 256  # zip members held in memory between hashing and reading (beyond: read again)

    def __post_init__(self) -> None:
        _check(self.max_pages >= 1, "max_pages (--max-pages) must be at least 1")
        _check(self.max_megapixels > 0, "max_megapixels (--max-pixels) must be positive")
        _check(
            self.page_timeout >= 0 and self.file_timeout >= 0,
            "timeouts (--page-timeout, --file-timeout) must be 0 (off) or positive",
        )
        _check(
            self.max_memory_mb == 0 or self.max_memory_mb >= 256,
            "max_memory_mb (--max-memory) must be 0 (off) or at least 256: a worker needs that much to start",
        )
        _check(
            self.max_file_mb >= 1 and self.max_archive_mb >= self.max_file_mb and self.max_zip_ratio > 1,
            "max_file_mb (--max-file-size) must be at least 1, max_archive_mb at least max_file_mb, "
            "max_zip_ratio over 1",
        )
        _check(0 <= self.max_zip_depth <= 16 and self.keep_mb >= 0, "max_zip_depth must lie in [0, 16]")


@dataclass(frozen=True)
class Settings:
    grid: GridSettings = field(default_factory=GridSettings)
    text_layer: TextLayerSettings = field(default_factory=TextLayerSettings)
    scan: ScanSettings = field(default_factory=ScanSettings)
    forms: FormSettings = field(default_factory=FormSettings)
    confidence: ConfidenceSettings = field(default_factory=ConfidenceSettings)
    review: ReviewSettings = field(default_factory=ReviewSettings)
    ocr: OcrSettings = field(default_factory=OcrSettings)
    limits: LimitSettings = field(default_factory=LimitSettings)
    force_ocr: bool = False  # OCR every page even where a text layer exists
