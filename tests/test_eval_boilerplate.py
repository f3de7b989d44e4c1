"""The annotated evaluation set as a regression test: precision first.

benchmarks/eval_boilerplate.py is the full benchmark (with a synthetic corpus
and per-class figures); here its hand-made and sample parts must keep every
authored paragraph, in order, remove nothing authored, and leave nearly no
boilerplate.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docclean.run import runner

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import eval_boilerplate as ev  # noqa: E402


def test_annotated_set(tmp_path):
    raw, out, truth = tmp_path / "raw", tmp_path / "out", {}
    ev.build_samples(raw, truth)
    ev.build_cases(raw, truth)
    ev.build_cases(raw, truth, "heldout.txt", "heldout")
    runner.run_local(raw, out, no_repair=True)
    report = ev.score(out, truth)
    for part in ("samples", "cases", "heldout"):
        r = report[part]
        assert r["documents"] >= 5, part
        assert r["authored_kept"] == 1.0, (part, r["examples_lost"])
        assert r["documents_in_order"] == 1.0, part
        assert r["precision"] == 1.0, part
        assert r["recall"] >= 0.95, (part, r["examples_left"])
