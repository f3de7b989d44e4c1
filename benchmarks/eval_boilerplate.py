"""Score boilerplate removal on an annotated evaluation set.

The set has three parts, scored together and separately:
  samples    the five real samples, annotated in tests/data/annotations.json
  cases      hand-made pages of other sites (benchmarks/eval/cases.txt): other
             banners and ads, HTML templates, encodings, in-line junk, split pages
  heldout    more such pages (benchmarks/eval/heldout.txt), written after the rules
             were tuned on `cases` and not used to tune them: the generalisation check
  synthetic  a generated corpus with known boilerplate (benchmarks/make_corpus.py)

For every document the output paragraphs are compared with the truth:
  authored kept    authored paragraphs found in the output, exactly, in order
  recall(class)    boilerplate items of that class no longer in the output
  precision(rule)  whole-line removals (edits) that hit boilerplate rather than
                   an authored paragraph, per rule class

    python benchmarks/eval_boilerplate.py [--synthetic 300] [--json out.json]
"""

from __future__ import annotations

import argparse
import html as html_mod
import json
import re
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import pyarrow.dataset as ds

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import make  # noqa: E402

from docclean.run import runner  # noqa: E402

_JUNK = re.compile(r"\{\{(\w+):(.*?)\}\}")


# ----------------------------------------------------------------------------- building the set

def build_samples(raw: Path, truth: dict) -> None:
    ann = json.loads((ROOT / "tests" / "data" / "annotations.json").read_text("utf-8"))["files"]
    for p in sorted((ROOT / "raw").glob("*.txt")):
        a = ann[p.name]
        bp = {b.strip() for b in a["boilerplate_lines"]}
        t = {"authored": [], "boilerplate": []}
        for line in p.read_text("utf-8").splitlines():
            line = line.strip(" \u3000\u00a0")
            if not line:
                continue
            if line in bp:
                t["boilerplate"].append(("annotated", line))
            elif re.fullmatch(r"[*＊xX×]+", line):
                t["boilerplate"].append(("mask_only", line))  # the notes: a left-out speech
            elif a["page"] and a["page"]["marker"] in line:
                t["authored"].append(line.replace(a["page"]["marker"], "").strip())
                t["boilerplate"].append(("page_marker", a["page"]["marker"]))
            else:
                t["authored"].append(line)
        name = f"samples/{p.name}"
        (raw / "samples").mkdir(parents=True, exist_ok=True)
        (raw / name).write_bytes(p.read_bytes())
        truth[name] = t


def _case_html(lines: list[tuple[str | None, str]]) -> str:
    """A generic template page: chrome in plain divs (no telling class names), article in <p>."""
    title_i = next(i for i, (cls, _) in enumerate(lines) if cls is None)
    head = [(c, t) for c, t in lines[:title_i]]
    title = lines[title_i][1]
    rest = lines[title_i + 1:]
    body_end = max(i for i, (c, _) in enumerate(rest) if c is None) + 1
    body, tail = rest[:body_end], rest[body_end:]

    def block(items):
        if not items:
            return ""
        if all(c == "navigation" for c, _ in items):
            links = "".join(f"<li><a href='/{i}'>{html_mod.escape(t)}</a></li>" for i, (_, t) in enumerate(items))
            return f"<div><ul>{links}</ul></div>"
        return "".join(f"<div>{html_mod.escape(t)}</div>" for _, t in items)

    paras = "".join(f"<p>{html_mod.escape(t)}</p>" if c is None else f"<div>{html_mod.escape(t)}</div>"
                    for c, t in body)
    return (f"<!DOCTYPE html><html><head><meta http-equiv='Content-Type' content='text/html; charset={{cs}}'>"
            f"<title>{html_mod.escape(title)}</title><style>.a{{{{color:red}}}}</style></head><body>"
            f"{block(head)}<div><h1>{html_mod.escape(title)}</h1><div>{paras}</div></div>"
            f"{block([x for x in tail if x[0] == 'navigation'])}"
            f"{block([x for x in tail if x[0] != 'navigation'])}<script>var s=1;</script></body></html>")


