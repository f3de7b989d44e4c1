"""The ``docclean`` command."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from docclean.input.rawfs import RawFolder, is_url
from docclean.rules import RuleError
from docclean.run import progress, runner

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Clean scraped Chinese documents into per-paragraph Parquet.")
console = Console(stderr=True)


class _RichReporter(progress.Reporter):
    """One bar per phase (cleaning, stitching): a new Progress each, so a finished phase's
    bar is printed once and not drawn again under the next."""

    def __init__(self) -> None:
        self._progress: Progress | None = None
        self._task = None

    def start(self, total: int, description: str) -> None:
        if total:
            self._progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                                      MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                                      transient=False)
            self._progress.start()
            self._task = self._progress.add_task(description, total=total)

    def advance(self, n: int) -> None:
        if self._progress is not None:
            self._progress.advance(self._task, n)

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = self._task = None


@app.callback()
def _main() -> None:
    """docclean: raw/ in, processed/ out."""


def _print_summary(summary: dict, raw: str, out: Path, as_json: bool = False) -> None:
    """The run's summary on stdout (the progress bars and errors are on stderr)."""
    from docclean.run.report import suspicious_lines

    if as_json:
        import json as _json

        print(_json.dumps({"raw": str(raw), "out": str(out), **summary}, ensure_ascii=False, indent=1))
        return
    from rich.markup import escape

    docs = summary["documents"]
    stdout = Console()
    table = Table(title=f"docclean run: {raw} -> {out}", show_header=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    for status in ("ok", "partial", "empty", "quarantined"):
        table.add_row(f"documents {status}", str(docs[status]))
    table.add_row("paragraphs written", str(summary["paragraphs"]))
    table.add_row("lines removed", str(summary["lines_removed"]))
    table.add_row("edits made", str(summary["edits"]))
    table.add_row("files processed / unchanged / deleted",
                  f"{summary['files_processed']} / {summary['files_unchanged']} / {summary['files_deleted']}")
    table.add_row("wall time", f"{summary['seconds']:.1f} s")
    stdout.print(table)
    for what, colour in (("quarantined", "yellow"), ("partial", "cyan")):
        for q in summary.get(what, []):
            stdout.print(f"[{colour}]{what}[/] {escape(', '.join(q['sources']))}: {escape(q['error'] or '')}",
                         soft_wrap=True)  # one line each, whole, for grep
    for line in suspicious_lines(summary):
        stdout.print(f"[red]suspicious[/] {escape(line)}", soft_wrap=True)
    if not summary["wrote"]:
        stdout.print(f"nothing new or changed; {escape(str(out))} left as it was", soft_wrap=True)


def _absolute(location: str) -> str:
    """A local path made absolute (workers may start elsewhere); a URL as it is."""
    return location if is_url(location) else str(Path(location).resolve())


@app.command()
def run(
    raw: str = typer.Option("raw", "--raw", help="Folder of raw .txt/.html files: a path, or an fsspec URL "
                                                 "(s3://bucket/raw, with s3fs installed)."),
    out: str = typer.Option("processed", "--out", help="Local output folder for the Parquet datasets."),
    batch_size: int = typer.Option(runner.DEFAULT_BATCH_SIZE, min=1, help="Files per task."),
    workers: int = typer.Option(None, min=1, help="Worker processes cleaning batches at once "
                                                  "(default: the CPUs this process may use)."),
    rules: list[str] = typer.Option([], "--rules", help="Extra rule-pack folder (repeatable)."),
    no_repair: bool = typer.Option(False, "--no-repair", help="Turn every repair stage off."),
    dask: Optional[str] = typer.Option(
        None, "--dask", help="Run batches on Dask: a scheduler address (tcp://host:8786) to join a "
                             "cluster, or a number of local worker processes to start one. "
                             "raw/ and out/ must be paths every worker can reach."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show Prefect's own logs."),
    as_json: bool = typer.Option(False, "--json", help="Print the run summary as JSON on stdout."),
    server_idle: Optional[float] = typer.Option(
        None, "--server-idle", min=0, help="Seconds the background Prefect server this run starts (when "
                                           "none is up) stays up after the last run (default 600, or "
                                           "DOCCLEAN_SERVER_IDLE)."),
) -> None:
    """Clean every new or changed file under RAW into OUT, through the Prefect flow."""
    from docclean.run import prefect_env

    prefect_env.configure(verbose)
    if is_url(out):
        console.print(f"[red]error:[/] --out must be a local folder (the store needs atomic renames), not {out}")
        raise typer.Exit(1)
    try:
        RawFolder(raw).check()
    except OSError as exc:  # FileNotFoundError included
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1)
    _check_before_prefect(Path(out), tuple(rules), no_repair)
    from docclean.run.pool import usable_cpus

    workers = workers or usable_cpus()
    t0 = time.perf_counter()
    if not dask and _nothing_to_do(raw, out, tuple(rules), no_repair):
        # Every file as the last run committed it: no flow run, no Prefect import (seconds), the
        # same summary. Scheduled runs (docclean serve) always run the flow.
        summary = _unchanged_summary(out)
        summary["seconds"] = time.perf_counter() - t0
        console.print("[dim]nothing new or changed since the last run: no flow run started[/]")
        _print_summary(summary, raw, Path(out), as_json)
        return
    if not dask:
        from docclean.run import pool

        pool.prestart(workers, warm=not no_repair)  # loads while Prefect imports and starts
    where = _use_background_server(server_idle)
    from docclean_flows.ingest import (
        ingest,  # after prefect_env: Prefect reads settings on import
    )

    flow = ingest
    if dask:
        try:
            from prefect_dask import DaskTaskRunner
        except ImportError:
            console.print("[red]error:[/] --dask needs prefect-dask: pip install 'docclean[dask]'")
            raise typer.Exit(1)
        runner_kw = ({"cluster_kwargs": {"n_workers": int(dask), "threads_per_worker": 1, "processes": True,
                                         "dashboard_address": None}}
                     if dask.isdigit() else {"address": dask})
        flow = ingest.with_options(task_runner=DaskTaskRunner(**runner_kw))
        workers = 1  # each Dask worker cleans its batch itself
        raw, out = _absolute(raw), _absolute(out)

    progress.set_reporter(_RichReporter())
    console.print(f"[dim]Prefect: {where}[/]")

    def _stop(signum, frame):  # SIGTERM (cron, systemd time-outs) ends the run as Ctrl-C does: the
        raise KeyboardInterrupt  # flow run is marked as ended on the server, not left Running

    signal.signal(signal.SIGTERM, _stop)
    from docclean.run import prefect_env

    try:
        with prefect_env.without_heartbeats():
            summary = flow(raw=str(raw), out=str(out), batch_size=batch_size, rules_dirs=tuple(rules),
                           workers=workers, no_repair=no_repair)
    except (RuleError, OSError, runner.InternalErrors) as exc:  # bad rules; raw/ or out/ unusable; a bug
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1)
    except KeyboardInterrupt:
        console.print("[red]stopped[/] (nothing of this run was published)")
        raise typer.Exit(130)
    finally:
        progress.set_reporter(None)
    if "skipped" in summary:
        console.print(f"[red]error:[/] {summary['skipped']}")
        raise typer.Exit(1)
    summary["seconds"] = time.perf_counter() - t0
    _print_summary(summary, raw, Path(out), as_json)


