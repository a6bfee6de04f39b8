"""The whole flow for one file: pages -> grid -> forms -> records.

`extract_file` never raises for a bad input: it returns a FileResult whose
status and error say what happened, so a batch goes on past a bad file.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Literal

from extract.build import FormBuilder
from extract.document import Document, open_document
from extract.errors import ExtractError, NoFormFoundError
from extract.fields import read_fields
from extract.indicators import read_indicators
from extract.layout import PageLayout, page_to_layout
from extract.ocr.base import OcrEngine
from extract.page import PageContent
from extract.settings import Settings
from extract.split import split_forms
from extract.stitch import stitch
from extract.textlayer import has_usable_text, page_words, read_text_page
from extract.vocabulary import Vocabulary
from models import Record

EngineProvider = Callable[[], OcrEngine]


@dataclass
class FileResult:
    path: str
    sha256: str | None = None
    status: Literal["done", "failed"] = "done"
    records: list[Record] = field(default_factory=list)
    error: str | None = None
    error_code: int = 0  # the failure's exit code (errors.ExtractError.exit_code)
    warnings: list[str] = field(default_factory=list)
    pages: int = 0
    ocr_pages: int = 0
    timings: dict[str, float] = field(default_factory=dict)  # seconds by stage, whole file


@dataclass
class Extractor:
    """Holds what is built once per process: settings, vocabulary, OCR engine."""

    settings: Settings = field(default_factory=Settings)
    vocab: Vocabulary = field(default_factory=Vocabulary.load)
    engine_provider: EngineProvider | None = None
    _engine: OcrEngine | None = None

    def engine(self) -> OcrEngine:
        if self._engine is None:
            if self.engine_provider is None:
                from extract.ocr.registry import create_engine
                self._engine = create_engine(self.settings.ocr)
            else:
                self._engine = self.engine_provider()
        return self._engine

    # --- stages --------------------------------------------------------------

    def read_page(self, document: Document, index: int) -> PageContent:
        page = document.doc[index]
        start = time.perf_counter()
        words = page_words(page)
        if has_usable_text(words, page) and not self.settings.force_ocr:
            content = read_text_page(page, words)
            content.timings["read"] = time.perf_counter() - start
            return content
        from extract.scan import read_scanned_page
        return read_scanned_page(page, self.engine(), self.settings)

    def layouts(self, document: Document, result: FileResult) -> list[PageLayout]:
        layouts = []
        for index in range(document.page_count):
            content = self.read_page(document, index)
            layout = page_to_layout(content, self.settings.grid)
            layouts.append(layout)
            for stage, seconds in layout.timings.items():
                result.timings[stage] = result.timings.get(stage, 0.0) + seconds
        return layouts

    def records(self, document: Document, layouts: list[PageLayout], result: FileResult) -> list[Record]:
        start = time.perf_counter()
        regions = split_forms(layouts, self.vocab)
        if not regions:
            tables = sum(len(lay.tables) for lay in layouts)
            raise NoFormFoundError(
                f"{document.path}: no 财政项目支出绩效目标申报表 or 绩效自评表 title was found "
                f"({document.page_count} pages, {tables} ruled tables). Is this a performance form? "
                "If it is a scan, check that it is legible.")
        ocr_pages = {lay.number for lay in layouts if lay.kind == "ocr"}
        records = []
        name = Path(document.path).name
        review = self.settings.review
        building = 0.0
        for region in regions:
            table = stitch(region.tables)
            fields, labelled = read_fields(table, region.form_type, self.vocab, review.label_min_score)
            indicators = read_indicators(table, region.form_type, self.vocab, labelled,
                                         review.label_min_score)
            started = time.perf_counter()
            builder = FormBuilder(region, fields, indicators, self.vocab, review, ocr_pages)
            records.append(builder.record(name, document.sha256))
            building += time.perf_counter() - started
        # "forms": split, stitch, labels, indicator rows; "validate": vocabulary, values, rules.
        result.timings["forms"] = time.perf_counter() - start - building
        result.timings["validate"] = building
        return records

    def extract_file(self, path: str | Path, data: bytes | None = None) -> FileResult:
        """Every form in one file; a bad file gives a failed result, never an exception."""
        result = FileResult(str(path))
        start = time.perf_counter()
        try:
            document = open_document(path, data)
        except ExtractError as exc:
            result.status, result.error, result.error_code = "failed", exc.message, exc.exit_code
            return result
        result.sha256, result.pages = document.sha256, document.page_count
        if document.repaired:
            result.warnings.append(f"{path} was damaged and has been repaired on reading; "
                                   "check its records against the original")
        try:
            layouts = self.layouts(document, result)
            result.ocr_pages = sum(1 for lay in layouts if lay.kind == "ocr")
            result.records = self.records(document, layouts, result)
        except ExtractError as exc:
            result.status, result.error, result.error_code = "failed", exc.message, exc.exit_code
        except Exception as exc:  # noqa: BLE001 - a bug on one file must not sink a batch
            result.status, result.error_code = "failed", 70
            result.error = (f"internal error on {path}: {type(exc).__name__}: {exc}. "
                            "This is a bug; please report it with the file.")
        finally:
            document.close()
        result.timings["total"] = time.perf_counter() - start
        return result
