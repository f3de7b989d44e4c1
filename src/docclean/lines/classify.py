"""Decide every line of a page on evidence from the whole page.

A keyword alone never deletes a sentence. Each line gets a chrome score, the sum
of its evidence (rules of boilerplate.toml, site and UI vocabulary of
lines.toml, its shape); then where it sits decides what the score means:

* outside the authored body (above its first prose line, below its last one)
  a little evidence removes a line: that is where sites put their chrome;
* inside the body a sentence-shaped line is removed only by a verdict rule
  (a jammer string, a page marker, a site's domain), other lines need more;
* a short line with no evidence of its own takes its neighbours' side, as in
  jusText: between chrome it is chrome, between paragraphs it is body;
* the parts of an official document and the title are never removed.

Then a page's own repeats of its title, and a summary line that only repeats
the lines after it, are dropped. Every removal is an ``Edit`` with the class
and the evidence (rule names and the score).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from docclean import text as T
from docclean.lines import junk, lexical, stack
from docclean.lines.markers import PageInfo
from docclean.lines.structure import find_title, title_score, titled
from docclean.model import Edit, Line
from docclean.rules import LineRule, RuleSet

_TITLE_BAR = re.compile(rf"[{T.HAN}）)]\s*(_|\s[-|–—]\s|\s*\|\s*)\s*[{T.HAN}（(]")
_TRUNCATED = re.compile(r"(\.{3,}|…)\s*$")
_KEY_DROP = re.compile(r"[^\w]|_")
VOCAB_MAX_LEN = 300
_TIMESTAMP = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s*\d{1,2}:\d{2}")
# A publication stamp: a machine date, alone or after a short name ("人文能建 2022-11-06"). An
# author dates a document 2023年5月10日, which the official parts protect.
_DATELINE = re.compile(r"^[^\d。！？，,]{0,12}\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(\s+[^\d。！？，,]{1,12})?$")
_DECORATION = re.compile(r"[:：\[\]【】()（）|｜_/《》〔〕]|\d{2,4}[-/.]\d{1,2}|\.(docx?|pdf|pptx?|txt|wps|xlsx?)"
                         r"|^(标题|题目|名称|文件名称|信息名称|内容概述|内容摘要|主题)$", re.I)  # (or a field's label alone)
# A sample's number after the title's words (…范文1, …篇一); not "(2)", a page.
# What a 公文 that issues, forwards or answers another document adds around its 《title》.
_ISSUING = re.compile(r"(关于)?(印发|转发|发布|公布|批转|颁布|修订|废止)|(的)?(通知|决定|批复|通报|意见|函|公告|令)"
                      r"([(（][^)）]{0,12}[)）])?$")
# A page of samples' count ("范例6篇", "精选(九篇)", "十二篇"); these three match key(), where
# brackets, spaces and width are gone. _COUNTED: what such a title adds to its bare keyword.
_COUNT = r"[\d一二三四五六七八九十]{1,3}篇"
_COUNTED = re.compile(rf"(范文|范例|范本|样本|例文|模板|精选|精品|合集|合辑|集锦|选编|赏析|汇编|通用|大全|优秀|汇总)*{_COUNT}")
_COUNT_END = re.compile(rf"[\u4e00-\u9fff]{_COUNT}$")  # a title that counts its samples
_SAMPLE_NO = re.compile(r"(篇[\d一二三四五六七八九十]{1,2}|[\d一二三四五六七八九十]{1,2})$")  # a sample's heading
# A title with a sample's number after it, bare or in brackets: "…致辞范文1", "…致辞范文(一)".
_NUMBERED = re.compile(rf"[{T.HAN}]\s*(?:[(（]\s*(?:\d{{1,2}}|[一二三四五六七八九十])\s*[)）]|\d{{1,2}}|[一二三四五六七八九十])$")
# A collection's item heading: "篇1:", "【篇一】", "第一篇：" before the item's title (the first
# item's title is the page's): the author's (the site's) structure, not a copy of the title.
_INDENT = re.compile(r"^(\s{2,}|\u3000)\S")  # a paragraph's first-line indent, as printed
_ITEM_LABEL = re.compile(r"^\s*[【\[(（]?\s*(篇\s*[\d一二三四五六七八九十]{1,3}|第\s*[\d一二三四五六七八九十]{1,3}\s*篇)\s*[】\])）]?\s*[:：、.]?")
_FILL_IN = re.compile(r"_{3,}|＿{2,}")
_SPACE_IN_CJK = re.compile(rf"(?<=[{T.HAN}])[ \u3000]+(?=[{T.HAN}])")
_ALL_CJK = re.compile(rf"[{T.HAN}]+")
# A brand or a template site's name: digits and Latin glued to Chinese (8590am海洋之神; "5G网络"
# has too few), or a name ending with what template sites call themselves (…范文网, …文库).
# News and government sites are left out: "已在中国政府网公开" is the author's.
NAME_MAX_LEN = 16
_NAME = re.compile(rf"(?=(.*\d){{2}})(?=.*[A-Za-z])[A-Za-z0-9]+[{T.HAN}]{{2,12}}"
                   rf"|[A-Za-z0-9{T.HAN}]{{2,10}}((范文|文秘|公文|写作|材料|素材|文档|资料)(网|站)|文库)")
_SOURCE_ROW = re.compile(r"(来源|作者|编辑|发布|稿源)\s*[:：]")  # matched on the simplified row
_DATE_OPENING = re.compile(r"\s*(\d{4}|[〇○零一二]{2}[〇○零一二三四五六七八九]{2})\s*年")
_BULLET = re.compile(r"^\s*[•·●○◆■□▪►▶]\s*")  # a list item's mark: a link in a list, a breadcrumb's item
_LIST_LABEL = r"[一二三四五六七八九十]{1,3}\s*、|\d{1,2}\s*[、.．](?!\d)|[（(]\s*[一二三四五六七八九十\d]{1,2}\s*[)）]"
_CN_ITEM = re.compile(r"^\s*([一二三四五六七八九十]{1,3}\s*、|[（(]\s*[一二三四五六七八九十]{1,3}\s*[)）])")
# Square brackets only: authors label their own parts with 【】 (【例文】, 【致辞人】).
_BRACKET_LABEL = re.compile(r"^[\[［][^\]］]{1,12}[\]］]$")
_AUTHOR_LABEL = re.compile(r"^【[^】]{1,12}】$")
# A breadcrumb: short names chained by ">" (首页 > 范文 > 讲话稿), or a trail left open at its
# end (热点 >). Arrows are left out: 投入→产出→效益 is an author's chain.
_CRUMB = r"[^>＞»›。！？；]{1,20}"
# Its last step is the page's own title, which may end on a mark ("…>> 第567章 比赛(求赞!)").
_CRUMB_LAST = r"[^>＞»›]{1,40}"
_CRUMBS = re.compile(rf"^{_CRUMB}([>＞»›]{_CRUMB}){{1,}}[>＞»›]{_CRUMB_LAST}$|^{_CRUMB}([>＞»›]{_CRUMB})*[>＞»›]$")


LONG_ROW_TOKENS = 6


def _token_row(text: str, sh: T.Shape) -> bool:
    """Menu items or tags side by side; not letter-spaced text ("林 纯 怀", "【 例 文 】")."""
    tokens = [t for t in text.split() if len(t) >= 2]
    # A comma in Chinese is no menu's: a letter-spaced sentence ("8 月 9 日,读者 “章鱼” 在 …").
    return len(tokens) >= 4 and sh.sentences == 0 and (sh.commas == 0 or sh.cjk < 4) \
        and sum(map(len, tokens)) / len(tokens) <= 6


@dataclass
class Candidate:
    lineno: int
    text: str
    shape: T.Shape
    score: float = 0.0
    chrome: float = 0.0  # the positive part of the score: evidence of chrome only
    layout: float = 0.0  # the part of chrome from the line's shape alone (digits, a row of tokens)
    evidence: list[str] = field(default_factory=list)
    cls: str | None = None  # class of the strongest evidence
    top: str | None = None  # name of the strongest evidence: the edit's rule
    verdict: LineRule | None = None
    protected: str | None = None  # official part or structure: never removed
    protect_where: str = "any"  # official parts that only count in the body, or after the title
    removed: str | None = None  # the rule name recorded when removed
    removed_cls: str | None = None
    match: re.Match[str] | None = None  # a verdict rule's match: page markers read their numbers from it
    stripped: bool = False  # in-line junk (a field label, a marker) was cut from it
    copied: bool = False  # the site repeated it near the top (a copy went): a headline, not chrome
    lexical: float = 0.0  # the lexical model's evidence (in score): negative, the line reads as authored
    weighed: bool = False  # removed on its weighed evidence or its neighbours' (the line model may revise it)
    ruled: bool = False  # a boilerplate rule (not a verdict) added its weight


@dataclass
class Cleaned:
    kept: list[Line]
    edits: list[Edit] = field(default_factory=list)
    pages: PageInfo = field(default_factory=PageInfo)


@lru_cache(maxsize=16384)
def key(text: str) -> str:
    """Compare lines on their letters only: punctuation, spaces and width do not count.

    Cached: a page's lines are compared with each other by several passes (copies, repeats,
    the breadcrumb's steps, the title's search)."""
    return _KEY_DROP.sub("", T.fold(text))


# ----------------------------------------------------------------------------- in-line junk

def _cut(text: str, spans: list[tuple[int, int]], lineno: int, rule: str, cls: str, edits: list[Edit],
         evidence: str | None = None) -> str:
    """``text`` without ``spans`` (in order, not overlapping), each recorded as a removal."""
    pieces, last = [], 0
    for a, b in spans:
        edits.append(Edit("remove", rule, cls, text[a:b], "", scope="span", line=lineno, offset=a,
                          evidence=evidence))
        pieces.append(text[last:a])
        last = b
    pieces.append(text[last:])
    return "".join(pieces).strip(T.TRIM)


def strip_inline(text: str, lineno: int, rules: tuple[LineRule, ...], edits: list[Edit],
                 pages: PageInfo) -> str:
    """Remove in-line junk from one line, recording each removed span.

    Rules match the text in simplified script (same positions), so a traditional
    page marker meets the simplified rule.
    """
    target = T.simplified(text)
    chars = set(target)
    for rule in rules:
        if not rule.may_match(chars) or rule.regex.search(target) is None:  # the common case
            continue
        # A pattern with a group named `cut` removes only that group: the rest of the match is
        # the context it needs, e.g. a line start it must not be (Python's look-behinds are fixed-width).
        group = "cut" if "cut" in rule.regex.groupindex else 0
        found = [m for m in rule.regex.finditer(target) if m.group(group)]
        if len(found) < max(1, rule.min_count):
            continue
        if rule.cls == "page_marker":
            for m in found:
                pages.absorb(m, lineno, "span")
        text = _cut(text, [m.span(group) for m in found], lineno, rule.name, rule.cls, edits)
        target = T.simplified(text)
        chars = set(target)
    return text


def _strip_jammers(text: str, lineno: int, edits: list[Edit]) -> str:
    spans = junk.jammer_spans(text)
    if spans:
        text = _cut(text, spans, lineno, "jammer_fragment", "jammer", edits, "ascii run of tiny tokens dense in marks")
    for finder, rule, why in _WEDGED:
        spans = finder(text)
        if spans:
            text = _cut(text, spans, lineno, rule, "jammer", edits, why)
    return text


_WEDGED = (  # (finder, rule, evidence) of junk wedged into a line's text
    (junk.foreign_spans, "foreign_script_jammer", "letters of a script Chinese text does not mix in, between Chinese characters"),
    (junk.symbol_spans, "symbol_jammer", "pictographs or symbols glued between Chinese characters"),
    (junk.invisible_spans, "invisible_watermark", "a run of invisible selector or tag characters"),
)


def _table_rows(raw_lines: list[str]) -> dict[int, int]:
    """Table rows: line number -> the table's first line. A table is two or more lines in a
    row (blank lines between allowed), each with two or more cell separators (| or a tab,
    as input.html writes rows) inside, and some text in its cells (a row of bare borders is a
    layout's residue). A row bordered on both sides ("| 姓名 | 张三 |", Markdown's) needs only
    one separator inside. Two different rows of the run at least have two cells of text; the rows with one
    are the table's too (a caption, a section's row: "| 按主要行业分 | |||||"). A layout table's
    lines have one cell of text each ("| 标题 | ||", "| | 【收看手机报】 | |"): no table."""
    def kind(raw: str) -> int:  # 2: a row of two cells of text or more, 1: of one, 0: no row
        line = raw.strip()
        inner = line.strip("|｜")
        seps = len(T.CELL_SEP.findall(inner))
        bordered = len(line) >= 2 and line[0] in "|｜" and line[-1] in "|｜"
        if not (seps >= 2 or bordered and seps):
            return 0
        return min(2, sum(1 for cell in T.CELL_SEP.split(inner) if cell.strip()))

    kinds = {n: k for n, raw in enumerate(raw_lines, start=1) if (k := kind(raw))}
    tables: dict[int, int] = {}
    run: list[int] = []
    for n in [*kinds, None]:
        if run and (n is None or any(raw_lines[k - 1].strip() for k in range(run[-1] + 1, n))):
            # Two different rows: a title bar the page prints twice ("标题 | 政治 | 中央社") is no table.
            if len({"".join(raw_lines[k - 1].split()) for k in run if kinds[k] == 2}) >= 2:
                tables.update((k, run[0]) for k in run)
            run = []
        if n is not None:
            run.append(n)
    return tables


MENU_CELLS_MIN = 4  # a menu row's items at least
MENU_CELL_MAX = 6  # characters of each


def _menu_row(text: str) -> bool:
    """A table row of four or more short items with no digit ("网站首页|学校概况|学生天地|…"): a
    site's menu, not a table of the document's data."""
    cells = [x.strip() for x in T.CELL_SEP.split(text) if x.strip()]
    return len(cells) >= MENU_CELLS_MIN and all(len(x) <= MENU_CELL_MAX for x in cells) \
        and not any(ch.isdigit() for ch in text)


def _cell_lines(raw_lines: list[str], run_min: int = 3) -> set[int]:
    """Line numbers of a table flattened one cell a line, each cell closed by its border
    ("序號 |", "公開事項 |"): a run of such lines, blank lines and empty cells between allowed."""
    cells, run = set(), []
    for n, raw in enumerate(raw_lines + [""], start=1):
        t = raw.strip()
        if t and t.strip("|｜ ") and t[-1] in "|｜":
            run.append(n)
        elif t and t.strip("|｜ "):
            if len(run) >= run_min:
                cells.update(run)
            run = []
    if len(run) >= run_min:
        cells.update(run)
    return cells


_NUMBER_CELL = re.compile(r"^\s*[-+−]?\d[\d,]*(\.\d+)?\s*%?\s*$")
NUMBER_RUN_MIN = 4  # numbers in the run, of which NUMBER_RUN_MIN - 1 with a decimal point or a sign
NUMBER_GAP_MAX = 4  # lines at most from one number to the next
CELL_LABEL_MAX = 24  # characters of a label between them


def _number_cells(raw_lines: list[str]) -> set[int]:
    """Line numbers of a statistics table flattened one cell a line without borders: its
    labels and its figures in turn ("地区生产总值" / "19349.31" / "-5.7" / "第一产业" / "34.52"
    …), with its column heads above the first figure ("总量" / "(亿元)"). Four figures or more,
    close together, most of them with a decimal point or a sign: a counter or a page number
    has neither. The figures are the table's data, never counters."""
    rows = [(n, raw.strip()) for n, raw in enumerate(raw_lines, start=1) if raw.strip()]
    out: set[int] = set()
    run: list[int] = []  # indexes into rows of the run's figures

    def close() -> None:
        figs = [rows[k][1] for k in run]
        if len(run) >= NUMBER_RUN_MIN and sum(("." in f or f[0] in "-+−") for f in figs) >= NUMBER_RUN_MIN - 1:
            lo = run[0]
            while lo > 0 and run[0] - lo < 6 and _cell_label(rows[lo - 1][1]):
                lo -= 1  # the column heads
            out.update(rows[k][0] for k in range(lo, run[-1] + 1))

    for k, (_, t) in enumerate(rows):
        if _NUMBER_CELL.match(t):
            if run and (k - run[-1] > NUMBER_GAP_MAX or not all(_cell_label(rows[j][1]) for j in range(run[-1] + 1, k))):
                close()
                run = []
            run.append(k)
    if run:
        close()
    return out