def build_cases(raw: Path, truth: dict, file: str = "cases.txt", part: str = "cases") -> None:
    text = (ROOT / "benchmarks" / "eval" / file).read_text("utf-8")
    for chunk in re.split(r"^=== ", text, flags=re.M)[1:]:
        header, *body = chunk.split("\n")
        name, *opts = header.split()
        opt = dict(o.split("=", 1) for o in opts)
        t = {"authored": [], "boilerplate": []}
        lines: list[tuple[str | None, str]] = []
        for line in body:
            if not line.strip():
                continue
            if line.startswith("!"):
                cls, rest = line[1:].split(" ", 1)
                # A marked boilerplate line may carry in-line junk too; the line as a whole goes.
                lines.append((cls, _JUNK.sub(lambda m: m.group(2), rest)))
                t["boilerplate"].append((cls, lines[-1][1]))
                continue
            for m in _JUNK.finditer(line):
                t["boilerplate"].append((m.group(1), m.group(2)))
            lines.append((None, _JUNK.sub(lambda m: m.group(2), line)))
            t["authored"].append(_JUNK.sub("", line))
        enc = opt.get("encoding", "utf-8")
        if opt.get("format") == "html":
            data = _case_html(lines).replace("{cs}", "gbk" if enc in ("gbk", "gb18030") else enc)
        else:
            data = "\n".join(x for _, x in lines)
        path = raw / part / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode(enc))
        truth[f"{part}/{name}"] = t


def build_synthetic(raw: Path, truth: dict, n: int) -> None:
    t: dict = {}
    make(n, raw / "synthetic", seed=11, truth=t)
    truth.update({f"synthetic/{k}": v for k, v in t.items()})


# ----------------------------------------------------------------------------- scoring

def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def score(out: Path, truth: dict) -> dict:
    paras = ds.dataset(out / "paragraphs", format="parquet").to_table().to_pylist()
    docs = ds.dataset(out / "documents", format="parquet").to_table().to_pylist()
    edits = ds.dataset(out / "edits", format="parquet").to_table().to_pylist()
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for p in paras:
        by_doc[p["doc_id"]].append(p)
    edits_by_doc: dict[str, list[dict]] = defaultdict(list)
    for e in edits:
        edits_by_doc[e["doc_id"]].append(e)

    parts = defaultdict(lambda: {"authored": 0, "kept": 0, "in_order": 0, "docs": 0,
                                 "bp": Counter(), "bp_left": Counter(),
                                 "removed_ok": Counter(), "removed_bad": Counter(), "lost": [], "left": []})
    for d in docs:
        srcs = d["sources"]
        if any(truth.get(s, {}).get("bad") for s in srcs):
            continue
        part = srcs[0].split("/", 1)[0]
        r = parts[part]
        r["docs"] += 1
        authored = [a for s in srcs for a in truth[s]["authored"]]
        bps = [b for s in srcs for b in truth[s]["boilerplate"]]
        out_texts = [p["text"] for p in sorted(by_doc[d["doc_id"]], key=lambda p: p["para_index"])]
        out_count = Counter(_norm(t) for t in out_texts)
        want = Counter(_norm(a) for a in authored)
        r["authored"] += len(authored)
        kept = sum(min(c, out_count[a]) for a, c in want.items())
        r["kept"] += kept
        it = iter(_norm(t) for t in out_texts)
        r["in_order"] += int(all(any(a == t for t in it) for a in (_norm(x) for x in authored)))
        extra = out_count - want
        lost = want - out_count
        r["lost"] += [a for a in lost.elements()][:3]
        for cls, text in bps:
            nb = _norm(text)
            r["bp"][cls] += 1
            # Left: an output paragraph that is not authored contains it (a whole line, or
            # in-line junk inside a paragraph), or is contained in it (a title repeated on a page).
            left = any(nb in t or (len(t) >= 4 and t in nb) for t in extra.elements())
            if left:
                r["bp_left"][cls] += 1
                r["left"].append(text)
        for e in edits_by_doc[d["doc_id"]]:
            if e["action"] != "remove" or e["scope"] != "line":
                continue
            # A removal is false when it took an authored paragraph that is now missing
            # (removing the second copy of a title repeated on a page is not).
            if _norm(e["before"]) in lost:
                r["removed_bad"][e["rule_class"]] += 1
            else:
                r["removed_ok"][e["rule_class"]] += 1

    report = {}
    total = {"authored": 0, "kept": 0, "bp": Counter(), "bp_left": Counter(),
             "removed_ok": Counter(), "removed_bad": Counter(), "docs": 0, "in_order": 0}
    for part, r in sorted(parts.items()):
        for k in total:
            total[k] = total[k] + r[k]
        report[part] = _summarize(r) | {"examples_lost": r["lost"][:5], "examples_left": r["left"][:8]}
    report["all"] = _summarize(total)
    return report


