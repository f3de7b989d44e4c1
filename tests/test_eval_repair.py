"""The repair benchmark's offline parts as a regression test.

benchmarks/eval_repair.py is the full benchmark (it also fetches SIGHAN-2015);
here the injected errors must still be found, and the real samples, official
documents with a few real typos, must get no single-character "fix": their
coinages (抗疫, 提效, 增智) were this scorer's false edits before the
guards, so they stand for official writing the scorer has not seen.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from docclean import rules

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import eval_repair as ev  # noqa: E402

SAMPLES = ROOT / "raw"  # the real samples ship in raw/, the default input folder


@pytest.fixture(scope="module")
def rr():
    return rules.load().repair


def test_injected_errors_are_found(rr):
    report = ev.injected(ev.clean_paragraphs(), rr, random.Random(3))
    assert report["word"]["n"] >= 50 and report["word"]["recall"] > 0.5  # the target: most
    for kind in ("idiom", "punctuation", "mask", "variant"):
        assert report[kind]["n"] >= 30 and report[kind]["recall"] >= 0.95, kind
    assert report["acronym"]["recall"] >= 0.9


def test_no_false_edit_on_clean_official_text(rr):
    chars, edits, examples = ev.false_edits(ev.clean_paragraphs(), rr)
    assert chars > 2000 and edits == 0, examples


def test_no_single_character_fix_on_real_documents(rr):
    assert len(list(SAMPLES.glob("*.txt"))) >= 5
    report = ev.typo_edits_on(SAMPLES, rr)
    assert report["chars"] > 10_000
    fixes = [e for e in report["edits"] if e["rule"] == "confusion_char" and e["action"] == "repair"]
    assert fixes == []