def _cell_label(t: str) -> bool:
    return len(t) <= CELL_LABEL_MAX and not T.ends_sentence(t) and not _NUMBER_CELL.match(t)


def _forum_headline(cands: list[Candidate], rules: RuleSet) -> None:
    """The line right above a forum's copy-link control is the thread's title: protected."""
    pat, lc = rules.lines.headline_before, rules.lines
    if pat is None:
        return
    for c, nxt in zip(cands, cands[1:]):
        if pat.match(T.fold(nxt.text)) and c.verdict is None and c.chrome < lc.body_threshold \
                and not c.shape.sentence and c.protected is None:
            c.protected = "headline"


# Other sites chain the steps with an arrow, or with a slash, a bar or a dash set apart by spaces
# ("首页 / 新闻中心 / 通知公告", "首页 - 机构概况 - 领导信息").
_CRUMB_ALT = re.compile(r"\s*(→|>>|＞＞|»»)\s*|\s+[/|｜\-–]\s+")  # and a doubled step: "首页 >> 范文"
_CRUMB_STEP = re.compile(r"\s*[>＞»›]\s*")
_CRUMB_LABEL = re.compile(r"^[^:：]{0,8}[:：]\s*")  # 当前位置： 您现在的位置是：


def _crumb_echoes(cands: list[Candidate], rules: RuleSet) -> None:
    """A short line that repeats a step of the page's breadcrumb is the site's column heading
    (心得体会 above 当前位置：首页 > 心得体会): navigation. The trail's last step is often the
    article's title, so below the trail a line must match an earlier step."""
    weight = rules.lines.shape.get("crumb_echo", 0.0)
    trails = [(j, [key(s) for s in _CRUMB_STEP.split(_CRUMB_LABEL.sub("", T.fold(c.text))) if s])
              for j, c in enumerate(cands) if weight and ("crumbs" in c.evidence or "nav_breadcrumb" in c.evidence)]
    for j, steps in trails:
        for i, c in enumerate(cands):
            k = key(c.text)
            if i == j or c.verdict is not None or c.protected or not k or len(k) > 12 or c.shape.sentence:
                continue
            if k in steps[:-1] or (i < j and k in steps):
                c.score += weight
                c.chrome += weight
                c.evidence.append("crumb_echo")
                c.cls, c.top = c.cls or "navigation", c.top or "crumb_echo"


