"""Time docclean against a floor measured in the same run.

The floor is the least work any version of this job must do, in one
process: read each file, decode it (UTF-8 fast path, chardet otherwise),
split lines, write Parquet. Figures are ratios to it, because absolute
seconds on a shared 2-core machine are noise.

    python benchmarks/run.py --docs 1000 --docs 4000 --docs 16000

For each corpus size it measures, each in its own process tree (peak memory is
the tree's: the run's own process, its worker processes and Prefect's server, whether
this run started it or found it up, as the largest sum of their proportional set sizes):
  floor      the floor above
  pipeline   docclean's cleaning in one process, no Prefect (runner.run_local)
  pipeline_no_repair   the same with every repair stage off: the repairs' cost
  cli        `docclean run` end to end: Prefect flow, both cores
  datatrove  the peer: the same corpus through a datatrove pipeline (benchmarks/peer_datatrove.py),
             one process, when datatrove is installed (the `bench` extra); no_repair_vs_datatrove is
             pipeline_no_repair's time over the peer's
  cli_rerun  `docclean run` again on the same, unchanged corpus (the server up)
and once, Prefect's fixed cost, as `docclean run` on a folder of one file that changed
(``prefect_startup``):
  first_run_new_home_s   no server and no database yet (creates it, starts the server)
  first_run_s            no server up (starts docclean's background server, docclean.run.server)
  rerun_s                the server up, as for any run within its idle time
  unchanged_rerun_s      the same folder again, nothing new: docclean starts no flow run
  baseline_python_s      the same-run floor of any run: `python -c "import docclean.cli.app"`
  local_rerun_s          the same one changed file cleaned without Prefect, in a new process
                         (runner.run_local): the work and imports every run needs anyway
  prefect_fixed_s        rerun_s - local_rerun_s: what Prefect itself adds to a run (import,
                         flow and task runs reported to the server); below 0 when `docclean run`'s
                         prestarted workers load the lexicons while Prefect imports, which a
                         one-process run cannot overlap
  samples_with_server_s  the 5 sample files in raw/, the server up
`prefect_overhead_s` is rerun_s, the cost every run pays (the ratios subtract it); the server is
stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def decode(data: bytes) -> str:
    """The least decoding any version of this job does: UTF-8, else chardet's guess (GB18030
    when it has none). The floor and the datatrove peer both decode this way."""
    import chardet

    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        enc = chardet.detect(data[:65536]).get("encoding") or "gb18030"
        try:
            return data.decode(enc, errors="replace")
        except LookupError:
            return data.decode("gb18030", errors="replace")


def floor(raw: Path, out: Path, batch: int = 200) -> None:
    """The floor, written batch by batch like docclean so memory is comparable."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    paths = sorted(p for p in raw.rglob("*") if p.is_file())
    for i in range(0, len(paths), batch):
        sources, linenos, texts = [], [], []
        for path in paths[i:i + batch]:
            text = decode(path.read_bytes())
            for n, line in enumerate(text.splitlines()):
                sources.append(path.name)
                linenos.append(n)
                texts.append(line)
        pq.write_table(pa.table({"source": sources, "line": linenos, "text": texts}), out / f"part-{i}.parquet")


def _servers() -> set[int]:
    """docclean's background Prefect servers: a run that finds one up uses it, but it is no
    child of that run (an earlier run started it), so its tree would leave it out."""
    found = set()
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/cmdline", "rb") as fh:
                    if b"docclean.run.server" in fh.read():
                        found.add(int(entry.name))
            except OSError:
                pass
    return found


