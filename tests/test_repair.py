"""Repairs: masks, punctuation, variants; protected spans; nothing changed in clean text."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from docclean import rules as rules_mod
from docclean.repair.paragraph import repair, repair_many

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def rr():
    return rules_mod.load().repair


def fixed(text, rr):
    r = repair(text, rr)
    return r.text, r.mask_count, r.edits


@pytest.mark.parametrize("raw,want,count,types", [
    ("省第**次党代会", "省第××次党代会", 1, {"mask:number"}),
    ("XX县委书记", "××县委书记", 1, {"mask:place"}),
    ("在X区大会上", "在××区大会上", 1, {"mask:place"}),
    ("*市委第*组", "××市委第××组", 2, {"mask:place", "mask:number"}),
    ("成员*、*、*同志出席", "成员××、××、××同志出席", 3, {"mask:person"}),
    ("2023年X月X日召开", "2023年××月××日召开", 2, {"mask:number"}),
    ("增长**％", "增长××％", 1, {"mask:number"}),
    ("□□局", "××局", 1, {"mask:org"}),
    ("推动*高质量发展", "推动××高质量发展", 1, {"mask:unknown"}),
])
def test_masks_by_context(rr, raw, want, count, types):
    text, n, edits = fixed(raw, rr)
    assert (text, n) == (want, count)
    assert {e.rule_class for e in edits if e.action == "mask"} == types
    assert all(e.confidence < 1 for e in edits if e.action == "mask")


@pytest.mark.parametrize("raw", ["拍X光片检查", "X射线检测", "GDP增长", "iPhone X上市", "x86架构",
                                 "见http://a.com/X/y", "3*4=12", "注：*为估算数"])
def test_never_masks(rr, raw):
    text, n, edits = fixed(raw, rr)
    assert n == 0 and not [e for e in edits if e.action == "mask"]
    assert "X光" in text or "X射线" in text or "X" not in raw or "X" in text


def test_mask_token_is_configurable(tmp_path):
    (tmp_path / "repair.toml").write_text('[mask]\ntoken = "[MASK]"\n', "utf-8")
    rr = rules_mod.load((str(tmp_path),)).repair
    assert repair("XX县", rr).text == "[MASK]县"


@pytest.mark.parametrize("raw,want", [
    ("他说:要抓落实,不能等!", "他说：要抓落实，不能等！"),
    ('提出"三新三强"目标', "提出“三新三强”目标"),
    ("(一)总体要求", "（一）总体要求"),
    ("是否落实?要检查", "是否落实？要检查"),
    ("这是第一步．下一步", "这是第一步。下一步"),
])
def test_half_width_punctuation_in_chinese(rr, raw, want):
    assert fixed(raw, rr)[0] == want


@pytest.mark.parametrize("raw", ["增长3.5%,达到1,000亿元", "时间为10:30", "见https://www.gov.cn/a?b=1,c",
                                 "Hello, world!", "1．总体要求", "GDP(国内生产总值)增长"])
def test_numbers_urls_latin_untouched(rr, raw):
    text = fixed(raw, rr)[0]
    for token in re.findall(r"\d[\d.,:%]*\d%?|https?://\S+|Hello, world!|1．", raw):
        assert token in text


def test_unbalanced_quotes_are_flagged_not_guessed(rr):
    text, _, edits = fixed('他说"要抓落实', rr)
    assert '"' in text
    assert [e.rule for e in edits if e.action == "flag"] == ["unbalanced_quotes"]
    text, _, edits = fixed("（一）总体要求（二", rr)
    assert any(e.rule == "unbalanced_brackets" for e in edits)


def test_variants_are_mapped(rr):
    text, _, edits = fixed("三是持续落实惠民的筞。", rr)
    assert text == "三是持续落实惠民的策。"
    assert [(e.before, e.after, e.rule) for e in edits] == [("筞", "策", "variant_char")]


def test_no_repair_changes_nothing():
    rr = rules_mod.load(no_repair=True).repair
    assert not rr.enabled


def _clean_sentences():
    """Authored paragraphs of the hand-made evaluation pages: clean official-style Chinese."""
    out = []
    for name in ("cases.txt", "heldout.txt"):
        for line in (ROOT / "benchmarks" / "eval" / name).read_text("utf-8").splitlines():
            if line and not line.startswith(("#", "!", "===")) and "{{" not in line:
                out.append(line)
    return out


def test_zero_false_edits_on_clean_text(rr):
    sentences = _clean_sentences()
    assert len(sentences) > 60
    for s in sentences:
        text, n, edits = fixed(s, rr)
        assert (text, n, edits) == (s, 0, []), s


@pytest.mark.parametrize("raw,want,rule", [
    ("我们要再接再励，争取更大胜利", "我们要再接再厉，争取更大胜利", "idiom_homophone"),
    ("他迫不急待地出发了", "他迫不及待地出发了", "idiom_homophone"),
    ("一如继往地支持", "一如既往地支持", "idiom_homophone"),
    ("争取G党P增长", "争取GDP增长", "acronym_damage"),
    ("截止目前，已完成", "截至目前，已完成", "jiezhi_time"),
    ("关注心里健康", "关注心理健康", "xinli_psychology"),
    ("取的明显成效", "取得明显成效", "de_achieve"),
    ("让干事的人不受委曲", "让干事的人不受委屈", "weiqu_suffer"),
])
def test_typos_fixed(rr, raw, want, rule):
    text, _, edits = fixed(raw, rr)
    assert text == want
    assert [e.rule for e in edits if e.action == "repair"] == [rule]


@pytest.mark.parametrize("raw", ["基本建成小康社会", "全国人代会", "委曲求全", "价值的体现", "G20峰会",
                                 "见《再接再励》一文", "发展APP应用"])
def test_typos_left_alone(rr, raw):
    text, _, edits = fixed(raw, rr)
    assert text == raw and not [e for e in edits if e.action == "repair"]


def test_uncertain_pair_is_flagged_not_changed(rr):
    text, _, edits = fixed("这项工作做的很好", rr)
    assert text == "这项工作做的很好"
    assert [(e.action, e.rule) for e in edits] == [("flag", "de_uncertain")]


# ----------------------------------------------------------------------------- confusion scorer

@pytest.mark.parametrize("raw,want", [
    ("在县委、县正府的领导下", "在县委、县政府的领导下"),
    ("要加强对任员密集场所的检查。", "要加强对人员密集场所的检查。"),
])
def test_single_character_typo_fixed_with_two_sided_evidence(rr, raw, want):
    text, _, edits = fixed(raw, rr)
    assert text == want
    [e] = [e for e in edits if e.action == "repair"]
    assert e.rule == "confusion_char" and e.rule_class == "typo"
    assert raw[e.offset] == e.before and want[e.offset] == e.after and 0.7 <= e.confidence <= 0.9


def test_one_sided_evidence_is_a_flag_with_the_suggestion(rr):
    # The character starts a run of Chinese, so only its right-hand pair is evidence:
    # official coinages (提效，增智，) look like this, so it is never enough for a change.
    text, _, edits = fixed("各位领导、统志们：", rr)
    assert text == "各位领导、统志们："
    [e] = edits
    assert (e.action, e.rule, e.before, e.offset, e.after) == ("flag", "confusion_char", "统", 5, "同")
    # The same evidence on both sides is a repair.
    assert fixed("各位领导和统志们：", rr)[0] == "各位领导和同志们："


def test_a_rare_list_word_does_not_hide_a_typo(rr):
    # 共作 is in the recent word list, but at Zipf 1.4 (segmentation debris): it covers
    # nothing at the default min_cover_zipf, and everything when the bar is removed.
    raw = "在全县教育共作会议上的讲话"
    assert repair(raw, rr).text == "在全县教育工作会议上的讲话"
    every_word_covers = dataclasses.replace(rr, confusion=dataclasses.replace(rr.confusion, min_cover_zipf=0))
    assert repair(raw, every_word_covers).text == raw


def test_patterned_phrases_are_deliberate(rr):
    # The same 以商 is a typo for 以上 on its own, but ABCB / ABAC phrases are coinages.
    assert repair("请以商发言为准", rr).text == "请以上发言为准"
    for raw in ("强化以商招商意识", "坚持先行先试的原则"):
        assert repair(raw, rr).text == raw


@pytest.mark.parametrize("raw", ["李任员同志指出", "陈认民同志指出", "会上，书记刘校习强调"])
def test_person_names_are_protected(rr, raw):
    text, _, edits = fixed(raw, rr)
    assert text == raw and not [e for e in edits if e.action == "repair"]
    # ... because of the name rule: without it the scorer would "fix" the given name.
    no_names = dataclasses.replace(rr, protect=tuple(p for p in rr.protect if p[0] != "person_name"))
    assert repair(raw, no_names).text != raw


def test_confusion_scorer_can_be_switched_off(tmp_path):
    (tmp_path / "repair.toml").write_text("[typo.confusion]\nenabled = false\n", "utf-8")
    rr = rules_mod.load([str(tmp_path)]).repair
    assert rr.confusion is None
    assert repair("在县委、县正府的领导下", rr).text == "在县委、县正府的领导下"


def test_confusion_thresholds_are_checked(tmp_path):
    (tmp_path / "repair.toml").write_text("[typo.confusion]\nenabled = true\nmin_gain = 3\n", "utf-8")
    with pytest.raises(rules_mod.RuleError, match="min_gain"):
        rules_mod.load([str(tmp_path)])


# ----------------------------------------------------------------------------- OpenCC option

def test_script_is_kept_by_default(rr):
    assert repair("環境保護是發展的基礎", rr).text == "環境保護是發展的基礎"


def test_opencc_option_converts_and_records(tmp_path):
    pytest.importorskip("opencc")
    (tmp_path / "repair.toml").write_text('[variants]\nopencc = "t2s"\n', "utf-8")
    rr = rules_mod.load([str(tmp_path)]).repair
    r = repair("環境保護是發展的基礎，見《關於加強黨的建設》", rr)
    assert r.text == "环境保护是发展的基础，见《關於加強黨的建設》"  # 《titles》 are protected
    script = [e for e in r.edits if e.rule == "opencc_t2s"]
    assert [e.before for e in script] == list("環護發礎見") and all(e.rule_class == "script" and e.action == "normalize" for e in script)
    assert all(r.text[e.offset] == e.after for e in script)


# ----------------------------------------------------------------------------- set phrases

@pytest.mark.parametrize("raw, want", [
    ("深入推进筒政放权改革", "深入推进简政放权改革"),  # shape: 筒 竹同 / 简 竹间 (data/shapes.tsv)
    ("真正学深悟透、融汇贯通。", "真正学深悟透、融会贯通。"),  # a well-known misspelling, frequent on the web
    ("坚持稳中球进工作总基调", "坚持稳中求进工作总基调"),  # sound
    ("要往深里走、往心理走。", "要往深里走、往心里走。"),  # 心理/心里 by the words around it
    ("全力铆定目标任务", "全力锚定目标任务"),  # a 提法 of data/official_phrases.txt; shape: 铆 钅卯 / 锚 钅苗
    ("坚持守正创心", "坚持守正创新"),  # sound
])
def test_set_phrase_one_character_off_is_repaired(rr, raw, want):
    r = repair(raw, rr)
    assert r.text == want
    assert all(e.rule_class == "typo" for e in r.edits if e.action == "repair")


@pytest.mark.parametrize("raw", [
    "推进简政放权，做到融会贯通，坚持稳中求进、稳中有进。",
    "锚定目标不放松，守正创新，蹄疾步稳，久久为功。",  # 提法 the older word lists lack
    "纪检监察机关应当在职权范围内予以纠正",  # a listed word is no misspelling of 纪检检察
    "在民主法治社会，保障权利的实现",  # two common words, not a phrase gone wrong
    "近十年来，医疗保障凭证由本人保管",  # numerals are never swapped
    "加强心理健康教育，关注学生心理",
])
def test_set_phrase_leaves_correct_text(rr, raw):
    assert repair(raw, rr).text == raw


def test_set_phrase_catches_a_four_character_word_first(rr):
    r = repair("各乡镇认民政府要高度重视", rr)
    assert r.text == "各乡镇人民政府要高度重视"
    assert [(e.rule, e.before, e.after) for e in r.edits if e.action == "repair"] == [("set_phrase", "认民政府", "人民政府")]


def test_set_phrase_shape_relation():
    from docclean.repair.typos import set_phrases
    m = set_phrases()
    assert m.related("筒", "简") and m.related("铆", "锚") and m.related("汇", "会")
    assert not m.related("有", "求")


@pytest.mark.parametrize("raw", [
    "茶座叹了一口气，把茶放下",  # a four-gram across words is no phrase (叹了一口 / 咬了一口)
    "到了2005年的一季度数据",  # function characters are never swapped
    "日本的国民，现在",
    "有鉴於此，在今天",  # a traditional form is the source's script
    "或远的细节与面孔串在一起。",
])
def test_set_phrase_leaves_web_prose(rr, raw):
    assert repair(raw, rr).text == raw


def test_set_phrase_fixes_misspelled_idioms_in_prose(rr):
    assert repair("共产党感到走头无路，令人莫明其妙", rr).text == "共产党感到走投无路，令人莫名其妙"


# ----------------------------------------------------------------------------- a document at once

@pytest.mark.parametrize("join_max", [100_000, 60])  # one join, and joins of a few paragraphs each
def test_a_document_repaired_whole_is_its_paragraphs_repaired_one_by_one(rr, join_max, monkeypatch):
    from docclean.repair import paragraph

    monkeypatch.setattr(paragraph, "_JOIN_MAX_CHARS", join_max)
    # repair_many joins the paragraphs for the finders' array work: no finding may reach
    # across a join, and offsets are each paragraph's own. Typos at a paragraph's start and
    # end (next to the join), masks, acronyms that change lengths, a paragraph without any
    # Chinese and one holding the joining character itself.
    real = [ln.strip() for p in sorted((ROOT / "raw").glob("*.txt"))[:3]
            for ln in p.read_text("utf-8", "replace").splitlines() if ln.strip()]
    doc = ["筒政放权", "融汇贯通", "在县委、县正府的领导下", "XX县委书记说再接再励", "争取G党P增长，一如继往",
           "Annual report 2023", "", "这项工作做的很好", "截止目前，已完成", *real[:40],
           "要加强对任员密集场所的检查。"]
    # The document's own spelling (confusion_echo) reads the whole document on purpose: off
    # here, and below the one thing it adds.
    no_echo = dataclasses.replace(rr, confusion=dataclasses.replace(rr.confusion, echo_min_count=0))
    for r in (no_echo, dataclasses.replace(no_echo, confusion=dataclasses.replace(no_echo.confusion, word_min_gain=14.0))):
        for d in (doc, doc + ["关注心里健康\x00再接再励"]):
            whole = repair_many(d, r)
            alone = [repair(t, r) for t in d]
            assert [(x.text, x.edits, x.mask_count) for x in whole] == \
                [(x.text, x.edits, x.mask_count) for x in alone]
            assert sum(1 for x in whole for e in x.edits if e.action == "repair") >= 8  # the typos were found
    # With it on, a document that writes 政治生态 three times fixes its one 政治生胎, which
    # that paragraph alone cannot; nothing else changes.
    doc = doc + ["把营造风清气正的政治生态作为基础性工作。", "政治生态的好坏关系全局。", "以良好的政治生态凝聚人心。",
                 "要把风清气正的政治生胎作为经常性工作。"]
    whole, alone = repair_many(doc, rr), repair_many(doc, no_echo)
    echo = [(k, e.before, e.after) for k, x in enumerate(whole) for e in x.edits if e.rule == "confusion_echo"]
    assert echo == [(len(doc) - 1, "胎", "态")]
    assert whole[-1].text == "要把风清气正的政治生态作为经常性工作。"
    assert [(x.text, x.edits) for x in whole[:-1]] == [(x.text, x.edits) for x in alone[:-1]]
