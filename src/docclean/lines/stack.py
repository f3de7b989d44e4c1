"""The line classifier's last word: a learned model over the evidence the rules gathered.

The rules weigh each line's evidence with hand-set weights and thresholds, tuned page by
page on the development sets, and those weights generalise less well than the development
figures suggest (benchmarks/real_pages/README.md). This model reads, for every judged line,
what the rules concluded and why (the decision, the score, the chrome and lexical evidence,
the line's shape, its place relative to the title and the body, its neighbours' decisions)
and gives the probability that the line is boilerplate. It is fitted by gradient-boosted
trees on the labelled development pages (``tools/train_line_stack.py``, scikit-learn at
training time only; ``data/line_stack.json.gz``, provenance in ``data/PROVENANCE.md``),
with the lexical model's evidence taken from lexical models that never saw the page, so the
model learns how far to trust that evidence on pages it has not seen.

It decides the lines the rules judged on their weighed evidence only: a verdict rule's
removal, a removal a rule's weight took part in, a protected line (the title, official parts,
a table), what the page's structure removed (a title's repeat) and the page's text inside the
body when it is running text stay as the rules had them (the model never removes a sentence
of the body). ``[stack]`` in ``rules/lines.toml`` sets the threshold; 0 is off.

Hand-written evaluation (a few array operations per tree level, for a page's lines and all
trees at once): the trees are data, and the runtime needs no scikit-learn.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

# The features, in the order of a row. The trainer and the classifier build them here, once.
FEATURES = (
    "removed", "verdict", "protected", "is_title", "ruled", "weighed", "score", "chrome", "lexical", "layout",
    "log_len", "cjk_ratio", "has_sentence_end", "clauses", "prose", "running", "sentence",
    "position", "above_title", "before_body", "after_body", "inside_body",
    "prev_removed", "next_removed", "prev_score", "next_score", "first", "last",
)


def features(cands, title: int | None, b0: int, b1: int) -> np.ndarray:
    """One row of :data:`FEATURES` per candidate line of a page, in its final rule state."""
    n = len(cands)
    rows = np.zeros((n, len(FEATURES)), dtype=np.float64)
    for i, c in enumerate(cands):
        sh = c.shape
        p = cands[i - 1] if i > 0 else None
        q = cands[i + 1] if i + 1 < n else None
        rows[i] = (c.removed is not None, c.verdict is not None, c.protected is not None, i == title,
                   c.ruled, c.weighed, c.score, c.chrome, c.lexical or 0.0, c.layout,
                   math.log1p(sh.n), sh.cjk_ratio, sh.sentences > 0, min(sh.clauses, 5), sh.prose, sh.running,
                   sh.sentence, i / max(1, n - 1), title is not None and i < title, i < b0, i > b1, b0 <= i <= b1,
                   p is not None and p.removed is not None, q is not None and q.removed is not None,
                   p.score if p else 0.0, q.score if q else 0.0, p is None, q is None)
    return rows


def decide(x: np.ndarray, p: np.ndarray, threshold: float) -> np.ndarray:
    """What is removed once the model has had its say, per row of :func:`features`, given its
    probabilities ``p``. A verdict, a protected line and the title keep the rules' decision;
    a removal goes back only when it was weighed (evidence or neighbours) and no rule named
    it; a kept line goes above ``threshold`` unless it is running text inside the body."""
    col = {f: i for i, f in enumerate(FEATURES)}
    removed = x[:, col["removed"]] > 0
    fixed = (x[:, col["verdict"]] > 0) | (x[:, col["protected"]] > 0) | (x[:, col["is_title"]] > 0)
    revisable = (x[:, col["weighed"]] > 0) & (x[:, col["ruled"]] == 0)
    body_text = (x[:, col["inside_body"]] > 0) & ((x[:, col["sentence"]] > 0) | (x[:, col["running"]] > 0))
    sure = p > threshold
    return np.where(fixed, removed, np.where(removed, ~revisable | sure, sure & ~body_text))


@dataclass(frozen=True)
class Forest:
    """Regression trees in flat arrays (node i: go left when x[feature] <= threshold), whose
    leaf values sum with the baseline to the log-odds."""

    feature: np.ndarray    # int, per node
    threshold: np.ndarray  # float, per node
    left: np.ndarray       # int, per node (global index)
    right: np.ndarray
    leaf: np.ndarray       # bool, per node
    value: np.ndarray      # float, per node (leaves)
    roots: np.ndarray      # int, per tree
    depth: int
    baseline: float

    def proba(self, x: np.ndarray) -> np.ndarray:
        """Each row's probability of boilerplate."""
        if not len(x):
            return np.zeros(0)
        pos = np.broadcast_to(self.roots, (len(x), len(self.roots))).copy()
        rows = np.arange(len(x))[:, None]
        for _ in range(self.depth):
            go_left = x[rows, self.feature[pos]] <= self.threshold[pos]
            pos = np.where(self.leaf[pos], pos, np.where(go_left, self.left[pos], self.right[pos]))
        logit = self.baseline + self.value[pos].sum(axis=1)
        return 1.0 / (1.0 + np.exp(-logit))

    def write(self, path, header: dict) -> None:
        body = {"header": header, "features": list(FEATURES), "baseline": self.baseline, "depth": self.depth,
                "roots": self.roots.tolist(), "feature": self.feature.tolist(),
                "threshold": [round(float(v), 6) for v in self.threshold], "left": self.left.tolist(),
                "right": self.right.tolist(), "leaf": self.leaf.astype(int).tolist(),
                "value": [round(float(v), 6) for v in self.value]}
        with open(path, "wb") as fh:  # mtime 0: the same fit writes the same bytes
            fh.write(gzip.compress(json.dumps(body, ensure_ascii=False).encode("utf-8"), compresslevel=9, mtime=0))


def read(data: bytes) -> Forest:
    d = json.loads(gzip.decompress(data))
    if tuple(d["features"]) != FEATURES:
        raise ValueError("the line stack model was fitted on other features: refit it (tools/train_line_stack.py)")
    return Forest(np.array(d["feature"], np.int64), np.array(d["threshold"], np.float64),
                  np.array(d["left"], np.int64), np.array(d["right"], np.int64), np.array(d["leaf"], bool),
                  np.array(d["value"], np.float64), np.array(d["roots"], np.int64), int(d["depth"]),
                  float(d["baseline"]))


@lru_cache(maxsize=1)
def model() -> Forest | None:
    """The model in ``$DOCCLEAN_LINE_STACK`` (one fitted with tools/train_line_stack.py --out),
    else the shipped ``line_stack.json.gz``; None when it is missing (the rules decide alone)."""
    own = os.environ.get("DOCCLEAN_LINE_STACK")
    if own:
        return read(Path(own).read_bytes())
    try:
        return read(resources.files("docclean.data").joinpath("line_stack.json.gz").read_bytes())
    except FileNotFoundError:
        return None


def own_model_digest() -> str:
    """A digest of ``$DOCCLEAN_LINE_STACK``'s file, "" when unset (the extract fingerprint)."""
    own = os.environ.get("DOCCLEAN_LINE_STACK")
    return hashlib.sha256(Path(own).read_bytes()).hexdigest()[:12] if own else ""
