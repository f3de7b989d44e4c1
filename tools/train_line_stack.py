"""Fit the line classifier's line model (docclean.lines.stack) on labelled real pages.

    .venv/bin/pip install scikit-learn      # at training time only; the runtime reads the trees as data
    .venv/bin/python tools/train_line_stack.py [--out FILE] [--folds 5]

Trains on the development pages only (the shared set and benchmarks/real_pages' own-dev sets, as
benchmarks/eval_real_pages.py splits them); held-aside pages are never read. Every line the rules
judge is one example: its features (``stack.FEATURES``: the rules' decision and evidence, its shape,
place and neighbours) and its label, boilerplate 1, authored 0. The lexical model's evidence in the
features comes from lexical models fitted without the page's group of sets (``--folds`` groups), as
on a page the shipped model has not seen: fitted on in-sample evidence, the trees would learn to
trust it more than it deserves on new pages.

``--folds`` also prints a cross-validation by the same groups, line by line: boilerplate lines left
and authored lines removed, by the rules alone and with the model at the shipped threshold.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tools"))

from eval_real_pages import pages_of  # noqa: E402
from train_line_model import lexical_folds  # noqa: E402

from docclean import rules as rules_mod  # noqa: E402
from docclean.lines import classify, stack  # noqa: E402

OUT = ROOT / "src" / "docclean" / "data" / "line_stack.json.gz"
TREES = {"max_iter": 200, "learning_rate": 0.05, "max_leaf_nodes": 15, "random_state": 0}


def _rows(pages, ruleset, group: int) -> list[tuple[int, np.ndarray, int, bool]]:
    """(group, features, label, decidable) for every judged line of ``pages``."""
    out = []
    for page in pages:
        labels = json.loads(page.with_suffix(".labels.json").read_text("utf-8"))["lines"]
        trace: list = []
        classify.classify(page.read_text("utf-8").splitlines(), ruleset, trace)
        for x, linenos in trace:
            for row, lineno in zip(x, linenos):
                lab = labels[lineno - 1]["label"]
                if lab != "blank":
                    out.append((group, row, int(lab == "boilerplate")))
    return out


def collect(folds: int):
    """Every development page's rows, each with the lexical evidence of a model that never saw it."""
    ruleset = rules_mod.load(no_repair=True)
    ruleset = dataclasses.replace(ruleset, lines=dataclasses.replace(ruleset.lines, stack_threshold=0.0))
    rows = []
    for k, group in lexical_folds(folds):
        rows += _rows(pages_of("own-dev:" + ",".join(group)), ruleset, k)
    rows += _rows(pages_of("shared"), ruleset, folds)  # the shared set: in training only
    return (np.array([r[0] for r in rows]), np.array([r[1] for r in rows]), np.array([r[2] for r in rows]))


def forest(m) -> stack.Forest:
    """scikit-learn's fitted HistGradientBoostingClassifier as flat arrays."""
    nodes = [p[0].nodes for p in m._predictors]
    offsets = np.cumsum([0] + [len(n) for n in nodes[:-1]])
    cat = np.concatenate(nodes)
    shift = np.repeat(offsets, [len(n) for n in nodes])
    return stack.Forest(feature=cat["feature_idx"].astype(np.int64), threshold=cat["num_threshold"].astype(np.float64),
                        left=cat["left"].astype(np.int64) + shift, right=cat["right"].astype(np.int64) + shift,
                        leaf=cat["is_leaf"].astype(bool), value=cat["value"].astype(np.float64),
                        roots=offsets.astype(np.int64), depth=int(cat["depth"].max()),
                        baseline=float(np.ravel(m._baseline_prediction)[0]))


def main() -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--folds", type=int, default=5)
    a = ap.parse_args()
    threshold = rules_mod.load().lines.stack_threshold or 0.5
    group, x, y = collect(a.folds)
    # Cross-validation by group, with the classifier's policy.
    p = np.zeros(len(y))
    for k in range(a.folds):
        te = group == k
        p[te] = HistGradientBoostingClassifier(**TREES).fit(x[~te], y[~te]).predict_proba(x[te])[:, 1]
    dev = group < a.folds
    removed = x[:, stack.FEATURES.index("removed")] > 0
    for name, dec in (("rules alone", removed),
                      *((f"with the model at {t}", stack.decide(x, p, t)) for t in sorted({0.5, 0.6, 0.7, threshold}))):
        print(f"{name:28s} boilerplate left {int(((y == 1) & ~dec & dev).sum())}/{int(((y == 1) & dev).sum())}, "
              f"authored removed {int(((y == 0) & dec & dev).sum())}/{int(((y == 0) & dev).sum())}")
    m = HistGradientBoostingClassifier(**TREES).fit(x, y)
    f = forest(m)
    assert np.allclose(f.proba(x), m.predict_proba(x)[:, 1], atol=1e-6), "exported trees disagree with the fit"
    f.write(a.out, {"fitted_by": "tools/train_line_stack.py", "trees": TREES, "lines": int(len(y)),
                    "boilerplate": int(y.sum()), "sets": "shared and own-dev (benchmarks/eval_real_pages.py)",
                    "lexical_evidence": f"out-of-fold, {a.folds} groups of sets"})
    print(f"{len(y)} lines, {len(f.roots)} trees -> {a.out}")


if __name__ == "__main__":
    main()
