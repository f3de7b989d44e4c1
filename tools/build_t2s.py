"""Write src/docclean/data/t2s_chars.tsv: traditional -> simplified, one character each.

Run by a developer with OpenCC installed (pip install opencc); the output is committed.
The table only folds text before rule matching (so 時間/來源/第2頁 meet the same rules
as 时间/来源/第2页); docclean never rewrites the output with it.
"""

from pathlib import Path

import opencc

OUT = Path(__file__).resolve().parent.parent / "src" / "docclean" / "data" / "t2s_chars.tsv"


def main() -> None:
    cc = opencc.OpenCC("t2s")
    ranges = [range(0x3400, 0x4DC0), range(0x4E00, 0xA000), range(0xF900, 0xFB00)]
    pairs = [(c, s) for r in ranges for c in map(chr, r) if (s := cc.convert(c)) != c and len(s) == 1]
    with open(OUT, "w", encoding="utf-8") as fh:
        fh.write(f"# traditional<TAB>simplified, one character each: OpenCC {opencc.__version__} 't2s' applied to\n")
        fh.write("# every CJK code point (tools/build_t2s.py). Folds text for rule matching only.\n")
        fh.writelines(f"{t}\t{s}\n" for t, s in pairs)
    print(f"{len(pairs)} pairs -> {OUT}")


if __name__ == "__main__":
    main()
