"""Check a helper's folder of newly labelled real pages before it joins benchmarks/real_pages.

    python3 tools/labelling/check.py DIR
    python3 tools/labelling/check.py --used     # the hosts earlier sets used, one a line

Each NN.txt needs NN.labels.json and NN.paragraphs.json in the format of
../shared/real-pages-dev/README.md (tools/labelling/PROMPT.md is the brief helpers get). Checks
line counts, labels and classes, in-line strings, that paragraphs.json follows from the labels,
and that no page's host or registered domain is one an earlier set used (the shared set and
benchmarks/real_pages), so a new set is made of new sites. Prints the problems, then OK.
"""
import glob
import json
import re
import sys
import unicodedata
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent.parent
d = Path(sys.argv[1]).resolve() if sys.argv[1] != "--used" else None
CLASSES = set("banner site_title_repeat metadata share_prompt ad app_prompt navigation related_list copyright contact page_marker jammer seo_keyword attribution ui_control comment other".split())
used = set()
for f in [*glob.glob(str(ROOT / "benchmarks/real_pages/*.labels.json")),
          *glob.glob(str(ROOT.parent / "shared/real-pages-dev/*.labels.json"))]:
    if Path(f).parent != d:
        used.add(urlparse(json.loads(Path(f).read_text("utf-8")).get("url", "")).netloc.lower())
if d is None:
    print("\n".join(sorted(h for h in used if h)))
    sys.exit(0)
def reg(h):
    p = h.split(":")[0].split(".")
    if len(p) >= 3 and p[-2] in ("com", "gov", "edu", "org", "net") and len(p[-1]) == 2:
        return ".".join(p[-3:])
    return ".".join(p[-2:])
used_reg = {reg(h) for h in used}
bad = []
hosts = {}
txts = sorted(d.glob("*.txt"))
for t in txts:
    n = t.stem
    try:
        lab = json.loads((d / f"{n}.labels.json").read_text())
        paras = json.loads((d / f"{n}.paragraphs.json").read_text())
    except Exception as e:
        bad.append(f"{n}: {e}"); continue
    lines = t.read_text(encoding="utf-8").splitlines()
    if len(lines) != len(lab["lines"]):
        bad.append(f"{n}: {len(lines)} lines, {len(lab['lines'])} labels"); continue
    for k in ("url", "genre", "site_kind", "notes"):
        if not lab.get(k): bad.append(f"{n}: no {k}")
    h = urlparse(lab.get("url", "")).netloc.lower()
    if h in used: bad.append(f"{n}: host {h} already used in an earlier set")
    if reg(h) in used_reg: bad.append(f"{n}: site {reg(h)} (registered domain) already used in an earlier set")
    if h in hosts: bad.append(f"{n}: host {h} also in {hosts[h]}")
    hosts[h] = n
    out, prev = [], None
    inl = {}
    for e in lab.get("inline", []):
        i = e["line"]
        if not 0 <= i < len(lines) or e["text"] not in lines[i]:
            bad.append(f"{n}: inline {e['text']!r} not in line {i}")
        if e.get("class") not in CLASSES: bad.append(f"{n}: inline class {e.get('class')!r}")
        inl.setdefault(i, []).append(e["text"])
    for i, (line, l) in enumerate(zip(lines, lab["lines"])):
        lb = l["label"]
        if lb not in ("content", "cont", "boilerplate", "blank"):
            bad.append(f"{n}:{i} label {lb!r}"); continue
        if lb == "blank" and line.strip(): bad.append(f"{n}:{i} blank label on text")
        if lb != "blank" and not line.strip(): bad.append(f"{n}:{i} {lb} on empty line")
        if lb == "boilerplate" and l.get("class") not in CLASSES: bad.append(f"{n}:{i} class {l.get('class')!r}")
        if lb in ("content", "cont"):
            s = line
            for j in inl.get(i, []): s = s.replace(j, "", 1)
            if lb == "cont" and out: out[-1] += s.strip()
            elif lb == "cont": bad.append(f"{n}:{i} cont with no paragraph before")
            else: out.append(s.strip())
    norm = lambda s: re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))
    if [norm(p) for p in out] != [norm(p) for p in paras]:
        bad.append(f"{n}: paragraphs.json differs from the labels ({len(out)} vs {len(paras)})")
    if not out: bad.append(f"{n}: no content")
print("\n".join(bad))
print(f"{len(txts)} pages", "OK" if not bad and txts else "PROBLEMS")
