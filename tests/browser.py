"""Pages as a browser shows them: headless Chromium, and whether Chinese text has real glyphs.

Shared by the browser tests (the diff page, the report). A page is loaded from disk with a
script that, after layout, writes what it measured into ``<pre id="render-check">`` as JSON;
Chromium's ``--dump-dom`` hands that back.

Without a CJK font every Chinese character is drawn as the same missing-glyph box, and a
layout test still passes on boxes. :data:`GLYPHS_JS` measures, in the page's own fonts, each
Chinese character of the elements asked for: its laid-out width, and its ink drawn on a canvas,
against a code point no font has (U+10FFFD, always the box). :func:`assert_real_glyphs` fails
unless the characters are full-width and each is drawn differently from the box and from the
others, which a box-only page is not (``tests/test_glyph_check.py`` runs one).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium")
                 if p and Path(p).exists()), None)
# scripts/test.sh installs Debian's chromium and a CJK font; elsewhere the browser tests are skipped,
# never silently under CI.
requires_chromium = pytest.mark.skipif(CHROMIUM is None and os.environ.get("CI") != "true",
                                       reason="chromium not installed")

# Defines window.__glyphs(selector, limit): per element with Chinese text, its characters measured.
GLYPHS_JS = r"""<script>
window.__glyphs = (selector, limit = 8) => {
  const BOX = String.fromCodePoint(0x10FFFD);  // no font has it: the missing-glyph box
  const CJK = /[\u3400-\u4dbf\u4e00-\u9fff]/;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 96;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const draw = (font, ch) => {  // ink pixels of one character, and a digest of its shape
    ctx.font = font; ctx.clearRect(0, 0, 96, 96); ctx.fillStyle = '#000'; ctx.textBaseline = 'top';
    ctx.fillText(ch, 8, 8);
    const d = ctx.getImageData(0, 0, 96, 96).data;
    let ink = 0, h = 2166136261;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) { ink++; h = Math.imul(h ^ (i * 257 + d[i]), 16777619) >>> 0; }
    return {ink, shape: h.toString(16)};
  };
  const width = (parent, ch, cs) => {  // laid out in the element's own font, beside it
    const s = document.createElementNS('http://www.w3.org/1999/xhtml', 'span');
    s.style.font = cs.font; s.style.fontFamily = cs.fontFamily; s.style.fontSize = cs.fontSize;
    s.style.position = 'absolute'; s.style.whiteSpace = 'pre'; s.textContent = ch;
    document.body.appendChild(s); const w = s.getBoundingClientRect().width; s.remove(); return w;
  };
  const els = [...document.querySelectorAll(selector)].filter(el => CJK.test(el.textContent));
  return els.slice(0, limit).map(el => {
    const cs = getComputedStyle(el), size = parseFloat(cs.fontSize);
    const font = `${cs.fontStyle} ${cs.fontWeight} ${size}px ${cs.fontFamily}`;
    const chars = [...new Set([...el.textContent].filter(c => CJK.test(c)))].slice(0, 10);
    // Laid out where the page put it: a range over the first Chinese character of the element.
    let laid = null;
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n && laid === null; n = walk.nextNode()) {
      const i = n.data.search(CJK);
      if (i >= 0) { const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
                    laid = {ch: n.data[i], width: r.getBoundingClientRect().width}; }
    }
    const box = draw(font, BOX);
    return {text: el.textContent.trim().slice(0, 40), tag: el.tagName, fontSize: size, family: cs.fontFamily,
            laid, box: {...box, width: width(el, BOX, cs)},
            chars: chars.map(ch => ({ch, width: width(el, ch, cs), ...draw(font, ch)}))};
  });
};
</script>"""


def render(page: str, tmp_path: Path, script: str, env: dict | None = None, budget_ms: int = 3000) -> dict:
    """Load ``page`` in headless Chromium with ``script`` (which must write ``<pre id="render-check">``)
    and the glyph helper appended to its body; return what the script wrote."""
    f = tmp_path / "page.html"
    f.write_text(page.replace("</body>", GLYPHS_JS + script + "</body>"), "utf-8")
    return load(f, tmp_path, env, budget_ms)


def load(f: Path, tmp_path: Path, env: dict | None = None, budget_ms: int = 3000) -> dict:
    assert CHROMIUM, "chromium not installed (scripts/test.sh installs it)"
    res = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", f"--virtual-time-budget={budget_ms}", "--dump-dom",
         Path(f).resolve().as_uri()],
        capture_output=True, text=True, timeout=180, env=env)
    m = re.search(r'<pre id="render-check">(.*?)</pre>', res.stdout, re.S)
    assert m, res.stderr[-2000:]
    return json.loads(html.unescape(m.group(1)))


def glyph_problems(measured: list[dict]) -> list[str]:
    """Why the measured Chinese text is not drawn with real glyphs; empty when it is."""
    if not measured:
        return ["no element with Chinese text was measured"]
    problems = []
    for el in measured:
        where = f"{el['tag']} {el['text']!r} ({el['family']})"
        size, box = el["fontSize"], el["box"]
        laid = el["laid"]
        if laid is None or not 0.8 * size <= laid["width"] <= 1.2 * size:
            problems.append(f"{where}: {laid and laid['ch']!r} laid out {laid and laid['width']}px wide "
                            f"at {size}px, not full width")
        shapes = set()
        for c in el["chars"]:
            if not 0.8 * size <= c["width"] <= 1.2 * size:
                problems.append(f"{where}: {c['ch']} is {c['width']:.1f}px wide at {size}px, not full width")
            if c["ink"] == 0:
                problems.append(f"{where}: {c['ch']} draws nothing")
            if c["shape"] == box["shape"]:
                problems.append(f"{where}: {c['ch']} is drawn as the missing-glyph box")
            shapes.add(c["shape"])
        if len(el["chars"]) > 1 and len(shapes) < len(el["chars"]):
            problems.append(f"{where}: {len(el['chars'])} different characters drawn as {len(shapes)} shape(s)")
    return problems


def assert_real_glyphs(measured: list[dict], min_elements: int = 1) -> None:
    assert len(measured) >= min_elements, f"measured {len(measured)} element(s) with Chinese text"
    problems = glyph_problems(measured)
    assert not problems, ("Chinese text is not drawn with real glyphs (is a CJK font installed? "
                          "scripts/test.sh installs fonts-wqy-zenhei):\n" + "\n".join(problems[:20]))


def fontconfig_without_cjk(tmp_path: Path) -> dict:
    """An environment whose fontconfig sees every installed font except those for Chinese:
    what a machine without a CJK font shows."""
    def files(*pattern: str) -> set[str]:
        out = subprocess.run(["fc-list", *pattern, "--format", "%{file}\n"], capture_output=True, text=True)
        return {line for line in out.stdout.splitlines() if line}

    folder = tmp_path / "fonts"
    folder.mkdir(exist_ok=True)
    for i, f in enumerate(sorted(files() - files(":lang=zh"))):
        (folder / f"{i:03d}_{Path(f).name}").symlink_to(f)
    conf = tmp_path / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{folder}</dir><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>
""", "utf-8")
    return dict(os.environ, FONTCONFIG_FILE=str(conf))