PAGE_REPEAT_MIN = 3  # a signature under every post: three posts show it three times
# What a page repeat is recorded as: a verdict, since a line shown three times word for word is
# the site's. It must be punctuated as a phrase (，！): a title the site repeats has no marks.
_PAGE_REPEAT = LineRule("page_repeat", "site_banner", "line", re.compile(""), 0, verdict=True)
_REPEATED_PARAGRAPH = LineRule("repeated_paragraph", "other", "line", re.compile(""), 0, verdict=True)
REPEATED_PARAGRAPH_MIN = 30  # letters: a shorter line said twice can be the author's (a refrain)


def _repeated_paragraphs(cands: list[Candidate]) -> None:
    """A paragraph of prose the page prints again word for word: the site's copy (a summary
    box over the lead, an article shown twice). The first stays; which of the two the site
    added cannot be told, and either way the text is there once."""
    seen: set[str] = set()
    for c in cands:
        if not c.shape.prose or c.protected or c.verdict is not None:
            continue
        k = key(c.text)
        if len(k) < REPEATED_PARAGRAPH_MIN:
            continue
        if k in seen:
            c.verdict, c.cls = _REPEATED_PARAGRAPH, _REPEATED_PARAGRAPH.cls
            c.evidence.append("repeated_paragraph")
        seen.add(k)


def _page_repeats(cands: list[Candidate], rules: RuleSet) -> None:
    """A short line the page shows again and again, word for word (a forum poster's signature
    under every post, a site slogan), is chrome. Not a title's copies (unpunctuated), nor
    headings, salutations and official parts (protected before this), nor prose; nor a
    sentence said again and again in one run of lines (a host's "下面，请上台领奖；" once
    per round of prizes): a signature or slogan comes back between other lines."""
    if not rules.lines.shape.get("page_repeat", 0.0):
        return
    where: dict[str, list[int]] = {}
    for n, c in enumerate(cands):
        where.setdefault(key(c.text), []).append(n)
    for c in cands:
        k = key(c.text)
        at = where[k]
        if len(at) >= PAGE_REPEAT_MIN and len(k) >= 6 and c.verdict is None and not c.protected \
                and not c.shape.prose and c.shape.clauses and "title_like" not in c.evidence \
                and not (T.ends_sentence(c.text) and at[-1] - at[0] == len(at) - 1):
            c.verdict, c.cls = _PAGE_REPEAT, _PAGE_REPEAT.cls
            c.evidence.append("page_repeat")


def _metadata_grids(cands: list[Candidate], tables: dict[int, int], most: float) -> set[int]:
    """Tables that are the page's metadata grid (索引号 | 发布机构 | 成文日期 …): one row is
    plainly chrome and most rows carry chrome evidence in their words (a table of figures has
    digits in every row, which is no evidence). Their rows are not protected."""
    rows: dict[int, list[Candidate]] = {}
    for c in cands:
        if c.lineno in tables:
            rows.setdefault(tables[c.lineno], []).append(c)
    return {t for t, cs in rows.items()
            if any(c.chrome >= most for c in cs) and 2 * sum(_cell_chrome(c) > 0 for c in cs) >= len(cs)}


def _cell_chrome(c: Candidate) -> float:
    """A table row's chrome evidence from its words and rules only: a row of numbers or of short
    cells is what tables are made of (| 工业 | 113.10 | 114.40 |), not noise."""
    return c.chrome - c.layout


def _injected_tokens(texts: list[str]) -> set[str]:
    """Words a hijacked page wedges into its sentences: "…开展直播 2024年第四期…".

    A word of 2-6 Chinese characters that stands before a space inside Chinese text at
    least three times on the page, and nowhere without that space, was put there: the
    author's own words do not always carry a space after them. On three different lines: a
    title the site prints three times ("驪歌聲起 介壽國中小…") is one line.
    """
    texts = list({key(t): t for t in texts}.values())
    before_space = Counter()
    for t in texts:
        for m in _SPACE_IN_CJK.finditer(t):
            run = t[:m.start()]
            for n in range(2, 7):
                tok = run[-n:]
                if len(tok) == n and _ALL_CJK.fullmatch(tok):
                    before_space[tok] += 1
    page = "\n".join(texts)
    found = {tok for tok, n in before_space.items() if n >= 3 and page.count(tok) == n}
    # The longest form of each: "直播" rather than "播".
    return {t for t in found if not any(t != u and t in u for u in found)}


# A short run of Latin and digits glued to the end of a Chinese line ("…的意见。hd9").
_TAIL = rf"(?<=[{T.HAN}。，、；：！？”）」])([A-Za-z0-9]{{2,6}})"
_TAIL_TOKEN = re.compile(rf"{_TAIL}$")
TAIL_TOKEN_MIN = 3
_TAIL_AT = re.compile(rf"{_TAIL}(?=\s|$)")  # cut where it ends a line, and before a space


def _tail_tokens(texts: list[str]) -> set[str]:
    """Jammer tokens a site glues to the end of its lines: the same 2-6 letters and digits
    (one letter at least) right after Chinese text at the end of three or more lines, and
    at most as often anywhere else on the page (a site's description line repeats them).
    An author's own code (GDP, 5G, a model number) is used in the text more than it ends
    lines, and seldom ends three."""
    ends = Counter(m.group(0) for t in texts if (m := _TAIL_TOKEN.search(t)) and re.search("[A-Za-z]", m.group(0)))
    page = "\n".join(texts)
    return {tok for tok, n in ends.items() if n >= TAIL_TOKEN_MIN and page.count(tok) <= 2 * n}


_PARA_NUMBER = re.compile(r"^\s*(\d{1,3})[、.．]\s*")
SITE_NUMBERING_MIN = 3


def _site_numbering(texts: list[str], rules: RuleSet) -> dict[int, tuple[int, int]]:
    """Counters a site put before every paragraph (1、各位同志们: 2、今天，…): a run of lines
    numbered 1, 2, 3… whose first, without its number, is a salutation, which no author numbers.
    Returns each numbered line's index and the span of its counter."""
    for start, t in enumerate(texts):
        m = _PARA_NUMBER.match(t)
        if not m or m.group(1) != "1" or not rules.structure.salutation.match(t[m.end():]):
            continue
        run = {}
        for i in range(start, len(texts)):
            m = _PARA_NUMBER.match(texts[i])
            if not m or int(m.group(1)) != len(run) + 1:
                break
            run[i] = m.span()
        if len(run) >= SITE_NUMBERING_MIN:
            return run
    return {}


def _echoed_names(texts: list[str]) -> set[str]:
    """Site or brand names a hijacked page puts on lines of their own and wedges into its
    sentences: "8590am海洋之神" alone, and "12月20日8590am海洋之神召开…".

    A name-shaped line (digits and letters glued to Chinese, or a template site's name)
    that also stands inside another line, between characters of its sentence. Headings,
    names of people and titles are not name-shaped, so quoting them in the text is safe.
    """
    names = {t for t in texts if len(t) <= NAME_MAX_LEN and _NAME.fullmatch(t)}
    if not names:
        return set()
    return {n for n in names if any(
        len(t) > len(n) + 6 and re.search(rf"(?<=[{T.HAN}\d]){re.escape(n)}(?=[{T.HAN}])", t)
        for t in texts)}


