"""Sample filings and their gold records; the generator that makes them."""
