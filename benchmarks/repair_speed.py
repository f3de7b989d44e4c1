"""Repair-stage speed per MB and memory, with and without the set-phrase matcher and the
word-level stage (confusion.ConfusionScorer.find_words), in one run.

    python benchmarks/repair_speed.py [DIR ...]

Repairs every line of the .txt files under DIR (default: the cleaned pages of
../shared/benchmarks/zh-web-content and raw/) three times each way, alternating,
and prints seconds per MB of UTF-8 text for each and their ratio (likewise with the
word-level stage switched off, word_min_gain = 0, and on); and the process's
peak RSS after the lexicons are loaded without and with the set-phrase lexicon.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    import dataclasses

    from docclean import rules
    from docclean.input.decoding import decode
    from docclean.repair import typos
    from docclean.repair.confusion import scorer
    from docclean.repair.paragraph import repair
    dirs = [Path(d) for d in sys.argv[1:]] or [ROOT.parent / "shared" / "benchmarks" / "zh-web-content" / "cleaned",
                                               ROOT / "raw"]
    lines = [ln.strip() for d in dirs for p in sorted(d.glob("*.txt"))
             for ln in decode(p.read_bytes()).text.splitlines() if ln.strip()]
    mb = sum(len(ln.encode("utf-8")) for ln in lines) / 1e6
    rr = rules.load().repair
    typos.phrase_lexicon(rr.idiom_min_ratio)
    scorer()._cover(rr.confusion.min_cover_zipf)
    base_rss = rss_mb()
    matcher = typos.set_phrases()
    with_rss = rss_mb()
    real = typos.set_phrases

    class _Off:
        @staticmethod
        def find(text, cover=None):
            return []

    no_words = dataclasses.replace(rr, confusion=dataclasses.replace(rr.confusion, word_min_gain=0.0))
    sc = scorer()  # the word stage's lazy tables, built before set_phrases is switched off below
    sc._word_candidates()
    sc._sound_index(rr.confusion.word_min_two_zipf)
    sc._frequent_pairs(rr.confusion.word_min_zipf)
    repair("内蒙古自治区乌兰察布市大力培育发展大数局产业。", rr)
    times = {"without": [], "with": [], "no_words": []}
    for _ in range(3):
        for mode in ("without", "with", "no_words"):
            typos.set_phrases = (lambda: _Off) if mode == "without" else real
            r = no_words if mode == "no_words" else rr
            t = time.perf_counter()
            for ln in lines:
                repair(ln, r)
            times[mode].append(time.perf_counter() - t)
    typos.set_phrases = real
    best = {k: min(v) / mb for k, v in times.items()}
    print(f"{len(lines)} lines, {mb:.2f} MB; {len(matcher.words)} set phrases")
    print(f"s/MB without set phrases {best['without']:.2f}, with {best['with']:.2f}, "
          f"ratio {best['with'] / best['without']:.3f}")
    print(f"s/MB without the word-level stage {best['no_words']:.2f}, with {best['with']:.2f}, "
          f"ratio {best['with'] / best['no_words']:.3f}")
    print(f"peak RSS after lexicons: {base_rss:.0f} MB without the set-phrase lexicon, {with_rss:.0f} MB with")


if __name__ == "__main__":
    main()
