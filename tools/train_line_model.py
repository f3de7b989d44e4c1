"""Fit the line classifier's lexical model (docclean.lines.lexical) on labelled real pages.

    .venv/bin/python tools/train_line_model.py [--exclude aa,y] [--out FILE] [--folds 5]

Trains on the development pages only: the shared set (../shared/real-pages-dev) and
benchmarks/real_pages' own-dev sets, as benchmarks/eval_real_pages.py splits them. Held-aside
pages are never read, so the generalisation figure stays honest; ``--exclude`` leaves more
sets out (to measure a new set before the model has seen it). Every non-blank line of at most
``lexical.MAX_LEN`` characters is one example: boilerplate 1, authored 0.

Logistic regression with L2, fitted by full-batch Adam in NumPy (deterministic: the same pages
give the same file). ``--folds`` first prints a cross-validation by set (a set's pages are
never in its own training fold): AUC and, per threshold, the share of boilerplate lines found
and of authored lines flagged.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from eval_real_pages import pages_of, set_of

from docclean.lines import lexical

OUT = ROOT / "src" / "docclean" / "data" / "line_model.tsv.gz"


def examples(exclude: set[str]) -> list[tuple[str, str, int]]:
    """(set, line, label) for every labelled line the model may learn from."""
    rows = []
    for name in ("shared", "own-dev"):
        for page in pages_of(name):
            group = "shared" if name == "shared" else set_of(page)
            if group in exclude:
                continue
            labels = json.loads(page.with_suffix(".labels.json").read_text("utf-8"))["lines"]
            for line, lab in zip(page.read_text("utf-8").splitlines(), labels):
                if lab["label"] != "blank" and line.strip() and len(line.strip()) <= lexical.MAX_LEN:
                    rows.append((group, line, int(lab["label"] == "boilerplate")))
    return rows


# The fit's settings, for the command line and for callers (eval_real_pages.py --out-of-fold).
FIT_DEFAULTS = {"l2": 1e-3, "iters": 300, "min_df": 2}


def fit(rows, l2: float, iters: int, min_df: int) -> lexical.LineModel:
    """Logistic regression over the lines' n-gram counts and length buckets."""
    codes, owner, buckets = lexical.grams([line for _, line, _ in rows])
    # A feature seen in fewer than min_df lines is one page's accident: left out.
    uniq, inverse = np.unique(codes, return_inverse=True)
    pairs = np.unique(inverse * len(rows) + owner)
    keep = np.bincount(pairs // len(rows), minlength=len(uniq)) >= min_df
    col = np.cumsum(keep) - 1
    sel = keep[inverse]
    nb = lexical.BUCKETS
    nfeat = int(keep.sum())
    idx = np.concatenate([col[inverse[sel]], nfeat + buckets])
    row = np.concatenate([owner[sel], np.arange(len(rows))])
    y = np.array([r[2] for r in rows], dtype=float)
    w, b = np.zeros(nfeat + nb), 0.0
    m, v, mb, vb = np.zeros_like(w), np.zeros_like(w), 0.0, 0.0
    lr, beta1, beta2 = 0.05, 0.9, 0.999
    for t in range(1, iters + 1):
        z = np.bincount(row, weights=w[idx], minlength=len(rows)) + b
        r = (1 / (1 + np.exp(-z)) - y) / len(rows)
        g = np.bincount(idx, weights=r[row], minlength=len(w)) + l2 * w
        gb = float(r.sum())
        m, v = beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g * g
        mb, vb = beta1 * mb + (1 - beta1) * gb, beta2 * vb + (1 - beta2) * gb * gb
        c1, c2 = 1 - beta1 ** t, 1 - beta2 ** t
        w -= lr * (m / c1) / (np.sqrt(v / c2) + 1e-8)
        b -= lr * (mb / c1) / (math.sqrt(vb / c2) + 1e-8)
    bucket_w = np.zeros(lexical.BUCKETS)
    bucket_w[:nb] = w[nfeat:]
    # Weights too small to move a line are dropped: a smaller file, the same decisions.
    gram_w = np.round(w[:nfeat], 3)
    big = np.abs(gram_w) >= 0.01
    return lexical.LineModel(uniq[keep][big], gram_w[big], np.round(bucket_w, 3), b)


def lexical_folds(folds: int):
    """For each of ``folds`` groups of the own-dev sets, yield (k, the group's sets) with
    $DOCCLEAN_LINE_MODEL naming a model fitted without the group: the lexical evidence a page
    gets from a model that never saw it. The variable is restored afterwards."""
    sets = sorted({set_of(p) for p in pages_of("own-dev")})
    with restored_env("DOCCLEAN_LINE_MODEL", lexical.model.cache_clear), \
            tempfile.TemporaryDirectory(prefix="docclean-oof-") as work:
        for k in range(folds):
            group = sets[k::folds]
            path = Path(work) / f"lexical{k}.tsv.gz"
            fit(examples(set(group)), **FIT_DEFAULTS).write(path, ["out-of-fold model"])
            os.environ["DOCCLEAN_LINE_MODEL"] = str(path)
            lexical.model.cache_clear()
            yield k, group


@contextmanager
def restored_env(name: str, reload) -> Iterator[None]:
    """Leave ``$name`` as it was found, and call ``reload`` (a model cache's clear) on the way
    out, however the body ends."""
    before = os.environ.get(name)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before
        reload()


def cross_validate(rows, folds: int, **kw) -> None:
    groups = sorted({g for g, _, _ in rows})
    scored = []
    for k in range(folds):
        held = set(groups[k::folds])
        model = fit([r for r in rows if r[0] not in held], **kw)
        test = [r for r in rows if r[0] in held]
        scored += list(zip(model.logits([line for _, line, _ in test]).tolist(), (y for _, _, y in test)))
    scored.sort()
    pos = sum(y for _, y in scored)
    neg = len(scored) - pos
    below = pairs = 0
    for _, y in scored:
        if y:
            pairs += below
        else:
            below += 1
    print(f"cross-validation by set ({folds} folds, {len(groups)} sets): AUC {pairs / (pos * neg):.3f}")
    for th in (-1, 0, 1, 2, 3):
        found = sum(1 for s, y in scored if s > th and y)
        flagged = sum(1 for s, y in scored if s > th and not y)
        print(f"  logit > {th:2d}: boilerplate found {found / pos:.1%}, authored flagged {flagged / neg:.1%}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--exclude", default="", help="sets left out, comma-separated (aa,y)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--folds", type=int, default=0, help="print a cross-validation by set first")
    ap.add_argument("--l2", type=float, default=FIT_DEFAULTS["l2"])
    ap.add_argument("--iters", type=int, default=FIT_DEFAULTS["iters"])
    ap.add_argument("--min-df", type=int, default=FIT_DEFAULTS["min_df"])
    a = ap.parse_args()
    exclude = {s for s in a.exclude.split(",") if s}
    rows = examples(exclude)
    kw = {"l2": a.l2, "iters": a.iters, "min_df": a.min_df}
    if a.folds:
        cross_validate(rows, a.folds, **kw)
    model = fit(rows, **kw)
    sets = sorted({g for g, _, _ in rows})
    model.write(a.out, [
        "docclean line model: log-odds that a line is boilerplate, per folded character 1-3-gram.",
        (f"Fitted by tools/train_line_model.py (l2 {a.l2}, {a.iters} iterations, min_df {a.min_df}) on "
         f"{len(rows)} labelled lines ({sum(r[2] for r in rows)} boilerplate) of the development pages:"),
        "sets " + " ".join(sets) + ("; left out: " + " ".join(sorted(exclude)) if exclude else "") + ".",
        "Held-aside pages are never read. Regenerate with the command above; do not edit by hand.",
    ])
    print(f"{len(rows)} lines, {len(model.weights)} n-gram weights -> {a.out}")


if __name__ == "__main__":
    main()
