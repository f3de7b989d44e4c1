"""Line-level boilerplate removal driven by the rule pack.

Every line is either kept or removed, and every removal (whole line or a
span inside one) becomes an :class:`~docclean.model.Edit` naming the rule
and its class. Page markers found on the way are reported, so the caller
knows the file's page number and page count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Edit, Line
from .rules import LineRule, RuleSet

# Whitespace to trim at line ends: ASCII, ideographic space, NBSP, zero-width.
_TRIM = " \t\r\f\v\u3000\u00a0\u200b\u200c\u200d\ufeff"
_SENTENCE_END = re.compile(r"[。！？!?]")

PREAMBLE_MAX_LEN = 40


@dataclass
class PageInfo:
    """Page markers seen in a file; :meth:`resolve` decides what page the file is."""

    seen: list[tuple[int, int | None, int, str]] = field(default_factory=list)  # page, of, line, scope

    def absorb(self, match: re.Match[str], lineno: int, scope: str) -> None:
        groups = {k: v for k, v in match.groupdict().items() if v}
        page = next((groups[k] for k in ("page", "page2", "page3") if k in groups), None)
        of = next((groups[k] for k in ("of", "of2", "of3") if k in groups), None)
        if page:
            self.seen.append((int(page), int(of) if of else None, lineno, scope))

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


@dataclass
class Cleaned:
    kept: list[Line]
    edits: list[Edit] = field(default_factory=list)
    pages: PageInfo = field(default_factory=PageInfo)


def _line_rule(text: str, rules: tuple[LineRule, ...]) -> tuple[LineRule, re.Match[str]] | None:
    n = len(text)
    for rule in rules:
        if n <= rule.max_len:
            m = rule.regex.search(text)
            if m and (rule.min_count == 1 or len(rule.regex.findall(text)) >= rule.min_count):
                return rule, m
    return None


def strip_inline(text: str, lineno: int, rules: tuple[LineRule, ...], edits: list[Edit],
                 pages: PageInfo) -> str:
    """Remove inline junk from one line, recording each removed span."""
    for rule in rules:
        if not rule.regex.search(text):
            continue
        found = [m for m in rule.regex.finditer(text) if m.group(0)]
        if len(found) < rule.min_count:
            continue
        pieces, last = [], 0
        for m in found:
            if rule.cls == "page_marker":
                pages.absorb(m, lineno, "span")
            edits.append(Edit("remove", rule.name, rule.cls, m.group(0), "", scope="span",
                              line=lineno, offset=m.start()))
            pieces.append(text[last:m.start()])
            last = m.end()
        pieces.append(text[last:])
        text = "".join(pieces).strip(_TRIM)
    return text


def clean_lines(raw_lines: list[str], rules: RuleSet) -> Cleaned:
    """Apply inline then line rules to every line; blank lines are dropped silently."""
    out = Cleaned(kept=[])
    line_rules, inline_rules, prefilter = rules.line_rules, rules.inline_rules, rules.inline_prefilter
    for lineno, raw in enumerate(raw_lines, start=1):
        text = raw.strip(_TRIM)
        if not text:
            continue
        hit = _line_rule(text, line_rules)
        if hit is None and prefilter.search(text):
            text = strip_inline(text, lineno, inline_rules, out.edits, out.pages)
            if not text:
                continue
            hit = _line_rule(text, line_rules)
        if hit is not None:
            rule, m = hit
            if rule.cls == "page_marker":
                out.pages.absorb(m, lineno, "line")
            out.edits.append(Edit("remove", rule.name, rule.cls, text, "", line=lineno, offset=0))
            continue
        out.kept.append(Line(lineno, text))
    return out


def drop_preamble(cleaned: Cleaned, title_index: int) -> Cleaned:
    """Remove the short lines above the title when the site's ad block is there.

    Template sites put a block of slogans and ads above the title. Rules catch
    the lines with ad vocabulary; the slogans between them ("自建平台", a site
    name) have none. We only remove those when the block above the title
    already had a rule hit (it is an ad block) and the line is short; a long
    line above the title is kept, because losing authored text is worse than
    keeping an ad.
    """
    if title_index <= 0:
        return cleaned
    title_line = cleaned.kept[title_index].lineno
    block_has_ad = any(e.action == "remove" and e.scope == "line" and e.line is not None
                       and e.line < title_line for e in cleaned.edits)
    if not block_has_ad:
        return cleaned
    kept, edits = [], list(cleaned.edits)
    for i, line in enumerate(cleaned.kept):
        if i < title_index and len(line.text) <= PREAMBLE_MAX_LEN and not _SENTENCE_END.search(line.text[:-1]):
            edits.append(Edit("remove", "preamble_ad_block", "membership_ad", line.text, "",
                              line=line.lineno, offset=0, confidence=0.8))
        else:
            kept.append(line)
    edits.sort(key=lambda e: (e.line or 0, e.offset or 0))
    return Cleaned(kept, edits, cleaned.pages)
