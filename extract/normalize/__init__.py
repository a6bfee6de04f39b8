"""Text folding, OCR confusions, the vocabulary and value parsers: the lowest layer."""
