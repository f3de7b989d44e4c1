"""Stitching pages: order by marker, drop running headers/footers, join cut paragraphs."""

from __future__ import annotations

from docclean.lines.pages import group_key, stitch
from docclean.run.passes import process_bytes

TITLE = "在全县安全生产工作会议上的讲话"


def _page(ruleset, name, n, of, body):
    text = f"{TITLE}（第{n}页，共{of}页）\n" + "\n".join(body) + "\n某某县应急管理局\n"
    return process_bytes(text.encode("utf-8"), f"s/{name}", ruleset)


def test_stitch_joins_cut_paragraph_and_drops_running_footer(ruleset):
    p1 = _page(ruleset, "b.txt", 1, 2, ["同志们：", "今天召开全县安全生产工作会议，主要任务是分析形势，部署下一阶段"])
    p2 = _page(ruleset, "a.txt", 2, 2, ["工作。安全生产事关人民群众生命财产安全。", "一、认清形势"])
    assert (p1.page, p1.page_count, p2.page) == (1, 2, 2)
    assert group_key(p1.source, p1.title) == group_key(p2.source, p2.title)

    st = stitch([p2, p1], ruleset.structure)
    texts = [line.text for _, line in st.lines]
    assert texts == [TITLE, "同志们：",
                     "今天召开全县安全生产工作会议，主要任务是分析形势，部署下一阶段工作。安全生产事关人民群众生命财产安全。",
                     "一、认清形势"]
    assert st.sources == ["s/b.txt", "s/a.txt"] and st.missing == []
    rules = {e.rule for e in st.edits}
    assert {"page_title_repeat", "page_header_footer", "page_join"} <= rules


def test_duplicate_page_is_kept_once(ruleset):
    p1 = _page(ruleset, "a.txt", 1, 2, ["同志们：", "第一段。"])
    again = _page(ruleset, "c.txt", 1, 2, ["同志们：", "第一段。"])
    st = stitch([p1, again], ruleset.structure)
    assert st.duplicates == ["s/c.txt"] and st.missing == [2]


def test_heading_at_page_end_is_not_joined(ruleset):
    p1 = _page(ruleset, "a.txt", 1, 2, ["同志们：", "今天开会。", "二、聚焦重点任务，加快建设创新中心"])
    p2 = _page(ruleset, "b.txt", 2, 2, ["要围绕产业链部署创新链。"])
    texts = [line.text for _, line in stitch([p1, p2], ruleset.structure).lines]
    assert texts[-2:] == ["二、聚焦重点任务，加快建设创新中心", "要围绕产业链部署创新链。"]
