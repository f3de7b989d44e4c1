"""Score cleaning on real scraped pages labelled line by line.

Sets (each a folder of NN.txt / NN.labels.json / NN.paragraphs.json, the format of
../shared/real-pages-dev/README.md):

  shared       ../shared/real-pages-dev: 38 pages, the project's development set
  own-dev      benchmarks/real_pages: odd-numbered pages of sets a, b, c and all of the
               later sets (d, e, …, y, aa, ac, ae, ag, ai, ak, am, ao, aq, as, au, aw, ay): our own pages, to develop on
  own-heldout  benchmarks/real_pages, even-numbered pages of sets a, b, c, and all of sets
               g, i, l, v, z, ab, ad, af, ah, aj, al, an, ap, ar, at, av, ax and az: held aside, never tuned on (own-heldout:a,b,c,
               own-heldout:g … for one part).
               Only totals are printed for it (--show is refused), so its failures
               cannot steer the rules; it is the generalisation figure.

The pages are cleaned as a user's run would clean them (runner.run_local on a raw/
folder with one sub-folder per site, repairs off: typo repair is scored by
eval_repair.py, and a corrected typo would count as a wrong paragraph here).

Scores, after folding width (NFKC) and removing whitespace:
  authored kept   expected paragraphs found whole inside one output paragraph
  exact           expected paragraphs equal to an output paragraph (hard wraps
                  re-joined, nothing glued on, in-line junk gone)
  boilerplate     boilerplate lines whose text is still in the output (beyond the
                  times it occurs in the expected text: a title repeat is left when
                  the title comes out twice)
  in-line junk    labelled junk substrings still in the output, counted the same way
  extra           output paragraphs that are not, and are not inside, any expected one

    python benchmarks/eval_real_pages.py [--set shared own-dev own-heldout] [--show N] [--json F]
                                         [--out-of-fold 5]

--out-of-fold K adds own-dev scored with lexical models (and, with scikit-learn installed, line
models) that did not learn from the page (K groups of sets, each with models fitted without it):
the development figure without the models' in-sample advantage.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlparse

import pyarrow.dataset as ds

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "real-pages-dev"
OWN = ROOT / "benchmarks" / "real_pages"
sys.path.insert(0, str(ROOT / "src"))

from docclean.run import runner  # noqa: E402

_WS = re.compile(r"\s+")
# Sets a-c were split in two when they were made (even pages held aside); sets g, i, l, v, z, ab, ad, af, ah, aj, al, an, ap, ar, at, av, ax, az
# were held aside whole, measured once before anything was tuned on it; the other sets are for development.
# A set is named by a page's leading letters (a01 is set a, aa01 is set aa), so sets beyond z take two letters.
HELDOUT_SETS = ("a", "b", "c")
HELDOUT_WHOLE = ("g", "i", "l", "v", "z", "ab", "ad", "af", "ah", "aj", "al", "an", "ap", "ar", "at", "av", "ax", "az")


def norm(s: str) -> str:
    return _WS.sub("", unicodedata.normalize("NFKC", s))


def set_of(page: Path) -> str:
    return re.match(r"[a-z]*", page.stem).group()


def _chosen(set_name: str) -> set[str]:
    """The sets named after the colon, comma-separated: own-dev:y,aa or own-heldout:a,b,c."""
    return set(set_name.split(":", 1)[1].split(","))


def pages_of(set_name: str) -> list[Path]:
    """The .txt files of one set, in order."""
    if set_name == "shared":
        return sorted(SHARED.glob("[0-9][0-9].txt"))
    # A page counts once its labels and expected paragraphs are both there.
    own = sorted(p for p in OWN.glob("*.txt")
                 if p.with_suffix(".labels.json").exists() and p.with_suffix(".paragraphs.json").exists())
    held = [p for p in own if set_of(p) in HELDOUT_WHOLE or
            set_of(p) in HELDOUT_SETS and int(re.sub(r"\D", "", p.stem) or 0) % 2 == 0]
    if set_name == "own-dev":
        return [p for p in own if p not in held]
    if set_name == "own-heldout":
        return held
    if set_name.startswith("own-heldout:"):  # one held-aside set: own-heldout:g
        return [p for p in held if set_of(p) in _chosen(set_name)]
    if set_name.startswith("own-dev:"):  # one development set: own-dev:h
        return [p for p in own if p not in held and set_of(p) in _chosen(set_name)]
    raise SystemExit(f"unknown set {set_name!r}")


def _site(labels: dict, page: Path) -> str:
    host = urlparse(labels.get("url") or "").hostname or ""
    return re.sub(r"[^\w.-]", "_", host) or page.parent.name


def build_raw(pages: list[Path], raw: Path) -> dict[str, dict]:
    """Copy the pages into raw/<site>/<name>.txt; returns the truth per source."""
    truth = {}
    for page in pages:
        labels = json.loads(page.with_suffix(".labels.json").read_text("utf-8"))
        source = f"{_site(labels, page)}/{page.parent.name}-{page.stem}.txt"
        (raw / source).parent.mkdir(parents=True, exist_ok=True)
        (raw / source).write_bytes(page.read_bytes())
        lines = page.read_text("utf-8").splitlines()
        truth[source] = {
            "page": page,
            "paragraphs": json.loads(page.with_suffix(".paragraphs.json").read_text("utf-8")),
            "boilerplate": [(lab.get("class") or "other", lines[i])
                            for i, lab in enumerate(labels["lines"]) if lab["label"] == "boilerplate"],
            "inline": [(x.get("class") or "other", x["text"]) for x in labels.get("inline", [])],
        }
    return truth


def _left(items: list[tuple[str, str]], out_joined: str, want_joined: str) -> list[tuple[str, str]]:
    """Items (class, text) whose text is in the output more often than the truth has it."""
    by_text: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for cls, text in items:
        n = norm(text)
        if n:
            by_text[n].append((cls, text))
    left = []
    for n, group in by_text.items():
        extra = out_joined.count(n) - want_joined.count(n)
        left += group[:max(0, extra)]
    return left


def score(out: Path, truth: dict[str, dict]) -> dict:
    paras = ds.dataset(out / "paragraphs", format="parquet").to_table(
        columns=["source", "para_index", "text"]).to_pylist()
    by_source: dict[str, list[str]] = defaultdict(list)
    for p in sorted(paras, key=lambda p: (p["source"], p["para_index"])):
        by_source[p["source"]].append(p["text"])

    tot = Counter()
    per_page = []
    cls_items, cls_left = Counter(), Counter()
    for source, t in sorted(truth.items()):
        got = [norm(x) for x in by_source.get(source, [])]
        want = [norm(x) for x in t["paragraphs"] if norm(x)]
        got_count = Counter(got)
        exact = sum(min(c, got_count[w]) for w, c in Counter(want).items())
        kept = sum(1 for w in want if any(w in g for g in got))
        extra = [g for g in got if not any(g in w for w in want)]
        out_j, want_j = "\n".join(got), "\n".join(want)
        bp_left = _left(t["boilerplate"], out_j, want_j)
        in_left = _left(t["inline"], out_j, want_j)
        for cls, _ in t["boilerplate"] + t["inline"]:
            cls_items[cls] += 1
        for cls, _ in bp_left + in_left:
            cls_left[cls] += 1
        row = Counter(authored=len(want), kept=kept, exact=exact, boilerplate=len(t["boilerplate"]),
                      boilerplate_left=len(bp_left), inline=len(t["inline"]), inline_left=len(in_left),
                      output=len(got), extra=len(extra))
        tot += row
        per_page.append({"page": t["page"].name, **row,
                         "lost": [w for w in want if not any(w in g for g in got)],
                         "not_exact": [w for w in want if w not in got_count],
                         "left": [x for _, x in bp_left + in_left], "extra_paragraphs": extra})
    return {"totals": dict(tot), "per_page": per_page,
            "left_by_class": {c: f"{cls_left[c]}/{n}" for c, n in sorted(cls_items.items())}}


def run_set(set_name: str) -> dict:
    pages = pages_of(set_name)
    if not pages:
        return {"totals": {}, "per_page": [], "left_by_class": {}}
    with tempfile.TemporaryDirectory(prefix="docclean-real-") as work:
        raw, out = Path(work) / "raw", Path(work) / "out"
        truth = build_raw(pages, raw)
        runner.run_local(raw, out, no_repair=True)
        return score(out, truth)


def run_out_of_fold(folds: int) -> dict:
    """own-dev scored with a lexical model that never saw the page: the development sets in
    ``folds`` groups, each scored with a model fitted without its group (the shared set and
    the other groups train it). The rules were still tuned on these pages; the held-aside
    sets are the figure for both."""
    sys.path.insert(0, str(ROOT / "tools"))
    from train_line_model import lexical_folds, restored_env

    from docclean.lines import stack
    try:  # the line model too, when scikit-learn is there to fit it (pip install -e .[train])
        import train_line_stack
        from sklearn.ensemble import HistGradientBoostingClassifier
        rows = train_line_stack.collect(folds)
    except ImportError:
        rows = None
        print("(scikit-learn not installed: the line model is the shipped one, fitted on these pages)")
    tot, per_page = Counter(), []
    with restored_env("DOCCLEAN_LINE_STACK", stack.model.cache_clear), \
            tempfile.TemporaryDirectory(prefix="docclean-oof-") as work:
        for k, group in lexical_folds(folds):
            if rows is not None:
                g, x, y = rows
                m = HistGradientBoostingClassifier(**train_line_stack.TREES).fit(x[g != k], y[g != k])
                train_line_stack.forest(m).write(Path(work) / f"stack{k}.json.gz", {"out-of-fold": k})
                os.environ["DOCCLEAN_LINE_STACK"] = str(Path(work) / f"stack{k}.json.gz")
            stack.model.cache_clear()
            r = run_set("own-dev:" + ",".join(group))
            tot += Counter(r["totals"])
            per_page += r["per_page"]
    return {"totals": dict(tot), "per_page": per_page, "left_by_class": {}}


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} ({a / b:.1%})" if b else "-"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", nargs="+", default=["shared", "own-dev", "own-heldout"])
    ap.add_argument("--show", type=int, default=0, help="print the N worst pages (development sets only)")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--out-of-fold", type=int, default=0, metavar="K",
                    help="also score own-dev with K lexical models, each fitted without the sets it scores")
    a = ap.parse_args()
    report = {}
    names = [*a.set, *(["own-dev (out-of-fold models)"] if a.out_of_fold else [])]
    for name in names:
        r = report[name] = run_out_of_fold(a.out_of_fold) if name.startswith("own-dev (") else run_set(name)
        t = Counter(r["totals"])
        print(f"\n== {name}: {len(r['per_page'])} pages")
        print(f"  authored kept whole   {_pct(t['kept'], t['authored'])}")
        print(f"  exactly right         {_pct(t['exact'], t['authored'])}")
        print(f"  boilerplate left      {_pct(t['boilerplate_left'], t['boilerplate'])}")
        print(f"  in-line junk left     {_pct(t['inline_left'], t['inline'])}")
        print(f"  extra paragraphs      {_pct(t['extra'], t['output'])} of output")
        print(f"  left by class         {r['left_by_class']}")
        if a.show and not name.startswith("own-heldout"):  # (own-dev:… are development sets)
            worst = sorted(r["per_page"], key=lambda p: -(len(p["lost"]) * 3 + len(p["not_exact"])
                                                           + len(p["left"]) + len(p["extra_paragraphs"])))
            for p in worst[:a.show]:
                print(f"\n  [{p['page']}] kept {p['kept']}/{p['authored']} exact {p['exact']}")
                for k in ("lost", "not_exact", "left", "extra_paragraphs"):
                    for x in p[k][:6]:
                        print(f"    {k:>16}: {x[:90]}")
    if a.json:
        for name in report:  # totals only for the held-aside sets
            if name.startswith("own-heldout"):
                report[name].pop("per_page", None)
        a.json.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str), "utf-8")


if __name__ == "__main__":
    main()