def _tree_pss_mb(root: int) -> float:
    """Proportional set size of ``root``, all its descendants and docclean's background
    Prefect server (Linux /proc), in MB.

    PSS splits shared pages (the lexicons the forked workers share) between the
    processes using them, so the sum is the memory the whole run really holds.
    """
    parent: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat") as fh:
                    parent[int(entry.name)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    servers = _servers()
    tree, frontier = {root} | servers, [root, *servers]
    while frontier:
        pid = frontier.pop()
        kids = [c for c, p in parent.items() if p == pid and c not in tree]
        tree.update(kids)
        frontier += kids
    kb = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                kb += next(int(line.split()[1]) for line in fh if line.startswith("Pss:"))
        except (OSError, StopIteration):
            pass
    return kb / 1024


def _measure(cmd: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of one child process and everything it starts:
    the largest PSS sum over the tree, sampled every 0.2 s (max RSS of the child alone
    where /proc is missing)."""
    # stderr to a file, not a pipe: a chatty child (datatrove logs every step) would fill the
    # pipe and block, since it is read only at the end.
    err = tempfile.TemporaryFile()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err)
    peak, done = 0.0, threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.2):
            peak = max(peak, _tree_pss_mb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    if os.path.exists("/proc/self/smaps_rollup"):
        sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    done.set()
    if os.waitstatus_to_exitcode(status) != 0:
        err.seek(0)
        raise RuntimeError(f"{cmd} failed: {err.read().decode(errors='replace')[-2000:]}")
    err.close()
    return seconds, peak or usage.ru_maxrss / 1024


def _cli_env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(home)
    return env


def bench(n_docs: int, work: Path, skip_cli: bool, overhead: float | None) -> dict:
    from make_corpus import make

    raw = work / f"raw-{n_docs}"
    if not raw.exists():
        make(n_docs, raw)
    files = [p for p in raw.rglob("*") if p.is_file()]
    mb = sum(p.stat().st_size for p in files) / 1e6
    row = {"docs": n_docs, "files": len(files), "mb": round(mb, 1)}
    py = sys.executable
    for name, code in (("floor", f"import run; run.floor(__import__('pathlib').Path({str(raw)!r}), "
                                 f"__import__('pathlib').Path({str(work / 'floor')!r}))"),
                       ("pipeline", f"from docclean.run import runner; runner.run_local({str(raw)!r}, "
                                    f"{str(work / 'pipeline')!r})"),
                       ("pipeline_no_repair", f"from docclean.run import runner; runner.run_local({str(raw)!r}, "
                                              f"{str(work / 'pipeline_no_repair')!r}, no_repair=True)")):
        shutil.rmtree(work / name, ignore_errors=True)
        (work / "floor").mkdir(exist_ok=True)  # the floor writes into it; run_local makes its own
        s, rss = _measure([py, "-c", f"import sys; sys.path.insert(0, {str(HERE)!r}); {code}"])
        row[f"{name}_s"], row[f"{name}_peak_mb"] = round(s, 2), round(rss)
    try:  # the datatrove peer (pip install -e '.[bench]'), one process like run_local
        import datatrove  # noqa: F401
    except ImportError:
        row["datatrove_s"] = None
    else:
        peer = work / "datatrove"
        shutil.rmtree(peer, ignore_errors=True)
        shutil.rmtree(work / "datatrove-logs", ignore_errors=True)
        s, rss = _measure([py, str(HERE / "peer_datatrove.py"), str(raw), str(peer)])
        row.update(datatrove_s=round(s, 2), datatrove_peak_mb=round(rss), datatrove_ratio=round(s / row["floor_s"], 2))
        row["no_repair_vs_datatrove"] = round(row["pipeline_no_repair_s"] / s, 2)  # target: at most 1.0
    row["pipeline_ratio"] = round(row["pipeline_s"] / row["floor_s"], 2)
    row["pipeline_no_repair_ratio"] = round(row["pipeline_no_repair_s"] / row["floor_s"], 2)
    row["repair_cost_ratio"] = round(row["pipeline_s"] / row["pipeline_no_repair_s"], 2)  # with / without repairs
    if not skip_cli:
        out = work / "cli"
        shutil.rmtree(out, ignore_errors=True)
        s, rss = _measure([str(Path(py).with_name("docclean")), "run", "--raw", str(raw), "--out", str(out)],
                          _cli_env(work / ".prefect"))
        row.update(cli_s=round(s, 2), cli_peak_mb=round(rss), cli_ratio=round(s / row["floor_s"], 2),
                   cli_mb_per_s=round(mb / s, 2))
        row["cli_rerun_s"] = round(_measure([str(Path(py).with_name("docclean")), "run", "--raw", str(raw),
                                             "--out", str(out)], _cli_env(work / ".prefect"))[0], 2)
        if overhead is not None:
            row["cli_ratio_without_prefect_overhead"] = round((s - overhead) / row["floor_s"], 2)
    row["floor_mb_per_s"] = round(mb / row["floor_s"], 2)
    row["pipeline_mb_per_s"] = round(mb / row["pipeline_s"], 2)
    return row


def prefect_startup(work: Path) -> dict:
    """Prefect's fixed cost: `docclean run` on a folder of one file, changed before each run so
    that every run cleans it through the flow (a rerun with nothing new starts no flow run: that
    is ``unchanged_rerun_s``), without and with a server up."""
    one = work / "one-raw"
    one.mkdir(exist_ok=True)
    sample = sorted((HERE.parent / "raw").glob("*.txt"))[0].read_text("utf-8")
    runs = iter(range(1000))

    def changed() -> None:  # new content each time: the run must clean it
        (one / "doc.txt").write_text(f"{sample}\n第{next(runs)}次运行。", "utf-8")

    home = work / ".prefect"
    docclean = str(Path(sys.executable).with_name("docclean"))
    cmd = [docclean, "run", "--raw", str(one), "--out", str(work / "one-out")]
    stop = [docclean, "server", "stop"]
    subprocess.run(stop, env=_cli_env(home), capture_output=True)
    fresh = not (home / "prefect.db").exists()
    row = {}
    if fresh:
        changed()
        row["first_run_new_home_s"] = round(_measure(cmd, _cli_env(home))[0], 2)  # creates the database
        subprocess.run(stop, env=_cli_env(home), capture_output=True)
    changed()
    row["first_run_s"] = round(_measure(cmd, _cli_env(home))[0], 2)  # starts the background server
    reruns = []
    for _ in range(2):  # the server up
        changed()
        reruns.append(_measure(cmd, _cli_env(home))[0])
    row["rerun_s"] = round(min(reruns), 2)
    row["unchanged_rerun_s"] = round(_measure(cmd, _cli_env(home))[0], 2)  # nothing new: no flow run
    row["baseline_python_s"] = round(_measure([sys.executable, "-c", "import docclean.cli.app"])[0], 2)
    local = (f"from pathlib import Path; from docclean.run import runner; "
             f"runner.run_local(Path({str(one)!r}), Path({str(work / 'one-local')!r}))")
    locals_ = []
    for _ in range(2):
        changed()
        locals_.append(_measure([sys.executable, "-c", local])[0])
    row["local_rerun_s"] = round(min(locals_), 2)
    row["prefect_fixed_s"] = round(row["rerun_s"] - row["local_rerun_s"], 2)
    shutil.rmtree(work / "samples-out", ignore_errors=True)
    row["samples_with_server_s"] = round(_measure(
        [docclean, "run", "--raw", str(HERE.parent / "raw"), "--out", str(work / "samples-out")],
        _cli_env(home))[0], 2)
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, action="append", help="corpus size (repeatable); default 1000 4000")
    ap.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temp dir)")
    ap.add_argument("--skip-cli", action="store_true", help="skip the Prefect end-to-end timing")
    a = ap.parse_args()
    work = a.work or Path(tempfile.mkdtemp(prefix="docclean-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    startup = None if a.skip_cli else prefect_startup(work)
    overhead = None if startup is None else startup["rerun_s"]
    try:
        rows = [bench(n, work, a.skip_cli, overhead) for n in (a.docs or [1000, 4000])]
    finally:
        if not a.skip_cli:
            subprocess.run([str(Path(sys.executable).with_name("docclean")), "server", "stop"],
                           env=_cli_env(work / ".prefect"), capture_output=True)
    first = rows[0]
    for r in rows:  # growth: time per MB relative to the smallest corpus (1.0 = linear)
        r["pipeline_growth"] = round((r["pipeline_s"] / r["mb"]) / (first["pipeline_s"] / first["mb"]), 2)
        if "cli_s" in r:
            r["cli_growth_without_overhead"] = round(((r["cli_s"] - overhead) / r["mb"])
                                                     / ((first["cli_s"] - overhead) / first["mb"]), 2)
    report = {"prefect_overhead_s": overhead, "prefect_startup": startup, "cpus": os.cpu_count(), "sizes": rows}
    print(json.dumps(report, indent=1))
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / "results.json").write_text(json.dumps(report, indent=1), "utf-8")


if __name__ == "__main__":
    main()
