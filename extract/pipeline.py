"""The whole flow for one file: pages -> grid -> forms -> records.

`Extractor.extract_file` never raises for a bad input: it returns a FileResult
whose status and error say what happened, so a batch goes on past a bad file.
Each stage's seconds are recorded on the result (`FileResult.timed`).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from extract.datamodel.page import PageLayout
from extract.datamodel.result import FileResult
from extract.errors import ExitCode, ExtractError, InputFileError, NoFormFoundError
from extract.forms.indicators import read_indicators
from extract.forms.labels import multi_project_header, read_fields
from extract.forms.library import FormLibrary
from extract.forms.split import split_forms
from extract.forms.stitch import stitch
from extract.grid.layout import page_to_layout
from extract.grid.rules import find_tables
from extract.normalize.vocabulary import Vocabulary, learned_aliases
from extract.read.document import Document, open_document, page_problem
from extract.read.textlayer import has_usable_text, page_words, read_text_page
from extract.record.build import FormBuilder
from extract.record.calibrate import Calibration
from extract.settings import Settings
from models import Record, ReviewItem

if TYPE_CHECKING:  # a text-layer file never loads the OCR stack (numpy, OpenCV, the engine)
    from extract.ocr.base import OcrEngine

log = logging.getLogger(__name__)

EngineProvider = Callable[[], "OcrEngine"]
DAMAGED_CONFIDENCE = 0.5  # of the record-level review item on a repaired or partly read file


@dataclass
class Extractor:
    """Holds what is built once per process: settings, vocabulary, OCR engine."""

    settings: Settings = field(default_factory=Settings)
    vocab: Vocabulary | None = None  # the packaged vocabulary and the learned aliases, when not given
    engine_provider: EngineProvider | None = None
    library: FormLibrary | None = None  # the form definitions; loaded from settings when not given
    calibration: Calibration = field(default_factory=Calibration.load)  # raw -> calibrated confidence
    on_page: Callable[[int, int], None] | None = None  # told (page, pages) as each page starts: a worker's progress
    _engine: OcrEngine | None = None

    def __post_init__(self) -> None:
        learned = learned_aliases(self.settings.forms.learned_vocabulary)
        if self.vocab is None:
            self.vocab = Vocabulary.load(learned)
        if self.library is None:
            self.library = FormLibrary.load(self.settings.forms.definition_dirs, learned)

    def engine(self) -> OcrEngine:
        if self._engine is None:
            if self.engine_provider is None:
                from extract.ocr.registry import create_engine

                self._engine = create_engine(self.settings.ocr)
            else:
                self._engine = self.engine_provider()
        return self._engine

    # --- stages --------------------------------------------------------------

    def page_layout(self, document: Document, index: int, result: FileResult) -> PageLayout:
        """One page read (text layer, or a scan's image) and turned into tables and lines."""
        page = document.doc[index]
        with result.timed("read"):
            words = page_words(page)
            text_page = has_usable_text(words, page, self.settings.text_layer) and not self.settings.force_ocr
            content = read_text_page(page, self.settings.text_layer, words) if text_page else None
        if content is not None:
            with result.timed("grid"):
                return page_to_layout(content, self.settings.grid)
        return self._scanned_layout(page, result)

    def _scanned_layout(self, page, result: FileResult) -> PageLayout:
        from extract.read.blank import blank_layout, is_blank
        from extract.read.guard import check_page_images, check_page_render
        from extract.read.imaging import render_without_seals
        from extract.read.scan import prepare_scan, recognise_cells

        dpi = self.settings.ocr.dpi
        with result.timed("render"):
            check_page_images(page, self.settings.limits)  # image sizes from their dictionaries, before decoding
            if is_blank(page, self.settings.scan):
                return blank_layout(page.number + 1)  # no ink: no OCR
            check_page_render(page, dpi, self.settings.limits)
            gray, sealed = render_without_seals(page, dpi)
        engine = self.engine()
        with result.timed("rules"):
            scan = prepare_scan(
                gray,
                page.number + 1,
                dpi,
                f"{engine.name} {engine.version}",
                self.settings.scan,
                sealed,
                self.settings.ocr.page_threads(),
            )
            tables = find_tables(scan.content.rules, scan.content.number, self.settings.grid)
        with result.timed("ocr"):
            scan.content.words = recognise_cells(scan, tables, engine, self.settings.scan)
        result.ocr_pages += 1
        with result.timed("grid"):
            return page_to_layout(scan.content, self.settings.grid, tables)

    def records(self, document: Document, layouts: list[PageLayout], result: FileResult) -> list[Record]:
        forms = self.settings.forms
        with result.timed("forms"):
            split = split_forms(layouts, self.library, forms.title_min_score, forms.label_min_score)
        reads = {lay.number: lay.read for lay in layouts}
        records = []
        name = Path(document.path).name
        for table in split.orphans:
            result.warnings.append(
                f"page {table.page}: a ruled table carries a form's labels but no form could be read from it "
                "(no title, and too few labels to tell its type); check that page"
            )
        not_forms = []
        for region in split.forms:
            # "forms": stitch, choose the variant, labels, indicator rows; "validate": values, rules.
            with result.timed("forms"):
                table = stitch(region.tables, forms.column_snap)
                texts = [table.text_of(c) for c in table.cells if c.text]
                title = region.title.text if region.title else None
                spec = self.library.choose(region.form_type, texts, title, region.title_in_grid)
                fields, labelled = read_fields(table, spec, region.lines, forms.label_min_score)
                if multi_project_header(table, labelled):
                    not_forms.append(region)
                    continue
                indicators = read_indicators(table, spec, self.vocab, labelled)
            with result.timed("validate"):
                builder = FormBuilder(
                    region,
                    spec,
                    fields,
                    indicators,
                    self.vocab,
                    self.settings.review,
                    self.settings.confidence,
                    reads,
                    self.calibration,
                )
                record = builder.record(name, document.sha256)
                record.record_id = f"{document.sha256}:{len(records)}"  # the store's id of the same form
                records.append(record)
        for region in not_forms:
            message = (
                f"pages {', '.join(map(str, region.pages))} hold a multi-project budget table (one row a "
                "project, as budget disclosures print 项目支出绩效目标表), not a form; it is not read"
            )
            if records:
                result.warnings.append(message)
            else:
                raise NoFormFoundError(f"{document.path}: {message}.")
        if not records:
            tables = sum(len(lay.tables) for lay in layouts)
            raise NoFormFoundError(
                f"{document.path}: no 财政项目支出绩效目标申报表 or 绩效自评表 was found "
                f"({document.page_count} pages, {tables} ruled tables, no form title or form labels). "
                "Is this a performance form? If it is a scan, check that it is legible."
            )
        return records

    def _read_pages(self, document: Document, result: FileResult, layouts: list[PageLayout]) -> list[int]:
        """Every page that can be read, in order; a page the file's damage makes unreadable is left out."""
        unread: list[int] = []
        first = ""
        for index in range(document.page_count):
            if self.on_page is not None:
                self.on_page(index + 1, document.page_count)
            try:
                layouts.append(self.page_layout(document, index, result))
            except Exception as exc:
                problem = page_problem(exc)
                if problem is None:
                    raise
                unread.append(index + 1)
                first = first or f"page {index + 1}: {problem}"
                result.warnings.append(f"page {index + 1} could not be read ({problem}); it is left out")
        if unread and not layouts:
            raise InputFileError(f"{document.path}: no page could be read; {first}")
        return unread

    def _flag_damage(self, document: Document, result: FileResult, unread: list[int]) -> None:
        """A repaired or partly read file: each of its records says so in its review."""
        if unread:
            reason = (
                f"page{'s' if len(unread) > 1 else ''} {', '.join(map(str, unread))} of the file could not be read: "
                "the form may be incomplete; check against the original"
            )
        elif document.repaired:
            reason = "the file was damaged and repaired on reading: pages may be missing; check against the original"
        else:
            return
        for record in result.records:
            record.review.append(ReviewItem(field="source.pages", reason=reason, confidence=DAMAGED_CONFIDENCE))

    def extract_file(self, path: str | Path, data: bytes | None = None) -> FileResult:
        """Every form in one file; a bad file gives a failed result, never an exception."""
        return self.extract_with_layouts(path, data)[0]

    def extract_with_layouts(self, path: str | Path, data: bytes | None = None) -> tuple[FileResult, list[PageLayout]]:
        """`extract_file`, and what the grid stage saw on each page (for `filing-extract inspect`)."""
        result = FileResult(str(path))
        layouts: list[PageLayout] = []
        with result.timed("total"):
            try:
                document = open_document(path, data, self.settings.limits)
            except ExtractError as exc:
                result.fail(exc.message, exc.exit_code)
                return result, layouts
            except Exception as exc:
                if page_problem(exc) is None:
                    raise
                result.fail(f"{path} cannot be opened: {page_problem(exc)}.", ExitCode.INPUT_FAILED)
                return result, layouts
            result.sha256, result.pages = document.sha256, document.page_count
            if document.repaired:
                result.warnings.append(
                    f"{path} was damaged and has been repaired on reading; check its records against the original"
                )
            try:
                unread = self._read_pages(document, result, layouts)
                result.records = self.records(document, layouts, result)
                self._flag_damage(document, result, unread)
            except ExtractError as exc:
                result.fail(exc.message, exc.exit_code)
            except Exception as exc:
                if page_problem(exc) is not None:  # the reader refused the file's structure, not one page
                    result.fail(f"{path} cannot be read: {page_problem(exc)}.", ExitCode.INPUT_FAILED)
                    return result, layouts
                log.debug("internal error on %s", path, exc_info=True)
                result.fail(
                    f"internal error on {path}: {type(exc).__name__}: {exc}. "
                    "This is a bug; please report it with the input file.",
                    ExitCode.INTERNAL,
                    traceback.format_exc(),
                )
            finally:
                document.close()
        return result, layouts
