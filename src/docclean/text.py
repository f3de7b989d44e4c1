"""What a CJK character, a sentence end and a line's shape are: defined once.

The line classifier, the hard-wrap joiner and the structure stage all ask these
questions; they ask them here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# Whitespace trimmed at line ends: ASCII, ideographic space, NBSP, zero-width.
TRIM = " \t\r\f\v\u3000\u00a0\u200b\u200c\u200d\ufeff"
# A Han character (CJK Unified Ideographs, Extension A, Compatibility Ideographs), as the body of a
# regex character class: every "is it Chinese" test in docclean is built from it.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK = re.compile(f"[{HAN}]")
# Ends a sentence (both widths: stored pages often carry ASCII punctuation).
SENTENCE_END = "。！？!?；;…"
# May close a sentence after its end mark: quotes and brackets.
CLOSERS = "”’\"'）)】]」』》>"
# A line that ends on one of these has ended its clause (pages and wraps join only lines without).
TERMINAL = SENTENCE_END + "：:" + CLOSERS
# A line that ends a sentence for good (not on ；or …: "……" is how a list of links is cut).
FULL_STOP_END = re.compile(r"[。！？!?][”’\"'）)」』]*\s*$")
# Inside a sentence: a line ending in one of these has not ended.
MID_SENTENCE = "，,、"
# Cannot start a paragraph: a line starting with one continues the previous line.
NO_START = "，,、。．；;：:！？!?）)」』”’】》…"
# Separates a table's cells in a line: | as sites flatten tables, a tab as input.html writes rows.
CELL_SEP = re.compile(r"[|｜\t]")
_OPEN_CLOSE = (("“", "”"), ("（", "）"), ("(", ")"), ("《", "》"), ("「", "」"), ("【", "】"))
SENTENCE_MARK = re.compile(r"[。！？!?；;]")  # a sentence end anywhere in a line
_PUNCT = re.compile(r"[，,、。；;：:！？!?…“”\"'（）()《》「」]")
_CLAUSE = re.compile(r"[，,、。；;！？!?]")


@lru_cache(maxsize=1)
def _t2s() -> dict[int, str]:
    table = {}
    with resources.files("docclean.data").joinpath("t2s_chars.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or "\t" not in line:
                continue
            t, s = line.rstrip("\n").split("\t")
            table[ord(t)] = s
    return table


@lru_cache(maxsize=1)
def _traditional() -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_t2s())) + "]")


@lru_cache(maxsize=16384)
def simplified(text: str) -> str:
    """Traditional characters mapped to simplified ones, character by character (OpenCC's
    table, data/t2s_chars.tsv), so positions stay: rules written for 时间 meet 時間.

    Rule patterns handle both widths themselves; they match this. The output text is
    never changed by it.
    """
    # Most text has no traditional character: one C-speed search instead of a per-character map.
    return text.translate(_t2s()) if _traditional().search(text) else text


@lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """Width-folded (NFKC) and simplified: for comparing lines and finding vocabulary.

    Cached: the classifier asks for the same line's folded form several times.
    """
    return simplified(unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=1)
def toneless_readings() -> dict[str, str]:
    """Each character's main reading without its tone (data/homophones.tsv, from pypinyin):
    會 -> hui, 的 -> de. ü stays ü."""
    out = {}
    with resources.files("docclean.data").joinpath("homophones.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or "\t" not in line:
                continue
            ch, reading = line.rstrip("\n").split("\t")[:2]
            # Tone marks are combining accents after NFD; the diaeresis of ü (U+0308) is kept.
            bare = "".join(c for c in unicodedata.normalize("NFD", reading) if c not in "\u0300\u0301\u0304\u030c")
            out[ch] = unicodedata.normalize("NFC", bare)
    return out


# East Asian Wide and Fullwidth ranges (Unicode's EastAsianWidth W/F), as one class.
_WIDE = re.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
                   "\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6"
                   "\U00020000-\U0003fffd]")


def width(text: str) -> int:
    """Display width: a wide (CJK, full-width) character counts 2, others 1."""
    return len(text) + len(_WIDE.findall(text))


def ends_sentence(text: str) -> bool:
    """The line ends a sentence (or a colon introduces what follows), possibly followed by
    closing quotes."""
    t = text.rstrip(TRIM).rstrip(CLOSERS)
    return bool(t) and t[-1] in SENTENCE_END + "：:"


def unbalanced(text: str) -> bool:
    """A quote or bracket is opened in the line and not closed: the sentence goes on."""
    return any(text.rfind(o) > text.rfind(c) for o, c in _OPEN_CLOSE)


@dataclass(frozen=True)
class Shape:
    """The measurements the line classifier uses."""

    n: int           # characters, whitespace excluded
    cjk: int         # CJK characters
    punct: int       # Chinese and sentence punctuation
    sentences: int   # sentence end marks
    other: int       # digits, Latin letters and symbols
    clauses: int     # clause and sentence marks: ，、。；！？
    commas: int = 0  # ，only: an enumeration (、) inside a title is not running text

    @property
    def cjk_ratio(self) -> float:
        return self.cjk / self.n if self.n else 0.0

    @property
    def prose(self) -> bool:
        """A paragraph of running text: long, Chinese, punctuated."""
        return self.cjk >= 30 and self.cjk_ratio >= 0.6 and self.clauses >= 2

    @property
    def running(self) -> bool:
        """Running text, if not a whole paragraph: a hard-wrapped line of one."""
        return self.cjk >= 15 and self.cjk_ratio >= 0.6 and (self.commas + self.sentences) >= 1

    @property
    def sentence(self) -> bool:
        """At least one whole Chinese sentence."""
        return self.cjk >= 8 and self.cjk_ratio >= 0.5 and self.sentences >= 1


_PLACEHOLDER = re.compile(r"[_＿]|[X×]{2,}")


@lru_cache(maxsize=16384)
def shape(text: str) -> Shape:
    # Fill-in blanks (____) and masked digits (电话:XXXX-XXXXXXX, ××××年) are the author's
    # placeholders, not noise: they count as nothing.
    chars = _PLACEHOLDER.sub("", "".join(text.split()))
    cjk = len(CJK.findall(chars))
    punct = len(_PUNCT.findall(chars))
    return Shape(len(chars), cjk, punct, len(SENTENCE_MARK.findall(chars)), len(chars) - cjk - punct,
                 len(_CLAUSE.findall(chars)), chars.count("，") + chars.count(","))
