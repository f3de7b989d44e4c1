"""Bytes to text: BOM and strict UTF-8 fast path, then chardet.

GB2312 and GBK are both decoded as GB18030, their superset, so a detector
that says "GB2312" never costs us the characters GB2312 lacks. Undecodable
bytes in an otherwise good file are replaced with U+FFFD and counted; they
never make us drop a file. Only data that is not text at all raises
:class:`NotText`.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import chardet

# chardet's cost grows faster than its input (about 2 ms on 4 KB of GB18030 text,
# 90 ms on 19 KB), and a few KB of Chinese decide the encoding; the whole file is
# then decoded strictly, so a wrong guess still shows up as replacements.
DETECT_SAMPLE_BYTES = 4 * 1024
# Binary and UTF-16 sniffing look at a longer prefix: they are cheap byte counts.
SNIFF_SAMPLE_BYTES = 64 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Detector names folded into the codec we actually decode with.
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "hz-gb-2312": "gb18030",
    "ascii": "utf-8",
    "utf-8-sig": "utf-8-sig",
    "big5": "big5hkscs",  # superset, as with GB18030
}

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
# Control characters other than \t \n \r \f \v and ESC: text never has many.
_BINARY_BYTES = bytes(range(0, 8)) + bytes(range(14, 27)) + bytes(range(28, 32))
_BINARY_TABLE = bytes.maketrans(b"", b"")


# What a Chinese document is made of: ASCII, CJK ideographs (all planes), CJK
# and full-width punctuation, general punctuation, circled numbers, shapes.
_IMPLAUSIBLE = re.compile(
    "[^\t\n\r\x20-\x7e\u00a0\u00b7\u00d7\u00f7\u2000-\u206f\u2100-\u218f\u2190-\u21ff"
    "\u2460-\u24ff\u2500-\u257f\u25a0-\u26ff\u3000-\u303f\u3040-\u30ff\u3100-\u312f"
    "\u3200-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
    "\U00020000-\U0003ffff\ufffd]"
)
_PLAUSIBLE_SAMPLE = 20000
_HANZI = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003ffff]")


def warm() -> None:
    """Load chardet's models now: it reads them (some 25 MB) on its first detection. The
    worker pool's forkserver calls this (docclean.run.warm_input), so the forked workers
    share one copy instead of each reading its own."""
    chardet.detect("各地区各部门要坚持稳中求进工作总基调，完整准确全面贯彻新发展理念。".encode("gb18030"))


def _common_hanzi() -> frozenset[str]:
    """GB2312 (6763 simplified) plus Big5's frequent block (5401 traditional): ~99% of real text.

    Built from the codecs themselves, so no data file is needed. Random bytes
    decoded as GB18030 are mostly *rare* characters, which is how we tell
    gibberish from Chinese when no codec reports an error.
    """
    chars = set()
    for lead in range(0xB0, 0xF8):
        for trail in range(0xA1, 0xFF):
            chars.update(bytes((lead, trail)).decode("gb2312", errors="ignore"))
    for lead in range(0xA4, 0xC7):
        for trail in list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)):
            chars.update(bytes((lead, trail)).decode("big5", errors="ignore"))
    return frozenset(chars)


_COMMON = _common_hanzi()
_DROP_COMMON = dict.fromkeys(map(ord, _COMMON))  # str.translate table deleting common hanzi


class NotText(ValueError):
    """The bytes are not text in any encoding we can read."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    confidence: float
    replaced: int  # U+FFFD characters introduced by decoding
    method: str  # bom | utf8 | meta | chardet | fallback | segments
    controls_removed: int = 0  # stray NUL/control bytes dropped from otherwise good text


def normalize_encoding(name: str | None) -> str | None:
    if not name:
        return None
    key = name.strip().lower().replace("_", "-")
    try:
        canonical = codecs.lookup(key).name
    except LookupError:
        return None
    return _ALIASES.get(key, _ALIASES.get(canonical, canonical))