# A Latin brand name: "uedbet", "bet365" (lower case or with digits: not an acronym, NBA, nor "App").
_BRAND = re.compile(r"[a-z]{4,}|[A-Za-z]+\d|\d+[A-Za-z]")


def _wedged_spam(texts: list[str], rules: RuleSet) -> set[str]:
    """A betting site's advert a hijacked page wedges into its sentences, the same string on
    several lines: "…以及省、市uedbet体育_uedbet官网@:做好…", "…依据《uedbet体育_uedbet官网@:政务…".

    Around each occurrence of one of betting sites' words (``[wedge]`` in rules/lines.toml),
    the string grows a character at a time, to the right then to the left, while it still
    stands on ``min_lines`` different lines: the author's text around the wedge differs from
    line to line, the wedge does not. It counts only with a Latin brand name in it (官网 in
    "uedbet官网", never in "县政府官网"; 体育彩票 is a lottery's name in a report) or with a
    word of adult-site spam that no author writes ("…91精品国产免费久久国语麻豆…"). Identical lines are one line, so a line the page repeats whole is
    no wedge."""
    wc = rules.lines.wedge
    if wc is None:
        return set()
    lines = list({t: None for t in texts if t})
    if not wc.words.search("\n".join(lines)):
        return set()

    def count(s: str) -> int:
        return sum(s in t for t in lines)

    def grow(t: str, a: int, b: int, keep) -> str:
        while b < len(t) and keep(t[a:b + 1]):
            b += 1
        while a > 0 and keep(t[a - 1:b]):
            a -= 1
        return t[a:b].strip()

    def spam(w: str, t: str) -> bool:
        return len(w) >= wc.min_len and bool(_BRAND.search(w) or wc.alone and wc.alone.search(w)) and w != t.strip()

    found = set()
    for t in lines:
        for m in wc.words.finditer(t):
            a, b = m.span()
            n = count(t[a:b])
            if n < wc.min_lines:
                continue
            # First on exactly the lines the word is on: the wedge stops where the first line
            # goes on differently, though the title's copies may go on alike (…官方网站 2024年政府).
            w = grow(t, a, b, lambda s: count(s) == n)
            if not spam(w, t):  # the word is on a line of the author's too (县政府官网): on fewer
                w = grow(t, a, b, lambda s: count(s) >= wc.min_lines)
            if spam(w, t):
                found.add(w)
    return {w for w in found if not any(w != u and w in u for u in found)}  # the longest form of each


def _strip_tokens(text: str, lineno: int, tokens: set[str], names: set[str], edits: list[Edit]) -> str:
    for tok in tokens:
        spaced = re.compile(re.escape(tok) + rf"[ \u3000]+(?=[{T.HAN}])")
        spans = [m.span() for m in spaced.finditer(text)]
        if spans:
            text = _cut(text, spans, lineno, "injected_token", "seo_keyword", edits,
                        f"{tok!r} before a space inside Chinese text, every time")
    for name in names:
        if name in text:
            spans = [m.span() for m in re.finditer(re.escape(name), text)]
            text = _cut(text, spans, lineno, "injected_site_name", "seo_keyword", edits,
                        f"{name!r} stands alone on the page and inside its sentences")
    return text


# ----------------------------------------------------------------------------- evidence

def _evidence(lineno: int, text: str, rules: RuleSet, original: str | None = None,
              logit: float | None = None, cell: bool = False) -> Candidate:
    """The line's evidence; ``original`` is the line before in-line junk was cut, which
    verdict rules also see (a banner's domain cut out as an injected name is still a banner);
    ``logit``, the lexical model's log-odds for the line (None: not scored); ``cell``, the
    line is a cell of a table flattened one cell a line (rules with ``in_cells = false`` skip it)."""
    lc, st = rules.lines, rules.structure
    folded = T.fold(text)
    plain = T.simplified(text)
    c = Candidate(lineno, text, T.shape(text))
    best = 0.0

    def add(weight: float, why: str, cls: str | None) -> None:
        nonlocal best
        c.score += weight
        c.chrome += max(0.0, weight)
        c.evidence.append(why)
        if cls and weight > best:
            best, c.cls, c.top = weight, cls, why.split(":")[0]

    for name, regex, where in lc.official:
        if regex.search(folded.strip()):
            c.protected, c.protect_where = f"official:{name}", where
            break
    n = len(plain)
    before = T.simplified(original) if original and original != text else None
    # Each rule on its own: Python's regex engine skips ahead to a pattern's first character,
    # which a union of all patterns defeats (measured: a union was 2.5x slower than the rules).
    checked = n <= rules.line_max_len or before is not None
    ruled = False  # a boilerplate rule added its weight
    chars = set(plain) if checked else set()  # (a long paragraph meets no rule: no set to build)
    for rule in rules.line_rules if checked else ():
        if n > rule.max_len or cell and not rule.in_cells:
            continue
        m = rule.regex.search(plain) if rule.may_match(chars) else None
        if m is None and rule.verdict and before is not None and len(before) <= rule.max_len \
                and rule.may_match(set(before)):
            m = rule.regex.search(before)
        if not m or (rule.min_count > 1 and len(rule.regex.findall(plain)) < rule.min_count):
            continue
        if rule.verdict:
            c.verdict = rule
            c.cls = rule.cls
            c.evidence.append(rule.name)
            c.match = m
            return c
        add(rule.weight, rule.name, rule.cls)
        ruled = c.ruled = True
    spaced_out = "".join(folded.split())  # "首 页", "关 键 词": sites letter-space their labels
    # A very long line is a paragraph: site words in it are the author's (and skipping it is
    # most of the vocabulary's cost).
    for g in lc.vocab if len(spaced_out) <= VOCAB_MAX_LEN else ():
        hits = set(g.regex.findall(spaced_out))
        if hits:
            add(g.weight * min(len(hits), g.cap), f"{g.name}:{'/'.join(sorted(hits))}", g.cls)
    sh, w = c.shape, lc.shape.get
    # A chain of names or a stamp is no title, whatever word it ends on (百科 > 公文 > 讲话稿).
    crumbs = sh.n <= 80 and bool(_CRUMBS.match(_CRUMB_ALT.sub(">", text.strip())))
    dateline = bool(_DATELINE.match(text))
    signals = (
        # Digits, Latin and symbols with hardly a Chinese character: a counter, a handle, a size.
        # ("时间:5月16日08:30" is a schedule's line: it has its words.)
        # ("1.0 序言", a manual's numbered heading, has its words.)
        ("noise", sh.n <= 40 and sh.cjk <= 2 and sh.other >= max(3, 2 * sh.cjk + 1), "other"),
        ("token_row", _token_row(text, sh), "navigation"),
        # Six items or more: a site's whole menu in one row (文明播报 通知通告 讲文明树新风 …).
        ("long_token_row", _token_row(text, sh) and len(text.split()) >= LONG_ROW_TOKENS, "navigation"),
        ("title_bar", sh.n <= 60 and bool(_TITLE_BAR.search(text)), "seo_keyword"),
        ("truncated", sh.cjk <= 30 and bool(_TRUNCATED.search(text)), "related_list"),
        ("bracket_label", bool(_BRACKET_LABEL.match(text)), "ui_control"),
        ("crumbs", crumbs, "navigation"),
        ("timestamp", sh.n <= 60 and bool(_TIMESTAMP.search(text)), "metadata"),
        ("dateline", dateline, "metadata"),
        ("title_like", sh.n <= st.title_max_len and not sh.prose and not crumbs and not dateline
         and titled(text, st), None),
        ("prose", sh.prose, None),
        ("sentence", sh.sentence and not sh.prose, None),
    )
    for name, present, cls in signals:
        if present and w(name):
            add(w(name), name, cls)
            c.layout += max(0.0, w(name))
    if logit is not None and lc.lexical:
        scale, low, high = lc.lexical
        # A rule's hit is not argued away: the model only adds to it (its authored-looking
        # n-grams are often the linked title in "上一篇：关于…的通知").
        weight = min(high, max(0.0 if ruled else low, scale * logit))
        # Into the score only: ``chrome`` (what finds the title, the body and structure) stays
        # the named evidence's, so the model moves a decision's threshold, not the page's shape.
        if abs(weight) >= 0.25:  # a line the model has no opinion on keeps a clean evidence list
            c.score += weight
            c.lexical = weight
            c.evidence.append(f"lexical:{logit:+.1f}")
    # A heading under a Chinese numeral (四、评比时间: 9月3日(星期四)) is the document's own item,
    # though a site's field words fill it: no site numbers its metadata so.
    if c.protected is None and c.chrome < (3 if _CN_ITEM.match(text) else 2) and _structural(text, st, sh):
        c.protected = "structure"
    if c.protected is None and c.chrome < 2 and _FILL_IN.search(text):
        c.protected = "fill_in"  # a template's blanks to fill in (姓名:____) are the author's
    return c


