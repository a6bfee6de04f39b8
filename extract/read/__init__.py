"""Reading pages: open a document, read its text layer, or image a scanned page."""
