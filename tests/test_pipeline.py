"""The cleaning pipeline on the real samples and on bad inputs."""

from __future__ import annotations

import os

import pytest

from docclean.input.rawfs import RawFolder
from docclean.lines.structure import build_paragraphs, find_title
from docclean.model import Line
from docclean.run.passes import build_document, process_bytes, read_and_process


def _doc(name, data, ruleset):
    r = process_bytes(data, name, ruleset)
    return r, build_document("d", [r], ruleset, "test")


def test_samples_match_annotations(samples, annotations, raw_rules):
    for name, data in samples.items():
        ann = annotations[name]
        r, doc = _doc(name, data, raw_rules)
        paras = doc.paragraphs
        assert paras[0]["kind"] == "title", name
        assert paras[0]["text"] == ann["title"], name
        assert doc.document["title"] == ann["title"]
        assert len(paras) == ann["authored_paragraphs"], name
        removed = {e["before"].strip() for e in doc.edits if e["action"] == "remove" and e["scope"] == "line"}
        expected = {b.strip() for b in ann["boilerplate_lines"]}
        assert expected <= removed, f"{name}: boilerplate left: {expected - removed}"
        # Nothing else was removed except mask-only lines, which the notes call not authored.
        extra = {e["rule"] for e in doc.edits if e["scope"] == "line" and e["before"].strip() not in expected}
        assert extra <= {"mask_only_line"}, (name, extra)
        if ann["page"]:
            assert (r.page, r.page_count) == (ann["page"]["page"], ann["page"]["of"])
            markers = [e["before"] for e in doc.edits if e["rule_class"] == "page_marker"]
            assert ann["page"]["marker"] in markers
        # Every removed line has its own edits row, and the document counts them.
        line_removals = [e for e in doc.edits if e["action"] == "remove" and e["scope"] == "line"]
        assert doc.document["n_lines_removed"] == len(line_removals) >= len(expected)


def test_authored_text_is_kept_in_order(samples, raw_rules):
    """With repairs off, paragraphs are the source lines, in order."""
    for name, data in samples.items():
        _, doc = _doc(name, data, raw_rules)
        src_lines = [line.strip(" \u3000") for line in data.decode("utf-8").splitlines() if line.strip()]
        it = iter(src_lines)
        for p in doc.paragraphs[1:]:
            assert any(p["text"] == line.strip() for line in it), (name, p["text"][:30])


def test_partial_page_document_status(samples, ruleset):
    name = next(n for n in samples if n.startswith("001"))
    _, doc = _doc(name, samples[name], ruleset)
    assert doc.document["status"] == "partial"
    assert doc.document["pages_missing"] == [1, 3]
    assert "missing page" in doc.document["error"]


def test_structure_headings_and_run_in_labels(samples, ruleset):
    name = next(n for n in samples if n.startswith("003"))
    _, doc = _doc(name, samples[name], ruleset)
    kinds = [(p["kind"], p["heading_level"], p["label"], p["section"]) for p in doc.paragraphs]
    assert kinds[1][0] == "salutation"
    headings = [k for k in kinds if k[0] == "heading"]
    assert [h[2] for h in headings] == ["一", "二", "三", "四"]
    assert {h[1] for h in headings} == {1}
    run_ins = [k for k in kinds if k[2] == "一是"]
    assert run_ins and all(k[0] == "body" and k[1] is None for k in run_ins)
    assert doc.paragraphs[-1]["kind"] == "closing"


def test_levels_follow_first_appearance(ruleset):
    lines = [Line(i + 1, t) for i, t in enumerate([
        "关于推进乡村振兴的实施方案", "一、总体要求", "（一）指导思想", "坚持以人民为中心。这是根本。",
        "（二）目标任务", "二、重点任务", "1.抓产业", "第一，发展特色产业。要因地制宜，不能一哄而上。"])]
    rules = ruleset.structure
    ti = find_title(lines, rules)
    assert ti == 0
    paras = build_paragraphs(lines, ti, rules)
    got = [(p.kind, p.heading_level, p.section) for p in paras]
    assert got[1] == ("heading", 1, "一")
    assert got[2] == ("heading", 2, "一/（一）")
    assert got[3] == ("body", None, "一/（一）")
    assert got[4] == ("heading", 2, "一/（二）")
    assert got[5] == ("heading", 1, "二")
    assert got[6] == ("heading", 3, "二/1")
    assert got[7][0] == "body" and paras[7].label == "第一"


def test_title_without_known_suffix(ruleset):
    lines = [Line(1, "全力以赴抓落实"), Line(2, "同志们："), Line(3, "今天我们召开会议。" * 5)]
    assert find_title(lines, ruleset.structure) == 0


@pytest.mark.parametrize("data,status,needle", [
    (b"", "empty", "empty file"),
    (b"   \n\r\n\t  ", "empty", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "quarantined", "binary"),
    ("微信扫码分享\n221381\n上一篇：关于某某的通知\n".encode(), "empty", "no authored text"),
    (b"<html><body><div><p>\xe5\x90\x8c\xe5\xbf\x97\xe4\xbb\xac\xef\xbc\x9a</p><p>tru", "quarantined", "truncated"),
])
def test_bad_inputs_get_status_and_no_paragraphs(ruleset, data, status, needle):
    r, doc = _doc("bad/x.html" if data.startswith(b"<") else "bad/x.txt", data, ruleset)
    assert doc.document["status"] == status
    assert needle in doc.document["error"]
    assert doc.paragraphs == []


def test_unreadable_file_is_quarantined(tmp_path, ruleset):
    link = tmp_path / "gone.txt"
    os.symlink(tmp_path / "missing-target", link)
    r = read_and_process(RawFolder(tmp_path), "gone.txt", ruleset)
    assert r.status == "quarantined" and "unreadable" in r.error


def test_damaged_bytes_keep_the_text_and_are_reported(samples, ruleset):
    name, data = next(iter(samples.items()))
    r, doc = _doc(name, data[:4000] + b"\xff\xfe" + data[4000:], ruleset)
    assert doc.document["status"] == "partial"
    assert "undecodable" in doc.document["error"]
    assert any(e["rule"] == "undecodable_bytes" and e["action"] == "flag" for e in doc.edits)
    assert len(doc.paragraphs) >= 19


def test_sample_masks_match_annotated_counts(samples, annotations, ruleset):
    for name, data in samples.items():
        _, doc = _doc(name, data, ruleset)
        assert sum(p["mask_count"] for p in doc.paragraphs) == annotations[name]["mask_occurrences"], name
        masks = [e for e in doc.edits if e["action"] == "mask"]
        assert all(e["after"] == "××" and e["rule_class"].startswith("mask:") for e in masks)
        text = "".join(p["text"] for p in doc.paragraphs)
        assert "*" not in text  # one mask spelling in the output
        if name.startswith("002"):
            assert "宪魁" in text  # a real name, not a mask
