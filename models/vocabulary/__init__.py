"""The canonical vocabulary, shipped as JSON package data."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def load(name: str) -> dict:
    """Read one vocabulary file (framework, indicators, labels) from the package."""
    text = resources.files(__package__).joinpath(f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text)