def meta_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first few KB, if any."""
    m = _META_CHARSET.search(data[:4096])
    return normalize_encoding(m.group(1).decode("ascii")) if m else None


def _looks_utf16(sample: bytes) -> str | None:
    """UTF-16 without a BOM: every other byte of CJK/ASCII text is mostly NUL or mostly not."""
    if len(sample) < 8 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    z_even, z_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if z_odd > 0.3 and z_even < 0.05:
        return "utf-16-le"
    if z_even > 0.3 and z_odd < 0.05:
        return "utf-16-be"
    # Chinese UTF-16 has few NULs; its high bytes sit in the CJK block 0x4E-0x9F.
    def cjk_share(hi: bytes) -> float:
        return (len(hi) - len(hi.translate(None, _CJK_HIGH_BYTES))) / len(hi)

    if cjk_share(odd) > 0.6 and cjk_share(even) < 0.4:
        return "utf-16-le"
    if cjk_share(even) > 0.6 and cjk_share(odd) < 0.4:
        return "utf-16-be"
    return None


_CJK_HIGH_BYTES = bytes(range(0x4E, 0xA0))


def _is_binary(sample: bytes) -> bool:
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(_BINARY_TABLE, _BINARY_BYTES))
    return controls / len(sample) > 0.02


def _decode_with(data: bytes, encoding: str) -> tuple[str, int]:
    text = data.decode(encoding, errors="replace")
    return text, text.count("\ufffd") - _count_source_fffd(data, encoding)


def _count_source_fffd(data: bytes, encoding: str) -> int:
    # A file may legitimately contain U+FFFD already; those are not our replacements.
    marker = {"utf-8": b"\xef\xbf\xbd", "utf-8-sig": b"\xef\xbf\xbd"}.get(encoding)
    return data.count(marker) if marker else 0


# Formats that are not text, by their first bytes: named, so the quarantine says what the file is.
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP container (an Office .docx/.xlsx/.pptx file or a zip archive)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE2 document (an Office .doc/.xls/.ppt file)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
)
# Stray control bytes tolerated in otherwise good UTF-8 (NULs between lines from a bad export).
_MAX_STRAY_CONTROLS = 0.05
_CONTROL_CHARS = re.compile(b"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def decode(data: bytes, *, declared: str | None = None) -> Decoded:
    """Decode ``data``; ``declared`` is a charset the container announced (HTML meta)."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise NotText(f"binary file, not text: {what} (convert it to text or HTML first)")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text, bad = _decode_with(data, enc)
            return Decoded(text.lstrip("\ufeff"), enc.replace("-sig", ""), 1.0, bad, "bom")

    # UTF-16 without a BOM comes first: its NUL bytes would otherwise read as binary.
    sample = data[:SNIFF_SAMPLE_BYTES]
    utf16 = _looks_utf16(sample)
    if utf16:
        text, bad = _decode_with(data, utf16)
        # The NUL pattern alone is weak evidence: the text must also read as text.
        if bad + _implausible(text) <= max(16, min(len(text), _PLAUSIBLE_SAMPLE) // 4):
            return Decoded(text, utf16, 0.9, bad, "utf16-sniff")
    # Before the UTF-8 fast path: NUL and control bytes are valid UTF-8 but not text. A few
    # of them in otherwise good UTF-8 (NULs between lines) are dropped and counted instead.
    if _is_binary(sample):
        stray = len(_CONTROL_CHARS.findall(data))
        if stray <= _MAX_STRAY_CONTROLS * len(data):
            try:
                text = _CONTROL_CHARS.sub(b"", data).decode("utf-8")
            except UnicodeDecodeError:
                text = None
            if text is not None and _implausible(text) <= 16:
                return Decoded(text, "utf-8", 0.9, 0, "utf8", controls_removed=stray)
        raise NotText("binary data: control or NUL bytes, not text in any supported encoding")

    try:
        return Decoded(data.decode("utf-8"), "utf-8", 1.0, 0, "utf8")
    except UnicodeDecodeError as exc:
        mixed = _segments(data, exc.start)
        if mixed is not None:
            return mixed

    candidates: list[tuple[str, float, str]] = []
    if declared:
        candidates.append((declared, 0.95, "meta"))
    guess = chardet.detect(data[:DETECT_SAMPLE_BYTES])
    detected = normalize_encoding(guess.get("encoding"))
    if detected:
        candidates.append((detected, float(guess.get("confidence") or 0.0), "chardet"))
    # Nearly every non-UTF-8 file in this domain is GB-family; UTF-8 with a few
    # broken bytes is the other common case. Always try both.
    candidates += [("gb18030", 0.5, "fallback"), ("utf-8", 0.5, "fallback")]

    best: Decoded | None = None
    best_cost = None
    for enc, conf, method in candidates:
        text, bad = _decode_with(data, enc)
        odd = _implausible(text)
        if bad == 0 and odd == 0:
            return Decoded(text, enc, conf, 0, method)
        cost = bad + odd
        if best_cost is None or cost < best_cost:
            best, best_cost = Decoded(text, enc, conf, bad, method), cost
    assert best is not None and best_cost is not None
    # Text where most characters are replacements or strays is not damaged text, it is not text.
    checked = min(len(best.text), _PLAUSIBLE_SAMPLE)
    if best_cost > max(16, checked // 4):
        raise NotText(
            f"undecodable: best guess {best.encoding} still leaves {best_cost} "
            f"of {checked} characters unreadable"
        )
    # Confidence shrinks with the share of damage we had to paper over.
    damage = best_cost / max(1, checked)
    return Decoded(best.text, best.encoding, round(best.confidence * (1 - damage), 4), best.replaced, best.method)


def _segments(data: bytes, bad_at: int) -> Decoded | None:
    """A file whose first part is UTF-8 and the rest GB18030 (two sources pasted together):
    each part decoded with its own codec, split at the line where UTF-8 stops reading."""
    cut = data.rfind(b"\n", 0, bad_at) + 1
    head, tail = data[:cut], data[cut:]
    if not cut or head.isascii():  # ASCII reads the same in both: the whole file is GB-family
        return None
    try:
        head_text, tail_text = head.decode("utf-8"), tail.decode("gb18030")
    except UnicodeDecodeError:
        return None
    if _implausible(tail_text) > max(16, min(len(tail_text), _PLAUSIBLE_SAMPLE) // 50):
        return None
    return Decoded(head_text + tail_text, "utf-8+gb18030", 0.8, 0, "segments")


def _implausible(text: str) -> int:
    """Characters in a prefix that Chinese documents hardly ever contain.

    A single-byte codec such as KOI8 or Latin-1 "decodes" any bytes without a
    single error; what gives it away is a page of Cyrillic or accented letters
    where Chinese should be.
    """
    stray = len(_IMPLAUSIBLE.findall(text, 0, _PLAUSIBLE_SAMPLE))
    head = text[:_PLAUSIBLE_SAMPLE]
    hanzi = len(_HANZI.findall(head))
    rare = len(_HANZI.findall(head.translate(_DROP_COMMON)))
    return stray + max(0, rare - hanzi // 10)
