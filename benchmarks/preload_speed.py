"""Two start-up costs of a run that repairs, each against its baseline in the same run.

    python benchmarks/preload_speed.py [--rounds N]

1. The workers' preload (docclean.run.warm, imported by the forkserver before any worker
   starts): in a fresh interpreter each time, with the lexicon cache switched off (every
   table built from data/), and loading a cache this script wrote first in a temporary
   folder (docclean.repair.lexicons).
2. The line classifier's rule prefilter (rules.required_chars): ``classify`` on every page
   of the synthetic corpus (benchmarks/make_corpus.py, 300 documents) and of
   benchmarks/real_pages, with the prefilter and with it switched off (every rule searched
   on every line), alternating.

Best of --rounds (default 3) for each; seconds, and the ratio of each to its baseline.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

_WARM = "import time; t = time.perf_counter(); import docclean.run.warm as w; print(time.perf_counter() - t, w.STATUS)"


def _preload(cache: str) -> tuple[float, str]:
    env = {**os.environ, "DOCCLEAN_CACHE": cache,
           "PYTHONPATH": os.pathsep.join([str(HERE.parent / "src"), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-c", _WARM], capture_output=True, text=True, env=env, check=True)
    seconds, status = out.stdout.split(maxsplit=1)
    return float(seconds), status.strip()


def _pages(work: Path) -> list[list[str]]:
    from make_corpus import make

    from docclean.run.passes import source_lines
    make(300, work)
    pages = []
    for p in sorted(work.rglob("*")) + sorted((HERE / "real_pages").glob("*.txt")):
        if p.is_file():
            try:
                pages.append(source_lines(p.read_bytes(), p.name).lines)
            except Exception:  # the corpus's deliberately broken files
                pass
    return pages


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="docclean-preload-") as work:
        cache = str(Path(work) / "cache")
        first = _preload(cache)  # builds and writes the cache
        built, loaded = [], []
        for _ in range(a.rounds):
            built.append(_preload("off"))
            loaded.append(_preload(cache))
        assert {s for _, s in built} == {"built"} and {s for _, s in loaded} == {"loaded"}, (built, loaded)
        b, lo = min(s for s, _ in built), min(s for s, _ in loaded)
        print(f"preload: built {b:.2f} s, from the cache {lo:.2f} s ({lo / b:.2f}x); "
              f"the first run, building and writing it, {first[0]:.2f} s")

        from docclean import rules
        from docclean.lines.classify import classify
        from docclean.rules import LineRule

        pages = _pages(Path(work) / "corpus")
        r = rules.load(no_repair=True)
        real = LineRule.may_match
        times: dict[str, list[float]] = {"with": [], "without": []}
        for _ in range(a.rounds):
            for mode in times:
                LineRule.may_match = real if mode == "with" else (lambda self, chars: True)
                t = time.perf_counter()
                for lines in pages:
                    classify(lines, r)
                times[mode].append(time.perf_counter() - t)
        LineRule.may_match = real
        w, wo = min(times["with"]), min(times["without"])
        print(f"classify, {len(pages)} pages: with the rule prefilter {w:.2f} s, without {wo:.2f} s ({w / wo:.2f}x)")


if __name__ == "__main__":
    main()
