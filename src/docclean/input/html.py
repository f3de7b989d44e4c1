"""HTML page to text lines, one per block, with the page chrome left out.

The page is cut into text blocks (a block element, a ``<br>``-separated run,
a table row), and each block is judged by structure, not by one site's names:

- chrome: inside a semantic page element (header, nav, aside, footer, form,
  menu: reason ``html_nav``), inside an element whose class/id/role names a
  chrome role (``html_chrome_attr``), or hidden (``html_hidden``). When all of
  the page's sentences sit inside such an element, it is the page's frame, not
  chrome (ASP.NET wraps every page in a <form>).
- the article (jusText's and readability's signals): "good" blocks are long,
  have punctuation and few links, counted in letters so that dates and counts
  beside a link do not pass for prose. The anchor is the container holding the
  most good text; the article is the anchor or the ancestor of it whose blocks
  weigh most: good text for, link text and short text against, data-table rows
  for. Blocks outside it are ``html_outside_article``. A page without one good
  block (a short notice) is read again with a lower length bar.
- inside the article, blocks that are mostly link text (``html_link_density``),
  except a sentence-shaped paragraph or a list of 《…》 titles: links alone do
  not make authored text chrome.

Every block left out is reported in ``Extracted.removed`` with its reason.

Tables: a data row (``<tr>`` with two or more non-empty cells, none of them
long, none holding a nested table) becomes one line, its cells in order joined
by a tab (TABLE_SEP); an empty cell inside the row stays an empty field, so
columns line up, and empty cells at either end are dropped. After whitespace
folding no cell holds a tab, so the line splits back into its cells exactly;
a line break inside a cell becomes a space. Numbers in cells are kept like any
text. Rows of layout tables (an article in a cell, a nested table) are
containers like any <div>.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, PageElement, Tag

from docclean.text import FULL_STOP_END

TABLE_SEP = "\t"

_DROP_TAGS = {"script", "style", "noscript", "template", "iframe", "svg", "canvas",
              "head", "button", "select", "object", "textarea", "title", "meta", "link"}
# Semantic page furniture (HTML5 and forms).
_NAV_TAGS = {"header", "nav", "aside", "footer", "form", "menu"}
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd",
               "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr", "tbody",
               "thead", "tfoot", "caption", "td", "th", "center", "address", "figure",
               "figcaption", "hr", "body", "html", *_NAV_TAGS}
# Elements that hold paragraphs, the candidates for the article (not a <p> or <li>).
_CONTAINER_TAGS = {"div", "section", "article", "main", "td", "th", "table", "tbody", "tr",
                   "center", "blockquote", "body", "html", "ul", "ol", "dl", "font", "span",
                   *_NAV_TAGS}
# Role words in class/id that mean "not the article" across template families.
_CHROME_ATTR = re.compile(
    r"(^|[\s_\-])(nav|navbar|menu|breadcrumbs?|crumbs?|sidebar|side|footer|foot|bottom|header|head|"
    r"topbar|banner|ads?|advert\w*|gg|share|social|comments?|related|recommend\w*|hot|"
    r"copyright|pager|pagination|login|toolbar|qrcode|popup|modal)([\s_\-]|\d|$)",
    re.I,
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_TITLE_SPLIT = re.compile(r"\s*[_|\-–—]{1,2}\s*")
_WS = re.compile(r"\s+")
_SPACES = " \u3000\u00a0"
_NON_LETTER = re.compile(r"[\W\d_]+")
_PUNCT = re.compile(r"[，。！？；、,!?;]")  # clause marks; a colon ends labels too
_BOOK_TITLE = re.compile(r"《[^《》]{1,60}》")

# A block is "good" (jusText's word for likely authored text) when it has at least
# this many letters of prose, punctuation and few links; long unpunctuated runs count
# too. A page with no such block (a short notice) is read again with _GOOD_LEN_SHORT.
_GOOD_LEN, _GOOD_LEN_SHORT, _GOOD_LEN_BARE, _GOOD_MAX_LINKS = 25, 10, 80, 0.3
_LINK_DENSE = 0.5  # share of link text that makes a block navigation
_LINK_PENALTY = 1.0  # weight of a link character against a good character
_ANCHOR_SHARES = (1.0, 0.5)  # anchor credit: the container of a paragraph, the next one up
_CELL_MAX = 200  # a table cell with more text than this is page layout
_SHORT_PENALTY = 0.2  # short plain text (labels, dates, captions) counts slightly against
_ROW_WEIGHT = 0.5  # weight of a character of a data-table row against a good one
_SENTENCE_LEN = 15  # a block ending in 。！？ at least this long is a sentence


class TruncatedHTML(ValueError):
    """The page ends before its markup does."""


@dataclass(frozen=True)
class Extracted:
    title: str | None  # from <h1> or <title>, without the site suffix
    lines: list[str]
    # Blocks left out, in page order: (text, reason), reason one of html_nav,
    # html_chrome_attr, html_hidden, html_outside_article, html_link_density.
    removed: list[tuple[str, str]] = field(default_factory=list)


def looks_like_html(text: str) -> bool:
    """The text is an HTML page: it starts with markup. Text that only carries some tags
    (a forum archive with a pasted ``<style>``) is text with residue, cleaned as text."""
    head = text[:2048].lstrip("\ufeff \t\r\n").lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or (
        head.startswith("<") and bool(re.search(r"<(html|body|head|div|p)\b[^>]*>", head)))


def check_complete(text: str) -> None:
    """Raise TruncatedHTML when a page was cut off.

    HTML lets </body> and </html> be left out, so their absence alone proves
    nothing. Evidence is a page that ends inside a tag, a comment or a
    script/style, or ends in bare text with neither closed (a whole page ends
    in markup; a page cut mid-paragraph ends in text).
    """
    tail = text.rstrip()
    lower = tail.lower()
    if tail.rfind("<") > tail.rfind(">"):
        raise TruncatedHTML("truncated HTML: the page ends inside a tag")
    if lower.rfind("<!--") > lower.rfind("-->"):
        raise TruncatedHTML("truncated HTML: the page ends inside a comment")
    for tag in ("script", "style"):
        if lower.rfind(f"<{tag}") > lower.rfind(f"</{tag}"):
            raise TruncatedHTML(f"truncated HTML: the page ends inside a <{tag}>")
    if ("</body" not in lower and "</html" not in lower and "<" in lower
            and tail[tail.rfind(">") + 1:].strip()):
        raise TruncatedHTML("truncated HTML: the page ends in the middle of its text")


@dataclass
class _Block:
    text: str
    anc: tuple[Tag, ...]  # open elements, outermost first
    link_chars: int = 0  # non-space characters inside <a>
    link_letters: int = 0  # letters inside <a>
    row: bool = False  # a data-table row, cells joined by TABLE_SEP
    reason: str | None = None  # set after the walk: why it is left out

    def __post_init__(self) -> None:
        self.chars = len(self.text) - sum(map(self.text.count, _SPACES))
        # Letters (CJK and Latin) measure prose: the dates, counts and phone numbers
        # next to a link or in a footer line are not what makes text authored.
        self.letters = _letters(self.text)
        self.prose = self.letters - self.link_letters

    @property
    def link_density(self) -> float:
        if self.letters:
            return self.link_letters / self.letters
        return self.link_chars / self.chars if self.chars else 0.0

    def good(self, min_len: int = _GOOD_LEN) -> bool:
        """jusText's "good": long, few links, with punctuation (or very long)."""
        if self.link_density > _GOOD_MAX_LINKS:
            return False
        return (self.prose >= min_len and bool(_PUNCT.search(self.text))) or self.prose >= _GOOD_LEN_BARE

    def authored_shape(self) -> bool:
        """A sentence, or a list of 《…》 titles: text a writer made, links or not."""
        if self.letters >= _SENTENCE_LEN and FULL_STOP_END.search(self.text):
            return True
        titles = sum(len(m) for m in _BOOK_TITLE.findall(self.text))
        return titles >= 0.6 * self.chars


