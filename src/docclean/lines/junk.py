"""Anti-scraping jammer strings: short runs of random ASCII and punctuation; letters of a foreign
script, pictographs and symbols wedged between Chinese characters; invisible watermarks.

Forum software (Discuz's "jammer" option) and some template sites wedge
strings such as ``% H, N8 ]: q: }. q! v`` between or inside authored lines, so
copies carry noise. A regex over the characters would also match authored ASCII
(``GDP``, ``ISO 9001``, an e-mail address), so the test is on the run's shape:
many tiny tokens, dense in ASCII punctuation, mixing letters or digits in.
Hand-written because no maintained library detects them; the shape is
measured, not a list of strings.

Mirror sites also insert toneless pinyin after characters (會(hui)議, 的(de)(de)): a page
has them when several are the reading of the character they follow (see
:func:`pinyin_page`), and then each bracketed syllable after a Han character goes.
"""

from __future__ import annotations

import re
from functools import lru_cache

from docclean import text as T

# A maximal run of printable ASCII (spaces included) with no Chinese in it.
_ASCII_RUN = re.compile(r"[\x20-\x7e]+")
_PUNCT = re.compile(r"[!-/:-@\[-`{-~]")
_ALNUM = re.compile(r"[A-Za-z0-9]")
# "(一)", "(1)", "[2]": an opening bracket at the end of a leading run belongs to the
# authored label that follows it.
_LABEL_OPEN = re.compile(r"[(\[]$")
_LABEL_REST = re.compile(r"[^()\[\]]{1,3}[)\]）]")
# A list label at a run's end ("1.", "(1)", "1") right before the text it labels.
_TRAILING_LABEL = re.compile(r"(?<=\s)(\(\d{1,3}\)|\d{1,3}[.]?)$")
_LABEL_NEXT = re.compile(rf"[{T.HAN}、．]")


# Marks a jammer strews ("~*%&^", "#*&%@"); not brackets, dots, dashes or the underscore,
# of which authors make ellipses, rules, emoticons ("^_^") and fill-in blanks.
_NOISE_MARKS = frozenset("~!@#$%^&*+=|\\")


