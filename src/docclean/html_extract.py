"""HTML page to text lines, one per block, with the page chrome left out.

Chrome is found by structure, not by one site's class names: semantic
elements (header, nav, aside, footer, form), elements whose class or id
names a chrome role, and blocks that are mostly link text. The article body
is the element holding the most non-link text in paragraph children.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

_DROP_TAGS = {"script", "style", "noscript", "template", "iframe", "svg", "canvas",
              "head", "header", "nav", "aside", "footer", "form", "button", "select", "object"}
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd",
               "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr",
               "td", "th", "center", "address", "figure", "figcaption", "hr", "body", "html"}
# Role words in class/id that mean "not the article" across template families.
_CHROME_ATTR = re.compile(
    r"(^|[\s_\-])(nav|navbar|menu|breadcrumbs?|crumbs?|sidebar|side|footer|foot|header|head|"
    r"topbar|banner|ads?|advert\w*|gg|share|social|comments?|related|recommend\w*|hot|"
    r"copyright|pager|pagination|login|toolbar|qrcode|popup|modal)([\s_\-]|\d|$)",
    re.I,
)
_TITLE_SPLIT = re.compile(r"\s*[_|\-–—]{1,2}\s*")


class TruncatedHTML(ValueError):
    """The page ends before its markup does."""


@dataclass(frozen=True)
class Extracted:
    title: str | None  # from <h1> or <title>, without the site suffix
    lines: list[str]


def looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or bool(
        re.search(r"<(html|body|head|div|p)\b[^>]*>", head)
    )


def check_complete(text: str) -> None:
    """Raise TruncatedHTML when a page was cut off: it opened <html> and never closed it."""
    lower = text.lower()
    tail = text.rstrip()
    if "<html" in lower and "</html>" not in lower:
        raise TruncatedHTML("truncated HTML: the page opens <html> but never closes it")
    if tail.rfind("<") > tail.rfind(">"):
        raise TruncatedHTML("truncated HTML: the page ends inside a tag")


def _is_chrome(tag: Tag) -> bool:
    if tag.name in _DROP_TAGS:
        return True
    attrs = " ".join([*(tag.get("class") or []), tag.get("id") or "", tag.get("role") or ""])
    return bool(attrs.strip()) and bool(_CHROME_ATTR.search(attrs))


def _link_density(tag: Tag) -> float:
    text = len(tag.get_text(strip=True))
    if not text:
        return 0.0
    links = sum(len(a.get_text(strip=True)) for a in tag.find_all("a"))
    return links / text


def _content_root(body: Tag) -> Tag:
    """The element whose direct block children carry the most non-link text."""
    best, best_score = body, 0
    for el in body.find_all(["div", "article", "section", "main", "td"]):
        score = 0
        for child in el.find_all(["p", "div", "br"], recursive=False):
            if child.name == "br":
                continue
            t = child.get_text(strip=True)
            if t and _link_density(child) < 0.5:
                score += len(t)
        # Text loose in the element itself (br-separated articles).
        score += sum(len(s.strip()) for s in el.find_all(string=True, recursive=False)
                     if not isinstance(s, Comment))
        if score > best_score:
            best, best_score = el, score
    return best if best_score else body


def _emit(node: Tag, out: list[str], buf: list[str]) -> None:
    def flush() -> None:
        line = "".join(buf).strip()
        if line:
            out.append(line)
        buf.clear()

    for child in node.children:
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            buf.append(re.sub(r"[ \t\r\n\f]+", " ", str(child)))
            continue
        if not isinstance(child, Tag):
            continue
        if child.name == "br":
            flush()
            continue
        if _is_chrome(child) or (child.name in {"ul", "ol", "div", "p", "table"}
                                 and _link_density(child) > 0.6):
            continue
        if child.name in _BLOCK_TAGS:
            flush()
            _emit(child, out, buf)
            flush()
        else:
            _emit(child, out, buf)


def extract(html: str) -> Extracted:
    """Text lines of the article in ``html``; chrome, scripts and styles dropped."""
    check_complete(html)
    soup = BeautifulSoup(html, "lxml")
    page_title = None
    if soup.title and soup.title.string:
        page_title = _TITLE_SPLIT.split(soup.title.string.strip())[0] or None
    h1 = soup.find("h1")
    if h1 and h1.get_text(strip=True):
        page_title = h1.get_text(" ", strip=True)
    body = soup.body or soup
    for tag in body.find_all(_DROP_TAGS):
        tag.decompose()
    root = _content_root(body)
    lines: list[str] = []
    # A title that sits outside the article root (common: <h1> above the body div) still counts.
    if h1 is not None and page_title and root is not body and h1 not in root.descendants:
        lines.append(page_title)
    buf: list[str] = []
    _emit(root, lines, buf)
    tail = "".join(buf).strip()
    if tail:
        lines.append(tail)
    return Extracted(page_title, lines)
