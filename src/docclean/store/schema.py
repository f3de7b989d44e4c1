"""The output contract: Arrow schemas of the three datasets.

Bump SCHEMA_VERSION on any change a reader could notice (a column added,
renamed or retyped) and describe it in docs/schema.md. The version is stored
in every file's Parquet key-value metadata under ``docclean.schema_version``.
"""

from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = "1.3"

PARAGRAPHS = pa.schema([
    pa.field("doc_id", pa.string(), nullable=False),
    pa.field("source", pa.string(), nullable=False),
    pa.field("para_index", pa.int32(), nullable=False),
    pa.field("kind", pa.string(), nullable=False),
    pa.field("heading_level", pa.int8()),
    pa.field("label", pa.string()),
    pa.field("section", pa.string()),
    pa.field("text", pa.string(), nullable=False),
    pa.field("char_count", pa.int32(), nullable=False),
    pa.field("mask_count", pa.int16(), nullable=False),
    pa.field("line", pa.int32()),
    pa.field("page", pa.int16()),
])

DOCUMENTS = pa.schema([
    pa.field("doc_id", pa.string(), nullable=False),
    pa.field("title", pa.string()),
    pa.field("sources", pa.list_(pa.string()), nullable=False),
    pa.field("status", pa.string(), nullable=False),
    pa.field("error", pa.string()),
    pa.field("encoding", pa.string()),
    pa.field("encoding_confidence", pa.float32()),
    pa.field("page_count", pa.int16()),
    pa.field("pages_missing", pa.list_(pa.int16())),
    pa.field("n_sources", pa.int32(), nullable=False),
    pa.field("n_lines", pa.int32(), nullable=False),
    pa.field("n_lines_removed", pa.int32(), nullable=False),
    pa.field("n_paragraphs", pa.int32(), nullable=False),
    pa.field("n_chars", pa.int64(), nullable=False),
    pa.field("n_edits", pa.int32(), nullable=False),
    pa.field("content_sha256", pa.string(), nullable=False),
    pa.field("pipeline_version", pa.string(), nullable=False),
])

EDITS = pa.schema([
    pa.field("doc_id", pa.string(), nullable=False),
    pa.field("source", pa.string()),
    pa.field("action", pa.string(), nullable=False),
    pa.field("rule", pa.string(), nullable=False),
    pa.field("rule_class", pa.string(), nullable=False),
    pa.field("scope", pa.string(), nullable=False),
    pa.field("line", pa.int32()),
    pa.field("para_index", pa.int32()),
    pa.field("char_offset", pa.int32()),
    pa.field("before", pa.string(), nullable=False),
    pa.field("after", pa.string(), nullable=False),
    pa.field("confidence", pa.float32(), nullable=False),
    pa.field("evidence", pa.string()),
])

TABLES = {"paragraphs": PARAGRAPHS, "documents": DOCUMENTS, "edits": EDITS}
# Rows inside each file are sorted so reruns produce identical files.
SORT_KEYS = {
    "paragraphs": [("doc_id", "ascending"), ("para_index", "ascending")],
    "documents": [("doc_id", "ascending")],
    "edits": [("doc_id", "ascending")],
}


def table(name: str, rows: list[dict], pipeline_version: str) -> pa.Table:
    schema = TABLES[name].with_metadata({
        "docclean.schema_version": SCHEMA_VERSION,
        "docclean.table": name,
        "docclean.pipeline_version": pipeline_version,
    })
    return pa.Table.from_pylist(rows, schema=schema)
