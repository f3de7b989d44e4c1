"""HTML extraction: article paragraphs kept, page chrome dropped, by structure."""

from __future__ import annotations

import pytest

from docclean.input.html import TruncatedHTML, check_complete, extract, looks_like_html
from docclean.run.passes import process_bytes

PARAS = [
    "同志们：",
    "今天召开全县经济工作会议，主要任务是总结去年工作，部署今年任务。",
    "一、统一思想，提高认识",
    "过去一年，全县上下攻坚克难，经济运行稳中向好，各项事业取得新进展。",
]


def page(body_paras=PARAS, charset="utf-8", article_class="art-main", br=False) -> str:
    if br:
        article = "<div class='%s'>%s</div>" % (article_class, "<br>\n".join(body_paras))
    else:
        article = "<div class='%s'>%s</div>" % (
            article_class, "".join(f"<p>{p}</p>" for p in body_paras[:2])
            + "<div class='gg-box'><a href='/vip'>开通VIP会员，免费下载全文</a></div>"
            + "".join(f"<p>{p}</p>" for p in body_paras[2:]))
    return f"""<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>在全县经济工作会议上的讲话_某某范文网</title>
<style>p {{ color: red }}</style><script>var x = "同志们：脚本里的字";</script></head>
<body>
<header><div class="logo">某某范文网</div></header>
<nav><a href="/">首页</a><a href="/a">讲话稿</a><a href="/b">工作总结</a></nav>
<div class="crumbs"><a href="/">首页</a> &gt; <a href="/a">讲话稿</a> &gt; 正文</div>
<div class="wrap">
  <div class="left">
    <h1>在全县经济工作会议上的讲话</h1>
    {article}
  </div>
  <div class="sidebar"><h3>热门文章</h3><ul><li><a href="/1">关于做好年终工作的通知</a></li>
  <li><a href="/2">在全市党建工作会议上的讲话</a></li></ul></div>
</div>
<footer>Copyright © 2024 某某范文网 京ICP备12345678号</footer>
<script>track();</script>
</body></html>"""


def test_article_paragraphs_in_order_without_chrome():
    ex = extract(page())
    assert ex.title == "在全县经济工作会议上的讲话"
    body = [line for line in ex.lines if line in PARAS]
    assert body == PARAS
    text = "\n".join(ex.lines)
    for chrome in ("首页", "热门文章", "关于做好年终工作的通知", "Copyright", "脚本里的字",
                   "color", "track", "开通VIP会员"):
        assert chrome not in text, chrome
    assert ex.lines[0] == "在全县经济工作会议上的讲话"


def test_class_names_do_not_matter():
    # Another template family, unrelated class names: structure still finds the body.
    ex = extract(page(article_class="zw_box_7"))
    assert [line for line in ex.lines if line in PARAS] == PARAS


def test_br_separated_paragraphs_are_kept_apart():
    ex = extract(page(br=True))
    assert [line for line in ex.lines if line in PARAS] == PARAS


def test_meta_charset_gbk_page_through_pipeline(ruleset):
    data = page(charset="gbk").encode("gb18030")
    r = process_bytes(data, "site/a.html", ruleset)
    assert r.status == "ok"
    assert r.encoding == "gb18030"
    assert r.title == "在全县经济工作会议上的讲话"
    assert [line.text for line in r.lines] == ["在全县经济工作会议上的讲话", *PARAS]


def test_html_sniffed_without_suffix(ruleset):
    r = process_bytes(page().encode("utf-8"), "site/a.txt", ruleset)
    assert [line.text for line in r.lines][1:] == PARAS


