"""rapidocr: PaddleOCR's PP-OCR models on ONNX Runtime, from the files in its wheel.

Nothing is downloaded: the detection and recognition models are the ones the
rapidocr package ships (see `model_files`). One engine is built per process and
kept; rapidocr's per-call switches (use_det=...) stick between calls, so the
recogniser is driven directly for line crops instead.

Line crops are recognised in batches of similar width (`width_batches`), each
padded only to its own widest crop: rapidocr's own loop pads every batch of six
to at least 320 px, and the recogniser's cost grows with the padded width (a
form's cells are mostly short), which made about a third of its work padding.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import numpy as np

from extract.errors import OcrUnavailableError
from extract.normalize.text import is_cjk
from extract.ocr.base import OcrLine, package_version


def _dropped_character(words, wide_gap: float) -> bool:
    """Did recognition skip a character? Full-width characters sit at even steps
    along the line; a step twice the usual between two of them is a gap where
    one (often a '，') was not emitted."""
    chars = [c for group in words.words for c in group]
    cols = [c for group in words.word_cols for c in group]
    if len(chars) != len(cols) or len(cols) < 4:
        return False
    steps = [(b - a, chars[i], chars[i + 1]) for i, (a, b) in enumerate(pairwise(cols))]
    wide = [step for step, left, right in steps if is_cjk(left) and is_cjk(right)]
    if len(wide) < 3:
        return False
    usual = float(np.median(wide))
    return any(step > wide_gap * usual for step in wide)


def _unread_ink(crop: np.ndarray, words, lead_em: float, trail_em: float) -> bool:
    """Is there ink before the first or after the last character read? Recognisers drop a thin
    first character (一 of 一次性项目) at full confidence; the character's ink is still in the crop.

    The recogniser places each character at a column of its output; a line's first character
    sits a quarter of a character (the line's ink height) after its ink begins, its last about as
    far before the ink ends. Much more than that is ink nothing was read from.
    """
    chars = [c for group in words.words for c in group]
    columns = [c for group in words.word_cols for c in group]
    if not chars or len(chars) != len(columns) or not words.line_txt_len:
        return False
    paper = float(np.percentile(crop, 90))
    ink = crop < 0.6 * paper
    xs, ys = np.flatnonzero(ink.any(axis=0)), np.flatnonzero(ink.any(axis=1))
    if len(xs) == 0:
        return False
    em = float(ys[-1] - ys[0] + 1)
    to_px = crop.shape[1] / words.line_txt_len
    lead = (columns[0] * to_px - xs[0]) / em
    trail = (xs[-1] - columns[-1] * to_px) / em
    return lead > lead_em or trail > trail_em


MIN_RATIO = 2.0  # a crop is padded to at least twice its height (96 px at the recogniser's 48)
BATCH_SPREAD = 1.3  # the widest crop of a batch is at most this many times its narrowest
MAX_BATCH = 8  # crops a batch


def width_batches(ratios: list[float], spread: float = BATCH_SPREAD, most: int = MAX_BATCH) -> list[list[int]]:
    """Indexes of the crops by width (width/height ratios), cut into batches of similar width."""
    batches: list[list[int]] = []
    current: list[int] = []
    for i in sorted(range(len(ratios)), key=ratios.__getitem__):
        if current and (
            len(current) >= most or max(ratios[i], MIN_RATIO) > spread * max(ratios[current[0]], MIN_RATIO)
        ):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


def cuda_available() -> bool:
    """Whether ONNX Runtime here can run on a CUDA GPU (onnxruntime-gpu and a device)."""
    import onnxruntime

    return "CUDAExecutionProvider" in onnxruntime.get_available_providers()


class RapidOcrEngine:
    name = "rapidocr"
    builds = 0  # engines built in this process (a test checks it stays at one)

    def __init__(
        self,
        threads: int = 0,
        dropped_character_score: float = 0.5,
        wide_gap: float = 1.6,
        device: str = "cpu",
        lead_em: float = 0.65,
        trail_em: float = 1.1,
    ) -> None:
        try:
            from rapidocr import RapidOCR
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise OcrUnavailableError(f"rapidocr is not installed ({exc}); pip install rapidocr") from exc
        if device == "cuda" and not cuda_available():
            raise OcrUnavailableError(
                "--device cuda: ONNX Runtime here has no CUDAExecutionProvider (no GPU, or onnxruntime without "
                "CUDA: pip install onnxruntime-gpu on a machine with one); run on the CPU instead"
            )
        self.device = device
        self.dropped_character_score, self.wide_gap = dropped_character_score, wide_gap
        self.lead_em, self.trail_em = lead_em, trail_em  # ink unread before / after the text, in ink heights
        self.version = package_version("rapidocr")
        files = {p.name: p for p in self.model_files()}
        try:
            self.det_model = next(p for n, p in files.items() if "_det_" in n)
            self.rec_model = next(p for n, p in files.items() if "_rec_" in n)
        except StopIteration:
            raise OcrUnavailableError(
                f"the rapidocr wheel holds no detection/recognition models ({sorted(files)}); reinstall rapidocr"
            ) from None
        # The wheel's files are named explicitly, so rapidocr never looks for
        # (or downloads) others. The classifier is off: forms are upright.
        self._ocr = RapidOCR(
            params={
                "Global.log_level": "error",
                "Global.use_cls": False,
                "Det.model_path": str(self.det_model),
                "Rec.model_path": str(self.rec_model),
                # ONNX Runtime's memory arena: ~10% faster recognition over a page's batches.
                "EngineConfig.onnxruntime.enable_cpu_mem_arena": True,
                # Several workers on one machine share its cores instead of fighting for them.
                "EngineConfig.onnxruntime.intra_op_num_threads": threads if threads > 0 else -1,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1 if threads > 0 else -1,
                "EngineConfig.onnxruntime.use_cuda": device == "cuda",
            }
        )
        self._rec = self._ocr._load_rec_model()
        type(self).builds += 1

    @staticmethod
    def model_files() -> list[Path]:
        """The ONNX files this engine runs: the ones inside the installed wheel."""
        import rapidocr

        root = Path(rapidocr.__file__).resolve().parent / "models"
        return sorted(p for p in root.glob("*.onnx") if "cls" not in p.name)

    def loaded_model_paths(self) -> list[Path]:
        """The model paths the recognition and detection sessions were built from."""
        self._ocr._load_det_model()
        return [Path(str(self._ocr.cfg.Det.model_path)), Path(str(self._ocr.cfg.Rec.model_path))]

    @staticmethod
    def _rgb(image: np.ndarray) -> np.ndarray:
        if image.ndim == 2:
            return np.repeat(image[:, :, None], 3, axis=2)
        return image

    def read(self, image: np.ndarray) -> list[OcrLine]:
        result = self._ocr(self._rgb(image), use_det=True, use_cls=False, use_rec=True)
        if result.txts is None:
            return []
        lines = []
        for quad, text, score in zip(result.boxes, result.txts, result.scores):
            lines.append(OcrLine(text, tuple((float(x), float(y)) for x, y in quad), float(score)))
        return lines

    def read_lines(self, crops: list[np.ndarray]) -> list[OcrLine]:
        if not crops:
            return []
        rec = self._rec
        images = [self._rgb(c) for c in crops]
        ratios = [c.shape[1] / c.shape[0] for c in crops]
        found: list = [None] * len(crops)
        for batch in width_batches(ratios):
            widest = max(MIN_RATIO, *(ratios[i] for i in batch))
            norm = np.stack([rec.resize_norm_img(images[i], widest) for i in batch])
            texts, words = rec.postprocess_op(
                rec.session(norm), True, wh_ratio_list=[ratios[i] for i in batch], max_wh_ratio=widest
            )
            for k, i in enumerate(batch):
                found[i] = (texts[k], words[k])
        lines = []
        for crop, ((text, score), words) in zip(crops, found):
            h, w = crop.shape[:2]
            char_scores = tuple(float(c) for c in (words.confs if words is not None else ()))
            if words is not None and (
                _dropped_character(words, self.wide_gap)
                or _unread_ink(crop if crop.ndim == 2 else crop[:, :, 0], words, self.lead_em, self.trail_em)
            ):
                char_scores += (self.dropped_character_score,)
            quad = ((0.0, 0.0), (float(w), 0.0), (float(w), float(h)), (0.0, float(h)))
            lines.append(OcrLine(text, quad, float(score), char_scores))
        return lines