def _nothing_to_do(raw: str, out: str, rules: tuple[str, ...], no_repair: bool) -> bool:
    """The last committed run left nothing to do: the same pipeline version and rules, the same
    files, none written since its commit (mtime and ctime), no file waiting for a retry, and the
    learned templates it committed. Anything else, or any doubt, runs the flow, whose plan
    compares content hashes."""
    from docclean.store.folder import Store

    if not runner.probably_unchanged(raw, out, rules, no_repair):
        return False
    store = Store(Path(out))
    manifest = store.load_manifest()
    return not manifest.get("files") or manifest.get("templates") == store.templates_digest()


def _unchanged_summary(out: str) -> dict:
    """The summary of a run that found every file unchanged, as the flow reports one."""
    from docclean.store.folder import Store

    files = Store(Path(out)).load_manifest().get("files", {})
    return runner.RunSummary(
        documents=dict.fromkeys(("ok", "partial", "empty", "quarantined"), 0), paragraphs=0, lines_removed=0,
        edits=0, files_processed=0, files_unchanged=len(files), files_deleted=0, files_redone=0, bytes=0,
        quarantined=[], wrote=False).as_dict()


def _use_background_server(idle: Optional[float]) -> str:
    """Point Prefect at docclean's background server (docclean.run.server), started if none is up,
    unless the user set PREFECT_API_URL; what is used, in words."""
    if os.environ.get("PREFECT_API_URL"):
        return f"server at {os.environ['PREFECT_API_URL']}"
    from docclean.run import server

    server.lease()  # held until this process ends: the server does not idle-stop under this run
    try:
        os.environ["PREFECT_API_URL"] = server.ensure(idle)
    except server.ServerError as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1)
    ui = os.environ["PREFECT_API_URL"].removesuffix("/api")
    return f"{'started a background server' if server.started_here else 'background server'} at {ui} (docclean server stop)"


