"""Reading the output back: inspect, stats, export and the CLI around them."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from docclean.cli import inspection
from docclean.cli.app import app
from docclean.run import runner


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    from conftest import RAW

    out = tmp_path_factory.mktemp("out")
    runner.run_local(RAW, out, batch_size=2)
    return out


def test_resolve_by_source_and_prefix(out):
    doc_id = inspection.resolve_doc_id(out, source="002_8465f67ea493f5d3.txt")
    assert inspection.resolve_doc_id(out, doc=doc_id[:6]) == doc_id
    with pytest.raises(inspection.NotFound):
        inspection.resolve_doc_id(out, source="nope.txt")
    v = inspection.load_document(out, doc_id)
    assert v.document["title"] == "在市管主要领导干部专题研讨班上的讲话"
    assert [p["para_index"] for p in v.paragraphs] == list(range(6))
    assert len([e for e in v.edits if e["scope"] == "line"]) == 8


def test_stats_counts_match_the_tables(out):
    st = inspection.stats(out)
    assert st["documents"] == 5 and st["status"] == {"ok": 4, "partial": 1}
    assert st["paragraphs"] == 95
    assert sum(h["hits"] for h in st["rule_hits"]) == sum(st["edits_by_action"].values())
    assert st["edits_by_action"]["remove"] == 16
    assert st["masks"] == 103  # the samples' annotated mask occurrences
    assert {h["rule"] for h in st["rule_hits"]} >= {"banner_domain", "between_chrome", "mask_only_line"}


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_export_paragraphs_and_documents(out, tmp_path, fmt):
    para_file = tmp_path / f"p.{fmt}"
    doc_file = tmp_path / f"d.{fmt}"
    assert inspection.export(out, para_file, fmt, "paragraph") == 95
    assert inspection.export(out, doc_file, fmt, "document") == 5
    if fmt == "jsonl":
        docs = [json.loads(x) for x in doc_file.read_text("utf-8").splitlines()]
    else:
        docs = pq.read_table(doc_file).to_pylist()
        assert pq.read_schema(doc_file).metadata[b"docclean.export_unit"] == b"document"
    doc = next(d for d in docs if d["title"] == "在市管主要领导干部专题研讨班上的讲话")
    assert doc["text"].startswith("在市管主要领导干部专题研讨班上的讲话\n\n通过这次学习研讨")
    assert doc["n_paragraphs"] == 6 and "会员群" not in doc["text"]
    assert not list(tmp_path.glob(".*.tmp"))


def test_cli_inspect_stats_export(out, tmp_path):
    cli = CliRunner()
    r = cli.invoke(app, ["inspect", "--source", "001_019269771721435d.txt", "--processed", str(out)])
    assert r.exit_code == 0, r.output
    assert "partial" in r.output and "banner_domain" in r.output and "heading" in r.output
    r = cli.invoke(app, ["stats", "--processed", str(out), "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["documents"] == 5
    r = cli.invoke(app, ["export", str(tmp_path / "x.jsonl"), "--processed", str(out), "--unit", "document"])
    assert r.exit_code == 0 and len((tmp_path / "x.jsonl").read_text("utf-8").splitlines()) == 5
    r = cli.invoke(app, ["export", str(tmp_path / "x.csv"), "--processed", str(out), "--format", "csv"])
    assert r.exit_code == 2
    r = cli.invoke(app, ["inspect", "zzzz", "--processed", str(out)])
    assert r.exit_code == 1 and "no matching" in r.output


def test_old_out_option_still_reads_the_folder(out, tmp_path):
    r = CliRunner().invoke(app, ["stats", "--out", str(out), "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["documents"] == 5
    assert "--out" not in CliRunner().invoke(app, ["stats", "--help"]).output  # hidden


def test_export_from_a_missing_folder_fails(tmp_path):
    r = CliRunner().invoke(app, ["export", str(tmp_path / "x.jsonl"), "--processed", str(tmp_path / "nope")])
    assert r.exit_code == 1 and "nope" in r.output and "wrote" not in r.output
    assert not (tmp_path / "x.jsonl").exists()


def test_document_export_has_error_and_encoding(out, tmp_path):
    inspection.export(out, tmp_path / "d.jsonl", "jsonl", "document")
    docs = [json.loads(x) for x in (tmp_path / "d.jsonl").read_text("utf-8").splitlines()]
    assert all({"error", "encoding"} <= set(d) for d in docs)
    assert {d["encoding"] for d in docs} == {"utf-8"}
    partial = [d for d in docs if d["status"] == "partial"]
    assert len(partial) == 1 and partial[0]["error"]
    inspection.export(out, tmp_path / "d.parquet", "parquet", "document")
    assert {"error", "encoding"} <= set(pq.read_schema(tmp_path / "d.parquet").names)


@pytest.mark.parametrize("columns", [80, 140])
def test_inspect_shows_every_paragraph_in_full(out, columns, monkeypatch):
    monkeypatch.setenv("COLUMNS", str(columns))
    doc_id = inspection.resolve_doc_id(out, source="001_019269771721435d.txt")
    v = inspection.load_document(out, doc_id)
    r = CliRunner().invoke(app, ["inspect", doc_id, "--processed", str(out)])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert max(len(x) for x in lines) <= columns  # wrapped, not cut
    flat = "".join(x.strip() for x in lines)
    for p in v.paragraphs:  # each paragraph whole, with its kind and section
        assert p["text"].replace(" ", "") in flat.replace(" ", ""), p["text"][:20]
    assert "heading h1" in r.output and {p["kind"] for p in v.paragraphs} >= {"title", "heading", "body"}
    for p in v.paragraphs:
        assert p["kind"] in r.output and (not p["section"] or f"§ {p['section']}" in r.output)
    # Routine normalisations are counted, not listed one by one.
    n_punct = sum(e["rule_class"] == "punctuation" and e["action"] == "normalize" for e in v.edits)
    assert n_punct > 5
    assert r.output.count("fullwidth_punctuation") < n_punct / 2
    assert "routine edits" in r.output
    # What a person reviews is listed: removed lines with their rule.
    assert "line(s) removed" in r.output and "banner_domain" in r.output
