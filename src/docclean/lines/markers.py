"""Page markers seen in a file: which page of a larger document it is."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_DIGITS = {c: n for n, c in enumerate("零一二三四五六七八九")}


def _number(text: str) -> int:
    """A page number as written: 12, or in Chinese numerals up to 999 (一, 十二, 二十三, 一百零五).
    Hand-written: cn2an would do it, but a page number needs these few lines, not a dependency."""
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:  # 十 or 百
            total += (digit or 1) * (10 if ch == "十" else 100)
            digit = 0
    return total + digit


@dataclass
class PageInfo:
    """Page markers seen in a file; :meth:`resolve` decides what page the file is."""

    seen: list[tuple[int, int | None, int, str]] = field(default_factory=list)  # page, of, line, scope

    def absorb(self, match: re.Match[str], lineno: int, scope: str) -> None:
        # Rules name their groups page, page2, … and of, of2, … (one name per alternative).
        groups = {k: v for k, v in match.groupdict().items() if v}
        page = next((v for k, v in groups.items() if k.startswith("page")), None)
        of = next((v for k, v in groups.items() if k.startswith("of")), None)
        if page:
            self.seen.append((_number(page), _number(of) if of else None, lineno, scope))

    def resolve(self, title_lineno: int | None) -> tuple[int | None, int | None]:
        """The file's (page, page count).

        A marker on the title line decides. Otherwise a single standalone
        marker ("第 2 页 共 3 页") does; several different ones ("- 2 -",
        "- 3 -") are pagination inside one file, not a page of a larger one.
        """
        on_title = [(p, o) for p, o, line, scope in self.seen if scope == "span" and line == title_lineno]
        if on_title:
            return on_title[0]
        standalone = {(p, o) for p, o, _, scope in self.seen if scope == "line"}
        if len({p for p, _ in standalone}) == 1:
            return next(iter(standalone))
        return None, None
