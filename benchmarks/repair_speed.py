"""Repair-stage speed per MB and memory, with and without the set-phrase matcher and the
word-level stage (confusion.ConfusionScorer.find_words) and the document's own spelling
(confusion.ConfusionScorer._echoes), in one run.

    python benchmarks/repair_speed.py [DIR ...]

Repairs the .txt files under DIR (default: the cleaned pages of
../shared/benchmarks/zh-web-content and raw/), each file's lines as one document
(paragraph.repair_many, as a run repairs a document), three times each way,
alternating, and prints seconds per MB of UTF-8 text for each and their ratio:
without the set-phrase matcher, with it (the default), with the word-level stage
on (word_min_gain = 14), without the document's own spelling (echo_min_count = 0), and the default one paragraph at a time (paragraph.repair,
the pipeline before the paragraphs of a document were repaired together); and the
process's peak RSS after the lexicons are loaded without and with the set-phrase
lexicon.
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
    from docclean.repair.paragraph import repair, repair_many
    dirs = [Path(d) for d in sys.argv[1:]] or [ROOT.parent / "shared" / "benchmarks" / "zh-web-content" / "cleaned",
                                               ROOT / "raw"]
    docs = [[ln.strip() for ln in decode(p.read_bytes()).text.splitlines() if ln.strip()]
            for d in dirs for p in sorted(d.glob("*.txt"))]
    lines = [ln for doc in docs for ln in doc]
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

    words_on = dataclasses.replace(rr, confusion=dataclasses.replace(rr.confusion, word_min_gain=14.0))
    echo_off = dataclasses.replace(rr, confusion=dataclasses.replace(rr.confusion, echo_min_count=0))
    sc = scorer()  # the word stage's lazy tables, built before set_phrases is switched off below
    sc._word_candidates()
    sc._sound_index(rr.confusion.word_min_two_zipf)
    sc._frequent_pairs(rr.confusion.word_min_zipf)
    repair("内蒙古自治区乌兰察布市大力培育发展大数局产业。", words_on)
    times = {"without": [], "with": [], "words_on": [], "echo_off": [], "one_at_a_time": []}
    for _ in range(3):
        for mode in times:
            typos.set_phrases = (lambda: _Off) if mode == "without" else real
            r = {"words_on": words_on, "echo_off": echo_off}.get(mode, rr)
            t = time.perf_counter()
            if mode == "one_at_a_time":
                for ln in lines:
                    repair(ln, r)
            else:
                for doc in docs:
                    repair_many(doc, r)
            times[mode].append(time.perf_counter() - t)
    typos.set_phrases = real
    best = {k: min(v) / mb for k, v in times.items()}
    print(f"{len(docs)} documents, {len(lines)} lines, {mb:.2f} MB; {len(matcher.words)} set phrases")
    print(f"s/MB, documents repaired whole: without set phrases {best['without']:.2f}, "
          f"with (the default) {best['with']:.2f}, ratio {best['with'] / best['without']:.3f}")
    print(f"s/MB with the word-level stage on {best['words_on']:.2f}, ratio to the default "
          f"{best['words_on'] / best['with']:.3f}")
    print(f"s/MB without the document's own spelling (echo_min_count = 0) {best['echo_off']:.2f}; "
          f"the default is {best['with'] / best['echo_off']:.3f}x that")
    print(f"s/MB one paragraph at a time {best['one_at_a_time']:.2f}; documents whole are "
          f"{best['one_at_a_time'] / best['with']:.2f}x faster")
    print(f"peak RSS after lexicons: {base_rss:.0f} MB without the set-phrase lexicon, {with_rss:.0f} MB with")


if __name__ == "__main__":
    main()