def _structural(text: str, st, sh: T.Shape) -> bool:
    """Salutations, closings and heading lines are the author's, whatever words they hold."""
    if st.salutation.match(text) or st.closing.match(text):
        return True
    return (sh.n <= st.heading_max_len and not sh.sentence and sh.cjk >= 2
            and any(h.regex.match(text) for h in st.headings))


# ----------------------------------------------------------------------------- decisions

def _body_span(cands: list[Candidate]) -> tuple[int, int]:
    """First and last line of the authored body: prose with no chrome evidence left, and the
    document's own structure (headings, salutations, official parts), which list-like
    documents (名单, 日程, 主持词) are made of more than of prose."""
    anchors = [i for i, c in enumerate(cands) if c.verdict is None and c.protected != "title"
               and "title_like" not in c.evidence
               and (c.shape.prose and c.chrome < 2 or c.shape.running and c.chrome < 1)]
    if not anchors:
        anchors = [i for i, c in enumerate(cands) if c.verdict is None and c.chrome == 0]
    if not anchors:  # no line free of evidence: no body, every line is judged as an edge line
        return len(cands), -1
    # A lone paragraph above a block of chrome is a headline or a teaser, not the body's start
    # (a forum post's title, then its poster, counters and source lines, then the post).
    while len(anchors) >= 2 and sum(1 for c in cands[anchors[0] + 1:anchors[1]]
                                    if c.chrome >= 1 and c.protected is None) >= 2:
        anchors.pop(0)
    # The body goes on through the document's own structure after its last prose line
    # (a list of names under its heading, then the next heading). Not before the first:
    # sites head their pages with official-looking lines too.
    structure = [i for i, c in enumerate(cands) if i > anchors[-1] and c.protected is not None
                 and c.protected != "title" and c.chrome == 0 and c.shape.cjk >= 4]
    end = max([anchors[-1], *structure])
    # And through the document's closing block right under it: official lines whose words are
    # a site's too (联系电话:…, 电子邮件:…, under a guide's last paragraph), with no line of
    # chrome between (a site's footer comes after its copyright and links).
    j = end + 1
    while j < len(cands) and cands[j].verdict is None and cands[j].chrome < 2:
        if (cands[j].protected or "").startswith("official"):
            end = j
        elif cands[j].chrome >= 1:
            break
        j += 1
    return anchors[0], end


def _remove(c: Candidate, rule: str, cls: str | None) -> None:
    c.removed, c.removed_cls = rule, cls or "other"


def _decide(cands: list[Candidate], rules: RuleSet, title: int | None) -> None:
    lc = rules.lines
    b0, b1 = _body_span(cands)
    for i, c in enumerate(cands):
        if c.protect_where == "body" and not b0 <= i <= b1 or \
                c.protect_where == "after_title" and (title is None or i <= title):
            c.protected = None  # a site's own address block or name, outside the document
        if c.protected and c.protected.startswith("official"):
            continue
        if c.verdict is not None:
            _remove(c, c.verdict.name, c.verdict.cls)
        elif c.protected:
            continue
        elif i < b0 or i > b1:
            if c.score >= lc.edge_threshold:
                _remove(c, c.top or "line_score", c.cls)
                c.weighed = True
        elif c.score >= lc.body_threshold and not c.shape.sentence and not c.shape.running:
            # Inside the body, running text (a sentence, or a hard-wrapped piece of one) is
            # never removed on vocabulary or shape: only a verdict rule does that.
            _remove(c, c.top or "line_score", c.cls)
            c.weighed = True


def _uncertain(c: Candidate, rules: RuleSet, lexical: bool = True) -> bool:
    """A short line kept on weak evidence or none: its neighbours decide. A line the lexical
    model reads as authored has evidence of its own (a poem's short lines between chrome);
    ``lexical=False`` leaves that out (a menu's run is told by its shape: a date in it too)."""
    return (c.removed is None and c.protected is None and c.score < rules.lines.body_threshold
            and not c.shape.sentence and not c.copied and (not lexical or c.lexical > -rules.lines.lexical_authored)
            and c.shape.cjk <= rules.lines.uncertain_max_cjk and not T.FULL_STOP_END.search(c.text))


def _smooth(cands: list[Candidate], rules: RuleSet, title: int | None, body: tuple[int, int]) -> None:
    """Short lines without evidence take their neighbours' side.

    Neighbours are the nearest lines on each side that are not themselves
    uncertain; inside the body, jammer strings and page markers are noise in the
    text, not chrome around it, so they are skipped, as are the title's copies.
    Above the title, one chrome neighbour (and the page's start on the other
    side) is enough.
    """
    b0, b1 = body
    skip = {"jammer", "page_marker"}
    context = [i for i, c in enumerate(cands) if not _uncertain(c, rules)
               and c.removed_cls != "site_title_repeat" and not (b0 <= i <= b1 and c.removed_cls in skip)]
    side = {i: cands[i].removed is not None for i in context}
    flips = []
    for i, c in enumerate(cands):
        if i == title or not _uncertain(c, rules):
            continue
        prev = next((j for j in reversed(context) if j < i), None)
        nxt = next((j for j in context if j > i), None)
        p_bad = side.get(prev) if prev is not None else None
        n_bad = side.get(nxt) if nxt is not None else None
        above_title = title is not None and i < title
        if not above_title and _heads_text(cands, i, rules):
            continue  # a heading right above running text is the text's (jusText's headings rule)
        if i < b0 and c.chrome == 0 and c.shape.cjk >= 6 and _COUNT_END.search(key(c.text)):
            continue  # a page of samples' title, counting them ("…工作总结优秀13篇", "…怎么写【十篇】")
        if title is None and i < b0 and c.chrome == 0 and c.shape.cjk >= 10 and not c.shape.sentences \
                and c.shape.n <= rules.structure.title_max_len \
                and not any(x.removed is None and x.shape.cjk >= 10 for x in cands[i + 1:b0]):
            continue  # no title found, and this is the last headline-shaped line above the text
        # Inside the body a line needs some evidence of its own: short authored lines (a
        # list of names, a script's cues) sit between removed noise lines too.
        inside = b0 <= i <= b1 and c.chrome == 0
        if (p_bad and n_bad and not inside) or (above_title and p_bad is None and n_bad) or \
                above_title and nxt == title and p_bad is not False and _column_label(c, title, b0) or \
                (nxt is None and p_bad and prev is not None and cands[prev].removed):
            ref = cands[prev] if p_bad else cands[nxt]
            flips.append((c, ref.removed_cls))
    for c, cls in flips:
        _remove(c, "between_chrome", cls)
        c.weighed = True


def _stacked(cands: list[Candidate], rules: RuleSet, title: int | None, body: tuple[int, int],
             trace: list | None = None) -> None:
    """The line model's revision of what the weighed evidence decided (docclean.lines.stack):
    a line kept on it goes when the model is sure enough it is boilerplate, one removed on it
    stays when the model is not, unless a rule named it (:func:`stack.decide`: verdicts,
    protected lines, the title, what the page's structure removed and running text inside the
    body keep the rules' decision). ``trace`` (training) gets the page's feature rows and line
    numbers, in the rules' state."""
    threshold = rules.lines.stack_threshold
    forest = stack.model() if threshold > 0 else None
    if forest is None and trace is None:
        return
    b0, b1 = body
    x = stack.features(cands, title, b0, b1)
    if trace is not None:
        trace.append((x, [c.lineno for c in cands]))
    if forest is None:
        return
    p = forest.proba(x)
    for i, (c, removed) in enumerate(zip(cands, stack.decide(x, p, threshold))):
        if removed and c.removed is None:
            _remove(c, "line_model", c.cls)
            c.evidence.append(f"line_model:p={p[i]:.2f}")
        elif not removed and c.removed is not None:
            c.removed = c.removed_cls = None
            c.evidence.append(f"kept_by_line_model:p={p[i]:.2f}")


COLUMN_LABEL_MAX = 8  # characters, spaces excluded


def _column_label(c: Candidate, title: int, b0: int) -> bool:
    """A very short line right above a headline that stands over the text, with nothing
    authored above it, that the lexical model reads as chrome: the site's column or
    category ("政策要闻", "党群之窗"). A label in brackets (【政策信息】) is the author's
    section heading more often than a site's."""
    return title < b0 and c.shape.n <= COLUMN_LABEL_MAX and c.lexical > 0 and not _AUTHOR_LABEL.match(c.text)


