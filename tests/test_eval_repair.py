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


def test_real_documents_get_their_set_phrase_fixes_and_no_other(rr):
    """The samples' misspelled set phrases are repaired by the general matcher (sound or
    shape, data/shapes.tsv; 锚定目标 from data/official_phrases.txt), and nothing else in
    them is changed as a set phrase."""
    report = ev.typo_edits_on(SAMPLES, rr)
    got = sorted({(e["before"], e["after"]) for e in report["edits"]
                  if e["rule"] in ("set_phrase", "xinli_inside") and e["action"] == "repair"})
    assert got == [("心理", "心里"), ("筒政放权", "简政放权"), ("融汇贯通", "融会贯通"), ("铆定目标", "锚定目标")]


def test_csc_scores_count_both_sides(rr):
    pairs = [("深入推进筒政放权改革", "深入推进简政放权改革"),  # fixed
             ("加快工业互连网标准建设", "加快工业互联网标准建设"),  # missed (互连 is a word itself)
             ("推进简政放权,做到融会贯通", "推进简政放权,做到融会贯通")]  # correct; the comma is folded
    s = ev.csc_scores(pairs, rr)
    assert (s["erroneous"], s["fully_corrected"], s["correct"], s["correct_changed"]) == (2, 1, 1, 0)
    assert s["char_errors"] == 2 and s["char_fixed"] == 1 and s["char_precision"] == 1.0
    assert s["false_edits_per_10k"] == 0.0


def test_csc_split_files_are_read():
    if not ev.CSC.exists():
        pytest.skip("no shared ECSpell sets next to the repository")
    pairs = ev.csc_pairs("odw.train")
    assert len(pairs) == 1720 and sum(len(s) == len(t) for s, t in pairs) >= 1719  # one pair differs in length
