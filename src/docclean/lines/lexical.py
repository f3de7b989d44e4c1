"""A line's lexical evidence: how much its characters look like site chrome.

The rules and vocabulary of ``rules/`` name chrome that someone thought of; a site nobody
looked at words its buttons, counters and prompts its own way. This model reads a short
line's character 1-3-grams (folded: width, traditional -> simplified, every digit 0, with
the line's start and end marked) and gives a log-odds that the line is boilerplate, learned
by logistic regression from docclean's labelled real pages (``tools/train_line_model.py``;
``data/line_model.tsv.gz``, provenance in ``data/PROVENANCE.md``). It is evidence like a
rule's weight, bounded (``[lexical]`` in ``rules/lines.toml``), never a verdict: a sentence
inside the body is still never removed on it, and protected lines stay.

Hand-written: the model is a table of weights summed over a line's n-grams. A library
(scikit-learn, fastText) would add a dependency and a binary format for a dot product the
trainer can fit with NumPy alone, and a table a user can read and extend.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from docclean import text as T

MAX_LEN = 80  # longer lines are paragraphs: the model neither learns nor scores them
_DIGIT = re.compile(r"\d")
_SPACE = re.compile(r"\s+")
BUCKETS = 9  # length buckets: 0-9, 10-19, … 80+ characters


def _codes(grams: list[str]) -> np.ndarray:
    """Each 1-3-gram as one integer: its code points side by side, 21 bits each (no code
    point is 0, so a unigram, a bigram and a trigram never share a code)."""
    out = []
    for g in grams:
        c = 0
        for n, ch in enumerate(g):
            c |= ord(ch) << (21 * n)
        out.append(c)
    return np.array(out, dtype=np.uint64)


def grams(lines: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every distinct 1-3-gram of every line, as codes, with the index of the line it is in;
    and each line's length bucket. One NumPy pass for a page's lines: the per-line Python
    work is the folding alone."""
    # Digits, spaces and case folded on the page's lines at once (\x01 joins them: no line has it).
    joined = _SPACE.sub(" ", _DIGIT.sub("0", "\x01".join(T.fold(x).strip() for x in lines).lower()))
    marked = ["^" + x + "$" for x in joined.split("\x01")] if lines else []
    lengths = np.fromiter((len(m) for m in marked), dtype=np.int64, count=len(marked))
    buckets = np.minimum(lengths - 2, BUCKETS * 10 - 1) // 10
    if not marked:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64), buckets
    cp = np.frombuffer("".join(marked).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    line = np.repeat(np.arange(len(marked)), lengths)
    codes, owner = [cp], [line]
    for k in (2, 3):  # a k-gram starts at i and stays inside its line
        same = line[:len(cp) - k + 1] == line[k - 1:]
        c = cp[:len(cp) - k + 1].copy()
        for j in range(1, k):
            c |= cp[j:len(cp) - k + 1 + j] << np.uint64(21 * j)
        codes.append(c[same])
        owner.append(line[:len(cp) - k + 1][same])
    codes, owner = np.concatenate(codes), np.concatenate(owner)
    # A feature counts once per line (present or not): a line that repeats a word is no surer.
    order = np.lexsort((codes, owner))
    codes, owner = codes[order], owner[order]
    first = np.ones(len(codes), dtype=bool)
    first[1:] = (codes[1:] != codes[:-1]) | (owner[1:] != owner[:-1])
    return codes[first], owner[first], buckets


def gram_text(code: int) -> str:
    out = []
    while code:
        out.append(chr(code & 0x1FFFFF))
        code >>= 21
    return "".join(out)


class LineModel:
    """A weight per n-gram code (sorted, for a binary search), per length bucket, and a bias."""

    __slots__ = ("bias", "buckets", "codes", "weights")

    def __init__(self, codes: np.ndarray, weights: np.ndarray, buckets: np.ndarray, bias: float) -> None:
        order = np.argsort(codes)
        self.codes, self.weights = codes[order], weights[order].astype(np.float32)
        self.buckets, self.bias = buckets.astype(np.float32), float(bias)

    def logits(self, lines: list[str]) -> np.ndarray:
        """Each line's boilerplate log-odds."""
        codes, owner, buckets = grams(lines)
        if not len(self.codes):
            return self.bias + self.buckets[buckets]
        at = np.minimum(np.searchsorted(self.codes, codes), len(self.codes) - 1)
        w = np.where(self.codes[at] == codes, self.weights[at], 0.0)
        return self.bias + self.buckets[buckets] + np.bincount(owner, weights=w, minlength=len(lines))

    def write(self, path, header: list[str]) -> None:
        """As text: comment lines (the provenance), the bias, the length buckets, then
        n-gram<TAB>weight (the n-gram's characters as they are, tabs and backslashes escaped)."""
        lines = ["".join(f"# {h}\n" for h in header), f"#bias\t{self.bias:.4f}\n",
                 "#length_buckets\t" + " ".join(f"{v:.3f}" for v in self.buckets) + "\n"]
        lines += [f"{_escape(text)}\t{v:.3f}\n"
                  for text, v in sorted((gram_text(int(c)), float(v)) for c, v in zip(self.codes, self.weights))]
        # mtime 0: the same fit writes the same bytes (no churn in version control, a stable digest).
        with open(path, "wb") as fh:
            fh.write(gzip.compress("".join(lines).encode("utf-8"), compresslevel=9, mtime=0))


def _escape(f: str) -> str:
    """Tabs and backslashes escaped, and a leading # (which starts the file's own lines)."""
    f = f.replace("\\", "\\\\").replace("\t", "\\t")
    return "\\" + f if f.startswith("#") else f


def _unescape(f: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\t" if m.group(1) == "t" else m.group(1), f)


@lru_cache(maxsize=1)
def model() -> LineModel | None:
    """The model in ``$DOCCLEAN_LINE_MODEL`` (one fitted on your own labelled pages with
    tools/train_line_model.py --out), else the shipped one; None when the shipped data file
    is missing (the evidence is then off). A path that is set but unreadable is an error."""
    own = os.environ.get("DOCCLEAN_LINE_MODEL")
    if own:
        return read(Path(own).read_bytes())
    try:
        return read(resources.files("docclean.data").joinpath("line_model.tsv.gz").read_bytes())
    except FileNotFoundError:
        return None


def own_model_digest() -> str:
    """A digest of ``$DOCCLEAN_LINE_MODEL``'s file, "" when unset: part of the extract
    stage's fingerprint, so a run with another model does not reuse extracts of the last."""
    own = os.environ.get("DOCCLEAN_LINE_MODEL")
    return hashlib.sha256(Path(own).read_bytes()).hexdigest()[:12] if own else ""


def read(data: bytes) -> LineModel:
    """A model from the bytes of a file ``LineModel.write`` wrote."""
    grams_, weights, bias, buckets = [], [], 0.0, np.zeros(BUCKETS)
    for row in gzip.decompress(data).decode("utf-8").split("\n"):
        if row.startswith("#bias\t"):
            bias = float(row.split("\t")[1])
        elif row.startswith("#length_buckets\t"):
            buckets = np.array([float(v) for v in row.split("\t")[1].split()])
        elif row and not row.startswith("#"):
            g, v = row.rsplit("\t", 1)
            grams_.append(_unescape(g))
            weights.append(float(v))
    return LineModel(_codes(grams_), np.array(weights), buckets, bias)
