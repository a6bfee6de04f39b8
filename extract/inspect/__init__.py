"""See what each stage saw: the page with its rules, cells, OCR lines, fields and flags drawn on it."""
