"""The diff page as a browser shows it: rendered in headless Chromium, checked by computed style."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import assert_real_glyphs, requires_chromium
from browser import render as in_browser

from docclean.cli import inspection
from docclean.cli.diffview import render
from docclean.run import runner

pytestmark = requires_chromium

# Runs in the page after layout: reports what is actually displayed.
CHECK = """<script>
window.addEventListener('load', () => {
  const vis = el => el.offsetHeight > 0 && getComputedStyle(el).visibility !== 'hidden';
  const removed = [...document.querySelectorAll('tr.removed td.raw')].map(td => ({
    text: td.innerText, struck: getComputedStyle(td).textDecorationLine.includes('line-through'),
    color: getComputedStyle(td).color, visible: vis(td),
    reason: [...td.querySelectorAll('.why')].map(w => w.innerText).join(' ')}));
  const spans = [...document.querySelectorAll('td.raw del')].map(d => ({
    text: d.innerText, struck: getComputedStyle(d).textDecorationLine.includes('line-through')}));
  const marks = [...document.querySelectorAll('td.clean mark')].map(m => ({
    text: m.innerText, bg: getComputedStyle(m).backgroundColor, visible: vis(m)}));
  const cleaned = [...document.querySelectorAll('td.clean')].map(td => td.innerText).filter(t => t);
  const glyphs = __glyphs('h1, td.raw, td.clean, .why');
  const pre = document.createElement('pre');
  pre.id = 'render-check';
  pre.textContent = JSON.stringify({removed, spans, marks, cleaned, glyphs});
  document.body.appendChild(pre);
});
</script>"""


def _rendered(page: str, tmp_path: Path) -> dict:
    return in_browser(page, tmp_path, CHECK)


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    from conftest import RAW

    out = tmp_path_factory.mktemp("out")
    runner.run_local(RAW, out)
    return out


def test_removed_lines_show_struck_with_reason(out, tmp_path):
    from conftest import RAW

    view = inspection.load_document(out, inspection.resolve_doc_id(out, source="001_019269771721435d.txt"))
    shown = _rendered(render(view, RAW), tmp_path)
    removed = shown["removed"]
    assert len(removed) == view.document["n_lines_removed"] == 6
    assert all(r["struck"] and r["visible"] for r in removed)
    assert any("SUCAI198.COM" in r["text"] and "banner_domain" in r["reason"] for r in removed)
    assert any("微信扫码分享" in r["text"] and "share_prompt" in r["reason"] for r in removed)
    # The page marker removed from inside the title line is struck in place.
    assert any(s["text"].startswith("(第2/3页)") and s["struck"] for s in shown["spans"])
    # The cleaned column shows the title without its marker, and no removed line.
    assert shown["cleaned"][0].endswith("行动动员部署大会上的讲话")
    assert not any("SUCAI198" in c for c in shown["cleaned"])
    # ...in real characters: the title, raw and cleaned columns, not a row of boxes.
    assert_real_glyphs(shown["glyphs"], min_elements=4)


def test_repairs_are_highlighted(out, tmp_path):
    from conftest import RAW

    view = inspection.load_document(out, inspection.resolve_doc_id(out, source="003_be014646714e3115.txt"))
    p = view.paragraphs[3]
    view.paragraphs[3] = dict(p, text=p["text"].replace("讲政治", "讲政治（已修正）"))
    view.edits.append({"doc_id": p["doc_id"], "source": p["source"], "action": "repair", "rule": "typo_lexicon",
                       "rule_class": "typo", "scope": "paragraph", "line": None, "para_index": 3,
                       "char_offset": None, "before": "讲证治", "after": "讲政治（已修正）", "confidence": 0.99})
    shown = _rendered(render(view, RAW), tmp_path)
    mark = next(m for m in shown["marks"] if m["text"] == "讲政治（已修正）")
    assert mark["visible"]
    assert mark["bg"] not in ("rgba(0, 0, 0, 0)", "transparent")
