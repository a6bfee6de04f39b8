"""filing-extract: scanned and digital government filings to validated records.

The public API, for systems that call the pipeline without the CLI::

    from extract import Extractor, Settings
    result = Extractor(Settings()).extract_file("filings/2024.pdf")
    for record in result.records:          # models.Record, the contract in docs/records.md
        print(record.project_name, record.review)

Names are imported on first use, so `import extract` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

__all__ = ["ExitCode", "Extractor", "FileResult", "Settings", "__version__"]

_WHERE = {
    "Extractor": "extract.pipeline",
    "FileResult": "extract.datamodel.result",
    "Settings": "extract.settings",
    "ExitCode": "extract.errors",
}

if TYPE_CHECKING:
    from extract.datamodel.result import FileResult
    from extract.errors import ExitCode
    from extract.pipeline import Extractor
    from extract.settings import Settings


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'extract' has no attribute {name!r}")
