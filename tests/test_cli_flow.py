"""`docclean run` end to end: the real Prefect flow on its temporary local server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyarrow.dataset as ds

DOCCLEAN = Path(sys.executable).with_name("docclean")


def _run(args, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(tmp_path / ".prefect")
    env["COLUMNS"] = "120"
    return subprocess.run([str(DOCCLEAN), "run", *args], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=600)


def test_docclean_run_twice(raw_copy, tmp_path):
    (raw_copy / "broken.bin").write_bytes(b"\x00\x01\x02" * 100)
    # A document over two pages, so the run also stitches.
    lines = next(raw_copy.glob("003_*.txt")).read_text("utf-8").splitlines()
    half = len(lines) // 2
    (raw_copy / "paged").mkdir()
    for n, body in ((1, lines[1:half]), (2, lines[half:])):
        (raw_copy / "paged" / f"p{n}.txt").write_text("\n".join([f"{lines[0]}(第{n}/2页)", *body]), "utf-8")
    out = tmp_path / "processed"
    # batch-size 2 gives 3 batches, so the process-pool task runner is used.
    first = _run(["--raw", str(raw_copy), "--out", str(out), "--batch-size", "2"], tmp_path)
    assert first.returncode == 0, first.stderr
    for noise in ("Traceback", "ERROR", "Exception"):
        assert noise not in first.stderr + first.stdout
    # The summary is the command's output (stdout); the progress bars are on stderr.
    assert "documents ok" in first.stdout and "quarantined" in first.stdout
    assert "broken.bin" in first.stdout  # the quarantined input is named with its reason
    assert "partial" in first.stdout and "001_019269771721435d.txt" in first.stdout  # and the partial one
    for phase in ("extracting files", "assembling documents"):  # one bar per pass, drawn once
        assert first.stderr.count(phase) == 1, first.stderr
    docs = ds.dataset(out / "documents").to_table().to_pylist()
    paged = [d for d in docs if d["sources"][0].startswith("paged/")]
    assert [(d["sources"], d["status"]) for d in paged] == [(["paged/p1.txt", "paged/p2.txt"], "ok")]
    assert sorted(d["status"] for d in docs if d not in paged) == ["ok"] * 4 + ["partial", "quarantined"]
    paras = ds.dataset(out / "paragraphs").to_table().to_pylist()
    assert sum(p["doc_id"] != paged[0]["doc_id"] for p in paras) == 95
    assert (tmp_path / ".prefect").is_dir()  # Prefect's database stays where we put it

    # The same folder as an fsspec URL is the same input: nothing to do.
    second = _run(["--raw", raw_copy.resolve().as_uri(), "--out", str(out)], tmp_path)
    assert second.returncode == 0, second.stderr
    assert "nothing new or changed" in second.stdout and f"{out} left as it was" in second.stdout
    assert ds.dataset(out / "paragraphs").count_rows() == len(paras)
    # A new file is read through the URL by the workers.
    (raw_copy / "new.txt").write_text("在全县大会上的讲话\n同志们：\n" + "推进各项工作落实。" * 30, "utf-8")
    third = _run(["--raw", raw_copy.resolve().as_uri(), "--out", str(out), "--json"], tmp_path)
    assert third.returncode == 0, third.stderr
    import json

    assert json.loads(third.stdout)["files_processed"] == 1  # stdout is the JSON summary alone
    docs = ds.dataset(out / "documents").to_table().to_pylist()
    assert [d["status"] for d in docs if d["sources"] == ["new.txt"]] == ["ok"]


def test_output_url_is_a_clear_error(tmp_path):
    res = _run(["--raw", str(tmp_path), "--out", "s3://bucket/processed"], tmp_path)
    assert res.returncode == 1
    assert "local folder" in res.stderr and "Traceback" not in res.stderr


def test_missing_raw_folder_is_a_clear_error(tmp_path):
    res = _run(["--raw", str(tmp_path / "nope")], tmp_path)
    assert res.returncode == 1
    assert "raw folder not found" in res.stderr and "Traceback" not in res.stderr


def test_unusable_raw_url_is_a_clear_error(tmp_path):
    res = _run(["--raw", "nosuchstore://bucket/raw"], tmp_path)
    assert res.returncode == 1
    assert "cannot open raw folder nosuchstore://bucket/raw" in res.stderr and "Traceback" not in res.stderr


def test_wrong_usage_fails_at_once_with_one_line(raw_copy, tmp_path):
    """Each mistake is named in one line, with no traceback, before Prefect is started."""
    from docclean.store.folder import Store

    bad_pack = tmp_path / "badpack"
    bad_pack.mkdir()
    (bad_pack / "boilerplate.toml").write_text("[[rule]\nname = 'x'\n", "utf-8")
    bad_regex = tmp_path / "badregex"
    bad_regex.mkdir()
    (bad_regex / "boilerplate.toml").write_text('[[rule]]\nname = "broken"\npattern = "(unclosed"\n', "utf-8")
    a_file = tmp_path / "not_a_folder.txt"
    a_file.write_text("x", "utf-8")
    locked_out = tmp_path / "busy"
    cases = [
        (["--raw", str(raw_copy), "--out", str(a_file)], "is a file"),
        (["--raw", str(a_file), "--out", str(tmp_path / "o1")], "is a file"),
        (["--raw", str(raw_copy), "--out", str(tmp_path / "o2"), "--rules", str(bad_pack)], "boilerplate.toml"),
        (["--raw", str(raw_copy), "--out", str(tmp_path / "o3"), "--rules", str(bad_regex)], "broken"),
        (["--raw", str(raw_copy), "--out", str(locked_out)], "another docclean run"),
    ]
    with Store(locked_out).locked():  # a run already writing to this output
        for args, message in cases:
            res = _run(args, tmp_path)
            text = res.stdout + res.stderr
            assert res.returncode == 1, (args, text)
            assert message in text, (args, text)
            assert "Traceback" not in text and "Prefect:" not in text, (args, text)
            assert not (tmp_path / ".prefect" / "docclean-server.json").exists()  # no server started
            assert len([x for x in text.splitlines() if x.strip()]) <= 2, (args, text)
