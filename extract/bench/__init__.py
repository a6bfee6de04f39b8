"""The benchmark: accuracy, review quality and speed on labelled samples, beside peers."""
