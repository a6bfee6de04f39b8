"""OCR engines behind one small interface, chosen by name."""
