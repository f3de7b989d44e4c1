"""Structure in both scripts; labels and sections written as the final text writes them."""

from __future__ import annotations

import pickle

import pytest

from docclean import rules as rules_mod
from docclean import text
from docclean.run import passes

TRADITIONAL = """在全縣工作會議上的講話
同志們：
今天我們召開全縣工作會議，主要任務是總結去年的工作，部署今年的任務。剛才，幾位同志作了很好的發言，我都贊同。下面，我再講幾點意見。
一、充分肯定過去一年取得的成績
過去一年，全縣上下認真貫徹落實各項決策部署，經濟社會發展取得了新的成績，人民群眾的獲得感不斷增強。
(一)經濟運行穩中向好
全年地區生產總值增長百分之六，固定資產投資增長百分之八，各項指標完成情況好於預期，為今年的發展打下了堅實基礎。
第二個問題，認清形勢，明確今年的目標任務
今年是關鍵之年，我們要保持清醒頭腦，增強憂患意識，以更加昂揚的鬥志投入到各項工作中去，確保完成全年目標任務。
同志們，新的一年任務艱巨，讓我們振奮精神，真抓實幹，為全縣高質量發展作出新的更大貢獻！
"""
WANT = [("title", None), ("salutation", None), ("body", None), ("heading", "一"), ("body", None),
        ("heading", "（一）"), ("body", None), ("heading", "第二个问题"), ("body", None), ("closing", None)]


def _build(body: str, no_repair: bool = False):
    rs = rules_mod.load(no_repair=no_repair)
    r = passes.process_bytes(body.encode("utf-8"), "t.txt", rs)
    return passes.build_document("x", [r], rs, "v")


@pytest.mark.parametrize("script", ["traditional", "simplified"])
def test_structure_in_both_scripts(script):
    body = TRADITIONAL if script == "traditional" else text.simplified(TRADITIONAL)
    built = _build(body)
    got = [(p["kind"], text.simplified(p["label"]) if p["kind"] == "heading" else None) for p in built.paragraphs]
    assert got == WANT
    assert built.document["title"] == body.splitlines()[0]
    assert [p["section"] for p in built.paragraphs][5:7] == ["一/（一）", "一/（一）"]


def test_labels_written_as_the_text_writes_them():
    for no_repair in (False, True):
        built = _build(TRADITIONAL, no_repair=no_repair)
        for p in built.paragraphs:
            if p["label"]:
                assert p["text"].startswith(p["label"]), (p["label"], p["text"][:10])
            if p["section"]:
                assert p["section"].split("/")[-1] in {q["label"] for q in built.paragraphs}
    repaired = _build(TRADITIONAL).paragraphs[5]
    assert repaired["text"].startswith("（一）") and repaired["label"] == "（一）"


def test_folded_patterns_travel_to_workers():
    st = rules_mod.load().structure
    again = pickle.loads(pickle.dumps(st))
    assert again.salutation.match("同志們：") and again.closing.match("謝謝大家！")
    assert not again.salutation.match("今天我們召開會議。")
