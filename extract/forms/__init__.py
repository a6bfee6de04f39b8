"""Forms: split a document by title, stitch tables across pages, read labels and indicators."""
