"""`docclean report --html`: the whole output on one page, as a browser shows it."""

from __future__ import annotations

import random
import re
import shutil
from collections import Counter
from pathlib import Path

import pyarrow.dataset as ds
import pytest
from browser import assert_real_glyphs, load, requires_chromium
from browser import render as in_browser
from typer.testing import CliRunner

from docclean.cli import htmlreport
from docclean.cli.app import app
from docclean.run import runner

SITE = "范文网"                       # a site folder with a Chinese name: its chart label is Chinese
SLOGAN = "让每一份材料都出彩"   # no rule (nor the lexical model) knows it: only learning removes it


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The sample raw/, a site of 8 pages sharing a slogan, a PDF and an empty file, cleaned."""
    from conftest import RAW

    base = tmp_path_factory.mktemp("report")
    raw = base / "raw"
    shutil.copytree(RAW, raw)
    paras = [x.strip() for p in sorted(RAW.glob("*.txt")) for x in p.read_text("utf-8").splitlines()
             if len(x.strip()) > 60]
    rnd = random.Random(0)
    (raw / SITE).mkdir()
    for i in range(8):
        lines = [SLOGAN, f"在全县第{i}次工作会议上的讲话", "同志们：", "一、统一思想", *rnd.sample(paras, 5), "谢谢大家！"]
        (raw / SITE / f"{i:03d}.txt").write_text("\n".join(lines), "utf-8")
    (raw / "scan.txt").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" + bytes(range(256)) * 4)
    (raw / "blank.txt").write_bytes(b"")
    out = base / "processed"
    runner.run_local(raw, out)
    report = base / "site" / "report.html"
    res = CliRunner().invoke(app, ["report", "--html", str(report), "--processed", str(out), "--raw", str(raw),
                                   "--worst", "6"])
    assert res.exit_code == 0, res.output
    return raw, out, report


def _table(out: Path, name: str) -> list[dict]:
    return ds.dataset(out / name, format="parquet").to_table().to_pylist()


def test_worst_documents_are_problems_first_then_most_removed(run):
    raw, out, report = run
    worst = htmlreport.worst_documents(out, 100)
    docs = {d["doc_id"]: d for d in _table(out, "documents")}
    statuses = [w.status for w in worst]
    assert statuses[:3] == ["quarantined", "partial", "empty"]
    assert set(statuses[3:]) == {"ok"}
    shares = [w.removed_share for w in worst[3:]]
    assert shares == sorted(shares, reverse=True) and shares[0] > 0
    assert worst[0].sources == ["scan.txt"] and "PDF" in worst[0].error
    # Counts are the documents table's own.
    for w in worst:
        assert (w.n_lines, w.n_lines_removed) == (docs[w.doc_id]["n_lines"], docs[w.doc_id]["n_lines_removed"])
    assert len(htmlreport.worst_documents(out, 6)) == 6


def test_counts_match_the_output(run):
    raw, out, report = run
    data = htmlreport.collect(out)
    edits = _table(out, "edits")
    removed = Counter(e["rule_class"] for e in edits if e["action"] == "remove")
    assert dict(data.removals_by_class()) == dict(removed)
    assert sum(n for _, n, _ in data.removals_by_rule()) == sum(removed.values())
    kinds = Counter(f"{e['action']} · {e['rule_class']}" for e in edits if e["action"] != "remove")
    assert dict(data.repairs_by_kind()) == dict(kinds)
    tmpl = data.templates_per_site()
    assert [(t["site"], t["example"], t["documents"]) for t in tmpl] == [(SITE, SLOGAN, 8)]


def test_diff_pages_beside_the_report(run, tmp_path):
    raw, out, report = run
    page = report.read_text("utf-8")
    links = re.findall(r'<a href="([^"]+)"', page[page.index('<section id="worst">'):])
    assert len(links) == 6
    worst = htmlreport.worst_documents(out, 6)
    assert links == [f"report_diffs/{w.doc_id}.html" for w in worst]
    assert all((report.parent / link).is_file() for link in links)
    # Nothing fetched from elsewhere: plotly.js is in the page.
    assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', page)
    assert "Plotly.newPlot" in page
    # Fewer worst documents next time: the diff pages of the others go.
    again = tmp_path / "report.html"
    shutil.copytree(report.parent / "report_diffs", tmp_path / "report_diffs")
    htmlreport.write(out, again, raw, worst=2)
    assert sorted(p.stem for p in (tmp_path / "report_diffs").glob("*.html")) == sorted(w.doc_id for w in worst[:2])


def test_report_refuses_a_missing_output_folder(tmp_path):
    res = CliRunner().invoke(app, ["report", "--html", str(tmp_path / "r.html"), "--processed", str(tmp_path / "no")])
    assert res.exit_code == 1
    assert not (tmp_path / "r.html").exists()


# Runs after plotly has drawn every chart: what the page shows.
CHECK = """<script>
window.addEventListener('load', () => {
  let tries = 0;
  const done = () => {
    const plots = [...document.querySelectorAll('.plotly-graph-div')];
    if (plots.some(p => !p.querySelector('.main-svg .bars')) && tries++ < 100) return setTimeout(done, 100);
    const charts = plots.map(p => ({
      title: (p.querySelector('.gtitle') || {}).textContent,
      ticks: [...p.querySelectorAll('.ytick text')].map(t => t.textContent),
      bars: [...p.querySelectorAll('.bars .point path')].filter(b => b.getBBox().width > 0).length,
      values: p.data[0].x, labels: p.data[0].y}));
    const links = [...document.querySelectorAll('table.worst a')].map(a => ({text: a.textContent, href: a.href}));
    const resources = performance.getEntriesByType('resource').map(r => r.name);
    const glyphs = __glyphs('h1 + p, table.templates td, table.worst td.title a, .ytick text');
    const pre = document.createElement('pre');
    pre.id = 'render-check';
    pre.textContent = JSON.stringify({plotly: typeof Plotly, charts, links, resources, glyphs});
    document.body.appendChild(pre);
  };
  done();
});
</script>"""


@requires_chromium
def test_report_in_a_browser(run, tmp_path):
    raw, out, report = run
    # The page is loaded from tmp_path, beside a copy of its diff pages, so its links resolve as they would.
    shutil.copytree(report.parent / "report_diffs", tmp_path / "report_diffs")
    shown = in_browser(report.read_text("utf-8"), tmp_path, CHECK, budget_ms=15000)
    assert shown["plotly"] == "object"
    assert shown["resources"] == []  # nothing loaded: no CDN, no server
    charts = {c["title"].split(" (")[0]: c for c in shown["charts"]}
    assert set(charts) == {"Documents by status", "Removals by class", "Removals by rule",
                           "Repairs, masks, normalizations and flags, by kind", "Learned templates per site"}
    for c in charts.values():  # every bar is drawn and labelled
        assert c["bars"] == len(c["values"]) > 0 and sorted(c["ticks"]) == sorted(c["labels"])
    docs = _table(out, "documents")
    status = charts["Documents by status"]
    assert dict(zip(status["labels"], status["values"])) == dict(Counter(d["status"] for d in docs))
    edits = _table(out, "edits")
    cls = charts["Removals by class"]
    assert dict(zip(cls["labels"], cls["values"])) == dict(Counter(e["rule_class"] for e in edits
                                                                    if e["action"] == "remove"))
    assert charts["Learned templates per site"]["ticks"] == [SITE]
    # Chinese is drawn in real glyphs: headline, template line, document titles, the site's chart label.
    assert_real_glyphs(shown["glyphs"], min_elements=4)
    assert any(g["tag"] == "text" and g["text"] == SITE for g in shown["glyphs"])  # SVG, from plotly
    assert any(g["tag"] == "TD" and g["text"] == SLOGAN for g in shown["glyphs"])
    assert sum(g["tag"] == "A" for g in shown["glyphs"]) >= 3
    # The links open the diff pages: each is a file beside the report, showing that document.
    worst = htmlreport.worst_documents(out, 6)
    assert [Path(link["href"].removeprefix("file://")).name for link in shown["links"]] == [
        f"{w.doc_id}.html" for w in worst]
    titled = next(w for w in worst if w.title)
    target = next(link["href"] for link in shown["links"] if titled.doc_id in link["href"])
    diff_check = tmp_path / "report_diffs" / "check.html"
    diff_check.write_text(Path(target.removeprefix("file://")).read_text("utf-8").replace("</body>", """
<script>window.addEventListener('load', () => { const pre = document.createElement('pre'); pre.id = 'render-check';
pre.textContent = JSON.stringify(document.querySelector('h1').textContent); document.body.appendChild(pre); });
</script></body>"""), "utf-8")
    assert load(diff_check, tmp_path) == titled.title
