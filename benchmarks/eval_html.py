"""Score HTML main-text extraction on real Chinese web pages, docclean beside trafilatura.

The set is /work/shared/benchmarks/zh-web-content (or --data DIR): 69 cached pages
(original/NAME.html) with the main text copied out by hand (cleaned/NAME.txt), split
into dev.txt (tune on these) and test.txt (report only).

Each page is run the way a user runs docclean: passes.process_bytes on the page's
bytes with the shipped rules, the text of result.lines joined (what becomes paragraphs;
the boilerplate line rules have run after HTML extraction). trafilatura, when
installed, gets the same bytes with its default settings. The dataset's
``<text id=… title=… encoding=…>`` wrapper (and its closing ``</text>``) is cut off
before either tool sees the page.

Score: fold width (NFKC) and remove all whitespace on both sides, then compare
character 3-gram multisets: precision = share of the output's 3-grams found in the
hand-made text, recall = share of the hand-made text's 3-grams found in the output,
F1 per page, then the mean over pages, per split.

    python benchmarks/eval_html.py [--split dev|test|both] [--show N] [--decoded]

--show N prints the N worst dev pages for docclean (never test pages: those are for
reporting only).
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Callable

from docclean import rules as rules_mod
from docclean.input.decoding import decode, meta_charset
from docclean.run import passes

DATA = Path("/work/shared/benchmarks/zh-web-content")
_WRAP_OPEN = re.compile(rb"\A\s*<text\s+id=[^>\n]*>[ \t]*\r?\n?")
_WRAP_CLOSE = re.compile(rb"\s*</text>\s*\Z")


def strip_wrapper(data: bytes) -> bytes:
    """The page bytes without the dataset's <text …> wrapper (not every file has one)."""
    m = _WRAP_OPEN.match(data)
    if not m:
        return data
    return _WRAP_CLOSE.sub(b"\n", data[m.end():])


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _grams(text: str, n: int = 3) -> Counter:
    t = _norm(text)
    return Counter(t[i:i + n] for i in range(len(t) - n + 1))


def score(output: str, truth: str) -> tuple[float, float, float]:
    """(precision, recall, F1) of character 3-gram multisets."""
    out, ref = _grams(output), _grams(truth)
    common = sum((out & ref).values())
    p = common / sum(out.values()) if out else 0.0
    r = common / sum(ref.values()) if ref else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def run_docclean(data: bytes, name: str, ruleset) -> str:
    result = passes.process_bytes(data, f"{name}.html", ruleset)
    return "\n".join(line.text for line in result.lines)


def trafilatura_runner(decoded: bool = False) -> Callable[[bytes], str] | None:
    """trafilatura.extract with default settings, on the bytes or (``decoded``) on the
    text as docclean decodes it; None when trafilatura is not installed."""
    try:
        import trafilatura
    except ImportError:
        return None

    def run(data: bytes) -> str:
        if decoded:
            return trafilatura.extract(decode(data, declared=meta_charset(data)).text) or ""
        return trafilatura.extract(data) or ""

    return run


def _mean(rows: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    n = len(rows) or 1
    return tuple(sum(r[i] for r in rows) / n for i in range(3))  # type: ignore[return-value]


def evaluate(data_dir: Path, split: str, show: int = 0, decoded: bool = False) -> dict:
    ruleset = rules_mod.load()
    traf = trafilatura_runner(decoded)
    if traf is None:
        print("trafilatura is not installed: its columns are skipped "
              "(pip install trafilatura into the venv to compare)", file=sys.stderr)
    tools: dict[str, Callable[[bytes, str], str]] = {
        "docclean": lambda data, name: run_docclean(data, name, ruleset)}
    if traf is not None:
        tools["trafilatura"] = lambda data, name: traf(data)

    splits = ["dev", "test"] if split == "both" else [split]
    report: dict = {}
    for sp in splits:
        names = (data_dir / f"{sp}.txt").read_text("utf-8").split()
        per_tool: dict[str, dict[str, tuple[float, float, float]]] = {t: {} for t in tools}
        for name in names:
            data = strip_wrapper((data_dir / "original" / f"{name}.html").read_bytes())
            truth = (data_dir / "cleaned" / f"{name}.txt").read_text("utf-8")
            for tool, run in tools.items():
                per_tool[tool][name] = score(run(data, name), truth)
        report[sp] = {t: {"mean": _mean(list(rows.values())), "pages": rows}
                      for t, rows in per_tool.items()}
        _print_table(sp, len(names), report[sp])
        if sp == "dev" and show:
            _print_worst(report[sp], show)
    return report


def _print_table(split: str, n: int, rep: dict) -> None:
    print(f"\n{split} ({n} pages)")
    print(f"  {'tool':<12} {'P':>6} {'R':>6} {'F1':>6}")
    for tool, r in rep.items():
        p, rc, f = r["mean"]
        print(f"  {tool:<12} {p:6.3f} {rc:6.3f} {f:6.3f}")


def _print_worst(rep: dict, show: int) -> None:
    pages = rep["docclean"]["pages"]
    other = rep.get("trafilatura", {}).get("pages", {})
    print(f"\n  worst {show} dev pages for docclean (P R F1; trafilatura F1)")
    for name, (p, r, f) in sorted(pages.items(), key=lambda kv: kv[1][2])[:show]:
        tf = f"{other[name][2]:.3f}" if name in other else "-"
        print(f"  {name}  {p:.3f} {r:.3f} {f:.3f}   {tf}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--split", choices=["dev", "test", "both"], default="both")
    ap.add_argument("--show", type=int, default=0, metavar="N",
                    help="print the N worst dev pages (test pages are never shown)")
    ap.add_argument("--decoded", action="store_true",
                    help="give trafilatura the text as docclean decodes it rather than the bytes "
                         "(its own guess garbles some GBK pages)")
    args = ap.parse_args(argv)
    if not (args.data / "dev.txt").exists():
        print(f"no benchmark at {args.data}", file=sys.stderr)
        return 2
    evaluate(args.data, args.split, args.show, args.decoded)
    return 0


if __name__ == "__main__":
    sys.exit(main())