def _sample_intro(cands: list[Candidate], title: int) -> None:
    """A template site's page of samples: between its title and the first sample's heading
    ("…篇一", "第1篇", "实施方案 1", "篇一:《…》") a paragraph of prose is the editor's
    introduction to the collection ("心得体会对个人的成长…具有重要意义…"), not a sample's text."""
    kept = [i for i in range(title + 1, min(len(cands), title + 8)) if cands[i].removed is None]
    tk = key(cands[title].text)
    first = next((i for i in kept if _ITEM_LABEL.match(cands[i].text) or
                  _SAMPLE_NO.search(key(cands[i].text)) and key(cands[i].text)[:4] in tk
                  and len(key(cands[i].text)) >= 5), None)
    between = [cands[i] for i in kept if first is not None and i < first]
    # Only an intro alone between them: the title itself no sample's heading, and nothing but
    # prose in between (a salutation there is the first sample's own text).
    if not between or _SAMPLE_NO.search(tk) or _ITEM_LABEL.match(cands[title].text) \
            or not all(c.shape.prose and not c.protected for c in between):
        return
    for c in between:
        _remove(c, "sample_intro", "site_intro")
        c.evidence.append("before_first_sample")


MENU_RUN_MIN = 3  # lines in a row
MENU_ITEM_MAX = 10  # characters, spaces excluded


def _menu_runs(cands: list[Candidate], rules: RuleSet, title: int | None) -> None:
    """Above the title, three or more very short lines in a row with no sentence mark are a
    menu or a column list, one item a line ("首页" / "党建动态" / "通知公告"), though no word of
    them is a site's: jusText's run of short blocks. Not the title's own lines (a title
    broken in two, official parts, which are protected)."""
    if title is None:
        return
    run: list[Candidate] = []
    items = 0  # the run's length: its kept lines and the items already removed on their own evidence
    for c in [*cands[:title], None]:
        short = c is not None and _uncertain(c, rules, lexical=False) and c.shape.n <= MENU_ITEM_MAX \
            and not c.shape.clauses and not titled(c.text, rules.structure)
        if short:
            run.append(c)
            items += 1
            continue
        if c is not None and c.removed is not None:
            # A removed line (a separator, a counter) does not break a run; a removed item counts in it.
            items += c.verdict is None and c.shape.n <= MENU_ITEM_MAX and not c.shape.clauses
            continue
        if items >= MENU_RUN_MIN:
            for x in run:
                _remove(x, "menu_run", "navigation")
        run, items = [], 0


HEADLINE_RUN_MIN = 3  # lines in a row
HEADLINE_MAX = 40  # characters, spaces excluded
LIST_LABEL_MAX = 12  # a list's label or link: "相关新闻", "视频更多"
_LIST_CLASSES = {"navigation", "related_list"}
_HEADLINE_MARKS = re.compile(r"[。；;，,]")


def _headline_runs(cands: list[Candidate], rules: RuleSet, title: int | None) -> None:
    """Under a site's list label or link ("相关新闻", "视频更多") below the text's start, three
    or more headlines in a row: other stories' titles, each a line with no sentence inside it
    (a headline's ! or ? at most), are the site's list. Not the title, no protected line."""
    # Below the text's start only: above it, a report's subtitle and author come in a row too.
    i = next((k for k, c in enumerate(cands) if c.removed is None and c.shape.prose), len(cands))
    while i < len(cands):
        c = cands[i]
        if c.removed is None or c.removed_cls not in _LIST_CLASSES or i == title or c.shape.n > LIST_LABEL_MAX:
            i += 1
            continue
        run = []
        j = i + 1
        while j < len(cands) and j != title and cands[j].removed is None and not cands[j].protected \
                and 6 <= cands[j].shape.cjk and cands[j].shape.n <= HEADLINE_MAX \
                and not _HEADLINE_MARKS.search(cands[j].text) and not _ITEM_LABEL.match(cands[j].text) \
                and not titled(cands[j].text, rules.structure):
            run.append(cands[j])
            j += 1
        if len(run) >= HEADLINE_RUN_MIN:
            for x in run:
                _remove(x, "headline_run", "related_list")
                x.evidence.append("headline_under_list_label")
        i = max(j, i + 1)


ENUM_RUN_MIN = 4  # lines in a row
ENUM_ITEM_MAX = 25  # characters, spaces excluded
_ENUM_END = re.compile(r"[、]\s*$")
_LIST_HEAD = re.compile(r"[:：]\s*$")


def _enumerated_links(cands: list[Candidate]) -> None:
    """Four or more short lines in a row, each ending on an enumeration comma (、): a site's
    list of other books or stories, one linked title a line ("综影视:姑娘你别跑、" / "穿越之我是
    巨龙、"), and its label above them ("最新玄幻魔法小说:"). A wrapped sentence that breaks at
    a 、 breaks at the page's width, not at every item."""
    i = 0
    while i < len(cands):
        j = i
        while j < len(cands) and cands[j].removed is None and not cands[j].protected \
                and cands[j].shape.n <= ENUM_ITEM_MAX and _ENUM_END.search(cands[j].text):
            j += 1
        if j - i >= ENUM_RUN_MIN:
            head = cands[i - 1] if i > 0 else None
            if head is not None and head.removed is None and not head.protected \
                    and head.shape.n <= LIST_LABEL_MAX and _LIST_HEAD.search(head.text):
                _remove(head, "enumerated_links", "related_list")
            for x in cands[i:j]:
                _remove(x, "enumerated_links", "related_list")
                x.evidence.append("an item of a list cut one a line")
        i = max(j, i + 1)


TAG_RUN_MIN = 5  # lines in a row
TAG_MAX = 4  # characters


def _tag_tail(cands: list[Candidate], rules: RuleSet) -> None:
    """The page ends on five or more single words, one a line, below the text: a post's tags
    ("党组织" / "书记" / "街道" …). An author's list of words stands under its heading and
    the text goes on after it; nothing authored comes after a site's tags."""
    _, b1 = _body_span(cands)
    tail = [c for c in cands[b1 + 1:] if c.removed is None] if b1 >= 0 else []
    if len(tail) >= TAG_RUN_MIN and all(_uncertain(c, rules, lexical=False) and c.shape.n <= TAG_MAX
                                         and not c.shape.clauses and c.shape.cjk == c.shape.n for c in tail):
        for c in tail:
            _remove(c, "tag_tail", "seo_keyword")


def _heads_text(cands: list[Candidate], i: int, rules: RuleSet) -> bool:
    """Line ``i`` reads as a heading and the next line still kept is running text."""
    c = cands[i]
    if c.shape.cjk < 6 or title_score(c.text, rules.structure) < 1:
        return False
    nxt = next((x for x in cands[i + 1:] if x.removed is None), None)
    return nxt is not None and (nxt.shape.prose or nxt.shape.running) and nxt.chrome < 1


def _copies(cands: list[Candidate], b0: int) -> None:
    """Near the top, the site's copies of a short line: one stays.

    Up to a few lines into the body, a short line that repeats another, or holds
    another plus a little (the site's "标题: …[打印本页]", "2022年度…(精选文档)"),
    is the site's copy of the title. Of equal copies the title (else the first)
    stays; of a line and its longer form, the shorter.
    """
    zone = [i for i, c in enumerate(cands) if c.removed is None and i <= b0 + 3 and not c.shape.prose
            and c.protected in (None, "title") and not T.ends_sentence(c.text)]
    keys = {i: key(cands[i].text) for i in zone}
    for a in zone:
        for b in zone:
            ka, kb = keys[a], keys[b]
            if a == b or len(kb) < 6 or cands[a].removed or cands[b].removed:
                continue
            # One character apart is a copy (…大会上的讲话 / 在…大会上的讲话); more is the
            # site's decorated form ("标题: …[打印本页]"), which goes.
            # A number added is not a copy but the first of a page's samples (…致辞范文 / …致辞范文1).
            near = ka == kb or (kb in ka and len(ka) - len(kb) == 1 and not _NUMBERED.search(cands[a].text)) \
                or (ka in kb and len(kb) - len(ka) == 1 and not _NUMBERED.search(cands[b].text))
            # A line holding a shorter one plus the site's markup is the site's copy ("标题: …
            # [打印本页]", "…(精选文档)", "….docx"); "沙沟镇2021年政府工作报告" holding
            # "政府工作报告" is not.
            # Only when what it adds is markup: a subtitle holding the title's words is the author's.
            # The shorter line is most of the longer: a title's last words on a line of their own
            # ("意见征求座谈会" under "我县召开…《政府工作报告》意见征求座谈会") are no title it decorates.
            decorated = kb in ka and 2 <= len(ka) - len(kb) <= min(20, len(kb) - 1) \
                and not _NUMBERED.search(cands[a].text) and \
                not _ITEM_LABEL.match(cands[a].text) and \
                (cands[a].stripped or _decorated(cands[a].text, cands[b].text))
            if decorated or (near and _copy_goes(cands[a], cands[b], a > b)):
                _remove(cands[a], "title_repeat", "site_title_repeat")
                cands[b].copied = True


