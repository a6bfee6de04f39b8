"""Native PaddleOCR (optional: `pip install filing-extract[paddle]`).

PaddleOCR 3.x downloads its models unless it is given model folders; each
folder holds the model and the `inference.yml` that describes it. This module
writes those folders (`prepare_model_dirs`) around PP-OCR files already on the
machine: by default the ONNX files inside the rapidocr wheel, run through
PaddleOCR's `engine="onnxruntime"`. Folders of Paddle models (PP-OCRv5/v6
`inference.json` + `.pdiparams`) can be given instead; on a machine with a
GPU build of paddlepaddle, set `FILING_EXTRACT_PADDLE_DEVICE=gpu:0`.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np

from extract.errors import MissingDependencyError, OcrUnavailableError
from extract.ocr.base import OcrLine, package_version

DET_NAME = "PP-OCRv6_small_det"
REC_NAME = "PP-OCRv6_small_rec"


def _det_yml() -> str:
    # Same pre- and post-processing rapidocr applies to these files.
    return "\n".join(
        [
            "Global:",
            f"  model_name: {DET_NAME}",
            "PreProcess:",
            "  transform_ops:",
            "  - DecodeImage: {channel_first: false, img_mode: BGR}",
            "  - DetResizeForTest: {resize_long: 960, limit_type: max}",
            "  - NormalizeImage: {mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], scale: 1./255., order: hwc}",
            "  - ToCHWImage: null",
            "  - KeepKeys: {keep_keys: [image, shape, polys, ignore_tags]}",
            "PostProcess:",
            "  name: DBPostProcess",
            "  thresh: 0.3",
            "  box_thresh: 0.5",
            "  max_candidates: 1000",
            "  unclip_ratio: 1.6",
            "",
        ]
    )


def _rec_yml(characters: list[str]) -> str:
    return "\n".join(
        [
            "Global:",
            f"  model_name: {REC_NAME}",
            "PreProcess:",
            "  transform_ops:",
            "  - DecodeImage: {channel_first: false, img_mode: BGR}",
            "  - MultiLabelEncode: {gtc_encode: NRTRLabelEncode}",
            "  - RecResizeImg: {image_shape: [3, 48, 320]}",
            "  - KeepKeys: {keep_keys: [image, label_ctc, label_gtc, length, valid_ratio]}",
            "PostProcess:",
            "  name: CTCLabelDecode",
            # JSON is YAML: every character quoted, whatever it is.
            f"  character_dict: {json.dumps(characters, ensure_ascii=False)}",
            "",
        ]
    )


def _rec_characters(onnx_file: Path) -> list[str]:
    import onnxruntime

    session = onnxruntime.InferenceSession(str(onnx_file), providers=["CPUExecutionProvider"])
    text = session.get_modelmeta().custom_metadata_map.get("character", "")
    if not text:
        raise OcrUnavailableError(f"{onnx_file} carries no character list; give a model folder instead")
    return text.splitlines()


def prepare_model_dirs(target: Path, det_onnx: Path, rec_onnx: Path) -> tuple[Path, Path]:
    """Write PaddleOCR model folders (inference.onnx + inference.yml) under `target`."""
    det_dir, rec_dir = target / DET_NAME, target / REC_NAME
    for folder, source in ((det_dir, det_onnx), (rec_dir, rec_onnx)):
        folder.mkdir(parents=True, exist_ok=True)
        model = folder / "inference.onnx"
        if not model.exists() or model.stat().st_size != source.stat().st_size:
            shutil.copyfile(source, model)
    (det_dir / "inference.yml").write_text(_det_yml(), encoding="utf-8")
    (rec_dir / "inference.yml").write_text(_rec_yml(_rec_characters(rec_onnx)), encoding="utf-8")
    return det_dir, rec_dir


class PaddleOcrEngine:
    name = "paddleocr"

    def __init__(self, model_dir: str | None) -> None:
        try:
            from paddleocr import PaddleOCR, TextRecognition
        except ImportError as exc:
            raise MissingDependencyError(
                "--engine paddleocr",
                "paddle",
                f"{exc}; install it in its own virtual environment, see README, 'PaddleOCR'",
            ) from exc
        if not model_dir:
            raise OcrUnavailableError(
                "--engine paddleocr needs --model-dir: a folder holding the model folders "
                f"{DET_NAME}/ and {REC_NAME}/ (see README, 'PaddleOCR')"
            )
        root = Path(model_dir)
        det_dir, rec_dir = root / DET_NAME, root / REC_NAME
        for folder in (det_dir, rec_dir):
            if not (folder / "inference.yml").is_file():
                raise OcrUnavailableError(f"{folder} holds no inference.yml; see README, 'PaddleOCR'")
        self.version = package_version("paddleocr")
        onnx = (det_dir / "inference.onnx").is_file()
        common = {"device": os.environ.get("FILING_EXTRACT_PADDLE_DEVICE", "cpu")}
        if onnx:
            common["engine"] = "onnxruntime"
        self._pipeline = PaddleOCR(
            text_detection_model_name=DET_NAME,
            text_detection_model_dir=str(det_dir),
            text_recognition_model_name=REC_NAME,
            text_recognition_model_dir=str(rec_dir),
            use_doc_orientation_classify=False,
            use_doc_unwarping=False,
            use_textline_orientation=False,
            **common,
        )
        self._rec = TextRecognition(model_name=REC_NAME, model_dir=str(rec_dir), **common)

    @staticmethod
    def _bgr(image: np.ndarray) -> np.ndarray:
        return np.repeat(image[:, :, None], 3, axis=2) if image.ndim == 2 else image[:, :, ::-1].copy()

    def read(self, image: np.ndarray) -> list[OcrLine]:
        lines = []
        for page in self._pipeline.predict(self._bgr(image)):
            for quad, text, score in zip(page["rec_polys"], page["rec_texts"], page["rec_scores"]):
                lines.append(OcrLine(text, tuple((float(x), float(y)) for x, y in quad), float(score)))
        return lines

    def read_lines(self, crops: list[np.ndarray]) -> list[OcrLine]:
        if not crops:
            return []
        out = []
        for crop, result in zip(crops, self._rec.predict([self._bgr(c) for c in crops], batch_size=6)):
            h, w = crop.shape[:2]
            quad = ((0.0, 0.0), (float(w), 0.0), (float(w), float(h)), (0.0, float(h)))
            out.append(OcrLine(result["rec_text"], quad, float(result["rec_score"])))
        return out
