"""The glyph check itself: it passes on this machine's fonts and fails on a box-only page.

The browser tests use it to show real Chinese characters; this file proves it can fail, by
running the same page with a fontconfig that hides every CJK font.
"""

from __future__ import annotations

import pytest
from browser import (
    assert_real_glyphs,
    fontconfig_without_cjk,
    glyph_problems,
    render,
    requires_chromium,
)

pytestmark = requires_chromium

PAGE = """<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">
<style>body { font-family: "Noto Sans CJK SC", sans-serif; font-size: 20px; }</style></head><body>
<h1>在全县工作会议上的讲话</h1><p>同志们：今天召开会议，统一思想。</p>
<svg width="400" height="40"><text x="0" y="30" font-size="18">删除行数</text></svg>
</body>"""
CHECK = """<script>
window.addEventListener('load', () => {
  const pre = document.createElement('pre');
  pre.id = 'render-check';
  pre.textContent = JSON.stringify(__glyphs('h1, p, svg text'));
  document.body.appendChild(pre);
});
</script>"""


def test_chinese_renders_with_real_glyphs_here(tmp_path):
    measured = render(PAGE, tmp_path, CHECK)
    assert [m["tag"] for m in measured] == ["H1", "P", "text"]
    assert_real_glyphs(measured, min_elements=3)


def test_a_box_only_page_fails(tmp_path):
    """Without a CJK font every character is the same box: the check must say so."""
    measured = render(PAGE, tmp_path, CHECK, env=fontconfig_without_cjk(tmp_path))
    problems = glyph_problems(measured)
    assert any("missing-glyph box" in p or "shape(s)" in p for p in problems), problems
    with pytest.raises(AssertionError, match="not drawn with real glyphs"):
        assert_real_glyphs(measured)
