"""The same flow on a local Dask cluster (two worker processes) writes what the default run writes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyarrow.dataset as ds
import pytest

pytest.importorskip("prefect_dask")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from make_corpus import make  # noqa: E402

DOCCLEAN = Path(sys.executable).with_name("docclean")
KEYS = {"documents": ["doc_id"], "paragraphs": ["doc_id", "para_index"],
        "edits": ["doc_id", "source", "line", "char_offset", "rule", "before"]}


def _run(raw, out, tmp_path, *extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(tmp_path / ".prefect")
    res = subprocess.run([str(DOCCLEAN), "run", "--raw", str(raw), "--out", str(out), "--batch-size", "40", *extra],
                         capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]


def _rows(out, table):
    rows = ds.dataset(out / table, format="parquet").to_table().to_pylist()
    return sorted(rows, key=lambda r: tuple(str(r[k]) for k in KEYS[table]))


def test_dask_cluster_output_is_identical(tmp_path):
    raw = tmp_path / "raw"
    make(150, raw, seed=5)  # mixed encodings, HTML, split pages, a bad file; several batches
    _run(raw, tmp_path / "default", tmp_path)
    _run(raw, tmp_path / "dask", tmp_path, "--dask", "2")
    for table in KEYS:
        a, b = _rows(tmp_path / "default", table), _rows(tmp_path / "dask", table)
        assert len(a) > 0 and a == b, table
