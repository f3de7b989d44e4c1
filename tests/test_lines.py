"""Line classes on real pages: what must go, what must stay, hard wraps rebuilt.

The pages in tests/data/real_pages are real scraped pages labelled line by line by
people who did not write the rules (see its README). Each test page must come out
exactly as labelled; the other tests pin one behaviour each, on real lines.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from docclean.lines import junk, wraps
from docclean.lines.classify import classify, clean_lines
from docclean.model import Line
from docclean.run.passes import build_document, process_bytes

PAGES = Path(__file__).parent / "data" / "real_pages"
NAMES = sorted(p.stem for p in PAGES.glob("*.txt"))


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def _page(name: str):
    text = (PAGES / f"{name}.txt").read_text("utf-8")
    labels = json.loads((PAGES / f"{name}.labels.json").read_text("utf-8"))
    paragraphs = json.loads((PAGES / f"{name}.paragraphs.json").read_text("utf-8"))
    return text, labels, paragraphs


def _run(name: str, ruleset):
    text, _, _ = _page(name)
    r = process_bytes(text.encode("utf-8"), f"site/{name}.txt", ruleset)
    return r, build_document("d", [r], ruleset, "test")


@pytest.mark.parametrize("name", NAMES)
def test_real_page_comes_out_as_labelled(name, raw_rules):
    text, labels, want = _page(name)
    r, doc = _run(name, raw_rules)
    assert [_norm(p["text"]) for p in doc.paragraphs] == [_norm(p) for p in want if _norm(p)]
    # Every boilerplate line is removed by a line edit that says why.
    removed = {e["line"]: e for e in doc.edits if e["action"] == "remove" and e["scope"] == "line"}
    for i, lab in enumerate(labels["lines"]):
        if lab["label"] == "boilerplate":
            e = removed.get(i + 1)
            assert e is not None, (name, i, text.splitlines()[i])
            assert e["rule"] and e["rule_class"] and e["evidence"]


def test_the_pages_cover_every_line_class():
    classes = Counter()
    for name in NAMES:
        _, labels, _ = _page(name)
        classes.update(x["class"] for x in labels["lines"] if x["label"] == "boilerplate")
        classes.update(x["class"] for x in labels["inline"])
        classes.update(x["label"] for x in labels["lines"] if x["label"] in ("content", "cont"))
    for cls in ("jammer", "metadata", "banner", "navigation", "related_list", "site_title_repeat", "ad",
                "copyright", "page_marker", "share_prompt", "ui_control", "seo_keyword", "content", "cont"):
        assert classes[cls] > 0, cls


# A real speech's opening (shared page 05), used as the body around lines under test.
BODY = [
    "全县项目建设增长工作会议讲话",
    "同志们:",
    "今天的这个会议非常重要,也非常必要。说重要,因为这是在全球宏观经济困境中如何把握形势、增强信心,"
    "提出积极应对措施,以推动XX经济在这几年快速健康发展基础上保持平稳发展的重要会议。",
    "刚才,根据掌握的情况和市政府安排拿出来的方案,新平同志把我县明后两年的项目情况,给大家做了通报,"
    "并以表格的形式进行了印发。但这仅仅是初步的,在中央经济会议以后,今后两年根据实际情况,我们还要做不断的调整、增加。",
]


@pytest.mark.parametrize("sentence", ["各村向困难群众免费赠送春联。", "学校要扫码登记进出人员。",
                                      "关注公众号的家长越来越多。", "点击率和下载量都有了明显提升。"])
def test_short_authored_sentence_with_ad_words_stays_in_the_body(sentence, raw_rules):
    lines = BODY[:3] + [sentence] + BODY[3:]
    out = clean_lines(lines, raw_rules)
    assert sentence in [x.text for x in out.kept]


def test_same_words_as_chrome_outside_the_body_go(raw_rules):
    # Above the title, a prompt made of the same words is the site's.
    lines = ["扫码关注公众号", "免费下载全文", *BODY]
    out = clean_lines(lines, raw_rules)
    assert [x.text for x in out.kept] == BODY


def test_official_document_parts_are_never_removed(raw_rules):
    header = ["某某县人民政府文件", "某政发〔2023〕5号", "签发人：张三", "机密★1年", "特急"]
    doc = ["某某县人民政府关于做好春节期间安全生产工作的通知", "各乡镇人民政府，县政府各部门：",
           "春节将至，为切实做好全县安全生产工作，确保人民群众度过一个欢乐祥和的节日，经县政府同意，现将有关事项通知如下。",
           "附件：1.春节期间值班安排表", "某某县人民政府", "2023年1月10日", "（联系人：李四，电话：1234567）",
           "抄送：县委办公室，县人大常委会办公室。"]
    # A site's chrome around the document, as template sites put it.
    lines = ["www.gongwen123.com 公文范文网", "当前位置：首页 > 通知", *header, *doc, "上一篇：关于开展春季植树活动的通知"]
    out = clean_lines(lines, raw_rules)
    assert [x.text for x in out.kept] == header + doc
    # A normative document's registration number under its title (dev pages aw21, aw22).
    for number in ("TXDR202101003", "HHCR-2023-01005"):
        out = clean_lines(["当前位置：首页 > 通知", doc[0], number, *doc[1:]], raw_rules)
        assert [x.text for x in out.kept] == [doc[0], number, *doc[1:]]


def test_gov_site_name_above_the_title_is_a_banner_not_a_signoff(raw_rules):
    # b03 (a gov site): the site's name heads the page; a 落款 closes the document.
    r, doc = _run("b03", raw_rules)
    texts = [p["text"] for p in doc.paragraphs]
    assert "嵊州市人民政府" not in texts


def test_pdf_hard_wraps_are_rejoined_and_recorded(raw_rules):
    r, doc = _run("s34", raw_rules)
    assert doc.paragraphs[0]["text"].replace(" ", "") == "镇党委领导班子2025年度民主生活会对照检查材料(含案例)"
    assert doc.paragraphs[0]["kind"] == "title"
    joins = [e for e in doc.edits if e["action"] == "normalize"]
    assert joins and all(e["rule"].startswith("wrap_") for e in joins)
    # Headings are never joined into the paragraph before or after them.
    assert "一、存在的主要问题" in [p["text"] for p in doc.paragraphs]


def test_wraps_never_join_across_structure(raw_rules):
    st = raw_rules.structure
    lines = [Line(i + 1, t) for i, t in enumerate([
        "各位代表、", "同志们:",                         # a salutation wrapped: joined
        "一、总体要求", "今年的工作要以高质量发展为主题,",  # heading then text: not joined
        "坚持稳中求进,", "(一)强化项目支撑",             # a list label starts a paragraph
        "男:尊敬的各位领导", "女:亲爱的朋友们",           # speakers are separate
    ])]
    out, edits, _ = wraps.join_wrapped(lines, st, None)
    assert [x.text for x in out] == ["各位代表、同志们:", "一、总体要求", "今年的工作要以高质量发展为主题,坚持稳中求进,",
                                     "(一)强化项目支撑", "男:尊敬的各位领导", "女:亲爱的朋友们"]
    assert {e.rule for e in edits} == {"wrap_mid_sentence"}


def test_jammer_strings_go_authored_ascii_stays():
    assert junk.jammer_line("% _* ^( \\$ K+ }- ^& A5 ~")          # shared page 01
    text = "2 O; C) B# m) l8 m3 Y\" \\9 N: o在各级机关,会议主持词是常写常用的一种应用文。"
    assert [text[a:b] for a, b in junk.jammer_spans(text)] == ["2 O; C) B# m) l8 m3 Y\" \\9 N: o"]
    fragment = "% H, N8 ]: q: }. q! v(一)领导讲话稿的概念"               # shared page 02: "(一)" stays
    assert fragment[slice(*junk.jammer_spans(fragment)[0])] == "% H, N8 ]: q: }. q! v"
    aside = "这是说理的必要前提(抑下去,让大家注意听)& Z1 l* ^7 h* ?) w: }"  # dev page ao04: ")" closes the aside
    assert [aside[a:b] for a, b in junk.jammer_spans(aside)] == ["& Z1 l* ^7 h* ?) w: }"]
    for authored in ("- 1 -", "实现 GDP 达 XX.XX 亿元", "通过ISO 9001认证", "A. B. C. 三个选项",
                     "详见 www.gov.cn 网站", "联系邮箱:abc@163.com"):
        assert not junk.jammer_spans(authored) and not junk.jammer_line(authored), authored


def test_traditional_page_markers(raw_rules):
    out, _ = classify(["在全縣大會上的講話(第2頁)", BODY[2], "第2頁 共3頁"], raw_rules)
    assert out.kept[0].text == "在全縣大會上的講話"
    assert out.pages.resolve(title_lineno=1) == (2, None)
    assert any(e.rule_class == "page_marker" and e.before == "第2頁 共3頁" for e in out.edits)


def test_removal_records_its_evidence(raw_rules):
    r, doc = _run("s21", raw_rules)
    by_text = {e["before"]: e for e in doc.edits if e["scope"] == "line"}
    e = by_text["手机版"]
    assert e["rule_class"] == "ui_control" and "ui_control:手机版" in e["evidence"] and "score=" in e["evidence"]


def test_table_rows_in_text_are_content_numbers_and_all(raw_rules):
    # Real rows of a school notice's schedule (dev page f05), flattened with | by the site.
    rows = ["日期|具体时间|活动内容|活动地点|学生观众数(人)|", "|8:30—9:30|总决赛启动仪式|学校体育场|1200|",
            "|19:00—21:00|主题论坛|逸夫二楼礼堂|450|", "|19:30—21:00|颁奖晚会|校体育馆|4000|"]
    lines = BODY + rows + ["请各单位认真组织,按时参加。"]
    out = clean_lines(lines, raw_rules)
    assert [x.text for x in out.kept] == lines
    out, edits, _ = wraps.join_wrapped([Line(i + 1, t) for i, t in enumerate(rows)], raw_rules.structure, None)
    assert [x.text for x in out] == rows and not edits  # rows are never joined


def test_a_two_column_markdown_table_is_content_a_layout_table_is_not(raw_rules):
    # A guide's two-column table (the shape of dev page ac13): one separator inside each row,
    # a border on both sides. Its rows stand as they are, the closing border too.
    rows = ["| 项目 | 内容示例 |", "| 标题 | 述职报告 |", "| 姓名 | 张三 |", "| 按主要事项分 | |||", "| 报告时间 | 2025年4月 |"]
    out = clean_lines(BODY + rows, raw_rules)
    assert [x.text for x in out.kept] == BODY + rows
    # A page laid out in a table: one cell of text a row, never two. Not a table's rows: the
    # site's lines in it are judged as lines (the breadcrumb goes).
    layout = ["| 您的位置: 首页 >> 时政频道 >> 快讯 | ||", "| 遗物的故事 | ||", "| | 【收看手机报】 | |"]
    out = clean_lines(layout + BODY, raw_rules)
    assert "| 您的位置: 首页 >> 时政频道 >> 快讯 | ||" not in [x.text for x in out.kept]


def test_gov_metadata_grid_goes_data_table_stays(raw_rules):
    # The 政府信息公开 grid above a report (dev page e01), flattened with | by the site.
    grid = ["索引号 | /2025-0000 | 公开目录: | 工作报告 |", "公开责任部门 | 公开形式: | 主动公开 | |",
            "文号 | 成文日期: | 2025年04月15日 | |", "有效性 | 有效 | 公开日期: | 2025-04-15 14:43 |"]
    out = clean_lines(grid + BODY, raw_rules)
    assert [x.text for x in out.kept] == BODY
    assert "metadata" in {e.rule_class for e in out.edits if e.action == "remove"}


def test_breadcrumbs_without_a_home_link_go(raw_rules):
    # Real trails (dev pages f08, d12, d01): no 首页 or 当前位置 to key on, only the chain.
    crumbs = ["湖南人大網>文獻資料>文獻資料>正文", "热点 >其他文案 >", "东方文库 > 致辞稿 > 开幕致辞 > 作开幕式领导讲话致辞5篇"]
    out = clean_lines(crumbs + BODY, raw_rules)
    assert [x.text for x in out.kept] == BODY
    chain = "要打通投入→产出→效益的链条,让每一分钱都花在刀刃上。"  # an author's arrows stay
    assert chain in [x.text for x in clean_lines(BODY[:2] + [chain] + BODY[2:], raw_rules).kept]


def test_a_list_number_alone_is_kept_and_joined_to_its_text(raw_rules):
    # A notice converted from a table (dev page d18): the number sat in a cell of its own.
    lines = [Line(1, "一、"), Line(2, "依據大陸委員會112年9月12日函辦理。"), Line(3, "(一)"),
             Line(4, "因公務赴港澳:得由承辦單位視需要函報。")]
    out, edits, _ = wraps.join_wrapped(lines, raw_rules.structure, None)
    assert [x.text for x in out] == ["一、依據大陸委員會112年9月12日函辦理。", "(一)因公務赴港澳:得由承辦單位視需要函報。"]
    assert {e.rule for e in edits} == {"wrap_bare_label"}
    # So does an official document's field label; other labels head lists of their own.
    lines = [Line(1, "主旨:"), Line(2, "有關本府所屬機關人員前往港澳注意事項案,請查照轉知。"),
             Line(3, "成员:"), Line(4, "张三、李四、王五")]
    out, _, _ = wraps.join_wrapped(lines, raw_rules.structure, None)
    assert [x.text for x in out] == ["主旨:有關本府所屬機關人員前往港澳注意事項案,請查照轉知。", "成员:", "张三、李四、王五"]
    # A list whose items lost their text (dev page f05) keeps its numbers: they are not counters.
    kept = [x.text for x in clean_lines(BODY + ["1.", "2.5月30晚主题论坛,各学院要组织学生观众按要求就位。", "3."],
                                        raw_rules).kept]
    assert "1." in kept and "3." in kept


def test_a_headline_the_site_repeats_survives_between_chrome(raw_rules):
    # A forum thread (dev page e19): the headline sits between the thread's counters and an
    # ad box, and the post repeats it. One copy stays, whatever its neighbours.
    head = "揭秘领导人秘书:多人走上领导岗位任实职"
    lines = ["查看: 6844|回复: 45", head, "每月至少2次直播分享,有回放", "视野与(CIMA | AICPA)联合举办", head, *BODY]
    kept = [x.text for x in clean_lines(lines, raw_rules).kept]
    assert kept.count(head) == 1 and kept[-len(BODY):] == BODY


def test_a_brand_alone_and_wedged_into_sentences_goes_everywhere(raw_rules):
    # A hijacked school news page (dev page h16): the brand replaced the college's name.
    brand = "8590am海洋之神"
    lines = [f"12月20日{brand}召开2021年支部书记述职大会,党委书记路金龙主持会议,同时邀请了三位教师代表做评委。",
             *BODY, brand, "2021年12月20日"]
    out = clean_lines(lines, raw_rules)
    assert [x.text for x in out.kept] == ["12月20日召开2021年支部书记述职大会,党委书记路金龙主持会议,同时邀请了三位教师代表做评委。",
                                         *BODY, "2021年12月20日"]
    assert {e.rule for e in out.edits if e.action == "remove"} == {"injected_site_name"}
    # Names an author writes stay: a government site, a technology.
    for authored, alone in (("通知全文已在中国政府网公开发布,请各单位认真学习。", "中国政府网"),
                            ("加快推进5G网络建设,实现城区全覆盖。", "5G网络")):
        kept = [x.text for x in clean_lines([*BODY, authored, alone], raw_rules).kept]
        assert authored in kept, authored


def test_a_table_flattened_one_cell_a_line_is_content(raw_rules):
    # A township's 政务公开 catalogue (dev page h11): each cell on its own line, closed by " |".
    cells = ["序號 |", "公開事項 |", "公開時限 |", "公開主體 |", "公開對象 |", "公開方式 |", "公開層級 |",
             "一級事項 |", "全社會 |", "主動 |", "依申請公開 |"]
    out = clean_lines(["(二)鳳屯鎮政府文件信息領域基層政務公開標準目錄", *cells, *BODY], raw_rules)
    kept = [x.text for x in out.kept]
    assert kept[1:len(cells) + 1] == [c.removesuffix(" |") for c in cells]  # the borders go, as junk
    # Dev page ae21's kind: the cells' numbers are the table's data, not counters.
    cells = ["信息内容 |", "本年制发件数 |", "规章 |", "0 |", "行政规范性文件 |", "12 |", "001 |"]
    kept = [x.text for x in clean_lines(["二、主动公开政府信息情况", *cells, *BODY], raw_rules).kept]
    assert kept[1:len(cells) + 1] == [c.removesuffix(" |") for c in cells]
    # Outside a table a number alone on its line is still a counter.
    assert "12" not in [x.text for x in clean_lines([*BODY, "12"], raw_rules).kept]


def test_a_numbered_sample_under_the_title_is_not_its_copy(raw_rules):
    # A template page (dev page h12): the page's title, then its first sample "…范文1".
    title = "開工儀式領導致辭范文"
    lines = [title, f"{title}1", "尊敬的各位領導、各位來賓、朋友們:", *BODY]
    assert [x.text for x in clean_lines(lines, raw_rules).kept][:2] == [title, f"{title}1"]


@pytest.mark.parametrize("line", [
    "内容仅供学习,如需复制请赞助VIP会员,赞助后即可全站范文免费复制!",   # dev page h01
    "拾寒階提示您:看後求收藏(快眼看書www.kyks.tw),接著再看更方便。",      # dev page h13
    "推荐阅读:随着团省委“传承五四报国志、落实科学发展观”三下乡活动的启动,我们化学化工学 院的“三下乡”服务分队"
    "于7月6日启程出发到镇进行实践考察。 漫长的旅程本是压抑和沉闷的,更不用说在这样炎热的夏天,一路上我们说说笑笑,"
    "不知不觉就到了目的地。",                                                # dev page c03: a teaser
])
def test_copy_paywalls_and_novel_prompts_in_the_text_go(line, raw_rules):
    out = clean_lines([*BODY[:2], line, *BODY[2:]], raw_rules)
    assert [x.text for x in out.kept] == BODY


def test_a_site_headline_of_number_and_title_is_a_copy(raw_rules):
    # A law site (dev page h10) heads the page with 文号《title》; the document has both itself.
    title, number = "山东省人民政府关于深化预算管理制度改革的实施意见", "鲁政发〔2014〕20号"
    lines = [f"{number}《{title}》", "浏览量:          时间:2016-01-17 23:45:19", title, number,
             "各市人民政府,各县(市、区)人民政府,省政府各部门、各直属机构:", *BODY]
    assert [x.text for x in clean_lines(lines, raw_rules).kept][:2] == [title, number]


def test_a_short_excerpt_wrapped_at_a_fixed_width_is_rejoined(raw_rules):
    # Three lines of a library's text record (dev page e13), wrapped at about 36 characters.
    lines = [Line(i + 1, t) for i, t in enumerate([
        "9月23日, 省委在济南珍珠泉人民会堂召开省直机关党员干部大会,传达贯彻党",
        "的十五大和十五届一中全会精神。省委书记吴官正主持大会并讲了话,他强调认真学",
        "习十五大精神,是当前和今后一个时期的一项重要任务,各级、各部门、各单位要立",
        "即行动起来,采取得力措施,精心组织。近2000人参加了会议。"])]
    out, edits, _ = wraps.join_wrapped(lines, raw_rules.structure, None)
    assert len(out) == 1 and {e.rule for e in edits} == {"wrap_fixed_width"}
    # A schedule's lines of one width are not a wrap (dev page f02).
    rows = [Line(i + 1, t) for i, t in enumerate([
        "主办单位:国台办等25个国家部委、群团组织、民主党派和福建省人民政府", "台湾28个民间社团机构",
        "承办单位:海峡两岸航运交流协会、福建省交通厅、厦门市人民政府", "(四)海峡旅游论坛",
        "主办单位:国台办等25个国家部委、群团组织、民主党派和福建省人民政府", "台湾28个民间社团机构"])]
    assert len(wraps.join_wrapped(rows, raw_rules.structure, None)[0]) == len(rows)


def test_a_flipbook_page_set_in_from_the_margin_is_rejoined(raw_rules):
    # Dev page t08: PDF text whose every line is set in from the margin, paragraph starts a
    # few spaces further, a blank line after each. A wrapped line that ends on "。讲话。"
    # was taken for the title, and the headline broken after its 和 stayed in two.
    raw = ["习近平主持召开中央政治局常务委员会会议", "",
           "                                研究当前新冠肺炎疫情防控和", "",
           "                                  稳定经济社会运行重点工作", "",
           "                         中共中央政治局常务委员会 3 月 4 日召开会议,研究当", "",
           "                   前新冠肺炎疫情防控和稳定经济社会运行重点工作。中共中", "",
           "                   央总书记习近平主持会议并发表重要讲话。", "",
           "                         习近平指出,经过全国上下艰苦努力,当前已初步呈现", "",
           "                   疫情防控形势持续向好、生产生活秩序加快恢复的态势,必", "",
           "                   须深入贯彻落实统筹推进疫情防控和经济社会发展工作部", "",
           "                   署会议精神,加快建立同疫情防控相适应的经济社会运行秩", "",
           "                   序,完善相关举措,巩固和拓展这一来之不易的良好势头。"]
    r = process_bytes("\n".join(raw).encode("utf-8"), "site/t.txt", raw_rules)
    got = [_norm(p["text"]) for p in build_document("d", [r], raw_rules, "test").paragraphs]
    assert got == [_norm(t) for t in [
        "习近平主持召开中央政治局常务委员会会议", "研究当前新冠肺炎疫情防控和稳定经济社会运行重点工作",
        "中共中央政治局常务委员会3月4日召开会议,研究当前新冠肺炎疫情防控和稳定经济社会运行重点工作。"
        "中共中央总书记习近平主持会议并发表重要讲话。",
        "习近平指出,经过全国上下艰苦努力,当前已初步呈现疫情防控形势持续向好、生产生活秩序加快恢复的态势,"
        "必须深入贯彻落实统筹推进疫情防控和经济社会发展工作部署会议精神,加快建立同疫情防控相适应的经济社会运行秩"
        "序,完善相关举措,巩固和拓展这一来之不易的良好势头。"]]


def test_a_wrap_width_counts_ascii_punctuation_as_the_full_width_mark_it_stood_for(raw_rules):
    # Shared page 33, a report converted from PDF at 28 cells a line and stored with ASCII
    # commas: the first line, with "XX" and spaces in it, measured 8 cells short and stayed
    # a paragraph of its own.
    lines = [Line(i + 1, t) for i, t in enumerate([
        "党的 XX 大以来,党中央高度重视“三农”工作,不断加大",
        "“三农”扶持力度,出台了一系列惠农政策,如农村最低保障制",
        "度、免除农业税、粮食补贴、农村新型合作医疗等,让农民得到",
        "实惠。特别是乡村振兴加大了对农村道路、农田基本水利设施、",
        "饮水工程的投入力度,赢得民心,大大改善了农村的生产生活条",
        "件,使农业与农村经济进入了历史上前所未有的新的发展阶段,"])]
    out, edits, _ = wraps.join_wrapped(lines, raw_rules.structure, None)
    assert len(out) == 1 and "wrap_fixed_width" in {e.rule for e in edits}
    assert wraps.layout_width("工作,不断加大") == wraps.layout_width("工作，不断加大")


def test_short_list_sentences_do_not_hide_a_page_s_wrap_width(raw_rules):
    # Dev page p15, a lesson converted from PDF: short list items that end their sentences
    # sit between the wrapped paragraphs. They say nothing about the width the text was
    # wrapped at, and no longer outvote the lines that reach it.
    texts = [
        '熟练掌握工程问题的基本数量关系与一般解法;',
        '工程问题中常出现单独做,几人合作或轮流做,分析时一定要学会分段处理;',
        '根据题目中的实际情况能够正确进行单位“1”的统一和转换;',
        '工程问题中的常见解题方法以及工程问题算术方法在其他类型题目中的应用.',
        '知识精讲',
        '工程问题是小学数学应用题教学中的重点,是分数应用题的引申与补充,是培养学生抽象逻辑 思',
        '维能力的重要工具。工程问题是把工作总量看成单位“1”的应用题,它具有抽象性,学生认知起来比',
        '较困难。在教学中,让学生建立正确概念是解决工程应用题的关键。',
        '一. 工程问题的基本概念',
        '定义 : 工程问题是指用分数来解答有关工作总量、工作时间和工作效率之间相互关系的问题。',
        '工作总量:一般抽象成单位“1”',
        '工作效率:单位时间内完成的工作量',
        '三个基本公式:工作总量=工作效率×工作时间,',
        '工作效率=工作总量÷工作时间,',
        '工作时间=工作总量÷工作效率;',
        '二、为了学好分数、百分数应用题,必须做到以下几方面:',
        '① 具备整数应用题的解题能力,解决整数应用题的基本知识,如概念、性质、法则、公式等广泛应用于',
        '分数、百分数应用题;',
        '② 在理解、掌握分数的意义和性质的前提下灵活运用;',
        '③ 学会画线段示意图.线段示意图能直观地揭示“量”与“百分率”之间的对应关系,发现量与百分率之间',
        '的隐蔽条件,可以帮助我们在复杂的条件与问题中理清思路,正确地进行分析、综合、判断和推理;',
    ]
    out, edits, _ = wraps.join_wrapped([Line(i + 1, t) for i, t in enumerate(texts)], raw_rules.structure, None)
    got = [x.text for x in out]
    assert texts[5] + texts[6] + texts[7] in got
    assert texts[:5] == got[:5]  # the short items stay as they are
    # A list item's first line runs to the wrap width through its clauses: it is no heading,
    # and its second line joins it.
    assert texts[16] + texts[17] in got and texts[19] + texts[20] in got


@pytest.mark.parametrize("stamp", ["人文能建 2022-11-06", "2010-12-31", "2022年10月23日12:55"])  # dev d07, d15, c17
def test_publication_stamps_outside_the_body_go(stamp, raw_rules):
    out = clean_lines([stamp, *BODY], raw_rules)
    assert [x.text for x in out.kept] == BODY


def test_an_excerpt_without_a_title_takes_none_from_the_share_menu(raw_rules):
    # A gov news page cut above its title (dev page f23): the text, a byline, a share menu.
    lines = [*BODY[2:], "扫一扫在手机打开当前页", "政务", "微信", "政务", "微博"]
    out, title = classify(lines, raw_rules)
    assert [x.text for x in out.kept] == BODY[2:] and title is None


def test_wraps_leave_lead_ins_and_articles_apart(raw_rules):
    st = raw_rules.structure
    # A news lead-in is not the title's first half (dev page d05).
    lead = "國際奧委會主席羅格8日晚在第29屆奧林匹克運動會開幕式上致辭,全文如下:"
    title = "在第29屆奧林匹克運動會開幕式上的致辭"
    out, _, t = wraps.join_wrapped([Line(1, lead), Line(2, title)], st, 1)
    assert [x.text for x in out] == [lead, title]
    # A chapter heading stands alone above its first article (dev page b05).
    rows = [Line(1, "第一章"), Line(2, "第一条(立法目的)为了规范社会信用管理,制定本条例。")]
    assert len(wraps.join_wrapped(rows, st, None)[0]) == 2


def test_a_file_name_title_loses_its_extension(raw_rules):
    out = clean_lines(["在XX年新春联谊会上的致辞.doc", *BODY[1:]], raw_rules)  # dev page f14
    assert out.kept[0].text == "在XX年新春联谊会上的致辞"


def test_a_post_header_between_its_headline_and_the_post_goes(raw_rules):
    # A forum post (dev page h08): the headline reads as prose, then the post's header.
    head = "[转载][多图]介绍游戏模拟器里各种常用滤镜的原理和效果,以及9102年了该如何正确模拟CRT!"
    header = ["7210 2", "本文共计58626个字,预计阅读时长234.5分钟。", "原文链接:",
              "<i class=\"icon icon-lock\"></i>部分链接隐藏,注册或登陆后显示", "原文作者:Lunamos"]
    kept = [x.text for x in clean_lines([head, *header, *BODY[2:]], raw_rules).kept]
    assert kept == ["介绍游戏模拟器里各种常用滤镜的原理和效果,以及9102年了该如何正确模拟CRT!", *BODY[2:]]


def test_converter_and_anti_copy_marks_inside_the_text_go(raw_rules):
    # Real lines of dev pages j05 (lost spaces as "?"), j04 (a backtick), j06 (a dot after 的).
    for line, clean in (("一、會議形式:? 秘書長辦公會議每月召開一次。", "一、會議形式:秘書長辦公會議每月召開一次。"),
                        ("中華民族古代的`文明源遠流長。", "中華民族古代的文明源遠流長。"),
                        ("我们要关心贫困山区的.孩子。", "我们要关心贫困山区的孩子。")):
        assert clean_lines([*BODY, line], raw_rules).kept[-1].text == clean, line
    for authored in ("你怎麼看政治改革?", "這是為什麼?我們要想一想。", "博學多才.我們要努力。"):
        assert clean_lines([*BODY, authored], raw_rules).kept[-1].text == authored, authored


@pytest.mark.parametrize("line", ["百科 > 公文 > 講話稿", "2017-04-29 演讲稿范文"])  # dev pages j07, j06
def test_a_trail_or_stamp_ending_on_a_title_word_is_no_title(line, raw_rules):
    assert [x.text for x in clean_lines([line, *BODY], raw_rules).kept] == BODY


def test_a_forum_threads_title_above_its_copy_link_stays(raw_rules):
    # A Discuz thread (dev page h07): the title sits among the counters and controls.
    lines = ["找回密码", "查看: 16|回复: 0", "B站评论系统架构设计", "[复制链接]", "3", "主题", "0", "回帖", "10",
             "发表于 2024-10-5 23:02:11 | 显示全部楼层 |阅读模式", *BODY[2:]]
    assert [x.text for x in clean_lines(lines, raw_rules).kept] == ["B站评论系统架构设计", *BODY[2:]]


def test_toneless_pinyin_annotations_go_on_a_page_that_has_them(raw_rules):
    # Real lines of dev pages k01 and k02 (a mirror site's annotations, doubled, and one cut
    # at the excerpt's end).
    lines = ["為(wei)繼承和發揚黨(dang)的光(guang)榮傳統和優良作風,學習和領會延(yan)安精(jing)神的實(shi)質和精(jing)髓。",
             "習近平指出(chu)(chu),在全(quan)黨(dang)(dang)(dan"]
    out = clean_lines([*BODY, *lines], raw_rules)
    assert [x.text for x in out.kept[-2:]] == ["為繼承和發揚黨的光榮傳統和優良作風,學習和領會延安精神的實質和精髓。",
                                                "習近平指出,在全黨"]
    assert {e.rule for e in out.edits} == {"pinyin_annotation_toneless"}
    # One gloss in Latin is the author's: a page without several readings keeps it.
    for authored in ("推进管理(guanli)系统建设。", "办理社保卡(card)和医保卡(yi)的手续。"):
        assert clean_lines([*BODY, authored], raw_rules).kept[-1].text == authored


def test_a_template_sites_intro_to_its_collection_goes(raw_rules):
    # Dev page k12: the editor's intro is prose, ending in the hand-over of the collection.
    intro = ("心得体会是对自己经验的总结和内化,使之成为自己思考和行动的一部分。写心得体会时,可以参考一些相关的范文和经典案例,"
             "获取写作的灵感和思路。以下是一些优秀的心得体会范文,供我们借鉴和学习。")
    assert [x.text for x in clean_lines([BODY[0], intro, *BODY[1:]], raw_rules).kept] == BODY
    official = "以下是各地的经验做法，供各地参考借鉴。"
    assert official in [x.text for x in clean_lines([*BODY, official], raw_rules).kept]


def test_a_column_name_repeated_by_the_breadcrumb_is_no_title(raw_rules):
    # Dev page k15: the column's name above the trail, then the article's own title, which
    # was lost between chrome lines when the column's name was taken for the title.
    lines = ["心得体会", "当前位置:首页 > 心得体会", "赴西柏坡学习有感", "时间:2024-02-22 04:05:05",
             "赴西柏坡学习有感[此文共768字]", *BODY[1:]]
    out, title = classify(lines, raw_rules)
    kept = [x.text for x in out.kept]
    assert kept[-len(BODY) + 1:] == BODY[1:] and kept[title] == "赴西柏坡学习有感"


def test_a_signature_under_every_post_goes(raw_rules):
    # Dev page k05: a Discuz poster's signature, shown under each of their posts.
    sig = "折纸大学,给生活来点闲情!"
    out = clean_lines([*BODY[:3], sig, BODY[3], sig, "发表于 2012-12-27 11:49:29 | 显示全部楼层", sig], raw_rules)
    assert [x.text for x in out.kept] == BODY[:4]
    assert {e.rule for e in out.edits if e.before == sig} == {"page_repeat"}


def test_a_sentence_said_again_in_one_run_stays(raw_rules):
    # Dev page s07: a host's script says the same cue once per round of prizes, line after
    # line; a signature comes back between other lines, a script's cue in one run.
    cue = "下面,请上台领奖;"
    lines = ["先进集体表彰大会主持词", "首先,颁发劳动模范奖,本奖项分五轮颁发,共60人;", *[cue] * 5,
             "下面,颁发先进集体奖", "下面,请负责人上台领奖。"]
    assert [x.text for x in clean_lines(lines, raw_rules).kept] == lines


def test_a_notice_that_issues_a_document_keeps_its_own_title(raw_rules):
    # Dev page u16: the notice's title holds the rules' title in 《》; it is no site copy of it.
    lines = ["关于印发《海口市人民政府工作规则》的通知", "2011-06-18 00:00:00 来源: 本站原创", "海府〔2011〕33号",
             "各区人民政府,市政府直属各单位:",
             "    《海口市人民政府工作规则》已于2011年3月24日经市政府第74次常务会议修订通过,现予印发。",
             "海口市人民政府工作规则", "第一章  总  则",
             "    一、根据《中华人民共和国宪法》和《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》的规定,"
             "参照《国务院工作规则》,结合本市实际,制定本规则。"]
    kept = [x.text.strip() for x in clean_lines(lines, raw_rules).kept]
    assert kept[0] == lines[0] and "海口市人民政府工作规则" in kept and lines[1] not in kept


def test_a_byline_is_no_title_and_the_headline_above_it_stays(raw_rules):
    # Dev page u05: a county news page; the headline sits between the date widget and the
    # page's counters, then the reporter's byline. The byline was taken for the title, and
    # the headline went as a short line between chrome.
    lines = ["今天是:", "县政府召开《2017年政府工作报告(征求意见稿)》 征求意见会", "  • 访问次数 :",
             "  • 发布时间 :2017-01-13 03:09", "李德琳  报道:",
             "19号上午,县政府召开征求意见会,就《2017年政府工作报告(征求意见稿)》征求人大代表、政协委员、老干部、"
             "相关部门负责人的意见和建议。"]
    out, title = classify(lines, raw_rules)
    kept = [x.text.strip() for x in out.kept]
    assert lines[1] in kept and (title is None or kept[title] != "李德琳  报道:")


def test_a_run_of_strewn_marks_glued_to_a_line_goes(raw_rules):
    # Dev page t09: a table of contents with a different run of marks after each entry.
    lines = ["政协会议讲话汇编", "在政协淮安市八届五次会议开幕大会上的讲话~*%&^",
             "在市政协四届第二十五次常委会议上的讲话@^#%&"]
    kept = [x.text for x in clean_lines(lines, raw_rules).kept]
    assert kept == ["政协会议讲话汇编", "在政协淮安市八届五次会议开幕大会上的讲话", "在市政协四届第二十五次常委会议上的讲话"]
    # Marks authors write stay: an ellipsis, a mask, an emoticon.
    for authored in ("要抓好落实***。", "他笑了^_^", "见附表(一)……"):
        assert junk.jammer_spans(authored) == []


def test_a_page_of_samples_keeps_its_counted_title_and_drops_the_bare_keyword(raw_rules):
    # Dev page w12: the title counts the samples, the site's intro, then the bare keyword
    # again above the first sample. The counted title went between chrome, the keyword stayed.
    lines = ["村委会工作报告范例6篇", "前言:中文期刊网精心挑选了村委会工作报告范文供你参考和学习,希望我们的参考范文能激发你的文章创作灵感,欢迎阅读。",
             "村委会工作报告", "村委会工作报告范文1", "各位领导、团员、同志们:", "下午好!",
             "下面,我代表共青团五沙村支部第三届委员会向大会作报告,请予审议。"]
    out = clean_lines(lines, raw_rules)
    assert [x.text for x in out.kept] == [lines[0], *lines[3:]]
    assert {e.rule for e in out.edits if e.before == "村委会工作报告"} == {"title_repeat"}


def test_a_counted_title_between_chrome_lines_stays(raw_rules):
    # Dev page m01: the page's title counts its samples; above it the banner and breadcrumb,
    # below it the post's metadata and the editor's intro: it went as a line between chrome.
    lines = ["欢迎光临第一心得范文网", "当前位置:首页 > 心得体会 > 综合心得体会 > 综合心得体会",
             "2021年世界读书日心得体会怎么写【十篇】", "发布时间:2021-04-29 00:45:01 查看人数:109",
             "【篇一】2021年世界读书日心得体会怎么写",
             "阅读,不仅能慰藉心灵、充实大脑,而且能丰盈思想、助益工作。纵观古今,横看中外,对于读书价值的赞颂不计其数。"]
    assert [x.text for x in clean_lines(lines, raw_rules).kept] == [lines[2], *lines[4:]]


def test_a_date_that_lost_its_separators_stays_below_the_title(raw_rules):
    # Dev page t13: a speech's date under its title, "20211217"; at the top of a page a bare
    # number is a counter, which goes.
    lines = ["浏览次数", "221381", "孝感市人大常委会主任周先来在市六届人大常委会第三十九次会议上的讲话", "20211217",
             "各位委员,同志们:", "本次常委会会议即将完成各项议程,就要闭幕了,会议开得很好,达到了预期目的。"]
    assert [x.text for x in clean_lines(lines, raw_rules).kept] == lines[2:]


def test_a_letter_spaced_sentence_is_no_menu(raw_rules):
    # Dev page x06: a blog set in spaced tokens; a menu's tokens have no comma between them.
    lines = ["任职表态:事无两样发言别", "成 文", "8 月 9 日,读者 “章鱼” 在 “三好公文课” 的课堂上留言:",
             "成老师好,恳请老师写一篇新任职领导的表态发言评析稿,如何求新求质写出亮点?感谢指导!"]
    assert lines[2] in [x.text for x in clean_lines(lines, raw_rules).kept]
    assert "首页 新闻 公告 下载 联系" not in [x.text for x in clean_lines(["首页 新闻 公告 下载 联系", *lines], raw_rules).kept]


def test_a_run_of_very_short_lines_above_the_title_is_a_menu(raw_rules):
    # Dev page b13: the column list above a presidential office's news item, one item a line.
    menu = ["新聞與活動", "總統府新聞", "114年01月13日"]
    body = ["總統接見鳳凰獎楷模 盼共同打造更全方位、更具韌性的防救災體系", "總統接見「113年『鳳凰獎』楷模得獎人」",
            "總統今天上午接見「113年『鳳凰獎』楷模得獎人」,肯定他們長期投入救災工作,守護民眾生命財產安全,並期盼共同打造更全方位的防救災體系。"]
    out = clean_lines(["跳到主要內容", ":::", *menu, *body], raw_rules)
    assert [x.text for x in out.kept] == body
    # Each item goes on its own evidence (the lexical model's) or as a member of the run.
    assert {e.rule for e in out.edits if e.before in menu} <= {"menu_run", "line_score"}
    assert any(e.rule == "menu_run" for e in out.edits if e.before in menu)
    # The same short lines under the title are no menu by their shape (a list, a poem's lines):
    # what goes there goes on its own evidence.
    under = [body[0], *menu, body[2]]
    assert not any(e.rule == "menu_run" for e in clean_lines(under, raw_rules).edits)


def test_the_editors_intro_to_a_page_of_samples_goes(raw_rules):
    # Dev page t16: title, the editor's byline, a paragraph introducing the collection, then
    # the first sample's heading.
    intro = ("心得体会对个人的成长和发展具有重要意义,可以帮助个人更好地理解和领悟所经历的事物,发现自身的不足和问题,"
             "提高实践能力和解决问题的能力,促进与他人的交流和分享。")
    samples = ["守正义心得体会篇一", "公平正义,是自古以来人类社会共同的、不懈的向往和追求,也是社会主义法治的重要目标。"]
    lines = ["最新守正义心得体会 公平正义讲座心得体会(大全5篇)", "小编:翰墨", intro, *samples]
    out = clean_lines(lines, raw_rules)
    assert [x.text for x in out.kept] == [lines[0], *samples]
    assert {e.rule for e in out.edits if e.before == intro} == {"sample_intro"}
    # Dev page q02: under a sample's own heading, its text runs to the next sample's: it stays.
    q02 = ["中秋致辞员工篇一", "大家晚上好!", "金秋时节,繁花似锦。今晚,我们怀着无比喜悦的心情欢聚一堂,喜迎国庆,共庆中秋,为公司喝彩!",
           "最后,祝福大家身体健康,合家欢乐!", "中秋致辞员工篇二"]
    assert [x.text for x in clean_lines(q02, raw_rules).kept] == q02


def test_menus_chained_by_bars_slashes_or_arrows_go(raw_rules):
    # Dev page m09: a software vendor's product menu, the items set apart by " | ".
    menu = "监理公司管理系统 | 工程企业管理系统 | OA系统 | ERP系统 | 造价咨询管理系统 | 工程设计管理系统"
    body = ["工程监理企业信息化建设的思考",
            "随着建设工程规模不断扩大,监理企业的管理难度也越来越大,信息化建设已经成为监理企业提升管理水平的必由之路。"]
    for line in (menu, "首页 / 新闻中心 / 通知公告", "首页→机构概况→领导信息"):
        assert [x.text for x in clean_lines([line, *body], raw_rules).kept] == body
    # A slash between figures is no step of a menu.
    kept = [body[0], "2023/2024学年第一学期工作安排", body[1]]
    assert [x.text for x in clean_lines(kept, raw_rules).kept] == kept


def test_counters_a_site_put_before_every_paragraph_go(raw_rules):
    # Dev page n15: "1、" before the salutation is no author's list; the run of counters goes.
    lines = ["奠基仪式致辞", "1、各位同志们,朋友们:", "2、今天,我们在这里隆重举行我市党政机关办公中心奠基仪式。",
             "3、建设党政机关办公中心,这既是机关干部普遍关心的一件事情,也是社会上人们比较关注的一件大事。"]
    assert [x.text for x in clean_lines(lines, raw_rules).kept] == ["奠基仪式致辞", *(t[2:] for t in lines[1:])]
    # An authored list keeps its numbers.
    listed = [BODY[0], BODY[1], "1、加强组织领导。", "2、强化督查考核。", "3、营造良好氛围。"]
    assert [x.text for x in clean_lines(listed, raw_rules).kept] == listed


def test_a_table_of_figures_keeps_every_row(raw_rules):
    # Dev page p12: a statistics table; its rows are digits and short cells, which is no chrome
    # (its rows were taken for a metadata grid and dropped).
    rows = ["| 项目 | 2000 | 2005 | 2010 | 2013 | 2014 |",
            "| 总产出(亿元) | 9870.58 | 16995.93 | 38915.25 | 61780.20 | 70742.78 |",
            "| 工业 | 55.20 | 59.20 | 59.50 | 59.30 | 60.30 |",
            "| 建筑业 | 7.20 | 7.80 | 8.90 | 10.50 | 10.20 |", "| 批发和零售业 | 7.20 | 4.40 | 4.70 | 4.10 | 4.10 |"]
    assert [x.text for x in clean_lines(rows, raw_rules).kept] == rows
    # A gov page's metadata grid still goes (dev page e01).
    grid = ["索引号 | /2025-0000 | 公开目录: | 工作报告 |", "公开责任部门 | 公开形式: | 主动公开 | |",
            "文号 | 成文日期: | 2025年04月15日 | |", "有效性 | 有效 | 公开日期: | 2025-04-15 14:43 |"]
    assert [x.text for x in clean_lines([*grid, *BODY], raw_rules).kept] == BODY


def test_an_official_reports_opening_on_its_legal_basis_stays(raw_rules):
    # Dev page p11: the standard opening of a 政府信息公开 annual report, full of the contact words
    # of a site's footer, right under the page's metadata grid.
    grid = ["索 引 号 | 014416330/2018-04736 | 分 类 | 政府信息公开年报 综合政务,文秘工作 其他 |",
            "发布机构 | 市政府办 | 发文日期 | 2018-02-28 |"]
    opening = ("根据《中华人民共和国政府信息公开条例》规定,现公布泰州市人民政府2017年政府信息公开工作年度报告。报告电子版可在"
               "泰州市政府门户网站(http://www.zwinkt.com)下载。如对报告有疑问,请与泰州市人民政府办公室政府信息公开处联系"
               "(地址:泰州市海陵区凤凰东路58号;邮编:225300;电话:0523-86839755;电子邮箱:zfbdzzwc@163.com)。")
    assert opening in [x.text for x in clean_lines([*grid, opening, *BODY[2:]], raw_rules).kept]


def test_a_collections_first_item_heading_is_no_copy_of_the_title(raw_rules):
    # Dev page p05: "篇1:" heads the collection's first item, whose title is the page's.
    title = "领导讲话稿写作(8)—慰问讲话稿的写作"
    kept = [x.text for x in clean_lines([title, "篇1:" + title, *BODY[1:]], raw_rules).kept]
    assert kept == [title, "篇1:" + title, *BODY[1:]]


def test_a_paragraph_broken_at_its_clauses_under_an_indent_is_rejoined(raw_rules):
    # Dev page q05: the page indents each paragraph; a converter broke one at its "；".
    lines = ["第九次党代表大会开幕词", "各位代表:",
             "  中国共产党*镇第九次代表大会,在全镇各级党组织和全体共产党员的共同努力下,今天隆重开幕了。",
             "  我们这次代表大会,是根据党章规定和*市委的统一部署召开的,是一次十分重要的会议。",
             "  各位代表,自*年*月召开中共*镇第八次代表大会以来,我们在市委的领导下,全镇经济持续发展;",
             "各项改革不断深化,对外开放打开新局面;", "小城镇建设步伐不断加快,投资环境不断优化。",
             "  这次大会的主要任务是:听取并审议镇八届党委和纪委的工作报告。"]
    joined = "".join(x.strip() for x in lines[4:7])
    kept = [x.text for x in wraps.join_wrapped(clean_lines(lines, raw_rules).kept, raw_rules.structure, 0)[0]]
    assert joined in kept and lines[7].strip() in kept and lines[3].strip() in kept


def test_a_token_glued_to_the_end_of_many_lines_is_a_jammer(raw_rules):
    """Dev page aa01's kind: a short Latin-and-digit run a site appends to its lines."""
    body = ["同志们：", "过去一年，全县上下攻坚克难，经济持续向好。", "我们坚持稳中求进，民生不断改善。",
            "今年要抓好重点工作，确保任务落实。", "全县GDP增长6%，5G基站建成300个。"]
    lines = [body[0], *(x + "hd9" for x in body[1:4]), body[4]]
    out = clean_lines(lines, raw_rules)
    assert [x.text for x in out.kept] == body
    assert [(e.rule, e.before) for e in out.edits] == [("tail_jammer", "hd9")] * 3
    # Twice is not enough, and a token the text uses more often elsewhere is the author's.
    twice = [body[0], body[1] + "hd9", body[2] + "hd9", body[3]]
    assert [x.text for x in clean_lines(twice, raw_rules).kept] == twice
    used = [*lines, "型号为hd9的设备已经投入使用，hd9运行良好。", "明年再购置hd9设备十台，hd9全面替换旧设备。"]
    assert [x.text for x in clean_lines(used, raw_rules).kept] == used
    # Once found, the token cut short at a line's end goes too.
    short = [*lines[:4], body[4] + "hd"]
    assert [x.text for x in clean_lines(short, raw_rules).kept] == body


