"""One settings model, passed down from the CLI edge; no module-level state."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class GridSettings:
    """Tolerances for turning ruling lines into cells, in points."""

    snap: float = 2.0  # rules closer than this are the same line
    join: float = 3.0  # collinear pieces with a gap below this are one rule
    min_rule_length: float = 4.0
    min_cover: float = 0.6  # share of a cell edge that must be drawn to count
    min_table_width: float = 20.0
    min_table_height: float = 8.0  # one ruled row is a table (the last row of a form)

    def __post_init__(self) -> None:
        if self.snap <= 0 or self.join < 0 or not 0 < self.min_cover <= 1:
            raise ValueError("grid tolerances must be positive and min_cover in (0, 1]")


@dataclass(frozen=True)
class ReviewSettings:
    """When a field goes into `review`."""

    # Confidence under which a field is flagged: chosen on 8,784 scanned fields
    # (benchmarks/threshold_sweep.py): 0.85 catches all 25 wrong ones, with
    # 1.9% of right fields flagged; 0.80 missed one (1.7% flagged).
    flag_below: float = 0.85
    fuzzy_min_score: float = 0.84  # vocabulary matches below this stay unmapped
    label_min_score: float = 0.80  # printed labels below this are not labels


@dataclass(frozen=True)
class OcrSettings:
    engine: str = "rapidocr"
    dpi: int = 200
    model_dir: str | None = None  # for engines that run model folders given by path
    threads: int = 0  # inference threads per engine; 0: all cores (one worker)


@dataclass(frozen=True)
class Settings:
    grid: GridSettings = field(default_factory=GridSettings)
    review: ReviewSettings = field(default_factory=ReviewSettings)
    ocr: OcrSettings = field(default_factory=OcrSettings)
    force_ocr: bool = False  # OCR every page even where a text layer exists