def _check_before_prefect(out: Path, rules: tuple[str, ...], no_repair: bool) -> None:
    """Wrong usage fails in a second, with one line, before Prefect starts (which takes many)."""
    from docclean.rules import load
    from docclean.store.folder import Locked, Store

    if out.exists() and not out.is_dir():
        console.print(f"[red]error:[/] --out is a file, not a folder: {out}")
        raise typer.Exit(1)
    try:
        load(rules, no_repair=no_repair)  # a malformed pack or a bad regex, named
    except RuleError as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1)
    if out.is_dir():
        try:  # a run already writing here: refuse now, not after Prefect has started
            with Store(out).locked(wait_seconds=0):
                pass
        except Locked as exc:
            console.print(f"[red]error:[/] {exc}")
            raise typer.Exit(1)
        except OSError as exc:
            console.print(f"[red]error:[/] cannot use --out {out}: {exc.strerror or exc}")
            raise typer.Exit(1)


PROCESSED_HELP = "The output folder of `docclean run` to read."


def _processed_opt():
    return typer.Option(Path("processed"), "--processed", help=PROCESSED_HELP)


def _old_out_opt():  # --out used to name the folder these commands read; kept, hidden, for old scripts
    return typer.Option(None, "--out", hidden=True, help="Deprecated: use --processed.")


def _folder(processed: Path, old_out: Optional[Path]) -> Path:
    if old_out is not None:
        console.print("[yellow]warning:[/] --out is deprecated for this command (it names what a command "
                      "writes); use --processed")
        return old_out
    return processed


def _view(out: Path, doc: Optional[str], source: Optional[str]):
    from docclean.cli.inspection import NotFound, load_document, resolve_doc_id

    if (doc is None) == (source is None):
        console.print("[red]error:[/] give a DOC id (or prefix) or --source FILE")
        raise typer.Exit(2)
    try:
        return load_document(out, resolve_doc_id(out, doc, source))
    except (NotFound, FileNotFoundError) as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1)


@app.command()
def inspect(
    doc: Optional[str] = typer.Argument(None, help="doc_id, or a unique prefix of one."),
    source: Optional[str] = typer.Option(None, "--source", help="A source path relative to --raw instead."),
    processed: Path = _processed_opt(),
    old_out: Optional[Path] = _old_out_opt(),
) -> None:
    """Show a document: each paragraph in full with kind and section, edits to review, removed lines."""
    from docclean.cli.inspection import render

    render(_view(_folder(processed, old_out), doc, source), Console())