def test_a_description_running_the_top_lines_together_loses_its_tokens_and_goes(raw_rules):
    """Dev page aa01's kind: the tail token also sits inside the site's description line,
    before a space, and the description (the title, then the cover's lines run together)
    goes; the title's last words on a line of their own are no copy of it."""
    title = "(某省)2020年某某县政府工作报告(全文)"
    cover = ["政 府 工 作 报 告", "2020年6月4日在县十七届人大五次会议上", "张某某"]
    body = ["各位代表：", "过去一年，全县上下攻坚克难，经济持续向好。", "我们坚持稳中求进，民生不断改善。"]
    summary = f"{title} " + " ".join(x + "hd9" for x in cover)
    lines = [title, summary, title, *(x + "hd9" for x in cover), body[0], *(x + "hd9" for x in body[1:])]
    out = clean_lines(lines, raw_rules)
    assert [x.text for x in out.kept] == [title, *cover, *body]
    assert sum(e.rule == "tail_jammer" for e in out.edits) == 3 + 2 + 3  # the description's three too


def test_the_headline_printed_again_over_two_lines_inside_the_text_goes(raw_rules):
    """Dev page ac01's kind: a county portal prints the headline again under the lead's photo,
    broken in two; above the text, two such lines are the document's title and subtitle."""
    head = "我县召开2026年《政府工作报告》意见征求座谈会"
    caption = "12月30日,县委副书记、县长王某某主持召开2026年《政府工作报告》意见征求座谈会,听取各界代表意见建议。"
    lines = [head, "日期:2025-12-31", caption, "我县召开2026年《政府工作报告》", "意见征求座谈会", *BODY[1:]]
    assert [x.text for x in clean_lines(lines, raw_rules).kept] == [head, caption, *BODY[1:]]
    # Dev page e07's kind: the site's one-line header, then the document's own two lines.
    header = "追风赶月莫停留 平芜尽处是春山 ---2023年新年致辞"
    lines = [header, "来源: | 作者:佚名 | 发布时间: 2022-12-31", "追风赶月莫停留  平芜尽处是春山", "---2023年新年致辞",
             *BODY[1:]]
    kept = [x.text for x in clean_lines(lines, raw_rules).kept]
    assert kept[-len(BODY) + 1:] == BODY[1:] and "---2023年新年致辞" in kept