def _letters(text: str) -> int:
    return len(_NON_LETTER.sub("", text))


def _chrome_reason(tag: Tag) -> str | None:
    if tag.name in _NAV_TAGS:
        return "html_nav"
    if tag.has_attr("hidden") or _HIDDEN_STYLE.search(tag.get("style") or ""):
        return "html_hidden"
    attrs = " ".join([*(tag.get("class") or []), tag.get("id") or "", tag.get("role") or ""])
    if attrs.strip() and _CHROME_ATTR.search(attrs):
        return "html_chrome_attr"
    return None


@dataclass
class _Open:
    """An element being walked."""

    tag: Tag
    children: Iterator[PageElement]
    block: bool  # its text is blocks of its own
    first: int = 0  # index of its first block (table rows and cells)
    cells: list[list[_Block]] | None = None  # for a table row: the blocks of each cell
    data_row: bool = True


class _Walker:
    """Cuts the body into blocks in page order.

    Iterative, not recursive: unclosed inline tags in old pages nest thousands deep.
    """

    def __init__(self, body: Tag) -> None:
        self.blocks: list[_Block] = []
        self.stack: list[Tag] = [body]  # open elements, for each block's ancestors
        self.buf: list[str] = []
        self.link_chars = self.link_letters = 0
        self.in_link = 0
        self.reasons: dict[int, str] = {}  # id(tag) -> chrome reason, for tags that have one
        todo = [_Open(body, iter(body.children), True)]
        while todo:
            child = next(todo[-1].children, None)
            if child is None:
                self.leave(todo.pop(), todo[-1] if todo else None)
            elif isinstance(child, NavigableString):
                if type(child) is NavigableString:  # not a comment, doctype or CDATA
                    self.text(str(child))
            elif isinstance(child, Tag) and child.name not in _DROP_TAGS:
                if child.name == "br":
                    self.flush()
                else:
                    todo.append(self.enter(child, todo[-1]))
        self.flush()

    def text(self, s: str) -> None:
        self.buf.append(s)
        if self.in_link:
            self.link_chars += len(_WS.sub("", s))
            self.link_letters += _letters(s)

    def flush(self) -> None:
        text = _WS.sub(" ", "".join(self.buf)).strip()
        if text:
            self.blocks.append(_Block(text, tuple(self.stack), self.link_chars, self.link_letters))
        self.buf.clear()
        self.link_chars = self.link_letters = 0

    def enter(self, tag: Tag, parent: _Open) -> _Open:
        reason = _chrome_reason(tag)
        if reason:
            self.reasons[id(tag)] = reason
        # A chrome element is cut out as blocks of its own even when inline.
        block = tag.name in _BLOCK_TAGS or reason is not None
        if block:
            self.flush()
        self.stack.append(tag)
        self.in_link += tag.name == "a"
        el = _Open(tag, iter(tag.children), block, first=len(self.blocks))
        if tag.name == "tr":
            el.cells, el.data_row = [], tag.find("table") is None
        elif parent.cells is not None and tag.name in ("td", "th"):
            # A cell of chrome, of long text or of paragraphs (an article in a layout
            # table) makes the row layout, not data. A <br> in a short cell is a line break.
            parent.data_row &= reason is None and len(tag.find_all(_BLOCK_TAGS, limit=2)) < 2
        return el

    def leave(self, el: _Open, parent: _Open | None) -> None:
        if el.block:
            self.flush()  # while the element is open: its text belongs to it
        self.in_link -= el.tag.name == "a"
        self.stack.pop()
        if parent is not None and parent.cells is not None and el.tag.name in ("td", "th"):
            cell = self.blocks[el.first:]
            parent.cells.append(cell)
            parent.data_row &= sum(b.chars for b in cell) <= _CELL_MAX
        elif el.cells is not None:
            self.row(el)

    def row(self, el: _Open) -> None:
        """A table row: one line of tab-joined cells when it is a data row."""
        cells = el.cells or []
        if sum(map(len, cells)) != len(self.blocks) - el.first:
            return  # text between the cells: not a plain row
        while cells and not cells[-1]:
            cells.pop()  # spacer cells at the edges say nothing; inside, they keep columns
        while cells and not cells[0]:
            cells.pop(0)
        if el.data_row and sum(1 for c in cells if c) >= 2:
            # A line break inside a cell is only a break in the cell: a space.
            text = TABLE_SEP.join(" ".join(b.text for b in c) for c in cells)
            blocks = [b for c in cells for b in c]
            self.blocks[el.first:] = [_Block(text, (*self.stack, el.tag), sum(b.link_chars for b in blocks),
                                             sum(b.link_letters for b in blocks), row=True)]