@app.command()
def stats(processed: Path = _processed_opt(),
          as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
          old_out: Optional[Path] = _old_out_opt()) -> None:
    """Summarise the whole output: documents per status, hits per rule, masks."""
    import json as _json

    from docclean.cli.inspection import stats as _stats

    out = _folder(processed, old_out)
    try:
        st = _stats(out)
    except FileNotFoundError as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1)
    if as_json:
        print(_json.dumps(st, ensure_ascii=False, indent=1))
        return
    c = Console()
    c.print(f"[bold]{out}[/]: {st['documents']} documents, {st['paragraphs']} paragraphs, "
            f"{st['characters']} characters, {st['masks']} masks")
    t = Table()
    t.add_column("status")
    t.add_column("documents", justify="right")
    for k, v in sorted(st["status"].items()):
        t.add_row(k, str(v))
    c.print(t)
    r = Table(title="rule hits")
    for col in ("rule", "class", "action", "hits"):
        r.add_column(col, justify="right" if col == "hits" else "left")
    for h in st["rule_hits"]:
        r.add_row(h["rule"], h["class"], h["action"], str(h["hits"]))
    c.print(r)


@app.command()
def diff(
    doc: Optional[str] = typer.Argument(None, help="doc_id, or a unique prefix of one."),
    html_out: Path = typer.Option(..., "--html", help="Where to write the page."),
    source: Optional[str] = typer.Option(None, "--source", help="A source path relative to --raw instead of DOC."),
    raw: str = typer.Option("raw", "--raw", help="The raw folder: a path or an fsspec URL."),
    processed: Path = _processed_opt(),
    old_out: Optional[Path] = _old_out_opt(),
) -> None:
    """Write a side-by-side page of raw lines against cleaned paragraphs."""
    from docclean.cli.diffview import render
    from docclean.store.folder import atomic_write_bytes

    v = _view(_folder(processed, old_out), doc, source)
    atomic_write_bytes(html_out, render(v, raw).encode("utf-8"))
    console.print(f"wrote {html_out}")


@app.command()
def report(
    html_out: Path = typer.Option(..., "--html", help="Where to write the page."),
    processed: Path = _processed_opt(),
    raw: str = typer.Option("raw", "--raw", help="The raw folder, for the diff pages: a path or an fsspec URL."),
    worst: int = typer.Option(20, "--worst", min=0, help="Worst documents listed, each with a diff page."),
) -> None:
    """Write one static page for the whole output: charts, templates, worst documents."""
    from docclean.cli.htmlreport import diff_folder, write

    try:
        data = write(processed, html_out, raw, worst)
    except FileNotFoundError as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1)
    console.print(f"wrote {html_out}" + (f" and {len(data.worst)} diff page(s) in {diff_folder(html_out)}/"
                                         if data.worst else ""))


@app.command()
def export(
    dest: Path = typer.Argument(..., help="Output file."),
    fmt: str = typer.Option("jsonl", "--format", help="jsonl | parquet"),
    unit: str = typer.Option("paragraph", "--unit", help="paragraph | document (text joined; documents "
                                                         "without paragraphs are left out)"),
    processed: Path = _processed_opt(),
    old_out: Optional[Path] = _old_out_opt(),
) -> None:
    """Export one record per paragraph or per document for downstream tools."""
    from docclean.cli.inspection import export as _export

    try:
        n = _export(_folder(processed, old_out), dest, fmt, unit)
    except (ValueError, FileNotFoundError) as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1 if isinstance(exc, FileNotFoundError) else 2)
    console.print(f"wrote {n} {unit} record(s) to {dest}")


server_app = typer.Typer(no_args_is_help=True, help="docclean's background Prefect server (started by "
                                                    "`docclean run`, stops itself when idle).")
app.add_typer(server_app, name="server")


