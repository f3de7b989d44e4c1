"""benchmarks/eval_html.py: the score, the dataset wrapper, and a run on a tiny set."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import eval_html as ev  # noqa: E402

TEXT = "过去一年，全县上下攻坚克难，经济运行稳中向好，各项事业取得新进展。"


def test_score_folds_width_and_whitespace():
    assert ev.score(TEXT, TEXT) == (1.0, 1.0, 1.0)
    # Full-width letters and digits, and line breaks, do not count against a tool.
    assert ev.score("ＧＤＰ增长６．８％\n全年", "GDP增长6.8% 全年") == (1.0, 1.0, 1.0)
    assert ev.score("", TEXT) == (0.0, 0.0, 0.0)


def test_score_is_precision_and_recall_of_trigram_multisets():
    p, r, f = ev.score(TEXT + "相关新闻", TEXT)
    assert r == 1.0 and p < 1.0 and f == pytest.approx(2 * p / (1 + p))
    p, r, _ = ev.score(TEXT[: len(TEXT) // 2], TEXT)
    assert p == 1.0 and r < 0.6
    # Multisets: a paragraph given twice is half precision, not full.
    p, r, _ = ev.score(TEXT + TEXT, TEXT)
    assert r == 1.0 and p == pytest.approx(0.5, abs=0.05)


def test_strip_wrapper():
    page = b"<html><body><p>x</p></body></html>"
    wrapped = b'<text id="http://a/b" title="t" encoding="gbk">\n' + page + b"\n</text>\n"
    assert ev.strip_wrapper(wrapped).strip() == page
    assert ev.strip_wrapper(page) == page  # not every file has the wrapper


def test_evaluate_on_a_tiny_set(tmp_path, capsys):
    (tmp_path / "original").mkdir()
    (tmp_path / "cleaned").mkdir()
    page = (f"<html><head><meta charset='gbk'></head><body><nav><a href='/'>首页</a></nav>"
            f"<div><p>{TEXT}</p></div></body></html>")
    for name in ("a", "b"):
        (tmp_path / "original" / f"{name}.html").write_bytes(
            b'<text id="u" title="t" encoding="gbk">\n' + page.encode("gbk") + b"\n</text>\n")
        (tmp_path / "cleaned" / f"{name}.txt").write_text(TEXT, "utf-8")
    (tmp_path / "dev.txt").write_text("a\n")
    (tmp_path / "test.txt").write_text("b\n")
    report = ev.evaluate(tmp_path, "both", show=5)
    assert report["dev"]["docclean"]["mean"] == (1.0, 1.0, 1.0)
    assert report["test"]["docclean"]["mean"] == (1.0, 1.0, 1.0)
    out = capsys.readouterr().out
    assert "worst" in out and "  a  " in out
    assert "  b  " not in out  # test pages are never shown one by one
