"""Hard-wrapped text back into paragraphs.

Text converted from PDF or Word, and previews on document-sharing sites, break
a paragraph into lines. A line is joined to the one before it when the evidence
says the sentence goes on:

* the next line starts with punctuation that cannot open a paragraph (，。、）);
* the line ends inside a sentence (，、) or inside an open quote or bracket;
* the line ends on a word that cannot end a sentence (的, 与, 和 …);
* the page is wrapped at a fixed width (a run of lines of about the same width
  that end mid-sentence) and the line reaches that width without ending a sentence;
* the title alone is not a title and the title with the next short line is
  (…对照检 / 查材料);
* a list number stands alone (一、) and its text is the next line;
* a document-sharing preview numbers its chunks 1、2、3、 and cuts them
  mid-sentence: the numbers go and the chunks are joined where a cut was.

Never into a heading, a list item, a salutation (unless the line was its first
half), a closing, a speaker's label or a date; never out of a heading (a line with a
heading's label that runs to the page's wrap width through clauses is a list item's first
line, not a heading). Each join is an ``Edit`` with action ``normalize``.
"""

from __future__ import annotations

import re

from docclean import text as T
from docclean.lines.structure import SUBTITLE, titled
from docclean.model import Edit, Line
from docclean.rules import StructureRules

# Function words that leave a sentence open when a line ends on them.
_OPEN_END = set("的与和及或把被将从向而并且但由跟之其这那各每该")
_CONJUNCTION = set("和与及暨并或")  # no line, however short, ends on one
_TITLE_OPEN_END = re.compile(r"(关于|的|与|和|及|在|对|为|暨)$")
_SPEAKER = re.compile(rf"^[{T.HAN}A-Za-z]{{1,5}}[:：]\s*\S")  # 男：…, 主持人：… (not a salutation)
_LIST_ITEM = re.compile(r"^\s*([（(]?\d{1,3}[)）.、．]|[①-⑳]|[一二三四五六七八九十]+[是要抓]|[-•·●■◆]\s)")
_CHUNK = re.compile(r"^(\d{1,3})、\s*")
# A list number or an official document's field label alone on its line, its text on the
# next (a table cell each in the page the text came from): "一、" / "依據…". Other field
# labels alone ("成员：") are left: as often as not a list follows them.
_BARE_LABEL = re.compile(r"^\s*([（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十\d]{1,3}[.、．]"
                         r"|第[一二三四五六七八九十百\d]{1,4}[条條款])\s*$"
                         # An official document's field label: 主旨： / 有關…; 附件： / 原函…
                         r"|^\s*(主旨|说明|說明|附件|正本|副本|抄送|抄报|抄報|主送)\s*[:：]\s*$")
_ARTICLE = re.compile(r"^\s*第[一二三四五六七八九十百\d]{1,4}[条條章节節款]")
_DATE = re.compile(r"^[（(]?\s*\d{4}\s*年\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?\s*[)）]?$")
# Chunks of a preview are long; a numbered list item is a sentence or two.
CHUNK_MIN_WIDTH = 200
# A fixed-width page: this many lines within WIDTH_BAND of the common width (all of them
# open-ended when fewer than WIDTH_FEW_LINES).
WIDTH_MIN_LINES = 3
WIDTH_FEW_LINES = 5
WIDTH_BAND = 8
# An indented page (indented_layout): at least INDENT_MIN paragraph starts after a full stop are
# indented, and at least INDENT_SHARE of them; an unindented line of INDENT_CONT_MIN_CJK Chinese
# characters or more under an indented paragraph continues it.
INDENT_MIN = 3
INDENT_SHARE = 0.8
INDENT_CONT_MIN_CJK = 4


# ASCII punctuation next to a Chinese character: the page had it full-width (a converter or
# the site narrowed it), and on the page it was wrapped at it took a full-width cell.
_NARROWED = re.compile(rf"(?<=[{T.HAN}])[,.;:?!()]|[,.;:?!()](?=[{T.HAN}])")


def layout_width(text: str) -> int:
    """The width a line took on the page it was wrapped on: display width, with ASCII
    punctuation beside Chinese counted as the full-width mark it stood for (a page that
    printed 28 cells a line, stored with ASCII commas, would otherwise look ragged)."""
    return T.width(text) + len(_NARROWED.findall(text))


def _blocked(nxt: str, st: StructureRules) -> bool:
    """A line that starts a paragraph of its own whatever came before it (a table row too)."""
    return bool(len(T.CELL_SEP.findall(nxt.strip("|｜"))) >= 2
                or any(h.regex.match(nxt) for h in st.headings) or any(r.regex.match(nxt) for r in st.run_ins)
                or st.closing.match(nxt) or _SPEAKER.match(nxt) or _LIST_ITEM.match(nxt)
                or _DATE.match(nxt.strip()))


def _heading(line: str, st: StructureRules) -> bool:
    """A heading line: its label and no sentence ("(一)…诞生。近代以来…" is a run-in paragraph)."""
    return len(line) <= st.heading_max_len and any(h.regex.match(line) for h in st.headings) \
        and not T.shape(line).sentences