def is_jammer(run: str) -> bool:
    """A run of ASCII that is a jammer string, not authored Latin text."""
    tokens = run.split()
    if len(tokens) == 1 and 4 <= len(tokens[0]) <= 10 and set(tokens[0]) <= _NOISE_MARKS \
            and len(set(tokens[0])) >= 4:
        return True  # one token of four or more different marks: "~*%&^" glued to a line
    if len(tokens) < 4:
        return False
    chars = "".join(tokens)
    marks = _PUNCT.findall(chars)
    if len(marks) < 2 or len(marks) / len(chars) < 0.15 or not _ALNUM.search(chars):
        return False
    # Jammer tokens are one to three characters; words and numbers are longer (the median,
    # so a site keyword wedged into the string does not hide it). Several different marks,
    # or many very short tokens: "- 1 -" and "A. B. C." are not noise.
    lengths = sorted(len(t) for t in tokens)
    median = lengths[len(lengths) // 2]
    return median <= 2 and (len(set(marks)) >= 3 or len(tokens) >= 5) or \
        median <= 3 and len(set(marks)) >= 3 and sum(lengths) / len(lengths) <= 3.0


def jammer_line(text: str) -> bool:
    """The whole line is jammer noise."""
    return bool(_ASCII_RUN.fullmatch(text)) and is_jammer(text)


def _between_han(chars: str, most: int) -> re.Pattern[str]:
    """A run of 1..``most`` of ``chars`` with Chinese text (or its punctuation) on both sides:
    before it, not a sentence's end (an author's emoji follows a sentence)."""
    before, after = rf"[{T.HAN}，、；：,;:]", rf"[{T.HAN}，。、；：！？,;:!?]"
    return re.compile(rf"(?<={before})[{chars}]{{1,{most}}}(?={after})")


# A letter or two of a script no Chinese text mixes into its words (Thai, Lao, Khmer, Myanmar,
# Arabic, Hebrew, Georgian, Armenian) between two Chinese characters ("市๦政协", "的เ礼堂"): a
# scraper's jammer. Not Greek (γ射线) or Cyrillic, which science and names bring in.
_FOREIGN_IN_HAN = _between_han("\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u0600-\u06ff\u0590-\u05ff"
                               "\u10a0-\u10ff\u0530-\u058f", 3)
# Pictographs and symbols (emoji, mahjong and domino tiles, alchemical signs, dingbats) glued
# between Chinese characters ("大家⛦🜧🄠都有"): a novel site's jammer. An author's emoji
# stands after a sentence or a word, not inside one.
_SYMBOLS_IN_HAN = _between_han("\u2600-\u27bf\U0001f000-\U0001faff", 4)
# A run of invisible characters (the variation selectors of U+E0100-E01EF, the tag characters of
# U+E0000-E007F) spelling a reader's IP or user id: a site's tracking watermark. One selector
# after a character is an ideographic variant's; a run of three or more is no glyph's.
_INVISIBLE_RUN = re.compile("[\U000e0000-\U000e007f\U000e0100-\U000e01ef]{3,}")


def foreign_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of foreign-script letters wedged between Chinese characters."""
    return [m.span() for m in _FOREIGN_IN_HAN.finditer(text)]


# Stars and boxes alone are an author's masks ("☆县", "全区★个"): never a jammer.
_MASK_SYMBOLS = frozenset("★☆☐☑☒")


def symbol_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of pictographs and symbols glued between Chinese characters."""
    return [m.span() for m in _SYMBOLS_IN_HAN.finditer(text) if not set(m.group(0)) <= _MASK_SYMBOLS]


def invisible_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of runs of invisible selector and tag characters (a watermark)."""
    return [m.span() for m in _INVISIBLE_RUN.finditer(text)]


def jammer_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of jammer fragments inside a line that also holds authored text."""
    spans = []
    for m in _ASCII_RUN.finditer(text):
        start, end = m.span()
        run = m.group(0)
        if _LABEL_OPEN.search(run) and _LABEL_REST.match(text, end):
            end -= 1
            run = run[:-1]
        if run.startswith(")") and text.count("(", 0, start) > text.count(")", 0, start) and is_jammer(run[1:]):
            start, run = start + 1, run[1:]  # it began with the bracket closing the author's aside: (…前提)& Z1 l*
        if is_jammer(run):
            # The run swallowed the list label of the text after it ("…R' {" K 1.首部", "Y 1、任职"):
            # the label is the author's.
            label = _TRAILING_LABEL.search(run) if end < len(text) and _LABEL_NEXT.match(text, end) else None
            if label and is_jammer(run[:label.start()]):
                end = start + label.start()
            spans.append((start, end))
    return spans


# A run of bracketed Latin syllables right after a Han character: 會(hui), 的(de)(de).
_PINYIN_RUN = re.compile(rf"(?<=[{T.HAN}])(?:[(（][a-zü]{{1,6}}[)）])+")
# The excerpt or line cut inside an annotation: 延(yan)( or 黨(dang)(dan at the line's end.
_PINYIN_CUT = re.compile(rf"(?<=[{T.HAN})）])[(（][a-zü]{{0,6}}$")
_SYLLABLE = re.compile(r"[a-zü]+")


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    return frozenset(T.toneless_readings().values())


def pinyin_page(texts: list[str], min_confirmed: int) -> int:
    """How many toneless annotations on the page are the main reading of the character
    before them (會(hui)), when that is at least ``min_confirmed`` and more than half of
    the bracketed syllables after Han characters; else 0. One word glossed in Latin
    (管理(guanli), 卡(card)) is authored and does not reach it."""
    readings = T.toneless_readings()
    confirmed = total = 0
    for t in texts:
        if "(" not in t and "（" not in t:
            continue
        for m in _PINYIN_RUN.finditer(t):
            total += 1
            confirmed += readings.get(t[m.start() - 1]) == _SYLLABLE.search(m.group(0)).group(0)
    return confirmed if confirmed >= min_confirmed and confirmed * 2 > total else 0


def pinyin_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the annotations in a line of a page :func:`pinyin_page` found them on:
    runs of bracketed pinyin syllables after a Han character, and one cut at the line's end."""
    syllables = _syllables()
    spans = [m.span() for m in _PINYIN_RUN.finditer(text)
             if all(s in syllables for s in _SYLLABLE.findall(m.group(0)))]
    cut = _PINYIN_CUT.search(text)
    if cut and (not spans or cut.start() >= spans[-1][1]) and (cut.group(0)[1:] == "" or any(
            s.startswith(cut.group(0)[1:]) for s in syllables)):
        spans.append(cut.span())
    return spans
