"""One static page for a whole output folder: a run at a glance.

Charts are drawn by plotly, with plotly.js written into the page once, so the page
opens from disk with no server and no network. It shows documents by status,
removals by class and by rule, repairs by kind, the templates learned per site and
the worst documents, each linked to its diff page (written beside the report).

Everything is read through the existing readers: :func:`inspection.stats` for the
counts, :class:`store.Store` for the learned templates, :func:`inspection.load_document`
and :func:`diffview.render` for the diff pages.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.compute as pc

from docclean.cli import diffview, inspection
from docclean.store.folder import Store, atomic_write_bytes

DEFAULT_WORST = 20
TOP_RULES = 30
# The page's own fonts first; any CJK font fontconfig finds (Noto CJK, WenQuanYi) after.
FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "Microsoft YaHei", sans-serif'
STATUS_ORDER = ("quarantined", "partial", "empty", "ok")
STATUS_COLOR = {"ok": "#2d6a4f", "partial": "#e09f3e", "empty": "#6c757d", "quarantined": "#b33"}
REPAIR_ACTIONS = ("repair", "mask", "normalize", "flag")

_CSS = f"""
body {{ font-family: {FONT}; margin: 1.5rem auto; max-width: 1200px; color: #222; padding: 0 1rem; }}
h1 {{ font-size: 1.4rem; margin-bottom: .2rem; }} h2 {{ font-size: 1.1rem; margin-top: 2rem;
  border-bottom: 1px solid #ddd; padding-bottom: .2rem; }}
.meta, .note {{ color: #555; font-size: .9rem; }}
.totals {{ display: flex; flex-wrap: wrap; gap: .6rem; margin: 1rem 0; }}
.totals div {{ background: #f4f6f8; border-radius: .3rem; padding: .5rem .9rem; }}
.totals b {{ display: block; font-size: 1.3rem; }}
table {{ border-collapse: collapse; width: 100%; font-size: .9rem; }}
td, th {{ border-bottom: 1px solid #eee; padding: .3rem .5rem; text-align: left; vertical-align: top; }}
th {{ background: #f6f6f6; }} td.num {{ text-align: right; white-space: nowrap; }}
.status {{ color: #fff; border-radius: .2rem; padding: 0 .35rem; font-size: .8rem; }}
{''.join(f'.status.{k} {{ background: {v}; }}' for k, v in STATUS_COLOR.items())}
code {{ font-size: .8rem; color: #555; }}
.empty {{ color: #777; font-style: italic; }}
"""


def _esc(s) -> str:
    return html.escape("" if s is None else str(s))


@dataclass
class WorstDocument:
    doc_id: str
    title: str | None
    sources: list[str]
    status: str
    error: str | None
    n_lines: int
    n_lines_removed: int
    n_paragraphs: int
    flags: int
    edits: int

    @property
    def removed_share(self) -> float:
        return self.n_lines_removed / self.n_lines if self.n_lines else 0.0


@dataclass
class ReportData:
    out: str
    stats: dict
    templates: dict
    worst: list[WorstDocument]
    pipeline_versions: list[str] = field(default_factory=list)

    # ---- derived views, each a list of (label, count), largest first
    def removals_by_class(self) -> list[tuple[str, int]]:
        c: Counter = Counter()
        for h in self.stats["rule_hits"]:
            if h["action"] == "remove":
                c[h["class"]] += h["hits"]
        return c.most_common()

    def removals_by_rule(self) -> list[tuple[str, int, str]]:
        """(rule, hits, the classes it removed as), most hits first."""
        hits: Counter = Counter()
        classes: dict[str, set[str]] = defaultdict(set)
        for h in self.stats["rule_hits"]:
            if h["action"] == "remove":
                hits[h["rule"]] += h["hits"]
                classes[h["rule"]].add(h["class"])
        return [(r, n, ", ".join(sorted(classes[r]))) for r, n in hits.most_common()]

    def repairs_by_kind(self) -> list[tuple[str, int]]:
        """Edits that change or flag kept text, by action and class (``repair · typo``)."""
        c: Counter = Counter()
        for h in self.stats["rule_hits"]:
            if h["action"] in REPAIR_ACTIONS:
                c[f"{h['action']} · {h['class']}"] += h["hits"]
        return c.most_common()

    def templates_per_site(self) -> list[dict]:
        t = self.templates
        rows = []
        for site in sorted(t.get("learned", {})):
            for sig in sorted(t["learned"][site]):
                rows.append({"site": site or "(top level)", "signature": sig,
                             "example": t.get("examples", {}).get(sig, ""),
                             "documents": t.get("counts", {}).get(site, {}).get(sig, 0),
                             "site_documents": t.get("docs", {}).get(site, 0)})
        return rows


def _severity(status: str) -> int:
    return STATUS_ORDER.index(status) if status in STATUS_ORDER else len(STATUS_ORDER)


def worst_documents(out: Path, n: int = DEFAULT_WORST) -> list[WorstDocument]:
    """The documents most worth a look, in this order: a status other than ok first
    (quarantined, then partial, then empty), then the largest share of lines removed,
    then the most flags, then the most edits. Documents with nothing wrong, nothing
    removed and no flags or edits are never listed."""
    docs = inspection.dataset(out, "documents").to_table(
        columns=["doc_id", "title", "sources", "status", "error", "n_lines", "n_lines_removed",
                 "n_paragraphs"]).to_pylist()
    edits = inspection.dataset(out, "edits").to_table(columns=["doc_id", "action"])

    def per_doc(t) -> dict[str, int]:  # counted in Arrow: one row per document, not per edit
        g = t.group_by("doc_id").aggregate([("action", "count")])
        return dict(zip(g["doc_id"].to_pylist(), g["action_count"].to_pylist()))

    flags = per_doc(edits.filter(pc.field("action") == "flag"))
    n_edits = per_doc(edits)
    rows = [WorstDocument(d["doc_id"], d["title"], list(d["sources"] or []), d["status"], d["error"],
                          d["n_lines"] or 0, d["n_lines_removed"] or 0, d["n_paragraphs"] or 0,
                          flags.get(d["doc_id"], 0), n_edits.get(d["doc_id"], 0)) for d in docs]
    rows = [r for r in rows if r.status != "ok" or r.n_lines_removed or r.flags or r.edits]
    rows.sort(key=lambda r: (_severity(r.status), -r.removed_share, -r.flags, -r.edits, r.doc_id))
    return rows[:n]


def collect(out: Path, worst: int = DEFAULT_WORST) -> ReportData:
    out = Path(out)
    st = inspection.stats(out)
    versions = sorted(set(inspection.dataset(out, "documents").to_table(columns=["pipeline_version"])
                          ["pipeline_version"].to_pylist()) - {None})
    return ReportData(str(out), st, Store(out).load_templates(), worst_documents(out, worst), versions)


# ----------------------------------------------------------------------------- charts

def _layout(title: str, height: int) -> dict:
    return dict(title=dict(text=title, x=0, font=dict(size=15)), height=height,
                margin=dict(l=10, r=20, t=40, b=30), font=dict(family=FONT, size=12),
                plot_bgcolor="#fff", paper_bgcolor="#fff", showlegend=False)


def _hbar(title: str, items: list[tuple], color: str = "#4a6fa5", hover: list[str] | None = None,
          colors: list[str] | None = None) -> str:
    """A horizontal bar chart, largest on top, as a <div> (plotly.js is in the page once)."""
    import plotly.graph_objects as go

    if not items:
        return f'<div class="chart"><h3>{_esc(title)}</h3><p class="empty">none</p></div>'
    labels = [str(i[0]) for i in items][::-1]
    values = [i[1] for i in items][::-1]
    bar = go.Bar(x=values, y=labels, orientation="h", text=values, textposition="outside", textangle=0,
                 marker_color=(colors[::-1] if colors else color), cliponaxis=False,
                 hovertext=(hover[::-1] if hover else None),
                 hovertemplate="%{y}: %{x}" + ("<br>%{hovertext}" if hover else "") + "<extra></extra>")
    fig = go.Figure(bar, layout=_layout(title, 90 + 24 * len(items)))
    fig.update_yaxes(automargin=True, tickfont=dict(size=12))
    fig.update_xaxes(automargin=True, rangemode="tozero", gridcolor="#eee",
                     **({"dtick": 1} if max(values) < 8 else {}))  # counts: no 0.2 ticks
    return '<div class="chart">' + fig.to_html(full_html=False, include_plotlyjs=False,
                                               config={"displayModeBar": False, "responsive": True}) + "</div>"


def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs().replace("</script", "<\\/script")


# ----------------------------------------------------------------------------- page

def render(data: ReportData, diff_links: dict[str, str] | None = None) -> str:
    """The whole page. ``diff_links`` maps a doc_id to the (relative) address of its diff page."""
    diff_links = diff_links or {}
    st = data.stats
    status = sorted(st["status"].items(), key=lambda kv: _severity(kv[0]))
    status_chart = _hbar("Documents by status", [(k, v) for k, v in status][::-1],
                         colors=[STATUS_COLOR.get(k, "#4a6fa5") for k, _ in status][::-1])
    by_class = data.removals_by_class()
    by_rule = data.removals_by_rule()
    more = len(by_rule) - TOP_RULES
    rule_chart = _hbar(f"Removals by rule{f' (top {TOP_RULES} of {len(by_rule)})' if more > 0 else ''}",
                       [(r, n) for r, n, _ in by_rule[:TOP_RULES]], color="#b33",
                       hover=[f"class: {c}" for _, _, c in by_rule[:TOP_RULES]])
    class_chart = _hbar("Removals by class", by_class, color="#b33")
    repair_chart = _hbar("Repairs, masks, normalizations and flags, by kind", data.repairs_by_kind(),
                         color="#7b2cbf")
    tmpl = data.templates_per_site()
    per_site = Counter(r["site"] for r in tmpl)
    tmpl_chart = _hbar("Learned templates per site", per_site.most_common(), color="#2d6a4f")
    removed = sum(n for _, n in by_class)
    repairs = sum(n for _, n in data.repairs_by_kind())
    totals = [("documents", st["documents"]), ("paragraphs", st["paragraphs"]),
              ("characters", st["characters"]), ("removals", removed), ("repairs · flags", repairs),
              ("masks", st["masks"]), ("learned templates", len(tmpl))]
    return f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>docclean report: {_esc(data.out)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{_CSS}</style>
<script>{_plotly_js()}</script></head><body>
<h1>docclean report</h1>
<p class="meta">output folder <code>{_esc(data.out)}</code> · pipeline {_esc(', '.join(data.pipeline_versions) or '—')}</p>
<div class="totals">{''.join(f'<div><b>{v:,}</b>{_esc(k)}</div>' for k, v in totals)}</div>
<section id="status"><h2>Documents</h2>{status_chart}</section>
<section id="removals"><h2>Removals</h2>{class_chart}{rule_chart}</section>
<section id="repairs"><h2>Repairs</h2>{repair_chart}</section>
<section id="templates"><h2>Learned site templates</h2>{tmpl_chart}{_templates_table(tmpl)}</section>
<section id="worst"><h2>Worst documents</h2>
<p class="note">Status other than ok first (quarantined, partial, empty), then the largest share of lines
removed, then most flags, then most edits. Each title opens the document's diff page.</p>
{_worst_table(data.worst, diff_links)}</section>
</body></html>
"""


def _templates_table(rows: list[dict]) -> str:
    if not rows:
        return '<p class="empty">No site templates learned (a site needs enough documents that share a line).</p>'
    body = "".join(
        f'<tr><td>{_esc(r["site"])}</td><td class="example">{_esc(r["example"])}</td>'
        f'<td class="num">{r["documents"]} / {r["site_documents"]}</td><td><code>{_esc(r["signature"])}</code></td></tr>'
        for r in rows)
    return ('<table class="templates"><thead><tr><th>site</th><th>template line (example)</th>'
            f'<th>documents</th><th>signature</th></tr></thead><tbody>{body}</tbody></table>')


def _worst_table(rows: list[WorstDocument], links: dict[str, str]) -> str:
    if not rows:
        return '<p class="empty">No document has a problem, a removal, an edit or a flag.</p>'
    out = []
    for r in rows:
        name = _esc(r.title or ", ".join(r.sources) or r.doc_id)
        title = f'<a href="{_esc(links[r.doc_id])}">{name}</a>' if r.doc_id in links else name
        out.append(
            f'<tr><td><span class="status {_esc(r.status)}">{_esc(r.status)}</span></td>'
            f'<td class="title">{title}<br><code>{_esc(r.doc_id)}</code> · {_esc(", ".join(r.sources))}'
            f'{("<br>" + _esc(r.error)) if r.error else ""}</td>'
            f'<td class="num">{r.n_lines_removed} / {r.n_lines} ({r.removed_share:.0%})</td>'
            f'<td class="num">{r.flags}</td><td class="num">{r.edits}</td><td class="num">{r.n_paragraphs}</td></tr>')
    return ('<table class="worst"><thead><tr><th>status</th><th>document</th><th>lines removed</th>'
            f'<th>flags</th><th>edits</th><th>paragraphs</th></tr></thead><tbody>{"".join(out)}</tbody></table>')


def diff_folder(report: Path) -> Path:
    """Where the worst documents' diff pages go: ``report.html`` → ``report_diffs/``."""
    report = Path(report)
    return report.with_name(report.stem + "_diffs")


def write(out: Path, report: Path, raw: str | Path = "raw", worst: int = DEFAULT_WORST) -> ReportData:
    """Write the report, and a diff page for each of its worst documents beside it."""
    report = Path(report)
    data = collect(out, worst)
    folder = diff_folder(report)
    links = {}
    if data.worst:
        folder.mkdir(parents=True, exist_ok=True)
    for w in data.worst:
        page = folder / f"{w.doc_id}.html"
        atomic_write_bytes(page, diffview.render(inspection.load_document(out, w.doc_id), raw).encode("utf-8"),
                           durable=False)
        links[w.doc_id] = f"{folder.name}/{page.name}"
    if folder.is_dir():  # diff pages of documents no longer among the worst
        for old in folder.glob("*.html"):
            if old.stem not in {w.doc_id for w in data.worst}:
                old.unlink(missing_ok=True)
    atomic_write_bytes(report, render(data, links).encode("utf-8"), durable=False)
    return data