def wrap_width(lines: list[Line]) -> int | None:
    """The width a page was wrapped at, when it was: most lines end near it, mid-sentence."""
    # Running text only: a column of headings or a table of contents is not a wrap.
    measured = [(layout_width(x.text), x.text) for x in lines]
    running = [(w, t) for w, t in measured if w >= 40 and T.shape(t).clauses]
    widths = [w for w, _ in running]
    if len(widths) < WIDTH_MIN_LINES:
        return None
    best, best_n = None, 0
    for w in sorted(set(widths), reverse=True):
        n = sum(1 for x in widths if w - WIDTH_BAND < x <= w)
        if n > best_n:
            best, best_n = w, n
    # Half the lines that could be wrapped ones are at that width: lines that end
    # mid-sentence, and lines at the width. Short lines that end a sentence (a list of short
    # items, a paragraph's last line) say nothing either way.
    considered = sum(1 for w, t in running if best is not None and best - WIDTH_BAND < w <= best
                     or not T.ends_sentence(t))
    if best is None or best_n < WIDTH_MIN_LINES or best_n < 0.5 * considered:
        return None
    near = [t for w, t in running if best - WIDTH_BAND < w <= best]
    open_ended = sum(1 for t in near if not T.ends_sentence(t))
    if len(near) >= WIDTH_FEW_LINES:
        return best if open_ended >= 0.6 * len(near) else None
    # A short excerpt has few lines: then every one is prose and ends mid-sentence (a
    # schedule's "主办单位：…、…" lines are of a width too).
    return best if open_ended == len(near) and all(T.shape(t).prose for t in near) else None


def _title_wrap(a: str, b: str, st: StructureRules, b_is_title: bool = False) -> bool:
    """A title broken in two: only the whole ends with a document-type word."""
    # A lead-in ("…致辭,全文如下：") or a paragraph of prose is no title's first half.
    if len(b) > 20 or titled(a, st) or not titled(a + b, st) or T.shape(a).sentences or _blocked(b, st) \
            or _blocked(a, st) or T.shape(a).prose or a.rstrip()[-1:] in "：:":
        return False
    if b.lstrip().startswith("关于") and titled(b, st):
        return False  # a whole official title of its own ("关于召开…的通知") under a page's headline
    # When the second half alone passed for the title, the first half is the longer line,
    # or it ends on a word that cannot end one (省人民政府关于 / 进一步优化营商环境的若干意见).
    return not b_is_title or T.width(a) > T.width(b) or bool(_TITLE_OPEN_END.search(T.simplified(a)))


def indented_layout(lines: list[Line]) -> bool:
    """The page starts its paragraphs with an indent: of the lines that follow a full stop, at
    least INDENT_MIN are indented and nearly all (INDENT_SHARE). Then a line without one, under
    an indented paragraph that has not come to a full stop continues it, even after a ；(a
    converter broke the lines at clauses)."""
    starts = [b.indent for a, b in zip(lines, lines[1:]) if T.FULL_STOP_END.search(a.text)]
    return sum(starts) >= INDENT_MIN and sum(starts) >= INDENT_SHARE * len(starts)


def _why(a: Line, b: Line, st: StructureRules, width: int | None, is_title: bool,
         indented: bool = False) -> str | None:
    """The reason to join ``b`` onto ``a``, or None. ``indented``: the page indents its
    paragraphs (:func:`indented_layout`)."""
    at, bt = a.text, b.text
    if is_title:  # (a title never ends on a conjunction either)
        return "wrap_title" if _title_wrap(at, bt, st) or _conjunction_cut(at, bt) else None
    if T.unbalanced(at) and not T.ends_sentence(at) and not _blocked(bt, st):
        return "wrap_open_quote"  # even out of a heading: "一、…宣读《关于…的通" / "报》；"
    if _BARE_LABEL.match(at) and not _blocked(bt, st) and not _ARTICLE.match(bt):
        return "wrap_bare_label"
    # A line with a heading's label that runs to the page's wrap width through clauses is a
    # list item's first line ("① 具备…,…,如概念、性质、法则、公式等广泛应用于"), not a heading.
    wrapped_item = width is not None and layout_width(at) > width - WIDTH_BAND and T.shape(at).clauses >= 1
    if _heading(at, st) and not wrapped_item or st.salutation.match(bt) and not st.salutation.match(at):
        return None
    if bt[0] in T.NO_START and not bt.startswith("……"):
        return "wrap_leading_punctuation"
    if len(bt) <= 20 and not T.shape(at).sentences and not SUBTITLE.search(T.fold(at)) \
            and SUBTITLE.search(T.fold(at + bt)) and not _blocked(bt, st):
        return "wrap_subtitle"  # "——…在…第十六届人民代表大会" / "第六次会议上"
    if _blocked(bt, st) or st.salutation.match(at) and not at.rstrip()[-1:] in T.MID_SENTENCE:
        return None
    if indented and a.indent and not b.indent and T.shape(at).running and not _heading(at, st) \
            and not T.FULL_STOP_END.search(at) \
            and T.shape(bt).cjk >= INDENT_CONT_MIN_CJK and not titled(bt, st):
        return "wrap_indent"
    if T.ends_sentence(at) or _verse(at, bt):
        return None
    if width is not None and layout_width(at) > width - WIDTH_BAND:
        return "wrap_fixed_width"
    if at[-1] in T.MID_SENTENCE:
        return "wrap_mid_sentence"
    if T.unbalanced(at):
        return "wrap_open_quote"
    if at[-1] in _OPEN_END and T.shape(at).prose:
        return "wrap_open_word"
    if _conjunction_cut(at, bt):
        return "wrap_open_word"  # a headline broken after its conjunction: "研究…防控和" / "稳定…工作"
    return None


