"""The output folder reads as one table in each tool analysts use."""

from __future__ import annotations

import pytest

from docclean.run import runner


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    from conftest import RAW

    out = tmp_path_factory.mktemp("out")
    runner.run_local(RAW, out, batch_size=2)  # several part files per dataset
    assert len(list((out / "paragraphs").glob("*.parquet"))) > 1
    return out


def test_duckdb(out):
    duckdb = pytest.importorskip("duckdb")
    con = duckdb.connect()
    n, docs = con.execute(
        f"select count(*), count(distinct doc_id) from read_parquet('{out}/paragraphs/*.parquet')").fetchone()
    assert (n, docs) == (95, 5)
    status = dict(con.execute(
        f"select status, count(*) from read_parquet('{out}/documents/*.parquet') group by 1").fetchall())
    assert status == {"ok": 4, "partial": 1}


def test_polars(out):
    pl = pytest.importorskip("polars")
    df = pl.read_parquet(f"{out}/paragraphs/*.parquet")
    assert df.height == 95
    assert df.filter(pl.col("kind") == "title").height == 5


def test_pandas(out):
    pd = pytest.importorskip("pandas")
    df = pd.read_parquet(out / "edits")
    assert len(df) > 0 and set(df["action"]) <= {"remove", "repair", "mask", "normalize", "flag"}
    docs = pd.read_parquet(out / "documents")
    assert sorted(map(len, docs["sources"])) == [1, 1, 1, 1, 1]


def test_pyarrow_dataset(out):
    import pyarrow.dataset as ds

    t = ds.dataset(out / "documents", format="parquet").to_table()
    assert t.num_rows == 5
    assert t.schema.field("sources").type.value_type == "string"


def test_huggingface_datasets(out, tmp_path, monkeypatch):
    datasets = pytest.importorskip("datasets")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    dset = datasets.load_dataset("parquet", data_files=str(out / "paragraphs" / "*.parquet"),
                                 split="train", cache_dir=str(tmp_path / "hf-cache"))
    assert dset.num_rows == 95
    assert set(dset.column_names) >= {"doc_id", "para_index", "kind", "text"}
    assert sum(1 for k in dset["kind"] if k == "title") == 5


def test_every_column_selects_bare_in_duckdb(out):
    """No column is a SQL reserved word: `select <col>` parses for each (edits.offset did not)."""
    duckdb = pytest.importorskip("duckdb")
    from docclean.store import schema

    con = duckdb.connect()
    for name, sch in schema.TABLES.items():
        for col in sch.names:
            con.execute(f"select {col} from read_parquet('{out}/{name}/*.parquet') limit 1").fetchall()
    ok = con.execute(f"select count(*) from read_parquet('{out}/edits/*.parquet') "
                     f"where char_offset is not null").fetchone()[0]
    assert ok > 0