def _summarize(r) -> dict:
    recall = {c: round(1 - r["bp_left"][c] / n, 4) for c, n in sorted(r["bp"].items())}
    classes = set(r["removed_ok"]) | set(r["removed_bad"])
    precision = {c: round(r["removed_ok"][c] / (r["removed_ok"][c] + r["removed_bad"][c]), 4) for c in sorted(classes)}
    n_bp, n_left = sum(r["bp"].values()), sum(r["bp_left"].values())
    ok, bad = sum(r["removed_ok"].values()), sum(r["removed_bad"].values())
    return {
        "documents": r["docs"],
        "authored_paragraphs": r["authored"],
        "authored_kept": round(r["kept"] / max(1, r["authored"]), 4),
        "documents_in_order": round(r["in_order"] / max(1, r["docs"]), 4),
        "boilerplate_items": n_bp,
        "boilerplate_left": n_left,
        "recall": round(1 - n_left / max(1, n_bp), 4),
        "line_removals": ok + bad,
        "precision": round(ok / max(1, ok + bad), 4),
        "recall_by_class": recall,
        "precision_by_rule_class": precision,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--synthetic", type=int, default=300, help="synthetic documents (0 to skip)")
    ap.add_argument("--json", type=Path, help="write the full report here")
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="docclean-eval-"))
    raw, out = work / "raw", work / "out"
    truth: dict = {}
    build_samples(raw, truth)
    build_cases(raw, truth)
    build_cases(raw, truth, "heldout.txt", "heldout")
    if a.synthetic:
        build_synthetic(raw, truth, a.synthetic)
    runner.run_local(raw, out, no_repair=True)  # removal is scored on the text as written
    report = score(out, truth)
    print(f"{'part':<10} {'docs':>5} {'authored kept':>14} {'in order':>9} {'bp items':>9} "
          f"{'bp left':>8} {'recall':>7} {'removals':>9} {'precision':>10}")
    for part, r in report.items():
        print(f"{part:<10} {r['documents']:>5} {r['authored_kept']:>14.2%} {r['documents_in_order']:>9.0%} "
              f"{r['boilerplate_items']:>9} {r['boilerplate_left']:>8} {r['recall']:>7.2%} "
              f"{r['line_removals']:>9} {r['precision']:>10.2%}")
    print("\nrecall by class (all):", json.dumps(report["all"]["recall_by_class"], ensure_ascii=False))
    print("precision by rule class (all):", json.dumps(report["all"]["precision_by_rule_class"], ensure_ascii=False))
    for part, r in report.items():
        if r.get("examples_lost") or r.get("examples_left"):
            print(f"\n[{part}] authored lost: {r.get('examples_lost')}\n[{part}] boilerplate left: {r.get('examples_left')}")
    if a.json:
        a.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), "utf-8")


if __name__ == "__main__":
    main()
