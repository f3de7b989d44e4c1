"""benchmarks/stages.py: every stage it reports still exists and is really timed."""

from __future__ import annotations

import sys
from pathlib import Path

from docclean.repair import paragraph as repair
from docclean.run import runner

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import stages  # noqa: E402


def test_every_stage_is_found_timed_and_restored(raw_copy, tmp_path):
    original = repair.repair_many
    seconds, calls, missing, restore = stages.instrument()
    try:
        assert missing == []  # a renamed function must be renamed in STAGES too
        assert repair.repair_many is not original
        runner.run_local(raw_copy, tmp_path / "out")
    finally:
        restore()
    assert repair.repair_many is original
    n_files = sum(1 for p in raw_copy.rglob("*") if p.is_file())
    assert calls["read and hash"] == n_files
    whole = "  repair (a document's paragraphs together)"
    assert 0 < calls[whole] <= n_files  # once per document
    assert calls["    masks"] > n_files  # once per paragraph
    assert seconds[whole] >= seconds["    typos: finding"] > 0  # inclusive times nest
