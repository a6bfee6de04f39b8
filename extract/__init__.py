"""filing-extract: scanned and digital government filings to validated records."""

__version__ = "0.1.0"
