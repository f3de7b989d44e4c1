"""Multi-page documents: group the pages of one document and stitch them.

A site that splits an article over several URLs gives each page the same
title plus a marker such as "(第2/3页)". Files are grouped by folder and
normalized title, ordered by page number (never by file name), and joined:
the title and any header/footer repeated on every page go, and a paragraph
cut in two by the page break is joined again.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from dataclasses import dataclass, field

from docclean import text as T
from docclean.model import Edit, FileResult, Line
from docclean.rules import StructureRules

_NOT_WORD = re.compile(r"[\W_]+")  # keeps letters and digits, any script


def title_key(title: str | None) -> str:
    """Titles compared loosely: width-folded, no spaces or punctuation."""
    if not title:
        return ""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", title))


def group_key(source: str, title: str | None) -> str:
    return f"{posixpath.dirname(source)}\x1f{title_key(title)}"


@dataclass
class Stitched:
    lines: list[tuple[str, Line]]  # (source, line), in document order
    edits: list[Edit] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    page_count: int | None = None
    missing: list[int] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


CONFLICT = ("pages of more than one document: files in this folder share the title but not "
            "their pages (two claim the same page with different text, or give different page "
            "counts); each document was built on its own")


def split(pages: list[FileResult]) -> list[list[FileResult]]:
    """The pages of a group as the documents they belong to.

    Pages agree when they give the same page count and distinct page numbers. Two
    files with the same page number and the same text are one page (the second is
    dropped as a duplicate by :func:`stitch`); with different text they are pages of
    different documents (two speeches with one title, common on template sites).
    """
    docs: list[list[FileResult]] = []
    for r in sorted(pages, key=lambda r: (r.page or 0, r.source)):
        for doc in docs:
            counts = {x.page_count for x in doc if x.page_count} | ({r.page_count} if r.page_count else set())
            same_page = [x for x in doc if x.page == r.page]
            if len(counts) <= 1 and (not same_page or _same_text(same_page[0], r)):
                doc.append(r)
                break
        else:
            docs.append([r])
    return docs


def _same_text(a: FileResult, b: FileResult) -> bool:
    return [x.text for x in a.lines] == [x.text for x in b.lines]


def stitch(pages: list[FileResult], rules: StructureRules) -> Stitched:
    """Join the readable pages of one document in page order."""
    ordered = sorted(pages, key=lambda r: (r.page or 0, r.source))
    seen: dict[int, FileResult] = {}
    dupes: list[str] = []
    for r in ordered:
        if r.page in seen:
            dupes.append(r.source)  # two files claim the same page: keep the first
        else:
            seen[r.page or 0] = r
    ordered = list(seen.values())
    count = max([r.page_count or 0 for r in ordered] + [max(seen) if seen else 0]) or None
    missing = sorted(set(range(1, (count or 0) + 1)) - set(seen))

    out = Stitched(lines=[], sources=[r.source for r in ordered], page_count=count,
                   missing=missing, duplicates=dupes)
    repeated = _repeated_lines(ordered)
    for n, r in enumerate(ordered):
        lines = list(r.lines)
        if n > 0 and lines and title_key(lines[0].text) == title_key(ordered[0].title):
            out.edits.append(Edit("remove", "page_title_repeat", "page_marker", lines[0].text, "",
                                  line=lines[0].lineno, source=r.source, offset=0))
            lines = lines[1:]
        kept = []
        for line in lines:
            if line.text in repeated:
                out.edits.append(Edit("remove", "page_header_footer", "page_marker", line.text, "",
                                      line=line.lineno, source=r.source, offset=0))
            else:
                kept.append(line)
        if n > 0 and kept and out.lines and _cut_mid_paragraph(out.lines[-1][1].text, kept[0].text, rules):
            prev_src, prev = out.lines[-1]
            joined = Line(prev.lineno, prev.text + kept[0].text)
            out.edits.append(Edit("normalize", "page_join", "page_marker", kept[0].text, "",
                                  line=kept[0].lineno, source=r.source, offset=0))
            out.lines[-1] = (prev_src, joined)
            kept = kept[1:]
        out.lines.extend((r.source, line) for line in kept)
    return out


def _repeated_lines(pages: list[FileResult]) -> set[str]:
    """Lines found at the top or bottom of every page: a running header or footer."""
    if len(pages) < 2:
        return set()
    title = title_key(pages[0].title)

    def edges(r: FileResult) -> set[str]:
        texts = [x.text for x in r.lines]
        return {t for t in texts[:3] + texts[-3:] if title_key(t) != title}

    common = edges(pages[0])
    for r in pages[1:]:
        common &= edges(r)
    return {t for t in common if len(t) <= 40}


def _cut_mid_paragraph(prev: str, nxt: str, rules: StructureRules) -> bool:
    """A page ended mid-sentence: no closing punctuation, and neither side is a heading or label."""
    def labelled(text: str) -> bool:
        return any(style.regex.match(text) for style in (*rules.headings, *rules.run_ins))

    return (bool(prev) and prev[-1] not in T.TERMINAL and not labelled(prev) and not labelled(nxt)
            and not rules.salutation.match(prev))
