"""The run in three passes (extract, learn, assemble): the same tables however a corpus
arrives, and a change re-runs only the passes it touches."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from docclean.run import passes, runner

SLOGAN = "让每一份材料都出彩"  # a site template no rule (nor the lexical model) knows: learned, never ruled


def _paragraphs(samples):
    return [x.strip() for data in samples.values() for x in data.decode("utf-8").splitlines() if len(x.strip()) > 60]


def _site_docs(samples, n_docs, seed=0) -> dict[str, str]:
    rnd = random.Random(seed)
    paras = _paragraphs(samples)
    docs = {}
    for i in range(n_docs):
        lines = [SLOGAN, f"在全县第{i}次工作会议上的讲话", "同志们：", "一、统一思想",
                 *rnd.sample(paras, 5), "谢谢大家！"]
        docs[f"siteA/{i:03d}.txt"] = "\n".join(lines)
    return docs


def _paged_doc(raw: Path) -> dict[str, str]:
    """Sample 003 over three pages, each with the site's slogan at the top."""
    lines = next(raw.glob("003_*.txt")).read_text("utf-8").splitlines()
    title, body = lines[0], lines[1:]
    step = -(-len(body) // 3)
    return {f"siteA/paged/p{n + 1}.txt": "\n".join([SLOGAN, f"{title}(第{n + 1}/3页)", *body[n * step:(n + 1) * step]])
            for n in range(3)}


@pytest.fixture
def corpus(raw_copy, samples) -> dict[str, bytes]:
    """Every file of a corpus with samples, a site whose template is learned, and a paged document."""
    files = {p.relative_to(raw_copy).as_posix(): p.read_bytes() for p in raw_copy.rglob("*") if p.is_file()}
    files |= {k: v.encode("utf-8") for k, v in (_site_docs(samples, 7) | _paged_doc(raw_copy)).items()}
    return files


def _write(raw: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_bytes(data)


def _tables(out: Path) -> dict[str, list[str]]:
    return {t: sorted(json.dumps(r, ensure_ascii=False, sort_keys=True, default=str)
                      for r in ds.dataset(out / t, format="parquet").to_table().to_pylist())
            for t in ("paragraphs", "documents", "edits")}


@pytest.fixture
def count_extracts(monkeypatch):
    calls = {"n": 0}
    real = passes.extract_bytes

    def counting(*args, **kwargs):
        calls["n"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(passes, "extract_bytes", counting)
    return calls


def test_one_go_incremental_and_lost_state_give_the_same_tables(corpus, tmp_path):
    raw = tmp_path / "all"
    _write(raw, corpus)
    one_go = tmp_path / "one-go"
    s = runner.run_local(raw, one_go)
    assert s.files_redone > 0  # the site's template was learned in this run
    want = _tables(one_go)
    assert any(json.loads(r)["rule"] == "learned_template" for r in want["edits"])
    assert any(len(json.loads(r)["sources"]) == 3 for r in want["documents"])  # stitched

    # Half the files, then the rest: the template is only learned once the rest arrive,
    # and the paged document gets its last pages late.
    names = sorted(corpus)
    first, rest = names[::2], names[1::2]
    raw2, inc = tmp_path / "inc-raw", tmp_path / "incremental"
    _write(raw2, {n: corpus[n] for n in first})
    runner.run_local(raw2, inc)
    _write(raw2, {n: corpus[n] for n in rest})
    s = runner.run_local(raw2, inc)
    assert s.files_processed == len(rest) and s.files_extracted == len(rest)
    assert _tables(inc) == want

    # Without _state/ (manifest, templates, extract cache) the next run builds it all again.
    shutil.rmtree(one_go / "_state")
    s = runner.run_local(raw, one_go)
    assert s.files_processed == len(corpus) and s.files_extracted == len(corpus)
    assert _tables(one_go) == want
    assert runner.run_local(raw, one_go).files_processed == 0


def test_a_template_change_reassembles_without_extracting(corpus, samples, tmp_path, count_extracts):
    raw, out = tmp_path / "raw", tmp_path / "out"
    site = _site_docs(samples, 6)
    _write(raw, {n: corpus[n] for n in corpus if not n.startswith("siteA/")})
    _write(raw, {n: site[n].encode("utf-8") for n in sorted(site)[:4]})  # too few to learn from
    runner.run_local(raw, out)
    assert not any(e["rule"] == "learned_template" for e in ds.dataset(out / "edits").to_table().to_pylist())
    count_extracts["n"] = 0

    _write(raw, {n: site[n].encode("utf-8") for n in sorted(site)[4:]})  # now the slogan is learned
    s = runner.run_local(raw, out)
    assert s.files_processed == 2 and s.files_redone == 6
    assert s.files_extracted == 2 and count_extracts["n"] == 2  # the four old files came from the cache
    assert s.documents_assembled == 6
    removed = {e["source"] for e in ds.dataset(out / "edits").to_table().to_pylist() if e["rule"] == "learned_template"}
    assert removed == set(site)


def test_a_repair_only_change_reassembles_without_extracting(raw_copy, tmp_path, count_extracts):
    out = tmp_path / "out"
    runner.run_local(raw_copy, out)
    masked = [p["text"] for p in ds.dataset(out / "paragraphs").to_table().to_pylist() if "××" in p["text"]]
    assert masked and count_extracts["n"] == 5
    count_extracts["n"] = 0

    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "repair.toml").write_text('[mask]\ntoken = "〇〇"\n', "utf-8")  # a repair-only setting
    s = runner.run_local(raw_copy, out, rules_dirs=(str(rules),))
    assert s.files_processed == 5 and s.files_extracted == 0 and count_extracts["n"] == 0
    texts = [p["text"] for p in ds.dataset(out / "paragraphs").to_table().to_pylist()]
    assert not any("××" in t for t in texts) and sum("〇〇" in t for t in texts) == len(masked)

    s = runner.run_local(raw_copy, out, no_repair=True)  # repairs off: the same extracts serve
    assert s.files_processed == 5 and s.files_extracted == 0 and count_extracts["n"] == 0

    (rules / "boilerplate.toml").write_text("", "utf-8")  # a pack extraction reads: extract again
    s = runner.run_local(raw_copy, out, rules_dirs=(str(rules),))
    assert s.files_extracted == 5 and count_extracts["n"] == 5


def test_stage_fingerprints_split_the_package():
    """Extraction's code never includes what only assembly runs; assembly's covers the rest."""
    extract = {runner._rel(p) for p in runner.extract_files()}
    assert "lines/classify.py" in extract and "input/decoding.py" in extract and "data/t2s_chars.tsv" in extract
    assert not extract & {"lines/wraps.py", "lines/pages.py", "repair/paragraph.py", "data/confusions.tsv"}
    assemble = {runner._rel(p) for p in runner.assemble_files()}
    assert {"repair/paragraph.py", "data/confusions.tsv", "lines/wraps.py", "run/runner.py"} <= assemble
    assert set(runner.stage_fingerprints()) == {"extract", "learn", "assemble"}


def test_a_cached_extract_keeps_what_assembling_needs(raw_rules):
    # The kept lines' indents decide hard wraps at assembly (wraps.indented_layout): a file
    # assembled from its cached extract must come out as one assembled fresh.
    text = "\n".join(["第九次党代表大会开幕词", "各位代表:"]
                     + ["  这是一段缩进的正文，讲的是全镇的工作情况。"] * 3
                     + ["  各位代表,全镇经济持续发展;", "各项改革不断深化,对外开放打开新局面;", "投资环境不断优化。"])
    ex = passes.extract_bytes(text.encode("utf-8"), "site/a.txt", raw_rules)
    again = passes.Extract.from_json(json.loads(json.dumps(ex.to_json(), ensure_ascii=False)))
    assert again == ex and any(x.indent for x in again.kept)