def test_a_word_wedged_before_a_space_in_three_sentences_goes_a_title_printed_thrice_stays(raw_rules):
    # A hijacked page wedges a word into its sentences, a space after it.
    body = ["各位代表:", "今年全县经济开展直播 持续向好,财政收入稳步增长。", "我们坚持稳中求进,开展直播 民生不断改善。",
            "明年要抓好重点工作,开展直播 确保各项任务落实到位。"]
    out = clean_lines(body, raw_rules)
    assert [x.text for x in out.kept][1:] == [x.replace("开展直播 ", "") for x in body[1:]]
    # Dev page ac18's kind: the site prints the headline three times; its first word before
    # the space is the author's.
    head = "驪歌聲起 介壽國中小畢業典禮隆重登場"
    lines = [head, "2002-06-14", head, head, "本報訊 介壽國中小昨日舉行畢業典禮,全校師生齊聚一堂,場面溫馨感人。"]
    assert [x.text for x in clean_lines(lines, raw_rules).kept][0] == head


def test_a_principals_heading_above_dear_students_and_a_novels_chapter_number_stay(raw_rules):
    # Dev page ac24's kind: a school site's menu, the address's heading, then "親愛的…" (a
    # salutation in either script), in a page with no line that reads as a title.
    lines = ["Office of Student Affairs", "典禮首頁 | 典禮程序 | 校長祝福 | 貴賓演講 | 交通資訊 | 檔案下載",
             "校長給畢業生的祝福", "Chang", "親愛的畢業同學們:", "首先,恭喜大家成功達陣人生的重要階段目標,即將開展下一段旅程,"
             "希望你們帶著在學校學到的知識與勇氣,迎向更寬廣的世界。"]
    assert [x.text for x in clean_lines(lines, raw_rules).kept] == [lines[2], *lines[4:]]
    # Dev page ac33's kind: a chapter's number, its page marker cut, above the reader's counters.
    lines = ["第2756章(2 / 2)", "县委秘书 佚名 716 字 2个月前", "郭仕峰其实想法和钟德兴是一样的。", "很快,又一天过去。",
             "市委常委会扩大会议的日子到了,会议定于早上九点钟召开。"]
    assert [x.text for x in clean_lines(lines, raw_rules).kept][0] == "第2756章"