@server_app.command("status")
def server_status(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Show the background server (pid, UI address, idle time); exit 1 when none is up."""
    from docclean.run import prefect_env, server

    prefect_env.configure()
    st = server.status()
    if as_json:
        print(__import__("json").dumps(st))
    elif st:
        print(f"running: pid {st['pid']}, UI {st['ui_url']}, API {st['api_url']}, "
              f"stops after {st['idle_seconds']:g} s idle")
    else:
        print(f"no background server under {server.home()}")
    if not st:
        raise typer.Exit(1)


@server_app.command("start")
def server_start(idle: Optional[float] = typer.Option(None, "--idle", min=0,
                                                      help="Idle seconds before it stops (default 600).")) -> None:
    """Start the background server now (or find the one that is up) and print its UI address."""
    from docclean.run import prefect_env, server

    prefect_env.configure()
    try:
        server.ensure(idle)
    except server.ServerError as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1)
    st = server.status()
    print(f"running: pid {st['pid']}, UI {st['ui_url']}")


@server_app.command("stop")
def server_stop() -> None:
    """Stop the background server now."""
    from docclean.run import prefect_env, server

    prefect_env.configure()
    pid = server.stop()
    print(f"stopped background server pid {pid}" if pid else f"no background server under {server.home()}")


def _start_server(port: int) -> subprocess.Popen:
    """Start `prefect server start` on loopback (SQLite under PREFECT_HOME) and wait until healthy."""
    import httpx

    log_path = Path(os.environ["PREFECT_HOME"]) / "server.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PREFECT_SERVER_UI_ENABLED="true")
    env.pop("PREFECT_API_URL", None)
    proc = subprocess.Popen([str(Path(sys.executable).with_name("prefect")), "server", "start",
                             "--host", "127.0.0.1", "--port", str(port)],
                            stdout=open(log_path, "ab"), stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Prefect server exited with {proc.returncode}; see {log_path}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(1)
    proc.terminate()
    raise RuntimeError(f"Prefect server did not become healthy in 180 s; see {log_path}")


@app.command()
def serve(
    cron: str = typer.Option("*/30 * * * *", help="Cron schedule of runs."),
    interval: float = typer.Option(None, "--interval", min=1,
                                   help="Seconds between runs, instead of --cron."),
    raw: str = typer.Option("raw", "--raw", help="The raw folder: a path or an fsspec URL."),
    out: Path = typer.Option(Path("processed"), "--out", help="Local output folder for the Parquet datasets."),
    batch_size: int = typer.Option(runner.DEFAULT_BATCH_SIZE, min=1, help="Files per task."),
    rules: list[str] = typer.Option([], "--rules", help="Extra rule-pack folder (repeatable)."),
    name: str = typer.Option("docclean-scheduled", help="Deployment name."),
    start_server: bool = typer.Option(False, "--start-server",
                                      help="Also start a local Prefect server (SQLite) for the schedule."),
    port: int = typer.Option(4200, help="Port of the server --start-server starts."),
    lock_wait: float = typer.Option(1800, help="Seconds a run waits for an earlier run to finish."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show Prefect's own logs."),
) -> None:
    """Run the ingestion flow on a schedule against a Prefect server, until stopped."""
    from docclean.run import prefect_env

    prefect_env.configure(verbose)
    server = None
    if start_server:
        console.print(f"starting Prefect server on http://127.0.0.1:{port} …")
        try:
            server = _start_server(port)
        except RuntimeError as exc:
            console.print(f"[red]error:[/] {exc}")
            raise typer.Exit(1)
        os.environ["PREFECT_API_URL"] = f"http://127.0.0.1:{port}/api"
    elif not os.environ.get("PREFECT_API_URL"):
        console.print("[red]error:[/] no Prefect server: start one with `prefect server start` and set "
                      "PREFECT_API_URL=http://127.0.0.1:4200/api, or pass --start-server")
        raise typer.Exit(1)
    from docclean_flows.ingest import ingest

    params = {"raw": _absolute(raw), "out": str(out.resolve()), "batch_size": batch_size,
              "rules_dirs": [str(Path(r).resolve()) for r in rules], "lock_wait_seconds": lock_wait}
    schedule = {"interval": interval} if interval else {"cron": cron}
    every = f"every {interval:g} s" if interval else cron
    console.print(f"serving {name}: {every} on {os.environ['PREFECT_API_URL']} (Ctrl-C or SIGTERM to stop)")

    def _stop(signum, frame):  # SIGTERM (systemd, cron, docker stop) stops serve the way Ctrl-C does
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    try:
        # limit=1: this process never starts a run while its previous one is going.
        ingest.serve(name=name, **schedule, parameters=params, limit=1,
                     enforce_parameter_schema=False, print_starting_message=False)
    finally:
        console.print("serve stopped")
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
