"""The word-level typo stage (confusion.ConfusionScorer.find_words): real errors of the
ECSpell odw.train development set corrected, correct official text left alone."""

from __future__ import annotations

import dataclasses

import pytest

from docclean import rules as rules_mod
from docclean.repair.paragraph import repair, repair_many


@pytest.fixture(scope="module")
def rr():
    """The rules with the word-level stage switched on (it is off by default: see repair.toml)."""
    default = rules_mod.load().repair
    return dataclasses.replace(default, confusion=dataclasses.replace(default.confusion, word_min_gain=14.0))


# Correct coinages and idioms of the sample speeches in raw/ that the stage, when on, changes:
# why it is off by default.
SAMPLE_COINAGES = ["要让群众上楼更轻松、养老更放心、文体娱活动更丰富。", "下棋找高手、弄斧到班门，要合理确定参照系。",
                   "推进全域土地综合整治和“腾笼换鸟”“空间换地”。", "打大算盘、多算大账，让各项决策更科学。"]


def test_the_word_stage_is_off_by_default_and_why(rr):
    default = rules_mod.load().repair
    assert all(repair(t, default).text == t for t in SAMPLE_COINAGES)
    assert any(repair(t, rr).text != t for t in SAMPLE_COINAGES)


def typo_edits(text, rr):
    return [(e.rule, e.before, e.after) for e in repair(text, rr).edits if e.rule_class == "typo"]


# Sentences of odw.train (a development set) with the correct form.
@pytest.mark.parametrize("raw,want,rule", [
    ("内蒙古自治区乌兰察布市大力培育发展大数局产业。", "内蒙古自治区乌兰察布市大力培育发展大数据产业。", "confusion_word"),
    ("人力资源社会保障部、中国残联等按职责分工负责，年内持旭推进", "人力资源社会保障部、中国残联等按职责分工负责，年内持续推进",
     None),  # the single-character scorer's
    ("将天然气产供储销体系重大工程建射纳入相关专项督查。", "将天然气产供储销体系重大工程建设纳入相关专项督查。", None),
    ("完善浓产品上行发展机制。", "完善农产品上行发展机制。", "confusion_word"),
    ("承担预算债效评价有关工作。", "承担预算绩效评价有关工作。", "confusion_word"),
    ("组长由国务院机关党祖成员、国办督查室主任高雨担任。", "组长由国务院机关党组成员、国办督查室主任高雨担任。", "confusion_word"),
    ("推动“五证合一、一照一码”营业直招广泛应用。", "推动“五证合一、一照一码”营业执照广泛应用。", "confusion_word_pair"),
    ("指导财政系统人才堆物建设和教育培训工作。", "指导财政系统人才队伍建设和教育培训工作。", "confusion_word_pair"),
])
def test_train_set_typos_corrected(rr, raw, want, rule):
    r = repair(raw, rr)
    assert r.text == want
    assert rule is None or rule in {e.rule for e in r.edits}


def test_one_side_needs_a_longer_word(rr):
    # 匍助 -> 辅助 with no Chinese before it: 辅助性 is a word of three characters
    out = repair("匍助性职位，是指具有较强事务性的职位。", rr).text
    assert out == "辅助性职位，是指具有较强事务性的职位。"


@pytest.mark.parametrize("raw", [
    # correct sentences of odw.train with coinages and abbreviations next to frequent words
    "将天然气产供储销体系重大工程建设纳入相关专项督查。",  # 产供储销: not 促销
    "坚持有仓必到、有库必查。",  # 有X必Y: not 有何
    "探索运用股债结合、投贷联动和夹层融资等方式。",  # 股债, 投贷: not 股份, 投资
    "坚持法治反拐基本原则，为深化反拐工作提供法律法规和政策支持。",  # 反拐 is a listed word
    "宁波市海曙区市场监管局开展专项检查。",  # a place name before 区
    "以学铸魂、以学增智、以学正风、以学促干。",
    "出台更实举措，推动党内法规制度建设。",
    "《数局产业发展规划》已印发。",  # a 《title》 is protected
])
def test_correct_official_text_untouched(rr, raw):
    assert [e for e in typo_edits(raw, rr) if e[0].startswith("confusion_word")] == []


def test_word_stage_can_be_switched_off(rr):
    off = dataclasses.replace(rr, confusion=dataclasses.replace(rr.confusion, word_min_gain=0.0))
    raw = "内蒙古自治区乌兰察布市大力培育发展大数局产业。"
    assert repair(raw, off).text == raw


def test_single_character_fix_preferred_over_a_pair(rr):
    # 检茶组: 检查组 (one character) rather than 监察组 (two)
    assert repair("此次大检查共组织检茶组12个。", rr).text == "此次大检查共组织检查组12个。"


# ----------------------------------------------------------------- the document's own spelling

def test_a_one_off_variant_of_a_word_the_document_repeats_is_repaired_by_the_document():
    """confusion.ConfusionScorer._echoes: the document writes 政治生态 three times, so a
    lone 政治生胎 is its typo; the same sentence alone, with no such evidence, stays."""
    default = rules_mod.load().repair
    doc = ["一是把营造风清气正的政治生态作为基础性工作。", "二是政治生态的好坏关系全局。",
           "三是以良好的政治生态凝聚人心。", "四是要把风清气正的政治生胎作为经常性工作。"]
    out = repair_many(doc, default)
    assert out[3].text == "四是要把风清气正的政治生态作为经常性工作。"
    assert [(e.rule, e.before, e.after) for e in out[3].edits] == [("confusion_echo", "胎", "态")]
    assert all(not r.edits for r in out[:3])
    assert repair(doc[3], default).text == doc[3]
    off = dataclasses.replace(default, confusion=dataclasses.replace(default.confusion, echo_min_count=0))
    assert repair_many(doc, off)[3].text == doc[3]


def test_the_document_evidence_does_not_borrow_a_neighbour_from_another_word():
    """会议|是 is no 议题, and 和 is grammar: even when the document writes 议题 and 汉语 often."""
    default = rules_mod.load().repair
    doc = ["本次议题有三项。", "第一个议题是预算。", "第二个议题是人事。", "市政府常务会议是讨论决定重大事项的会议。",
           "汉语教学，汉语研究，汉语推广。", "多媒体和语文教学等领域从中得益。"]
    assert [r.text for r in repair_many(doc, default)] == doc


# Correct text that the typo finders once changed, from the own development pages' authored
# paragraphs (benchmarks/real_pages), each left alone by a guard of its own.
@pytest.mark.parametrize("text", [
    "用兵之道，以计为首。",  # 以X为Y frames a chosen X (no 以及)
    "眾所周知，普通話作為國家通用語言。",  # the idiom in the other script is no typo
    "向我国的工人阶級致以最热烈的祝贺。",  # (mixed scripts: the same)
    "参加大学生科技创新大赛的同学。",  # 大学生|科技: the four characters straddle two words (no 大学本科)
    "公安、交警、消防、安监等部门干部职工。",  # 等 is a function character: 安监|等部门 (no 监管部门)
    "区域供水通村达户率达到百分之八十。",  # a place character is never a suspect (no 通过)
])
def test_correct_text_of_real_pages_is_left_alone(text):
    default = rules_mod.load().repair
    assert repair(text, default).text == text


def test_a_set_phrase_typo_before_a_word_is_still_repaired():
    """The straddle guard looks at the swapped half only: 筒政|放权力度 keeps its fix."""
    assert repair("推进筒政放权力度。", rules_mod.load().repair).text == "推进简政放权力度。"
