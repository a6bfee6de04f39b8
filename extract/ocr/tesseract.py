"""Tesseract (Debian's tesseract-ocr-chi-sim), the common alternative, as a peer.

Line crops are stacked into one image and read in one tesseract call, each
word given back to the crop its box falls in.
"""

from __future__ import annotations

import shutil
import subprocess

import cv2
import numpy as np

from extract.errors import OcrUnavailableError
from extract.ocr.base import OcrLine

GAP = 24  # white pixels between stacked crops


class TesseractEngine:
    name = "tesseract"

    def __init__(self, language: str = "chi_sim") -> None:
        self.binary = shutil.which("tesseract")
        if self.binary is None:
            raise OcrUnavailableError("tesseract is not installed: apt-get install tesseract-ocr tesseract-ocr-chi-sim")
        langs = subprocess.run([self.binary, "--list-langs"], capture_output=True, text=True).stdout
        if language not in langs.split():
            raise OcrUnavailableError(f"tesseract has no '{language}' data: apt-get install tesseract-ocr-chi-sim")
        self.language = language
        banner = subprocess.run([self.binary, "--version"], capture_output=True, text=True)
        first = (banner.stdout or banner.stderr).split("\n", 1)[0].split()
        self.version = first[-1] if first else "unknown"

    def _tsv(self, image: np.ndarray, psm: int) -> list[dict]:
        _, png = cv2.imencode(".png", image)
        proc = subprocess.run(
            [self.binary, "stdin", "stdout", "-l", self.language, "--psm", str(psm), "tsv"],
            input=png.tobytes(),
            capture_output=True,
            timeout=300,
        )
        rows = []
        lines = proc.stdout.decode("utf-8", "replace").splitlines()
        for line in lines[1:]:
            parts = line.split("\t")
            if len(parts) == 12 and parts[0] == "5" and parts[11].strip():
                left, top, width, height = (int(v) for v in parts[6:10])
                rows.append(
                    {
                        "x": left,
                        "y": top,
                        "w": width,
                        "h": height,
                        "conf": max(0.0, float(parts[10])) / 100.0,
                        "text": parts[11].strip(),
                        "line": tuple(int(v) for v in parts[1:5]),
                    }
                )
        return rows

    def read(self, image: np.ndarray) -> list[OcrLine]:
        grouped: dict[tuple, list[dict]] = {}
        for word in self._tsv(image, 3):
            grouped.setdefault(word["line"], []).append(word)
        out = []
        for words in grouped.values():
            x0 = min(w["x"] for w in words)
            y0 = min(w["y"] for w in words)
            x1 = max(w["x"] + w["w"] for w in words)
            y1 = max(w["y"] + w["h"] for w in words)
            text = "".join(w["text"] for w in sorted(words, key=lambda w: w["x"]))
            out.append(OcrLine(text, ((x0, y0), (x1, y0), (x1, y1), (x0, y1)), min(w["conf"] for w in words)))
        return out

    def read_lines(self, crops: list[np.ndarray]) -> list[OcrLine]:
        if not crops:
            return []
        width = max(c.shape[1] for c in crops) + 2 * GAP
        tops, strips = [], []
        y = GAP
        for crop in crops:
            gray = crop if crop.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
            strip = np.full((gray.shape[0] + GAP, width), 255, dtype=np.uint8)
            strip[: gray.shape[0], GAP : GAP + gray.shape[1]] = gray
            tops.append(y)
            strips.append(strip)
            y += strip.shape[0]
        sheet = np.vstack([np.full((GAP, width), 255, np.uint8), *strips])
        words: list[list[dict]] = [[] for _ in crops]
        bounds = np.array(tops + [y])
        for word in self._tsv(sheet, 4):
            centre = word["y"] + word["h"] / 2
            index = int(np.searchsorted(bounds, centre, side="right")) - 1
            if 0 <= index < len(crops):
                words[index].append(word)
        out = []
        for crop, found in zip(crops, words):
            h, w = crop.shape[:2]
            text = "".join(x["text"] for x in sorted(found, key=lambda x: x["x"]))
            score = min((x["conf"] for x in found), default=0.0)
            out.append(OcrLine(text, ((0.0, 0.0), (float(w), 0.0), (float(w), float(h)), (0.0, float(h))), score))
        return out
