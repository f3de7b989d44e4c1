"""Decoding: every encoding the sites use, generated from the real samples."""

from __future__ import annotations

import codecs

import pytest

from docclean.input.decoding import NotText, decode, meta_charset, normalize_encoding
from docclean.run.passes import process_bytes


def _gbk_safe(text: str) -> str:
    # GBK lacks a few characters the samples use; those stay for the GB18030 case.
    return text.encode("gbk", errors="ignore").decode("gbk")


@pytest.mark.parametrize("encoding,expected,method", [
    ("utf-8", "utf-8", "utf8"),
    ("utf-8-sig", "utf-8", "bom"),
    ("utf-16", "utf-16", "bom"),  # Python writes a BOM for plain "utf-16"
    ("utf-16-le", "utf-16-le", "utf16-sniff"),
    ("utf-16-be", "utf-16-be", "utf16-sniff"),
    ("gb18030", "gb18030", None),
    ("gbk", "gb18030", None),
])
def test_round_trip_every_sample(samples, encoding, expected, method):
    for name, data in samples.items():
        text = data.decode("utf-8")
        if encoding == "gbk":
            text = _gbk_safe(text)
        d = decode(text.encode(encoding))
        assert d.text == text, f"{name} in {encoding}"
        assert d.encoding == expected
        assert d.replaced == 0
        assert 0 < d.confidence <= 1
        if method:
            assert d.method == method


def test_gb18030_only_characters_survive():
    # 𠀀 (U+20000) and € are outside GBK's repertoire but inside GB18030.
    text = "在全县大会上的讲话𠀀，各项工作成效€显著。" * 20
    d = decode(text.encode("gb18030"))
    assert d.text == text and d.encoding == "gb18030"


def test_gb2312_label_decodes_as_gb18030():
    assert normalize_encoding("GB2312") == "gb18030"
    assert normalize_encoding("GBK") == "gb18030"
    assert normalize_encoding("no-such-codec") is None


def test_short_gbk_text_is_not_mistaken(samples):
    first_line = next(iter(samples.values())).decode("utf-8").splitlines()[0]
    d = decode(first_line.encode("gb18030"))
    assert d.text == first_line


def test_bad_bytes_are_replaced_and_counted_not_fatal(samples):
    data = next(iter(samples.values()))
    broken = data[:3000] + b"\xff\xfe\xfa" + data[3000:]
    d = decode(broken)
    assert d.replaced >= 1
    assert d.text.count("\ufffd") == d.replaced
    assert len(d.text) > 1000  # the rest of the file is still there
    assert d.confidence < 1.0


def test_bad_bytes_in_gbk_file(samples):
    text = list(samples.values())[3].decode("utf-8")
    gbk = _gbk_safe(text).encode("gb18030")
    broken = gbk[:2000] + b"\xff" + gbk[2000:]
    d = decode(broken)
    assert d.encoding == "gb18030"
    assert 1 <= d.replaced <= 2
    assert d.text.replace("\ufffd", "") .startswith(_gbk_safe(text)[:500])


def test_binary_is_not_text():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
    with pytest.raises(NotText, match="binary"):
        decode(png)


def test_random_high_bytes_are_not_text():
    import random

    rnd = random.Random(7)
    junk = bytes(rnd.randrange(128, 256) for _ in range(4000))
    with pytest.raises(NotText):
        decode(junk)


def test_meta_charset_is_honoured():
    page = '<html><head><meta charset="gbk"></head><body><p>同志们：今天开会。</p></body></html>'
    data = page.encode("gb18030")
    assert meta_charset(data) == "gb18030"
    d = decode(data, declared=meta_charset(data))
    assert d.text == page and d.method == "meta"


def test_bom_variants():
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        d = decode(bom + "同志们：".encode(enc))
        assert d.text == "同志们：" and d.method == "bom"


def test_traditional_big5_text():
    text = "各級領導幹部要認真學習貫徹會議精神，推動各項工作落實見效。\n" * 30
    d = decode(text.encode("big5"))
    assert d.text == text
    assert d.replaced == 0


def test_control_bytes_that_are_valid_utf8_are_still_binary():
    with pytest.raises(NotText, match="binary"):
        decode(b"\x00\x01\x02" * 100)
    with pytest.raises(NotText, match="binary"):
        decode(b"\x01\x02\x03\x04hello\x05\x06" * 50)


def test_utf8_fast_path_does_not_misfire_as_utf16(samples):
    for data in samples.values():
        assert decode(data).method == "utf8"


def test_nul_pattern_that_is_not_utf16_is_binary():
    with pytest.raises(NotText, match="binary"):
        decode(b"\x00\xff" * 200)


SPEECH = "同志们：\n今天召开全县经济工作会议，主要任务是总结去年工作，部署今年任务。\n"


@pytest.mark.parametrize("head,what", [(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" * 20, "PDF"),
                                       (b"PK\x03\x04" + b"\x14\x00" * 200, "Office"),
                                       (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 400, "Office")])
def test_other_formats_are_quarantined_with_their_type(head, what):
    with pytest.raises(NotText, match=what):
        decode(head)


def test_stray_nul_bytes_are_dropped_and_the_text_kept(ruleset):
    data = (SPEECH * 20).replace("\n", "\n\x00").encode("utf-8")
    d = decode(data)
    assert d.text == SPEECH * 20 and d.controls_removed == 40
    r = process_bytes(data, "a.txt", ruleset)
    assert r.status == "ok" and any(e.rule == "stray_control_bytes" for e in r.edits)


def test_utf8_then_gbk_is_decoded_by_segment():
    head, tail = "在全县大会上的讲话\n" + SPEECH, "二、下一步工作安排\n要抓好项目建设，确保全年目标任务完成。\n"
    d = decode(head.encode("utf-8") + tail.encode("gbk"))
    assert d.text == head + tail and d.method == "segments" and d.replaced == 0


def test_warm_loads_chardet_models_before_the_first_file():
    """The forkserver imports docclean.run.warm_input so that forked workers share chardet's
    models: after it, decoding a GB18030 file allocates almost nothing that stays."""
    import subprocess
    import sys

    code = (
        "import tracemalloc, docclean.run.warm_input\n"
        "from docclean.input.decoding import decode\n"
        "tracemalloc.start()\n"
        "decode(('关于进一步做好基层减负工作的通知。' * 40).encode('gb18030'))\n"
        "print(tracemalloc.get_traced_memory()[0])\n"
    )
    warm = int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    cold = int(subprocess.run([sys.executable, "-c", code.replace("import tracemalloc, docclean.run.warm_input",
                                                                   "import tracemalloc")],
                              capture_output=True, text=True, check=True).stdout)
    assert cold > 5_000_000  # chardet reads its models on its first detection …
    assert warm < cold / 10  # … which warm_input did already