def _compilation_title(cands: list[Candidate], b0: int) -> None:
    """A template site's page of samples: its title counts them ("村委会工作报告范例6篇"), and
    the site prints the bare keyword again above the first sample ("村委会工作报告"). The
    counted title is the page's; the bare copy is the site's heading (the labelling
    convention of the real pages: the one the author's text would not have lost)."""
    zone = [i for i in range(min(len(cands), b0 + 4)) if not cands[i].shape.prose
            and not T.ends_sentence(cands[i].text)]
    for a in zone:
        if cands[a].verdict is not None:
            continue  # a verdict rule's line stays removed
        ka = key(cands[a].text)
        for b in zone:
            if b <= a or cands[b].removed or cands[b].protected not in (None, "title"):
                continue
            kb = key(cands[b].text)
            if len(kb) >= 4 and ka.startswith(kb) and _COUNTED.fullmatch(ka[len(kb):]):
                cands[a].removed = cands[a].removed_cls = None  # (between chrome lines, or a "copy")
                cands[a].protected = "title"
                cands[b].protected = None
                _remove(cands[b], "title_repeat", "site_title_repeat")
                return


def _decorated(longer: str, shorter: str) -> bool:
    """What ``longer`` adds to ``shorter`` is a site's markup: labels, brackets, a date. Not
    an official document that issues the shorter one ("关于印发《…工作规则》的通知" above
    the rules it issues): that is the document's own title."""
    fl, fs = "".join(T.fold(longer).split()), "".join(T.fold(shorter).split())
    if fs not in fl:
        return False
    rest = fl.replace(fs, "", 1)
    if f"《{fs}》" in fl and _ISSUING.search(rest.replace("《》", "")):
        return False
    return bool(_DECORATION.search(rest))


def _copy_goes(a: Candidate, b: Candidate, a_later: bool) -> bool:
    """Of two equal lines, whether ``a`` is the copy that goes: the one the site marked up
    (a field label was cut from it, a bullet put before it), else not the title, else the
    later one."""
    if a.stripped != b.stripped:
        return a.stripped
    if bool(_BULLET.match(a.text)) != bool(_BULLET.match(b.text)):
        return bool(_BULLET.match(a.text))  # an item of a list of links, or a breadcrumb's
    if "title" in (a.protected, b.protected):
        return b.protected == "title"
    return a_later


def _title_repeats(cands: list[Candidate], title: int) -> None:
    """The title's exact repeats anywhere on the page; inside the text, broken over two lines
    too (a site prints the headline again under the lead's photo). Above the text, two lines
    that make a site's one-line header are the document's own title and subtitle."""
    tk = key(cands[title].text)
    if len(tk) < 4:
        return
    free = [i for i, c in enumerate(cands) if i != title and c.removed is None and not c.protected]
    first_prose = next((i for i, c in enumerate(cands) if c.removed is None and c.shape.prose), len(cands))
    for n, i in enumerate(free):
        c = cands[i]
        if c.removed is not None:
            continue
        if key(c.text) == tk:
            _remove(c, "title_repeat", "site_title_repeat")
        elif title < first_prose < i and n + 1 < len(free) and free[n + 1] == i + 1 \
                and key(c.text) and key(cands[i + 1].text) and key(c.text) + key(cands[i + 1].text) == tk:
            for x in (c, cands[i + 1]):
                _remove(x, "title_repeat", "site_title_repeat")
                x.evidence.append("title_broken_over_two_lines")


def _glued_title_copies(cands: list[Candidate], title: int, edits: list[Edit], st) -> None:
    """The title said over again at a line's start and glued to the text: twice or more
    ("1、乡镇政府换届工作报告乡镇政府换届工作报告各位代表:…", a document-sharing site's
    preview of the file, numbered as its sample), in brackets ("【…】2、大中型会议…"), or
    once before the text's first list label ("…示范范本一、引言…"), a salutation ("…讲话同志们:")
    or, after a document's title, a date ("…半年工作总结2011年上半年,…").
    Once before anything else is left alone: a paragraph may open with the title's words
    ("坚持以人民为中心,是…")."""
    t = cands[title].text.strip()
    if len(key(t)) < 4:
        return
    q = re.escape(t)
    # (Before a list label that text follows: "…致辞范文(一)" alone is a sample's heading.)
    glued = re.compile(rf"^(\s*\d{{1,2}}\s*[、.．]\s*)?((?:{q}\s*){{2,}}|【\s*{q}\s*】\s*|{q}\s*(?=(?:{_LIST_LABEL})\s*\S))")
    for i, c in enumerate(cands):
        if i == title or c.removed is not None:
            continue
        if (m := glued.match(c.text)) and m.end() < len(c.text):
            span = m.span(2)
        elif c.text.startswith(t) and (st.salutation.match(c.text[len(t):].lstrip())
                                       or titled(t, st) and _DATE_OPENING.match(c.text[len(t):])):
            # Before the salutation ("…会议上的讲话同志们:"), or a report's title (it ends on
            # its kind: 总结, 报告) before the date its text opens with ("…工作总结2011年上半年,…").
            span = (0, len(t))
        else:
            continue
        c.text = _cut(c.text, [span], c.lineno, "title_repeat_glued", "site_title_repeat", edits,
                      "the title again, glued to the start of the text")
        c.shape, c.stripped = T.shape(c.text), True


def _summaries(cands: list[Candidate]) -> None:
    """A line near the top that only runs together the lines after it (a generated description)."""
    kept = [i for i, c in enumerate(cands) if c.removed is None]
    keys = {i: key(cands[i].text) for i in kept[:14]}
    at = next((n for n, c in enumerate(cands) if c.protected == "title"), None)
    for pos, i in enumerate(kept[:6]):
        if cands[i].protected:
            continue
        k = keys[i].rstrip("0123456789")
        follow = "".join(keys[j] for j in kept[pos + 1:pos + 8])
        nxt = keys[kept[pos + 1]] if pos + 1 < len(kept) else ""
        # Runs several lines together, or is the next line cut short (a preview's description).
        cut = len(k) >= 30 and not T.ends_sentence(cands[i].text)
        # Or the title, above it, and the lines after it (the title's copy between them gone).
        title = key(cands[at].text) if at is not None and at < i else ""
        if len(k) >= 12 and (len(k) > len(nxt) or cut) and (follow.startswith(k) or
                                                           title and len(k) > len(title) and (title + follow).startswith(k)):
            _remove(cands[i], "summary_repeat", "metadata")


def clean_lines(raw_lines: list[str], rules: RuleSet) -> Cleaned:
    return classify(raw_lines, rules)[0]


