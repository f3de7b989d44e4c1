"""Kept lines to typed paragraphs: title, salutation, heading, body, closing.

Paragraphs follow the source's lines. Heading levels are assigned per
document in order of first appearance of each label style, so 一、 above
第一， and 一、 above （一） both nest the way the author wrote them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docclean.model import Line
from docclean.rules import StructureRules
from docclean.text import HAN, SENTENCE_MARK, TERMINAL, fold, shape

_SENTENCE_END = SENTENCE_MARK
_CLOSING_LEAD = re.compile(r"^\s*同志们[，,！!]")  # matched on the folded text: 同志們， too


@dataclass
class Paragraph:
    para_index: int
    kind: str  # title | salutation | heading | body | closing
    text: str
    lineno: int
    heading_level: int | None = None
    label: str | None = None
    section: str | None = None
    path: tuple[int, ...] = ()  # para_index of each paragraph whose label is a part of section


def _is_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text))


def title_score(text: str, rules: StructureRules) -> int:
    if len(text) > rules.title_max_len or rules.salutation.match(text):
        return 0
    if _SENTENCE_END.search(text.rstrip("。")):
        return 0
    if text.rstrip().endswith((":", "：")):
        return 0  # it leads into what follows: a byline ("李德琳 报道:"), a label ("更新时间:")
    if _label(text, rules.headings) and not _label(text, rules.headings)[0] == "compilation_item":
        return 0  # "3.0 管理制度", "一、…": an entry of a list or a heading, not the title
    if titled(text, rules):
        return 2
    sh = shape(text)
    if 2 * sh.cjk < sh.n:
        return 0  # mostly digits, Latin or marks: a player's clock, a counter ("收听本文 00:00/00:00")
    if sh.cjk < 4:
        return 0  # a word or two: a counter's label ("人氣"), a column, a name; no headline
    # Two or more commas: a clause of running text, not a title.
    return 0 if len(re.findall("[，,]", text)) >= 2 else 1


# What may follow a title's document-type word: a bracketed note ("（摘要）"), the
# speaker ("——张三"), a compilation count ("模板6篇"), a news site's "全文" / "摘要" ("…致辞全文"),
# a template site's year tag ("…讲话2022", "…总结2024最新").
_TITLE_TAIL = re.compile(r"([（(【\[][^（(【\[]{0,20}[)）】\]]|——\s*[" + HAN + r"·]{2,8}"
                         r"|\s*(19|20)\d{2}\s*(年度?)?\s*(最新|新版|版)?"
                         r"|\s*(范文|模板|精选|合集|汇编|通用|大全|优秀)*\s*[（(]?\s*(精选)?\s*[\d一二三四五六七八九十]{1,3}\s*篇\s*[)）]?"
                         r"|\s*篇\s*[\d一二三四五六七八九十]{1,3}|\s*(范文|模板|精选|大全|全文|摘要|摘登|节选)+)$")
# A speech's subtitle: "——在全县经济工作会议上的讲话", "2025年3月21日在…大会第四次会议上".
SUBTITLE = re.compile(r"在[^。！？]{2,60}(会议|大会|典礼|仪式|座谈会|论坛|培训班|研讨班|报告会|动员会|推进会|"
                      r"开幕式|闭幕式)(开幕式|闭幕式)?上(的(讲话|发言|报告|致辞|主持词))?\s*[)）]?$")


def titled(text: str, rules: StructureRules) -> bool:
    """The line ends with the kind of document it is (讲话, 报告, 方案…)."""
    core = fold(text).strip().rstrip("。 ").strip("《》")
    for _ in range(2):  # "…讲话稿范文(精选31篇)": a count after a site word
        core = _TITLE_TAIL.sub("", core).rstrip("。 ）)】]》")
    return core.endswith(rules.title_suffixes)  # a tuple: one call for all suffixes


# A byline under a headline: an organisation and a name ("某某镇人民政府 张三"), a credit
# ("作者：…", "来源：…", "记者 …"), or a date.
_BYLINE = re.compile(r"^[" + HAN + r"（）()·]{2,30}\s+[" + HAN + r"·]{2,4}$|^\s*(作者|文|记者|本报记者|通讯员|来源)\s*[:：/|\s]"
                     r"|\d{4}\s*[-年/.]\s*\d{1,2}")


def find_title(lines: list[Line], rules: StructureRules) -> int | None:
    """Index of the title among the first kept lines, or None.

    A line ending in a document-type word (讲话, 报告, 方案…) wins. Otherwise
    the first short non-sentence line that is directly followed by a
    salutation, a heading or a long paragraph, or by one short line (a byline)
    and then a paragraph: titles sit right above the text.
    """
    window = lines[: rules.title_search_lines]
    scores = [title_score(line.text, rules) for line in window]
    for i, s in enumerate(scores):
        if s == 2:
            return i
    for i, s in enumerate(scores):
        if s != 1:
            continue
        nxt = lines[i + 1].text if i + 1 < len(lines) else ""
        after = lines[i + 2].text if i + 2 < len(lines) else ""
        # A headline, then one short line (a byline, a source, a date), then the text: the
        # headline is the title, not the byline ("对照检查要有…" / "某某镇人民政府 张三" / 正文).
        if shape(lines[i].text).cjk >= 8 and _BYLINE.search(nxt) and len(nxt) <= rules.title_max_len \
                and not _is_sentence(nxt) and (shape(after).prose or shape(after).running):
            return i
        if (not nxt or rules.salutation.match(nxt) or len(nxt) > rules.title_max_len or shape(nxt).prose or shape(nxt).running
                or nxt.lstrip().startswith(("——", "—", "--")) or SUBTITLE.search(fold(nxt))
                or _label(nxt, rules.headings)):
            return i
    return None


def _label(text: str, styles) -> tuple[str, str] | None:
    folded = fold(text)  # "⼆、" written with a Kangxi radical is 二、
    for style in styles:
        m = style.regex.match(folded)
        if m:
            # The label as written, where folding kept the positions.
            src = text if len(folded) == len(text) else folded
            return style.name, src[m.start("label"):m.end("label")].strip()
    return None


def _is_heading_line(text: str, rules: StructureRules) -> bool:
    body = text.rstrip(TERMINAL)
    return len(text) <= rules.heading_max_len and not _is_sentence(body)


def build_paragraphs(lines: list[Line], title_index: int | None, rules: StructureRules) -> list[Paragraph]:
    paras: list[Paragraph] = []
    levels: dict[str, int] = {}
    stack: list[tuple[int, int]] = []  # (level, para_index) of the open sections

    for i, line in enumerate(lines):
        text = line.text
        p = Paragraph(len(paras), "body", text, line.lineno)
        if i == title_index:
            p.kind = "title"
        elif rules.salutation.match(text):
            p.kind = "salutation"
        elif rules.closing.match(text):
            p.kind = "closing"
        else:
            heading = _label(text, rules.headings)
            if heading:
                style, label = heading
                level = levels.setdefault(style, len(levels) + 1)
                while stack and stack[-1][0] >= level:
                    stack.pop()
                stack.append((level, p.para_index))
                p.label = label
                if _is_heading_line(text, rules):
                    p.kind, p.heading_level = "heading", level
            else:
                run_in = _label(text, rules.run_ins)
                if run_in:
                    p.label = run_in[1]
        p.path = tuple(i for _, i in stack)
        paras.append(p)
        p.section = "/".join(paras[i].label for i in p.path) or None

    # A speech ends on "同志们，…": the last paragraph is its closing.
    if paras and paras[-1].kind == "body" and _CLOSING_LEAD.match(fold(paras[-1].text)) and len(paras) > 2:
        paras[-1].kind = "closing"
    return paras


def relabel(paras: list[Paragraph], rules: StructureRules) -> None:
    """Labels and sections as the paragraphs' final text writes them.

    Labels are found before repairs, which may rewrite them (half-width ``(一)`` becomes
    ``（一）`` in Chinese text): each label is read again from its paragraph's text,
    and each section is rebuilt from the labels of its paragraphs.
    """
    for p in paras:
        if p.label is None:
            continue
        found = _label(p.text, rules.headings) or _label(p.text, rules.run_ins)
        if found and fold(found[1]) == fold(p.label):
            p.label = found[1]
    for p in paras:
        if p.path:
            p.section = "/".join(paras[i].label for i in p.path)
