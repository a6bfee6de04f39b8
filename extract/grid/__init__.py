"""Rules to cells, words to cell text, per page."""