def _assign_reasons(blocks: list[_Block], reasons: dict[int, str], vetoed: set[int]) -> None:
    """Chrome reason per block: the one of its outermost chrome ancestor not vetoed."""
    for b in blocks:
        b.reason = next((reasons[id(t)] for t in b.anc
                         if id(t) in reasons and id(t) not in vetoed), None)


def _weight(b: _Block, min_len: int) -> float:
    if b.reason:
        return 0.0
    if b.good(min_len):
        return b.prose
    if b.link_density > _LINK_DENSE:
        # Navigation counts against an element; a linked sentence is kept (see extract),
        # so it does not.
        return 0.0 if b.authored_shape() else -_LINK_PENALTY * b.chars
    if b.row and b.link_density < _GOOD_MAX_LINKS:
        # A row of a data table is content (figures, names) even in short cells.
        return _ROW_WEIGHT * (b.chars - b.link_chars)
    return -_SHORT_PENALTY * b.chars


def _article_root(blocks: list[_Block], body: Tag, min_len: int) -> Tag | None:
    """The article element, or None when no block outside chrome reads like authored text.

    First the anchor, as readability finds it: the container holding the most
    sentence-shaped text, the next container up credited with half. Then, of the
    anchor and its ancestors, the one whose blocks weigh most (the deepest on a tie): an article
    split over sibling elements is taken whole, while a run of text elsewhere (a
    legal notice at the foot of the page) cannot win against the article.
    """
    credit: dict[int, float] = {}
    tags: dict[int, Tag] = {}
    for b in blocks:
        if b.reason or not b.good(min_len):
            continue
        containers = (t for t in reversed(b.anc) if t.name in _CONTAINER_TAGS)
        for share, t in zip(_ANCHOR_SHARES, containers):
            credit[id(t)] = credit.get(id(t), 0.0) + share * b.prose
            tags[id(t)] = t
    if not credit:
        return None
    chain: dict[int, Tag] = {}  # the anchor first, then its container ancestors up to <body>
    node: Tag | None = tags[max(credit, key=credit.__getitem__)]
    while node is not None and id(body) not in chain:
        if node.name in _CONTAINER_TAGS or node is body:
            chain[id(node)] = node
        node = node.parent
    score = dict.fromkeys(chain, 0.0)
    for b in blocks:
        w = _weight(b, min_len)
        for t in b.anc:
            if id(t) in score:
                score[id(t)] += w
    return chain[max(score, key=score.__getitem__)]  # max() keeps the first on a tie