def test_foreign_script_letters_wedged_between_chinese_characters_go(raw_rules):
    # Dev page ae33's kind: a novel site wedges single Thai letters into its words.
    line = "锦绣市市委,市政府,市人大和市๦政协四套领导班子成员如数到场,在礼堂的每个เ角落,数架摄像机不断闪烁着。"
    out = clean_lines([BODY[0], BODY[1], line], raw_rules)
    assert out.kept[-1].text == line.replace("๦", "").replace("เ", "")
    assert [(e.rule, e.before) for e in out.edits] == [("foreign_script_jammer", "๦"), ("foreign_script_jammer", "เ")]
    # Greek letters and Cyrillic are science's and names': they stay.
    science = "该装置产生γ射线,并由俄方专家Пётр团队负责检测。"
    assert clean_lines([BODY[0], BODY[1], science], raw_rules).kept[-1].text == science


def test_a_news_sites_full_text_title_is_a_title(raw_rules):
    # Dev page ae36's kind: "…致辭全文" between a school site's menus and its date stamp.
    title = "09/27/2017.教師節慶祝大會 周守民校長致辭全文"
    lines = ["跳到主要內容區塊", "::: 首頁  ENGLISH  資訊服務入口網  網站導覽", "  • 字級大小", title,
             "發布日期 2017-09-27 16:00:00", "this topic", "文藻外語大學周守民校長於教師節慶祝大會中", "相片攝影/謝淑如",
             "今天我們齊聚一堂慶祝教師節,感謝各位老師一年來的辛勤付出,為學生的成長奉獻了心力,也為學校的發展打下了堅實的基礎。"]
    assert title in [x.text for x in clean_lines(lines, raw_rules).kept]


