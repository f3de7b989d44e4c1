"""docclean: clean scraped Chinese official documents into per-paragraph Parquet."""

__version__ = "0.1.0"