_VERSE_LINE = re.compile(rf"^\s*[{T.HAN}]{{4,9}}[，,。.！!？?；;]\s*$")


def _verse(at: str, bt: str) -> bool:
    """Two lines of a poem or a couplet: as many characters each (4 to 9), one mark at the end
    of each ("十里長街淚漣漣," / "動容江河撼山川。"). A verse ends on its comma."""
    return bool(_VERSE_LINE.match(at) and _VERSE_LINE.match(bt)) and T.shape(at).cjk == T.shape(bt).cjk


def _conjunction_cut(at: str, bt: str) -> bool:
    return at[-1] in _CONJUNCTION and not T.shape(at).clauses and T.shape(at).cjk >= 4 \
        and len(bt) <= 40 and not T.ends_sentence(bt)


def _glue(a: str, b: str) -> str:
    # Latin or digits on both sides were two words; Chinese joins with nothing.
    return f"{a} {b}" if a[-1:].isascii() and a[-1:].isalnum() and b[:1].isascii() and b[:1].isalnum() else a + b


def _chunks(lines: list[Line], edits: list[Edit], st: StructureRules) -> tuple[list[Line], set[int]]:
    """Strip a preview's chunk numbers (1、2、3、 on long lines cut mid-sentence).

    Returns the lines and the line numbers of the chunks after the first. A run right under
    a heading ("(一)调查样本的基本情况" / "1、社区分布…") is the author's numbered list.
    """
    nums = [(i, int(m.group(1)), m) for i, x in enumerate(lines) if (m := _CHUNK.match(x.text))]
    run = [n for n in nums if n[1] == 1][:1]
    for n in nums:
        if run and n[1] == run[-1][1] + 1 and n[0] > run[-1][0]:
            run.append(n)
    if len(run) < 2:
        return lines, set()
    above = next((x.text for x in reversed(lines[:run[0][0]]) if x.text), "")
    if above and _heading(above, st):
        return lines, set()
    body = [lines[i] for i, _, _ in run[:-1]]
    if any(T.width(x.text) < CHUNK_MIN_WIDTH for x in body) or all(T.ends_sentence(x.text) for x in body):
        return lines, set()
    out = list(lines)
    for i, _, m in run:
        edits.append(Edit("remove", "preview_chunk_number", "page_marker", m.group(0), "", scope="span",
                          line=lines[i].lineno, offset=0))
        out[i] = Line(lines[i].lineno, lines[i].text[m.end():])
    return out, {lines[i].lineno for i, _, _ in run[1:]}


def join_wrapped(lines: list[Line], st: StructureRules, title_index: int | None,
                 official=()) -> tuple[list[Line], list[Edit], int | None]:
    """Re-join hard-wrapped lines; returns the lines, the join edits and the title's new index.

    ``official`` (name, pattern, where) are the official-document parts: a 文号 above
    the title is not the title's first half.
    """
    edits: list[Edit] = []
    lines, chunk_starts = _chunks(lines, edits, st)
    width = wrap_width(lines)
    indented = indented_layout(lines)
    title_no = lines[title_index].lineno if title_index is not None else None
    out: list[Line] = []
    for line in lines:
        if not line.text:
            continue
        if out and line.lineno == title_no and (_title_wrap(out[-1].text, line.text, st, True)
                                                or _conjunction_cut(out[-1].text, line.text)) \
                and not any(p.search(out[-1].text) for _, p, _ in official):
            # The title's first half came first: "…对照检" / "查材料（含案例）".
            edits.append(Edit("normalize", "wrap_title", "paragraph", line.text, "", scope="line",
                              line=line.lineno, offset=len(out[-1].text)))
            out[-1] = Line(out[-1].lineno, _glue(out[-1].text, line.text))
            title_no = out[-1].lineno
            continue
        if out and line.lineno != title_no:
            prev = out[-1]
            if line.lineno in chunk_starts:
                why = None if T.ends_sentence(prev.text) else "preview_chunk_cut"
            else:
                why = _why(prev, line, st, width, prev.lineno == title_no, indented)
            if why:
                edits.append(Edit("normalize", why, "paragraph", line.text, "", scope="line", line=line.lineno,
                                  offset=len(prev.text)))
                out[-1] = Line(prev.lineno, _glue(prev.text, line.text), prev.indent)
                continue
        out.append(Line(line.lineno, line.text, line.indent))
    new_title = next((i for i, x in enumerate(out) if x.lineno == title_no), None)
    return out, edits, new_title
