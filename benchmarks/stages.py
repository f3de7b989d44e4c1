"""Where the time goes: docclean's stages timed inside one in-process run.

    python benchmarks/stages.py --docs 1000

Runs ``runner.run_local`` on a synthetic corpus (benchmarks/make_corpus.py) with
timing wrappers around the functions below, and the floor of benchmarks/run.py
on the same files in the same process, so each stage is reported as seconds,
share of the run, and a ratio to the floor. The wrappers cost about a
microsecond per call; the paragraph-level stages are called once per paragraph.

Times are inclusive: a stage nested in another (the idiom lexicon and the
confusion scorer inside "typos") is counted in both; the tree below shows the
nesting. A name that no longer exists is reported as missing, not skipped
silently, so the list is kept up to date with the code.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

# (label, module, attribute): the attribute is patched where callers look it up.
STAGES = [
    ("read and hash", "docclean.run.passes", "read_bytes"),
    ("extract one file", "docclean.run.passes", "extract_bytes"),
    ("  decode + HTML extraction", "docclean.run.passes", "source_lines"),
    ("  boilerplate lines", "docclean.lines.classify", "classify"),
    ("    lexical model (a page's short lines)", "docclean.lines.lexical.LineModel", "logits"),
    ("  site-template candidates", "docclean.lines.templates", "candidates"),
    ("finish a file (learned templates, wraps)", "docclean.run.passes", "finish"),
    ("build documents", "docclean.run.passes", "build_document"),
    ("  stitch pages", "docclean.lines.pages", "stitch"),
    ("  paragraphs and structure", "docclean.lines.structure", "build_paragraphs"),
    ("  repair (a document's paragraphs together)", "docclean.repair.paragraph", "repair_many"),
    ("    masks", "docclean.repair.paragraph", "_masks"),
    ("    protected spans", "docclean.repair.paragraph", "_protected"),
    ("    typos: finding", "docclean.repair.paragraph", "_typo_findings"),
    ("      idioms (by sound)", "docclean.repair.typos.PhraseLexicon", "find"),
    ("      set phrases (by sound or shape)", "docclean.repair.typos.SetPhraseMatcher", "find"),
    ("      confusion scorer", "docclean.repair.confusion.ConfusionScorer", "find"),
    ("      context pairs", "docclean.repair.typos", "context_pairs"),
    ("    typos: applying", "docclean.repair.paragraph", "_apply_typos"),
    ("    variants", "docclean.repair.paragraph", "_variants"),
    ("    punctuation", "docclean.repair.paragraph", "_punctuation"),
    ("write Parquet parts", "docclean.store.folder.Store", "write_part"),
]


def _owner(path: str):
    """The module or class named by a dotted path (the longest importable prefix, then attributes)."""
    import importlib

    parts = path.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for name in parts[i:]:
            obj = getattr(obj, name)
        return obj
    raise ImportError(path)


def instrument():
    """Wrap every stage; returns (seconds, calls, missing, restore), restore() unwrapping them."""
    seconds: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)
    missing, originals = [], []
    for label, where, attr in STAGES:
        try:
            owner = _owner(where)
            fn = getattr(owner, attr)
        except (ImportError, AttributeError):
            missing.append(f"{where}.{attr}")
            continue

        def timed(*args, __fn=fn, __label=label, **kw):
            t = time.perf_counter()
            try:
                return __fn(*args, **kw)
            finally:
                seconds[__label] += time.perf_counter() - t
                calls[__label] += 1

        originals.append((owner, attr, fn))
        setattr(owner, attr, timed)

    def restore() -> None:
        for owner, attr, fn in reversed(originals):
            setattr(owner, attr, fn)

    return seconds, calls, missing, restore


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temp dir)")
    a = ap.parse_args()
    work = a.work or Path(tempfile.mkdtemp(prefix="docclean-stages-"))
    raw = work / f"raw-{a.docs}"
    if not raw.exists():
        from make_corpus import make

        make(a.docs, raw)
    import run as bench

    from docclean.run import runner, warm  # noqa: F401  (lexicons loaded before timing, as in the workers)

    floor_out = work / "floor"
    shutil.rmtree(floor_out, ignore_errors=True)
    floor_out.mkdir(parents=True)
    t = time.perf_counter()
    bench.floor(raw, floor_out)
    floor = time.perf_counter() - t

    seconds, calls, missing, _ = instrument()
    out = work / "out"
    shutil.rmtree(out, ignore_errors=True)
    t = time.perf_counter()
    runner.run_local(raw, out)
    total = time.perf_counter() - t

    rows = [{"stage": label, "seconds": round(seconds[label], 2), "calls": calls[label],
             "share_of_run": round(seconds[label] / total, 3), "ratio_to_floor": round(seconds[label] / floor, 2)}
            for label, _, _ in STAGES if label in seconds]
    report = {"docs": a.docs, "floor_s": round(floor, 2), "run_s": round(total, 2),
              "run_ratio_to_floor": round(total / floor, 2), "stages": rows, "missing": missing}
    print(f"floor {floor:.2f} s, run_local {total:.2f} s ({total / floor:.1f}x the floor)")
    print(f"{'stage':36s} {'seconds':>8s} {'calls':>8s} {'of run':>7s} {'x floor':>8s}")
    for r in rows:
        print(f"{r['stage']:36s} {r['seconds']:8.2f} {r['calls']:8d} {r['share_of_run']:7.1%} {r['ratio_to_floor']:8.2f}")
    for m in missing:
        print(f"missing: {m} (update STAGES in {Path(__file__).name})")
    (HERE / "out").mkdir(exist_ok=True)
    (HERE / "out" / "stages.json").write_text(json.dumps(report, indent=1), "utf-8")


if __name__ == "__main__":
    main()
