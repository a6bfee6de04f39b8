"""The sample the Label Studio checks share: a page image, its labeling config, its predictions.

Pillow only (it is in the main environment's test extra and in .venv-label-studio), so
both the pytest round trip and the browser check (ui_check.py) can use it.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

LABEL_CONFIG = """<View>
  <Image name="page" value="$image"/>
  <RectangleLabels name="box" toName="page">
    <Label value="project_name"/>
    <Label value="funds.total"/>
    <Label value="indicators[3].target"/>
  </RectangleLabels>
  <TextArea name="value" toName="page" perRegion="true" editable="true"/>
</View>"""

PAGE_SIZE = (827, 1170)  # an A4 page at 100 dpi
# field path -> (text on the page, the value the model read, its box in pixels)
FIELDS: dict[str, tuple[str, str, tuple[int, int, int, int]]] = {
    "project_name": ("Project name: Rural road repair", "Rural road repair", (100, 117, 528, 145)),
    "funds.total": ("Total funds (10k yuan): 1,234.50", "1,234.50", (100, 200, 528, 228)),
    "indicators[3].target": ("Indicator 3 target: >= 95%", ">= 95%", (100, 283, 528, 311)),
}
CORRECTED = ("funds.total", "1,243.50")  # the reviewer's fix


def make_page(path: Path) -> tuple[int, int, dict[str, tuple[float, float, float, float]]]:
    """Write a PNG page with the fields drawn; its pixel size and each field's box in percent."""
    width, height = PAGE_SIZE
    image = Image.new("RGB", PAGE_SIZE, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=18)
    for text, _, (x0, y0, x1, y1) in FIELDS.values():
        draw.rectangle((x0, y0, x1, y1), outline=(150, 150, 150))
        draw.text((x0 + 6, y0 + 4), text, fill="black", font=font)
    image.save(path, format="PNG")
    boxes = {
        key: (100 * x0 / width, 100 * y0 / height, 100 * (x1 - x0) / width, 100 * (y1 - y0) / height)
        for key, (_, _, (x0, y0, x1, y1)) in FIELDS.items()
    }
    return width, height, boxes


def field_results(
    field: str, text: str, box: tuple[float, float, float, float], width: int, height: int, score: float | None = None
) -> list[dict]:
    """One field as Label Studio results: a labelled rectangle and its per-region text, sharing one id."""
    x, y, w, h = box
    common = {"id": field, "to_name": "page", "original_width": width, "original_height": height, "image_rotation": 0}
    geometry = {"x": x, "y": y, "width": w, "height": h, "rotation": 0}
    results = [
        {**common, "from_name": "box", "type": "rectanglelabels", "value": {**geometry, "rectanglelabels": [field]}},
        {**common, "from_name": "value", "type": "textarea", "value": {**geometry, "text": [text]}},
    ]
    if score is not None:
        for result in results:
            result["score"] = score
    return results


def predicted_results(
    width: int, height: int, boxes: dict[str, tuple[float, float, float, float]], score: float = 0.9
) -> list[dict]:
    """Every field's results, as the task's prediction carries them."""
    return [
        r
        for key, (_, value, _) in FIELDS.items()
        for r in field_results(key, value, boxes[key], width, height, score=score)
    ]
