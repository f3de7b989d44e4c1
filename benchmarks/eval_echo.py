"""The document's own spelling (confusion_echo): false edits on real authored text, and
recall on one error injected per development page, stage on against off in the same run.

    python benchmarks/eval_echo.py [--seed N]

Documents are the expected paragraphs of the own development pages (benchmarks/real_pages,
not the held-aside sets) and of ../shared/real-pages-dev, each page one document. False
edits: every confusion_echo edit on them as they are. Recall: for each page, a two-character
word of the lists (Zipf min_cover_zipf or more) that the page writes 3+ times has one
occurrence's character swapped for a confusion-set alike (never a function character) that
makes no such word; restored = the repaired text has the original character back there.
The injected errors are synthetic: the figure says what the stage adds over the rest, not
how often real documents need it.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from docclean import rules  # noqa: E402
from docclean.repair.confusion import scorer  # noqa: E402
from docclean.repair.paragraph import repair_many  # noqa: E402
from docclean.repair.typos import _FUNCTION  # noqa: E402
from eval_real_pages import pages_of  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    base = rules.load().repair
    on = dataclasses.replace(base, confusion=dataclasses.replace(base.confusion, echo_min_count=3.0))
    off = dataclasses.replace(base, confusion=dataclasses.replace(base.confusion, echo_min_count=0.0))
    pages = pages_of("own-dev") + pages_of("shared")
    docs = [json.loads(p.with_suffix(".paragraphs.json").read_text("utf-8")) for p in pages]
    false = [(p.name, e.before, e.after) for p, d in zip(pages, docs) for r in repair_many(d, on)
             for e in r.edits if e.rule == "confusion_echo"]
    sc = scorer()
    cover = sc._cover(base.confusion.min_cover_zipf)
    rng = random.Random(a.seed)
    cases = []
    for paras in docs:
        joined = "\n".join(paras)
        counts = Counter(joined[i:i + 2] for i in range(len(joined) - 1))
        words = sorted(w for w, n in counts.items() if n >= 3 and w in cover
                       and all("\u4e00" <= ch <= "\u9fff" for ch in w))
        if not words:
            continue
        w = rng.choice(words)
        k, s = rng.choice([(k, m.start()) for k, t in enumerate(paras) for m in re.finditer(re.escape(w), t)])
        j = rng.randrange(2)
        alts = sorted(c for c in sc.confusions.get(w[j], ()) if c not in _FUNCTION)
        rng.shuffle(alts)
        for c in alts:
            if w[:j] + c + w[j + 1:] not in cover:
                bad = list(paras)
                bad[k] = paras[k][:s + j] + c + paras[k][s + j + 1:]
                cases.append((bad, k, s + j, w[j]))
                break
    restored = {name: sum(repair_many(bad, r)[k].text[pos] == orig for bad, k, pos, orig in cases)
                for name, r in (("off", off), ("on", on))}
    chars = sum(len(p) for d in docs for p in d)
    print(f"{len(pages)} pages, {chars} characters of authored text: {len(false)} confusion_echo edits {false[:10]}")
    print(f"injected (seed {a.seed}): {len(cases)} pages, restored with the stage off {restored['off']}, "
          f"on {restored['on']}")


if __name__ == "__main__":
    main()