def test_a_guides_closing_contact_block_stays_a_sites_footer_goes(raw_rules):
    # Dev page ag15's kind: a disclosure guide ends on its office's address, hours and phone.
    block = ["办公地址:某某市某某镇人民政府", "办公时间:周一至周五(节假日和公休日除外)", "上午:8:00-11:30 下午:1:30-5:00",
             "联系电话:0453-3761037", "电子邮件:office@example.cn"]
    head = ["五、政府信息公开工作机构", "政府信息公开的申请受理机构为镇政务公开领导小组办公室,负责全镇政府信息公开的日常工作,"
            "受理公民、法人和其他组织的申请。"]
    kept = [x.text for x in clean_lines([*BODY, *head, *block], raw_rules).kept]
    assert kept[-len(block):] == block
    # A site's footer: its contact lines come after the copyright, not under the text.
    footer = ["版权所有:某某县人民政府 网站地图 | 联系我们", "联系电话:0453-1234567", "邮编:157000"]
    kept = [x.text for x in clean_lines([*BODY, *head, *footer], raw_rules).kept]
    assert not set(footer) & set(kept)


def test_a_notices_numbered_item_of_time_and_date_stays(raw_rules):
    # Dev page ag20's kind: a school notice's item is its own field line under a numeral.
    item = "四、评比时间: 2019年9月3日(星期四中午12:00)"
    lines = [*BODY, "三、评比要求:各班要认真准备,按时完成布置工作,做到整洁美观、特色鲜明、富有教育意义。", item,
             "五、评比方式:由学校评比小组逐班检查打分,结果在校园网公布。"]
    assert item in [x.text for x in clean_lines(lines, raw_rules).kept]
    # The same words without the numeral are a site's metadata row.
    meta = "发布时间: 2019年9月3日(星期四中午12:00)"
    assert meta not in [x.text for x in clean_lines([meta, *BODY], raw_rules).kept]