def classify(raw_lines: list[str], rules: RuleSet, trace: list | None = None) -> tuple[Cleaned, int | None]:
    """Clean one page's lines.

    Returns the kept lines (in order), the edits, page markers seen, and the
    title's index among the kept lines. ``trace``: see :func:`_stacked`.
    """
    out = Cleaned(kept=[])
    cands: list[Candidate] = []
    kept_text: list[tuple[int, str, str]] = []  # line number, line as read, line after in-line cuts
    inline = rules.inline_rules
    tables = _table_rows(raw_lines)
    for lineno, raw in enumerate(raw_lines, start=1):
        text = raw.strip(T.TRIM)
        if not text:
            continue
        if lineno in tables:  # a table's row is content as it stands, numbers and borders too
            kept_text.append((lineno, text, text))
            continue
        if junk.jammer_line(text):
            out.edits.append(Edit("remove", "jammer_line", "jammer", text, "", line=lineno, offset=0,
                                  evidence="ascii run of tiny tokens dense in marks"))
            continue
        text = _strip_jammers(text, lineno, out.edits)
        if text:
            text = strip_inline(text, lineno, inline, out.edits, out.pages)
        if text:
            kept_text.append((lineno, raw.strip(T.TRIM), text))
    tokens = _injected_tokens([t for _, _, t in kept_text])
    names = _echoed_names([t for _, _, t in kept_text])
    wedges = _wedged_spam([t for _, _, t in kept_text], rules)
    pinyin = junk.pinyin_page([t for _, _, t in kept_text], rules.lines.pinyin_min_confirmed)
    numbered = _site_numbering([t for _, _, t in kept_text], rules)
    tails = _tail_tokens([t for _, _, t in kept_text])
    final: list[tuple[int, str, str]] = []  # the lines left to judge, after every in-line cut
    for n, (lineno, original, text) in enumerate(kept_text):
        if n in numbered:
            text = _cut(text, [numbered[n]], lineno, "site_paragraph_number", "other", out.edits,
                        "the site numbered every paragraph, a salutation first")
        if tails and (spans := [m.span(1) for m in _TAIL_AT.finditer(text) if m.group(1) in tails
                                or m.end() == len(text) and any(t.startswith(m.group(1)) for t in tails)]):
            # Where the token ends a line, and where a site's description runs lines together:
            # the same token before a space ("…报 告hd9 2020年…"); at a line's end, cut short
            # too (…圆满完成。hd).
            text = _cut(text, spans, lineno, "tail_jammer", "jammer", out.edits,
                        f"the same token ends {TAIL_TOKEN_MIN}+ lines of the page, and is no more often elsewhere")
        if pinyin:
            spans = junk.pinyin_spans(text)
            if spans:
                text = _cut(text, spans, lineno, "pinyin_annotation_toneless", "pinyin", out.edits,
                            f"{pinyin} annotations on the page are the reading of the character before")
        if text in names:
            out.edits.append(Edit("remove", "injected_site_name", "seo_keyword", text, "", line=lineno, offset=0,
                                  evidence="a name that stands alone on the page and inside its sentences"))
            continue
        if tokens or names:
            text = _strip_tokens(text, lineno, tokens, names, out.edits)
        for w in wedges:
            if w in text:
                text = _cut(text, [m.span() for m in re.finditer(re.escape(w), text)], lineno, "wedged_spam",
                            "seo_keyword", out.edits, f"{w!r} wedged into the text of {rules.lines.wedge.min_lines}+ lines")
        if text:
            final.append((lineno, original, text))
    # The lexical model scores the page's short lines in one array pass.
    model = lexical.model() if rules.lines.lexical else None
    short = [n for n, (_, _, text) in enumerate(final) if len(text) <= lexical.MAX_LEN] if model else []
    logits = dict(zip(short, model.logits([final[n][2] for n in short]).tolist())) if short else {}
    cells = _cell_lines(raw_lines) | _number_cells(raw_lines)
    for n, (lineno, original, text) in enumerate(final):
        cands.append(_evidence(lineno, text, rules, original, logits.get(n), lineno in cells))
        cands[-1].stripped = text != original
    _forum_headline(cands, rules)
    _crumb_echoes(cands, rules)
    _page_repeats(cands, rules)
    _repeated_paragraphs(cands)
    grids = _metadata_grids(cands, tables, rules.lines.table_chrome_max)
    first_prose = next((c.lineno for c in cands if c.shape.prose), None)
    for c in cands:
        if c.lineno in tables and first_prose is not None and c.lineno < first_prose and _menu_row(c.text):
            continue  # a menu laid out as a table above the text: its lines are judged as lines
        if c.lineno in tables:  # a grid's row with no evidence at all (its title's value) stays too
            kept = c.chrome == 0 if tables[c.lineno] in grids else _cell_chrome(c) < rules.lines.table_chrome_max
        else:
            kept = c.lineno in cells and c.chrome < rules.lines.table_chrome_max
        if c.verdict is None and kept:
            c.protected = "table"

    # A title is protected before anything is decided: it is short and often shares
    # words with the site's chrome. Lines with strong evidence cannot be it.
    title = _title(cands, rules, lambda c: c.verdict is None and (c.chrome < 1 or "title_like" in c.evidence
                                                                   and c.chrome < rules.lines.body_threshold))
    if title is not None and cands[title].protected is None:
        cands[title].protected = "title"
    _decide(cands, rules, title)
    b0, _ = _body_span(cands)
    _compilation_title(cands, max(b0, title or 0))
    _copies(cands, max(b0, title or 0))
    title = _title(cands, rules)
    if title is not None:
        cands[title].protected = cands[title].protected or "title"
        _title_repeats(cands, title)
        _glued_title_copies(cands, title, out.edits, rules.structure)
    _summaries(cands)
    if title is not None:
        _sample_intro(cands, title)
    _menu_runs(cands, rules, title)
    _headline_runs(cands, rules, title)
    _enumerated_links(cands)
    _tag_tail(cands, rules)
    _smooth(cands, rules, title, _body_span(cands))
    _stacked(cands, rules, title, _body_span(cands), trace)

    indented = _indents([raw_lines[c.lineno - 1] for c in cands if c.removed is None])
    for c in cands:
        if c.removed is None:
            out.kept.append(Line(c.lineno, c.text, next(indented)))
            continue
        if c.removed_cls == "page_marker" and c.match is not None:
            out.pages.absorb(c.match, c.lineno, "line")
        out.edits.append(Edit("remove", c.removed, c.removed_cls or "other", c.text, "", line=c.lineno,
                              offset=0, confidence=1.0 if c.verdict else 0.8,
                              evidence=f"{' '.join(c.evidence)} score={c.score:g}"))
    out.edits.sort(key=lambda e: (e.line or 0, e.offset or 0))
    kept_index = {c.lineno: n for n, c in enumerate(x for x in cands if x.removed is None)}
    title_line = cands[title].lineno if title is not None else None
    return out, kept_index.get(title_line) if title_line is not None else None


def _runs_on(text: str) -> bool:
    """A long line with clauses that stops mid-sentence: the next line goes on with it."""
    return len(text) >= 20 and T.shape(text).clauses >= 1 and not T.ends_sentence(text) \
        and text.rstrip()[-1:] not in T.TERMINAL


def _indents(raw: list[str]):
    """Whether each kept line begins with a paragraph's first-line indent, in order.

    Text laid out from a PDF page often sets every line in from the margin, the paragraphs'
    first lines a few spaces further ("                   前新冠…" under "                         中共中央…"):
    when most lines start with spaces, the indent is relative to the most common margin."""
    leads = [len(r) - len(r.lstrip(" ")) for r in raw]
    spaced = [n for n in leads if n >= 2]
    if len(raw) >= 5 and len(spaced) >= 0.8 * len(raw):
        margin = Counter(spaced).most_common(1)[0][0]
        if sum(1 for n in leads if n > margin + 1) <= len(raw) / 2:  # the margin is the common case
            return iter([n > margin + 1 or r.startswith("\u3000") for n, r in zip(leads, raw)])
    return iter([bool(_INDENT.match(r)) for r in raw])


def _title(cands: list[Candidate], rules: RuleSet, eligible=lambda c: c.removed is None) -> int | None:
    """The title's index among all candidates, found among the eligible ones (the kept).

    A title heads its text: lines after the first paragraph of prose are not candidates
    (an excerpt that starts inside the text has no title, not a share button's label)."""
    headline = next((i for i, c in enumerate(cands) if c.protected == "headline"), None)
    if headline is not None:  # a forum thread's title, found by its place
        return headline
    first_prose = next((i for i, c in enumerate(cands) if c.shape.prose and c.chrome < 2 and c.verdict is None),
                       len(cands))
    kept = [i for i, c in enumerate(cands) if eligible(c) and i <= first_prose]
    # Nor the rest of a hard-wrapped sentence: a line under one that runs on through clauses
    # and stops mid-sentence ("…研究当前…重点工作。中共中" / "央总书记…发表重要讲话。").
    kept = [i for n, i in enumerate(kept) if n == 0 or not _runs_on(cands[kept[n - 1]].text)]
    # A news page's headline sits right above its source-and-author row ("来源:红网 作者:…"),
    # whatever follows that row (a caption, a share bar).
    for i in kept:
        c = cands[i]
        row = cands[i + 1] if i + 1 < len(cands) else None
        if row is not None and c.shape.cjk >= 8 and not c.shape.sentence and title_score(c.text, rules.structure) \
                and row.cls == "metadata" and _SOURCE_ROW.search(T.simplified(row.text)):
            return i
    # A column's name the breadcrumb repeats is the title only when no other line can be.
    for pool in ([i for i in kept if "crumb_echo" not in cands[i].evidence], kept):
        t = find_title([Line(cands[i].lineno, cands[i].text) for i in pool], rules.structure)
        if t is not None:
            return pool[t]
    # No line reads as a title by itself; a short line the site repeats near the top is one.
    seen: dict[str, int] = {}
    for i in kept[:rules.structure.title_search_lines]:
        c = cands[i]
        k = key(c.text)
        if len(k) >= 4 and not c.shape.sentence and len(c.text) <= rules.structure.title_max_len:
            if k in seen:
                return seen[k]
            seen[k] = i
    return None
