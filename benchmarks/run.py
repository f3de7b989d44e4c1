"""Time docclean against a floor measured in the same run.

The floor is the least work any version of this job must do, in one
process: read each file, decode it (UTF-8 fast path, chardet otherwise),
split lines, write one Parquet file. Figures are reported as ratios to it
because absolute seconds on a shared 2-core machine are noise.

    python benchmarks/run.py --docs 1000 [--docs 4000 ...] [--skip-cli]

Reports, per corpus size: MB, floor seconds, `runner.run_local` seconds (the
pipeline with no Prefect), `docclean run` seconds (the Prefect flow, which
adds a temporary server and worker start-up), MB/s, ratios and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import chardet
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import make  # noqa: E402

from docclean import runner  # noqa: E402


def floor(raw: Path, out: Path) -> float:
    t0 = time.perf_counter()
    sources, linenos, texts = [], [], []
    for path in sorted(p for p in raw.rglob("*") if p.is_file()):
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            enc = chardet.detect(data[:65536]).get("encoding") or "gb18030"
            text = data.decode(enc, errors="replace")
        for i, line in enumerate(text.splitlines()):
            sources.append(path.name)
            linenos.append(i)
            texts.append(line)
    pq.write_table(pa.table({"source": sources, "line": linenos, "text": texts}), out / "floor.parquet")
    return time.perf_counter() - t0


def cli_run(raw: Path, out: Path, home: Path) -> tuple[float, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(home)
    exe = Path(sys.executable).with_name("docclean")
    t0 = time.perf_counter()
    subprocess.run([str(exe), "run", "--raw", str(raw), "--out", str(out)], env=env, check=True,
                   capture_output=True)
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak_mb


def bench(n_docs: int, work: Path, skip_cli: bool) -> dict:
    raw = work / f"raw-{n_docs}"
    if not raw.exists():
        make(n_docs, raw)
    mb = sum(p.stat().st_size for p in raw.rglob("*") if p.is_file()) / 1e6
    row = {"docs": n_docs, "files": sum(1 for p in raw.rglob("*") if p.is_file()), "mb": round(mb, 2)}

    fl_out = work / "floor"
    shutil.rmtree(fl_out, ignore_errors=True)
    fl_out.mkdir()
    row["floor_s"] = round(floor(raw, fl_out), 2)

    local_out = work / "local"
    shutil.rmtree(local_out, ignore_errors=True)
    t0 = time.perf_counter()
    s = runner.run_local(raw, local_out)
    row["local_s"] = round(time.perf_counter() - t0, 2)
    row["local_ratio"] = round(row["local_s"] / row["floor_s"], 2)
    row["statuses"] = s.documents
    t0 = time.perf_counter()
    runner.run_local(raw, local_out)
    row["rerun_nothing_new_s"] = round(time.perf_counter() - t0, 2)

    if not skip_cli:
        cli_out = work / "cli"
        shutil.rmtree(cli_out, ignore_errors=True)
        row["cli_s"], row["cli_peak_rss_mb"] = (round(x, 1) for x in cli_run(raw, cli_out, work / ".prefect"))
        row["cli_ratio"] = round(row["cli_s"] / row["floor_s"], 2)
        row["cli_mb_per_s"] = round(mb / row["cli_s"], 2)
    row["local_mb_per_s"] = round(mb / row["local_s"], 2)
    row["local_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return row


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, action="append", help="corpus size (repeatable); default 1000")
    ap.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temp dir)")
    ap.add_argument("--skip-cli", action="store_true", help="skip the Prefect end-to-end timing")
    a = ap.parse_args()
    work = a.work or Path(tempfile.mkdtemp(prefix="docclean-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = [bench(n, work, a.skip_cli) for n in (a.docs or [1000])]
    print(json.dumps(rows, indent=1, ensure_ascii=False))
    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    (out / "results.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False), "utf-8")


if __name__ == "__main__":
    main()