def _frame(blocks: list[_Block], reasons: dict[int, str], vetoed: set[int]) -> int | None:
    """The chrome element holding the most sentence-shaped text, outermost on a tie."""
    held: dict[int, float] = {}
    for b in blocks:
        if b.good(_GOOD_LEN_SHORT):
            for t in b.anc:
                if id(t) in reasons and id(t) not in vetoed:
                    held[id(t)] = held.get(id(t), 0) + b.prose
    return max(held, key=held.__getitem__) if held else None


def _choose_root(blocks: list[_Block], reasons: dict[int, str], body: Tag) -> Tag:
    """Assign chrome reasons and find the article element.

    When every sentence of the page sits inside "chrome" (ASP.NET wraps the whole
    page in a <form>; a template may give its main column a chrome word), the
    chrome element holding most of them is the page's frame, not chrome: it is
    vetoed and the search runs again.
    """
    vetoed: set[int] = set()
    while True:
        _assign_reasons(blocks, reasons, vetoed)
        for min_len in (_GOOD_LEN, _GOOD_LEN_SHORT):
            root = _article_root(blocks, body, min_len)
            if root is not None:
                return root
        frame = _frame(blocks, reasons, vetoed)
        if frame is None:
            return body
        vetoed.add(frame)


def extract(html: str) -> Extracted:
    """Text lines of the article in ``html``; chrome, scripts and styles dropped."""
    check_complete(html)
    soup = BeautifulSoup(html, "lxml")
    page_title = None
    if soup.title and soup.title.string:
        page_title = _TITLE_SPLIT.split(soup.title.string.strip())[0] or None
    body = soup.body or soup
    walker = _Walker(body)
    blocks = walker.blocks
    root = _choose_root(blocks, walker.reasons, body)
    h1 = next((b for b in blocks if b.anc[-1].name == "h1" and not b.reason
               and b.link_density <= _LINK_DENSE), None)
    if h1 is not None:
        page_title = h1.text

    for b in blocks:
        if b is h1 or b.reason:
            continue  # the title counts even above the article element
        if not any(t is root for t in b.anc):
            b.reason = "html_outside_article"
        elif b.link_density > _LINK_DENSE and not b.authored_shape():
            b.reason = "html_link_density"
    lines = [b.text for b in blocks if not b.reason]
    removed = [(b.text, b.reason) for b in blocks if b.reason]
    return Extracted(page_title, lines, removed)