def test_a_news_headline_above_its_source_row_is_the_title(raw_rules):
    # Dev page ag30's kind: headline, the source-and-author row, an app badge, a share bar, captions.
    head = "湖南省媒编辑记者走进通道 挖掘平安通道故事"
    lines = ["当前位置:", head, "来源:红网 作者:李某 杨某 编辑:向某 2017-07-23 10:10:56", "时刻新闻", "—分享—",
             "编辑记者采访县委常委、政法委书记。", "编辑记者集中采访县人民法院法官。",
             "7月21日,9名分别来自省直主要媒体的编辑记者来到通道,开展挂职采访活动,深入基层挖掘平安建设故事。"]
    kept = [x.text for x in clean_lines(lines, raw_rules).kept]
    assert kept[0] == head and "时刻新闻" not in kept


def test_a_pages_headline_and_the_documents_own_title_are_not_joined(raw_rules):
    # Dev page x04's kind: a portal's headline, its metadata row, then the notice's own title.
    head, title = "市政府第8次常务会议(邀请市政府法律顾问参会)", "关于召开市政府第8次常务会议的通知"
    lines = [head, "发布时间:2022-06-06 11:37 来源:某某市人民政府办公室", title, "各县市区人民政府,市政府各部门:",
             "经市政府同意,定于6月8日召开市政府第8次常务会议,现将有关事项通知如下,请各单位做好准备。"]
    kept = clean_lines(lines, raw_rules).kept
    out, _, _ = wraps.join_wrapped(kept, raw_rules.structure, 0)
    assert [x.text for x in out][:2] == [head, title]


def test_pictographs_wedged_into_words_and_invisible_watermarks_go_masks_stay(raw_rules):
    # Dev page ai27's kind: a novel site glues emoji and symbols inside its sentences.
    line = "讲到这里,楚天舒有意停了一会,好让大家⛦🜧🄠都有一个思考,台下的干部🐤都知道他要讲到正题了。"
    out = clean_lines([BODY[0], BODY[1], line], raw_rules)
    assert out.kept[-1].text == "讲到这里,楚天舒有意停了一会,好让大家都有一个思考,台下的干部都知道他要讲到正题了。"
    assert {e.rule for e in out.edits} == {"symbol_jammer"}
    # Dev page ao38's kind: before a half-width comma too.
    out = clean_lines([BODY[0], BODY[1], "让连强给陈京冲了一杯茶🔬,道:“小陈,是这样!我们不能再犹豫♛🉆🅃,在这次会议上要有所作为。”"], raw_rules)
    assert out.kept[-1].text == "让连强给陈京冲了一杯茶,道:“小陈,是这样!我们不能再犹豫,在这次会议上要有所作为。”"
    # Dev page ai34's kind: a run of invisible selectors spelling the reader's IP.
    mark = "".join(chr(0xE0100 + (ord(c) - 0x20)) for c in "IP:216.73.216.211")
    out = clean_lines([BODY[0], BODY[1], f"一、社区宗旨:团结、互助、分享、{mark}快乐。"], raw_rules)
    assert out.kept[-1].text == "一、社区宗旨:团结、互助、分享、快乐。"
    # An author's masks (dev page 07: "☆县", "全区☆个") and an emoji after a sentence stay.
    for kept in ("在全区☆个重点开发区中,我们已经开启了奋力争当☆县域发展排头兵的征程。", "大家辛苦了!😊今天的会就开到这里。"):
        assert clean_lines([BODY[0], BODY[1], kept], raw_rules).kept[-1].text == kept


def test_a_paragraph_the_page_prints_twice_is_kept_once(raw_rules):
    # Dev pages ai03 and ag05: a summary box repeats the lead, or the article comes twice.
    lead = "5月10日上午,双沟镇召开第十八届人民代表大会第六次会议。会议听取了镇党委副书记、镇长所作的政府工作报告。"
    kept = [x.text for x in clean_lines([BODY[0], lead, *BODY[1:], lead], raw_rules).kept]
    assert kept.count(lead) == 1
    # A short line said twice (a refrain, a field) is not a copy.
    refrain = "撸起袖子加油干!"
    kept = [x.text for x in clean_lines([*BODY, refrain, BODY[2][:20] + "。", refrain], raw_rules).kept]
    assert kept.count(refrain) == 2