def test_truncated_html_is_detected():
    full = page()
    with pytest.raises(TruncatedHTML):
        check_complete(full[: len(full) // 2])
    with pytest.raises(TruncatedHTML):
        check_complete("<p>同志们：今天开会</p><p cla")
    check_complete(full)


def test_truncated_html_is_quarantined(ruleset):
    full = page()
    r = process_bytes(full[: len(full) * 2 // 3].encode(), "site/cut.html", ruleset)
    assert r.status == "quarantined"
    assert "truncated" in r.error
    assert r.lines == []


def test_looks_like_html():
    assert looks_like_html("<!DOCTYPE html><html>")
    assert looks_like_html("  <div class='x'>同志们</div>")
    assert not looks_like_html("同志们：\n今天开会。a<b 且 b>c")


# ----------------------------------------------------------------------------- tables

INTRO = "过去一年，全县上下攻坚克难，经济运行稳中向好，主要指标完成情况如下。"
TABLE = """<table>
<tr><th>指标</th><th>2023年</th><th>增长</th></tr>
<tr><td>地区生产总值（亿元）</td><td>1,234.5</td><td>6.8%</td></tr>
<tr><td>2022</td><td>100</td><td>200</td></tr>
<tr><td>财政收入</td><td></td><td>3.1%</td></tr>
</table>"""


def article_page(article_html: str, tail: str = "</body></html>") -> str:
    return (f"<!DOCTYPE html><html><head><title>全县经济运行情况_某某网</title></head><body>"
            f"<nav><a href='/'>首页</a><a href='/a'>新闻</a></nav>"
            f"<div class='main'><h1>全县经济运行情况</h1>{article_html}</div>"
            f"<footer>Copyright © 2024 某某网</footer>{tail}")


def test_table_one_line_per_row_cells_tab_joined_numbers_kept(ruleset):
    html = article_page(f"<p>{INTRO}</p>{TABLE}<p>{PARAS[1]}</p>")
    rows = ["指标\t2023年\t增长", "地区生产总值（亿元）\t1,234.5\t6.8%", "2022\t100\t200",
            "财政收入\t\t3.1%"]  # an empty cell inside the row keeps the columns
    assert extract(html).lines == ["全县经济运行情况", INTRO, *rows, PARAS[1]]
    r = process_bytes(html.encode(), "site/t.html", ruleset)
    assert [line.text for line in r.lines][2:6] == rows


def test_layout_table_cells_are_not_joined():
    # A layout table: one cell holds the article's paragraphs, the other a menu.
    html = article_page("<table><tr><td><a href='/1'>栏目一</a><br><a href='/2'>栏目二</a></td>"
                        f"<td><p>{INTRO}</p><p>{PARAS[1]}</p><p>{PARAS[3]}</p></td></tr></table>")
    lines = extract(html).lines
    assert INTRO in lines and PARAS[1] in lines and PARAS[3] in lines
    assert not any("\t" in line for line in lines)


# ----------------------------------------------------------------------------- truncation

def test_page_without_closing_html_is_not_truncated(ruleset):
    full = page()
    assert full.rstrip().endswith("</body></html>")
    for open_end in (full.rstrip()[: -len("</html>")], full.rstrip()[: -len("</body></html>")]):
        check_complete(open_end)  # HTML lets </body> and </html> be left out
        r = process_bytes(open_end.encode(), "site/open.html", ruleset)
        assert r.status == "ok"
        assert [line.text for line in r.lines][1:] == PARAS


def test_page_cut_inside_a_comment_or_script_is_truncated():
    with pytest.raises(TruncatedHTML):
        check_complete("<html><body><p>同志们：</p><!-- 统计代码")
    with pytest.raises(TruncatedHTML):
        check_complete("<html><body><p>同志们：</p><script>var a = 1;")


# ----------------------------------------------------------------------------- removed blocks

def test_removed_blocks_are_reported_with_reasons():
    html = f"""<html><body>
<nav><a href="/">首页</a><a href="/a">讲话稿</a></nav>
<div class="sidebar"><a href="/1">关于做好年终工作的通知</a></div>
<div class="wrap">
  <div class="a1">{"".join(f"<p>{p}</p>" for p in PARAS)}
    <p><a href="/x">上一篇：在全市党建工作会议上的讲话</a> <a href="/y">下一篇</a></p>
  </div>
  <div class="a2"><div>网站地图</div><div>联系我们</div></div>
</div>
<div style="display:none">隐藏的推广文字</div>
</body></html>"""
    ex = extract(html)
    assert ex.lines == PARAS
    assert ex.removed == [
        ("首页讲话稿", "html_nav"),
        ("关于做好年终工作的通知", "html_chrome_attr"),
        ("上一篇：在全市党建工作会议上的讲话 下一篇", "html_link_density"),
        ("网站地图", "html_outside_article"),
        ("联系我们", "html_outside_article"),
        ("隐藏的推广文字", "html_hidden"),
    ]


def test_extracted_removed_defaults_to_empty():
    from docclean.input.html import Extracted

    assert Extracted("t", ["a"]).removed == []


def test_asp_net_form_around_the_page_is_not_chrome():
    html = "<html><body><form id='Form1'><div class='post'>" + "".join(
        f"<p>{p}</p>" for p in PARAS) + "</div></form></body></html>"
    ex = extract(html)
    assert ex.lines == PARAS
    assert ex.removed == []


# ----------------------------------------------------------------------------- link density

LINKED_SENTENCE = ("会议传达学习了<a href='/1'>《中共中央关于进一步全面深化改革的决定》</a>和"
                   "<a href='/2'>全省经济工作会议精神</a>。")
BOOK_LIST = "<a href='/b1'>《论语》</a><a href='/b2'>《孟子》</a><a href='/b3'>《大学》</a><a href='/b4'>《中庸》</a>"


def test_sentence_full_of_links_and_list_of_titles_are_kept():
    html = article_page("".join(f"<p>{p}</p>" for p in PARAS[:2])
                        + f"<p>{LINKED_SENTENCE}</p><p>推荐书目：</p><p>{BOOK_LIST}</p>"
                        + "<p><a href='/more'>更多新闻</a> <a href='/top'>返回顶部</a></p>"
                        + "".join(f"<p>{p}</p>" for p in PARAS[2:]))
    ex = extract(html)
    assert "会议传达学习了《中共中央关于进一步全面深化改革的决定》和全省经济工作会议精神。" in ex.lines
    assert "《论语》《孟子》《大学》《中庸》" in ex.lines
    # The same link density without the shape of authored text is navigation.
    assert ("更多新闻 返回顶部", "html_link_density") in ex.removed
    assert [line for line in ex.lines if line in PARAS] == PARAS


def test_short_article_found_without_long_paragraphs():
    # No paragraph is long enough to count as "good" text: the article is still the
    # element with the sentences, not the whole page with its footer.
    short = ["按照学习安排，我谈三点认识。", "一、深刻认识，提高站位。", "二、准确把握，抓好落实。"]
    html = ("<html><body><div><ul><li><a href='/'>首页 &gt; 学习园地</a></li></ul></div>"
            "<div><div>" + "".join(f"<p>{p}</p>" for p in short) + "</div></div>"
            "<div>主办单位：某某市委宣传部 京ICP备05012345号</div></body></html>")
    ex = extract(html)
    assert ex.lines == short
    assert ("主办单位：某某市委宣传部 京ICP备05012345号", "html_outside_article") in ex.removed


def test_deeply_nested_unclosed_tags_do_not_crash():
    html = ("<html><body>" + "<div><font>" * 3000 + PARAS[1] + "</font></div>" * 3000
            + "</body></html>")
    assert extract(html).lines == [PARAS[1]]


def test_blocks_left_out_of_a_page_are_audited(raw_rules):
    """Chrome removed from the HTML is an edits row with its reason, and counted as removed."""
    from docclean.run.passes import build_document

    r = process_bytes(page().encode("utf-8"), "site/a.html", raw_rules)
    blocks = [e for e in r.edits if e.scope == "block"]
    assert blocks and all(e.action == "remove" and e.rule.startswith("html_") and e.evidence for e in blocks)
    removed = " ".join(e.before for e in blocks)
    assert "开通VIP会员" in removed or any("VIP" in e.before for e in r.edits)
    assert "关于做好年终工作的通知" in removed  # the sidebar's link list
    doc = build_document("d", [r], raw_rules, "test")
    assert doc.document["n_lines_removed"] >= len(blocks)
    assert [p["text"] for p in doc.paragraphs if p["kind"] != "title"] == PARAS
