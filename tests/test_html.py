"""HTML extraction: article paragraphs kept, page chrome dropped, by structure."""

from __future__ import annotations

import pytest

from docclean.html_extract import TruncatedHTML, check_complete, extract, looks_like_html
from docclean.pipeline import process_bytes

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