def test_a_jammer_run_gives_back_the_list_label_it_swallowed(raw_rules):
    # Dev pages ai33 and ai37: Discuz jammer runs glued right before an item's label.
    lines = ["& x* F9 R' {\" K 1.首部。主要包括标题、主送机关或称谓等内容。", "8 T- a. K) x7 l4 Z+ ^ (1)标题。述职报告的标题有单标题和双标题之分。",
             "( l\" L. [\" O  J6 V8 Z9 Y   1、任职条件"]
    kept = [x.text for x in clean_lines([*BODY[:2], *lines], raw_rules).kept]
    assert kept[2:] == ["1.首部。主要包括标题、主送机关或称谓等内容。", "(1)标题。述职报告的标题有单标题和双标题之分。", "1、任职条件"]


def test_a_menu_laid_out_as_a_table_above_the_text_goes_a_table_in_it_stays(raw_rules):
    # Dev page ai19's kind: a school site's menu rows, items split by "|", above the title.
    menu = ["网站首页|学校概况|学生天地|教师之窗|教育科研|招生信息", "学校管理|校园文化|党建专栏|在线留言|联系我们|校长信箱"]
    names = ["姓名|班级|姓名|班级", "张三|一班|李四|二班"]  # a table of the document's own, in the text
    kept = [x.text for x in clean_lines([*menu, *BODY, *names], raw_rules).kept]
    assert not set(menu) & set(kept) and kept[-2:] == names


def test_a_breadcrumb_of_doubled_steps_ending_on_the_chapters_title_goes(raw_rules):
    # Dev page am24's kind: "site >> column >> book >> chapter title (with its mark)".
    crumb = "零度读书吧 >> 言情总裁 >> 官德 >> 第567章 比赛(第三更求赞冲榜!)"
    lines = [crumb, "第567章 比赛", "比赛定在周六上午举行,全县各乡镇都派出了代表队,县委书记亲自到场观看,场面十分热烈。"]
    kept = [x.text for x in clean_lines(lines, raw_rules).kept]
    assert crumb not in kept and kept[0] == "第567章 比赛"


def test_a_column_label_right_above_the_headline_goes_an_authors_bracketed_label_stays(raw_rules):
    # Dev pages ai06 and q13's kind: the site's column ("政策要闻") on the line above the
    # headline, which stands over the text with the source row between.
    head = ["“三八”国际妇女节中外妇女招待会举行", "来源:人民网-人民日报",
            "3月7日,纪念“三八”国际妇女节中外妇女招待会在京隆重举行,全国妇联主席致辞,向中外嘉宾和妇女姐妹致以节日祝贺。",
            "招待会上,各界妇女代表欢聚一堂,共同庆祝节日,气氛热烈,大家纷纷表示要在新时代建功立业。"]
    out = clean_lines(["政策要闻", *head], raw_rules)
    kept = [x.text for x in out.kept]
    assert "政策要闻" not in kept and kept[0] == head[0] and kept[-2:] == head[-2:]
    assert any(e.before == "政策要闻" and e.rule == "between_chrome" for e in out.edits)
    # The author's own part label in 【】 there is a heading, and stays.
    assert "【政策信息】" in [x.text for x in clean_lines(["【政策信息】", *head], raw_rules).kept]


def test_the_title_glued_twice_to_the_text_goes_once_is_left(raw_rules):
    # Dev page w02's kind: a document-sharing site's preview, the file's title said over
    # again at the start of its text.
    title = "乡镇政府换届工作报告"
    text = "各位代表:现在,我受镇人民政府委托,向大会作政府工作报告,请予审议,并请列席大会的人员提出意见。"
    out = clean_lines([title, title * 3 + text], raw_rules)
    assert [x.text for x in out.kept] == [title, text]
    assert [e.before for e in out.edits if e.rule == "title_repeat_glued"] == [title * 3]
    # Once, in brackets or before the text's first list label (dev pages o07, ai11), it goes too.
    for glued in (f"【{title}】2、各位代表要按时报到。", f"{title}一、引言"):
        assert [x.text for x in clean_lines([title, glued, text], raw_rules).kept][1] in ("2、各位代表要按时报到。", "一、引言")
    # Once before anything else it stays: a paragraph may open with the title's words.
    opens = title + "是全镇的一件大事,要认真组织,精心安排,确保各项工作顺利完成。"
    assert [x.text for x in clean_lines([title, opens], raw_rules).kept] == [title, opens]


def test_a_qa_sites_labels_and_a_quote_box_go(raw_rules):
    # Dev pages ao05 and ak32 (question-and-answer sites), ao25 and ag18 (finance portals).
    chrome = ["问题描述:", "最佳答案", "昨收盘:0.000今开盘:0.000最高价:0.000最低价:0.000"]
    kept = [x.text for x in clean_lines([BODY[0], chrome[0], BODY[1], chrome[1], *BODY[2:], chrome[2]], raw_rules).kept]
    assert kept == BODY


def test_a_writing_guides_list_of_a_documents_parts_stays_and_placeholders_are_no_noise(raw_rules):
    # Dev pages ao06 and ao13: a guide lists a 请示's parts one a line, and a template's
    # contact sentence masks its numbers (XXXX) and address.
    parts = ["• 标题", "• 正文", "• 落款"]
    contact = "如有任何疑问或需进一步了解会议详情,请联系(联系人姓名),电话:XXXX-XXXXXXX,邮箱:xx@email.com。"
    lines = [*BODY[:3], *parts, *BODY[3:], contact]
    assert [x.text for x in clean_lines(lines, raw_rules).kept] == lines
    assert "- 回帖" not in [x.text for x in clean_lines([*BODY, "- 回帖"], raw_rules).kept]


def test_a_title_tagged_with_a_year_is_the_title_between_the_crumb_and_the_intro(raw_rules):
    # Dev page ak14's kind: a template site tags the title with the year, between its
    # breadcrumb and the editor's introduction, above the first sample's heading.
    title = "中学校长在秋季开学典礼上的讲话2022"
    lines = ["首页 >  范文大全 >  演讲稿 >  开学典礼发言稿 >", title,
             "新学期开始了,新的梦想、新的目标、新的成功等着你们去开拓、去创造、去实现,下面是小编精心整理的中学校长在秋季开学典礼上的讲话,欢迎阅读。",
             "中学校长在秋季开学典礼上的讲话范文(一)", "老师们、同学们:",
             "今天,又有4800名新同学加入了这个大家庭,你们来自祖国的大江南北,相聚在这里,这标志着你们的人生翻开了新的一页。"]
    out, t = classify(lines, raw_rules)
    assert out.kept[t].text == title and [x.text for x in out.kept] == [title, *lines[3:]]


def test_a_betting_advert_wedged_into_sentences_goes_and_a_lottery_report_stays(raw_rules):
    # A hijacked township report (dev page aq11): the same advert wedged into three sentences.
    ad = "uedbet体育_uedbet官网@:"
    lines = [f"按照条例以及省、市{ad}做好2023年政府信息公开工作年度报告编制发布等工作的具体要求。",
             f"(三)政府信息管理情况2022年,{ad}西柳镇人民政府办公室共制定规范性文件0件。",
             f"(五)监督保障。西柳镇依据《{ad}政务公开绩效考核指标》在政府信息公开载体建设方面开展考核。", *BODY]
    out = clean_lines(lines, raw_rules)
    kept = [x.text for x in out.kept]
    assert not any(ad in t for t in kept) and "(三)政府信息管理情况2022年,西柳镇人民政府办公室共制定规范性文件0件。" in kept
    assert {e.rule for e in out.edits if e.action == "remove"} == {"wedged_spam"}
    # The same words in an author's report, three times, without a brand name: they stay.
    report = ["全年销售体育彩票3.2亿元,同比增长12%,体育彩票公益金全部用于全民健身。",
              "加强体育彩票销售网点管理,开展体育彩票责任彩票宣传活动20余场。",
              "县政府官网及时公开体育彩票公益金使用情况,接受社会监督。", *BODY]
    assert [x.text for x in clean_lines(report, raw_rules).kept] == report


def test_a_breadcrumb_run_on_into_the_chapter_heading_leaves_the_heading(raw_rules):
    # A novel site (dev pages y01, aq27): "书屋 > 都市小说 > 书名 > 正文 第169章 隆重表彰".
    out = clean_lines(["海棠书屋 > 都市小说 > 绝对权力 > 正文 第169章 隆重表彰", *BODY], raw_rules)
    assert [x.text for x in out.kept][0] == "第169章 隆重表彰"


def test_a_school_sites_editorial_sign_off_goes(raw_rules):
    # A college's news page (dev page aq03): who wrote, took the photos and reviewed it.
    credits = ["供文:学工部 汪皓萌", "供图:学生记者团 陈华 薛佳欣", "一审:学工部 罗之军", "三审:党委宣传部 姚楠"]
    assert [x.text for x in clean_lines([*BODY, *credits], raw_rules).kept] == BODY


def test_a_samples_numbered_heading_is_no_copy_of_the_title(raw_rules):
    # A template site (dev page aq39): the page's title, then the first sample headed
    # "…范文(一)". The number makes it the sample's heading: it stays, whole.
    title, first = "政府领导春节致辞范文", "政府领导春节致辞范文(一)"
    kept = [x.text for x in clean_lines([title, "2017-03-01", first, "同志们、朋友们:", *BODY], raw_rules).kept]
    assert kept[:2] == [title, first]


def test_a_metadata_field_above_the_title_is_no_heading_of_the_text(raw_rules):
    # A document-sharing page (dev page aq31): its file facts one a line, the last one
    # heading-shaped ("总字数:约1.01千字"), then the title and the text. Between chrome, it goes.
    title = "说好普通话,做自信的中国声音传递者——在第28届全国推广普通话宣传周上的发言"
    lines = ["文件大小:13 KB", "总页数:2 页", "更新时间:2025-09-29", "总字数:约1.01千字", "文档摘要", title, *BODY[1:]]
    assert [x.text for x in clean_lines(lines, raw_rules).kept] == [title, *BODY[1:]]


