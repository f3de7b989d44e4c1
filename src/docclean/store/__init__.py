"""store: the processed/ folder: Parquet schema, parts, manifest, snapshots and its lock."""
