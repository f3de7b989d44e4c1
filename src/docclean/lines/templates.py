"""Learning each site's template from lines that recur across its documents.

Pure functions: :func:`candidates` picks the lines of one document that could
be template lines and returns their signatures; :func:`learn` decides, from
counts over a site's documents, which signatures are template; the runner
keeps the counts (in the manifest) and applies the result.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from docclean.model import Line
from docclean.rules import StructureRules, TemplateRules

_DATE = re.compile(r"\d{2,4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(\s*\d{1,2}:\d{2}(:\d{2})?)?")
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Compare lines the way a template repeats them: width-folded, dates and numbers masked."""
    t = unicodedata.normalize("NFKC", text)
    t = _DATE.sub("<date>", t)
    t = _DIGITS.sub("0", t)
    return _SPACE.sub("", t)


def signature(text: str) -> str:
    return hashlib.sha1(normalize(text).encode("utf-8")).hexdigest()[:12]


def site_of(source: str) -> str:
    """The site a source belongs to: its first folder under raw/ ('' for top-level files)."""
    return source.split("/", 1)[0] if "/" in source else ""


def _protected(text: str, t: TemplateRules, s: StructureRules) -> bool:
    if s.salutation.match(text) or s.closing.match(text):
        return True
    if any(style.regex.match(text) for style in (*s.headings, *s.run_ins)):
        return True
    core = text.rstrip("。 ")
    if any(core.endswith(suffix) for suffix in s.title_suffixes):
        return True
    return any(p.search(text) for p in t.protect)


@lru_cache(maxsize=4)
def _never(entries: tuple[str, ...]) -> frozenset[str]:
    """Reviewer rejections, given as signatures or as example lines."""
    return frozenset(e if re.fullmatch(r"[0-9a-f]{12}", e) else signature(e) for e in entries)


@dataclass(frozen=True)
class Candidate:
    sig: str
    text: str


def candidates(lines: list[Line], title_index: int | None, t: TemplateRules,
               s: StructureRules) -> list[Candidate]:
    """Short, unprotected lines in the top and bottom zones of one document."""
    if not lines:
        return []
    top_end = (title_index if title_index is not None else -1) + 1 + t.top_lines
    zone = set(range(min(top_end, len(lines)))) | set(range(max(0, len(lines) - t.bottom_lines), len(lines)))
    out, seen = [], set()
    for i in sorted(zone):
        text = lines[i].text
        if i == title_index or len(text) > t.max_len or _protected(text, t, s):
            continue
        sig = signature(text)
        if sig not in seen and sig not in _never(t.never):
            seen.add(sig)
            out.append(Candidate(sig, text))
    return out


def learn(site_docs: Counter, site_sigs: dict[str, Counter], t: TemplateRules) -> dict[str, set[str]]:
    """Signatures that are template, per site: frequent in absolute and relative terms."""
    learned: dict[str, set[str]] = {}
    for site, sigs in site_sigs.items():
        n = site_docs[site]
        need = max(t.min_docs, t.min_share * n)
        chosen = {sig for sig, c in sigs.items() if c >= need}
        if chosen:
            learned[site] = chosen
    return learned