def test_the_title_after_a_portals_field_label_is_the_sites_copy(raw_rules):
    # A district portal (dev page aq05): its disclosure table repeats the title as
    # "内容概述 华庄街道2022年工作总结" under the page's own headline.
    title = "华庄街道2022年工作总结"
    lines = [title, "发布时间:2023-01-17 15:00     发布部门:华庄街道     阅读次数:", f"内容概述 {title}", *BODY[1:]]
    assert [x.text for x in clean_lines(lines, raw_rules).kept] == [title, *BODY[1:]]


def test_a_title_bar_printed_twice_is_no_table(raw_rules):
    # A news aggregator (dev page aq18) prints its "headline | section | source" bar twice: two
    # rows of cells, but one row twice over. It is no table to keep whole: the copy goes.
    bar = "大阪世博台灣被消失 蘇貞昌盼團結對外開拓空間 | 政治 | 中央社 C"
    kept = [x.text for x in clean_lines([bar, "", bar.replace(" 蘇", "  蘇"), "", *BODY[1:]], raw_rules).kept]
    assert sum("大阪世博" in t for t in kept) == 1 and kept[-len(BODY[1:]):] == BODY[1:]


def test_a_statistics_table_flattened_one_cell_a_line_keeps_its_figures(raw_rules):
    # A statistics bureau's page (dev page as13): the table came through one cell a line with
    # no borders. Its figures are data, not counters; its labels are not menu items.
    table = ["总量", "(亿元)", "比上年同期", "增长(%)", "地区生产总值", "19349.31", "-5.7", "第一产业", "34.52", "1.7",
             "第二产业", "4452.78", "-13.7", "第三产业", "14862.01", "-3.1"]
    kept = [x.text for x in clean_lines([*BODY, *table, *BODY[2:]], raw_rules).kept]
    assert all(t in kept for t in table)
    # A view counter or a page number alone is still one: no decimals, no sign.
    kept = [x.text for x in clean_lines([*BODY, "221381", *BODY[2:], "1", "2", "3", "4"], raw_rules).kept]
    assert not any(t in kept for t in ("221381", "1", "2", "3", "4"))


def test_adult_spam_wedged_into_sentences_goes_without_a_brand_name(raw_rules):
    # A hijacked university page (dev page as09): "91精品国产免费久久国语麻豆" wedged into its
    # sentences and banner. No author writes 麻豆 or 精品国产: no Latin brand is needed.
    spam = "91精品国产免费久久国语麻豆"
    lines = [f"4月7日下午,我校召开会议,在学校办学百年之际更好地总结回顾历史,激励{spam}人奋勇前行。",
             f"会议指出,今年是我校办学100周年,{spam}学校正在有序推进百年办学总结有关工作。",
             f"会议要求,各单位要高度重视,{spam}认真做好纪念文章撰写工作。", *BODY]
    kept = [x.text for x in clean_lines(lines, raw_rules).kept]
    assert "会议要求,各单位要高度重视,认真做好纪念文章撰写工作。" in kept and not any(spam in t for t in kept)


def test_the_title_glued_once_before_the_salutation_goes(raw_rules):
    # A template site (dev page as24) prints the title again, glued to the speech's salutation.
    title = "镇党委书记在镇经济工作会议上的讲话"
    kept = [x.text for x in clean_lines([title, "|来源:新高考网", f"{title}同志们:", *BODY[2:]], raw_rules).kept]
    assert kept == [title, "同志们:", *BODY[2:]]


def test_the_title_glued_once_before_its_date_goes(raw_rules):
    # A template site (dev page au02) prints a report's title again, glued to the date the
    # report opens with. A sentence that opens with the title's words keeps them.
    title = "市政局半年工作总结"
    text = "2011年上半年,我局在区委、区政府的坚强领导下,统一思想认识,明确目标任务,认真分析制定了年度工作目标。"
    kept = [x.text for x in clean_lines([title, title + text, *BODY[2:]], raw_rules).kept]
    assert kept == [title, text, *BODY[2:]]
    opens = title + "要在月底前报送区委办公室,各科室要认真总结经验,查找不足,提出下半年工作打算。"
    assert [x.text for x in clean_lines([title, opens, *BODY[2:]], raw_rules).kept][1] == opens


def test_of_two_copies_of_the_title_the_one_in_a_list_goes(raw_rules):
    # A party site (dev page au04) ends its breadcrumb with the headline as a bulleted item,
    # then prints the headline: the bullet's copy goes, the headline stays as the title.
    head = "习近平在庆祝中国共产党成立100周年“七一勋章”颁授仪式上发表重要讲话"
    lines = ["当前位置:", "• 首页", "• 党的建设", f"• {head}", "", head, "", *BODY[1:]]
    out = clean_lines(lines, raw_rules)
    assert [x.text for x in out.kept] == [head, *BODY[1:]]
    assert [e.before for e in out.edits if e.rule_class == "site_title_repeat"] == [f"• {head}"]


def test_headlines_in_a_row_under_a_list_label_below_the_text_go(raw_rules):
    # A news site (dev page aw36) lists other stories under "视频更多" after the text.
    heads = ["首张黑洞照片的背后 有一位从香港走出的天文学家", "廉政公署展览厅“科技感十足” 廉政专员:打造文化景点",
             "2025长洲飘色巡游看呆外国游客!哪吒成最热门角色"]
    kept = [x.text for x in clean_lines([*BODY, "视频更多", *heads], raw_rules).kept]
    assert kept == BODY
    # Without the label they are short lines of the text, and stay.
    assert [x.text for x in clean_lines([*BODY, *heads], raw_rules).kept] == [*BODY, *heads]


def test_a_wedge_stops_where_its_lines_go_on_differently(raw_rules):
    # A hijacked government page (dev page aw18) puts a betting site's name where the city's
    # was, on every line, the title's two copies among them: the wedge is the name alone, not
    # the name and the title's first words that two copies and one sentence share.
    w = "365bet(中国)官方网站 "
    lines = [f"{w}2024年政府信息公开工作年度报告", f"{w}2024年政府", "信息公开工作年度报告",
             f"根据《条例》等规定,现公布{w}2024年政府信息公开工作年度报告。本报告由总体情况等部分组成。",
             f"严格落实《条例》要求,{w}各级政府及其部门依托政府网站持续深化信息公开。"]
    out = clean_lines(lines, raw_rules)
    assert {e.before for e in out.edits if e.rule == "wedged_spam"} == {w.strip()}
    assert any(x.text.startswith("根据《条例》等规定,现公布 2024年政府信息公开") or "现公布2024年政府" in x.text.replace(" ", "")
               for x in out.kept)


def test_a_whole_menu_in_one_row_goes_though_its_words_read_as_authored(raw_rules):
    # A civilisation-office site (dev page aw17) prints its menu in one row above the headline;
    # its words (讲文明树新风, 我们的节日) read as an author's to the lexical model.
    row = "文明播报 通知通告 讲文明树新风 文明创建 道德模范 我们的节日 志愿服务 未成年人"
    out = clean_lines([row, "两部门联手整治卫生死角节前扮靓辽东湾", *BODY[2:]], raw_rules)
    assert [x.text for x in out.kept] == ["两部门联手整治卫生死角节前扮靓辽东湾", *BODY[2:]]
    assert [e.rule_class for e in out.edits if e.before == row] == ["navigation"]


def test_a_list_of_titles_cut_one_a_line_at_each_enumeration_comma_goes(raw_rules):
    # A novel site (dev page aw27) lists other books above the chapter, one a line, each ending
    # on 、, under its label. A sentence wrapped at a 、 is wrapped at the page's width instead.
    books = ["综影视:姑娘你别跑、", "开局系统助阵,我赶海都爆桶、", "谍战1937:开局血洗特高科、", "穿越之我是巨龙、", "天行有常、"]
    out = clean_lines(["最新玄幻魔法小说:", *books, *BODY], raw_rules)
    assert [x.text for x in out.kept] == BODY
    assert {e.rule for e in out.edits} == {"enumerated_links"}
    wrapped = ["会议要求各乡镇、各部门要切实加强组织领导,明确责任分工,层层压实责任,认真落实安全生产、", "森林防火、",
               "疫情防控等各项工作。"]
    assert [x.text for x in clean_lines([*BODY, *wrapped], raw_rules).kept][-3:] == wrapped


def test_a_page_that_ends_on_single_words_one_a_line_ends_on_its_tags(raw_rules):
    # A 美篇 post (dev page au06) ends on its tags, one word a line.
    tags = ["党组织", "书记", "街道", "工作", "村级", "党工委"]
    assert [x.text for x in clean_lines([*BODY, *tags], raw_rules).kept] == BODY
    # An author's list of words, with the text going on after it, stays.
    words = ["毒品", "赌博", "迷药", "破解", "作弊"]
    after = "以上字词在发布前须逐一核对,发现问题及时报告宣传部门,由专人负责审核把关。"
    kept = [x.text for x in clean_lines([*BODY, "附:敏感字词表", *words, after], raw_rules).kept]
    assert kept[-6:] == [*words, after]


def test_a_poems_lines_are_not_joined_at_their_commas(raw_rules):
    # A poem on a mirror (dev page ay37): each verse line ends on a comma or a stop, as many
    # characters each; a prose line cut at a comma is joined as before.
    verse = ["十里長街淚漣漣,", "動容江河撼山川。", "人民心中好總理,", "深沉愛戴比金堅。"]
    out, edits, _ = wraps.join_wrapped([Line(i + 1, t) for i, t in enumerate(verse)], raw_rules.structure, None)
    assert [x.text for x in out] == verse and not edits
    prose = ["会议要求各乡镇要切实加强组织领导,", "明确责任分工,层层压实责任。"]
    out, _, _ = wraps.join_wrapped([Line(i + 1, t) for i, t in enumerate(prose)], raw_rules.structure, None)
    assert [x.text for x in out] == ["".join(prose)]
