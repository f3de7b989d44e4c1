"""A side-by-side HTML page: raw lines against cleaned paragraphs.

Left, every line of each source as cleaning saw it (for an HTML page, its text
blocks). A removed line is struck through with its rule and class; a span
removed inside a line is struck in place. Right, the paragraph that line
became, with its kind and section, and repairs highlighted.
"""

from __future__ import annotations

import html
from collections import defaultdict
from pathlib import Path

from docclean.cli.inspection import DocumentView
from docclean.input.rawfs import RawFolder
from docclean.run.passes import pipeline_hash, sha256, source_lines

_CSS = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; margin: 1.5rem; color: #222; }
h1 { font-size: 1.3rem; } .meta { color: #555; font-size: .9rem; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
td, th { border-bottom: 1px solid #eee; padding: .35rem .5rem; vertical-align: top; line-height: 1.6; }
th { text-align: left; background: #f6f6f6; position: sticky; top: 0; }
.n { width: 3.5rem; } td.n { color: #999; text-align: right; font-size: .8rem; }
tr.removed td.raw { text-decoration: line-through; color: #b33; }
tr.removed td.raw .why, del .why { text-decoration: none; display: inline-block; }
.why { font-size: .75rem; color: #fff; background: #b33; border-radius: .2rem; padding: 0 .3rem; margin-left: .4rem; }
del { color: #b33; }
mark { background: #ffe27a; }
.kind { font-size: .72rem; color: #fff; background: #4a6fa5; border-radius: .2rem; padding: 0 .3rem; margin-right: .4rem; }
.kind.title { background: #2d6a4f; } .kind.heading { background: #7b2cbf; }
.section { font-size: .72rem; color: #777; margin-left: .3rem; }
.source { background: #fafafa; font-weight: bold; }
"""


def _esc(s: str | None) -> str:
    return html.escape(s or "")


def _raw_with_spans(text: str, spans: list[dict]) -> str:
    """Raw line text with removed spans wrapped in <del>, located by offset when it still matches."""
    out, pos = [], 0
    for e in sorted(spans, key=lambda e: e["char_offset"] or 0):
        before = e["before"]
        at = text.find(before, pos)
        if at < 0:
            continue
        out.append(_esc(text[pos:at]))
        out.append(f'<del title="{_esc(e["rule"])}">{_esc(before)}'
                   f'<span class="why">{_esc(e["rule"])}</span></del>')
        pos = at + len(before)
    out.append(_esc(text[pos:]))
    return "".join(out)


def _highlight(text: str, repairs: list[dict]) -> str:
    """Paragraph text with each repair's result highlighted at its offset (final-text positions)."""
    spans = []
    for e in repairs:
        at, after = e["char_offset"], e["after"]
        if after and at is not None and text[at:at + len(after)] == after:
            spans.append((at, at + len(after), e))
        elif after and after in text:  # an edit without a usable offset: its first occurrence
            i = text.index(after)
            spans.append((i, i + len(after), e))
    out, pos = [], 0
    for s, t, e in sorted(spans, key=lambda x: x[0]):
        if s < pos:
            continue
        out.append(_esc(text[pos:s]))
        out.append(f'<mark title="{_esc(e["rule"])}: {_esc(e["before"])} → {_esc(e["after"])}">'
                   f'{_esc(text[s:t])}</mark>')
        pos = t
    out.append(_esc(text[pos:]))
    return "".join(out)


def render(view: DocumentView, raw_root: str | Path) -> str:
    doc = view.document
    by_line: dict[tuple[str, int], list[dict]] = defaultdict(list)
    spans: dict[tuple[str, int], list[dict]] = defaultdict(list)
    repairs: dict[int, list[dict]] = defaultdict(list)
    loose: list[dict] = []
    blocks: dict[str, list[dict]] = defaultdict(list)  # HTML blocks left out of the page's lines
    for e in view.edits:
        if e["scope"] == "block":
            blocks[e["source"]].append(e)
        elif e["para_index"] is not None and e["action"] in ("repair", "mask", "normalize"):
            repairs[e["para_index"]].append(e)
        elif e["line"] is not None and e["scope"] == "span":
            spans[(e["source"], e["line"])].append(e)
        elif e["line"] is not None:
            by_line[(e["source"], e["line"])].append(e)
        else:
            loose.append(e)
    paras = defaultdict(list)
    for p in view.paragraphs:
        paras[(p["source"], p["line"])].append(p)

    rows, shas = [], []
    folder = RawFolder(raw_root)
    for src in doc["sources"]:
        note = ""
        try:
            data = folder.read(src)
            shas.append(sha256(data))
            lines = source_lines(data, src).lines
        except Exception as exc:  # unreadable or quarantined: say why instead of showing lines
            lines, note = [], f" — {exc}"
        rows.append(f'<tr><td class="n"></td><td class="source" colspan="2">{_esc(src)}{_esc(note)}</td></tr>')
        for e in blocks.get(src, []):
            why = f'<span class="why">{_esc(e["rule"])} · {_esc(e["rule_class"])}</span>'
            rows.append(_row("removed", "html", _esc(e["before"][:300]) + why, None, repairs))
        for p in paras.get((src, None), []):  # an HTML page's title from <h1>/<title>
            rows.append(_row("", "", "", p, repairs))
        for n, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            removed = [e for e in by_line.get((src, n), []) if e["action"] == "remove"]
            joined = [e for e in by_line.get((src, n), []) if e["action"] == "normalize"]
            raw_html = _raw_with_spans(text.strip(), spans.get((src, n), []))
            cls = ""
            if removed:
                cls = "removed"
                raw_html += "".join(f'<span class="why">{_esc(e["rule"])} · {_esc(e["rule_class"])}</span>'
                                    for e in removed)
            elif joined:
                raw_html += f'<span class="why" style="background:#4a6fa5">{_esc(joined[0]["rule"])}</span>'
            ps = paras.get((src, n), [])
            if ps:
                for p in ps:
                    rows.append(_row(cls, n, raw_html, p, repairs))
                    raw_html, cls = "", ""
            else:
                rows.append(_row(cls, n, raw_html, None, repairs))

    stale = len(shas) == len(doc["sources"]) and pipeline_hash(shas) != doc["content_sha256"]
    if stale:
        loose.insert(0, {"action": "warning", "rule": "raw changed since this run",
                         "before": "", "after": "lines may not line up; rerun docclean"})
    flags = "".join(f"<li>{_esc(e['action'])} {_esc(e['rule'])}: {_esc(e['after'] or e['before'])}</li>"
                    for e in loose)
    return f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>docclean diff: {_esc(doc['title'])}</title>
<style>{_CSS}</style></head><body>
<h1>{_esc(doc['title'] or doc['doc_id'])}</h1>
<p class="meta">doc_id {_esc(doc['doc_id'])} · status <b>{_esc(doc['status'])}</b>{(' · ' + _esc(doc['error'])) if doc['error'] else ''}
 · encoding {_esc(doc['encoding'])} · {doc['n_paragraphs']} paragraphs · {doc['n_lines_removed']} lines removed · {doc['n_edits']} edits</p>
{f'<ul class="meta">{flags}</ul>' if flags else ''}
<table><thead><tr><th class="n">line</th><th>raw</th><th>cleaned</th></tr></thead><tbody>
{''.join(rows)}
</tbody></table></body></html>
"""


def _row(cls: str, n, raw_html: str, p: dict | None, repairs) -> str:
    right = ""
    if p is not None:
        section = f'<span class="section">§ {_esc(p["section"])}</span>' if p["section"] else ""
        level = f" h{p['heading_level']}" if p["heading_level"] else ""
        right = (f'<span class="kind {p["kind"]}">{p["para_index"]} {p["kind"]}{level}</span>'
                 f'{_highlight(p["text"], repairs.get(p["para_index"], []))}{section}')
    return f'<tr class="{cls}"><td class="n">{n}</td><td class="raw">{raw_html}</td><td class="clean">{right}</td></tr>'
