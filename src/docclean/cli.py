"""The ``docclean`` command."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import progress, runner
from .rules import RuleError
from .store import Locked

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Clean scraped Chinese documents into per-paragraph Parquet.")
console = Console(stderr=True)


class _RichReporter(progress.Reporter):
    def __init__(self) -> None:
        self._progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                                  MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                                  transient=False)
        self._task = None

    def start(self, total: int, description: str) -> None:
        if total:
            self._progress.start()
            self._task = self._progress.add_task(description, total=total)

    def advance(self, n: int) -> None:
        if self._task is not None:
            self._progress.advance(self._task, n)

    def stop(self) -> None:
        if self._task is not None:
            self._progress.stop()


@app.callback()
def _main() -> None:
    """docclean: raw/ in, processed/ out."""


def _print_summary(summary: dict, raw: Path, out: Path) -> None:
    docs = summary["documents"]
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
    console.print(table)
    for q in summary["quarantined"]:
        console.print(f"[yellow]quarantined[/] {', '.join(q['sources'])}: {q['error']}")
    if not summary["wrote"]:
        console.print("nothing new or changed; processed/ left as it was")


@app.command()
def run(
    raw: Path = typer.Option(Path("raw"), "--raw", help="Folder of raw .txt/.html files."),
    out: Path = typer.Option(Path("processed"), "--out", help="Output folder for the Parquet datasets."),
    batch_size: int = typer.Option(runner.DEFAULT_BATCH_SIZE, min=1, help="Files per task."),
    workers: int = typer.Option(2, min=1, help="Worker processes when there is more than one batch."),
    rules: list[str] = typer.Option([], "--rules", help="Extra rule-pack folder (repeatable)."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show Prefect's own logs."),
) -> None:
    """Clean every new or changed file under RAW into OUT, through the Prefect flow."""
    from . import prefect_env

    prefect_env.configure(verbose)
    if not raw.is_dir():
        console.print(f"[red]error:[/] raw folder not found: {raw}")
        raise typer.Exit(1)
    from docclean_flows.ingest import ingest  # after prefect_env: Prefect reads settings on import
    from prefect.task_runners import ProcessPoolTaskRunner

    flow = ingest
    # Processes cost seconds to start; only worth it when there is work for more than one.
    if workers > 1 and len(runner.discover(raw)) > batch_size:
        flow = ingest.with_options(task_runner=ProcessPoolTaskRunner(max_workers=workers))

    progress.set_reporter(_RichReporter())
    t0 = time.perf_counter()
    console.print("[dim]starting Prefect (temporary local server)…[/]")
    try:
        summary = flow(raw=str(raw), out=str(out), batch_size=batch_size, rules_dirs=tuple(rules))
    except (Locked, RuleError, FileNotFoundError) as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1)
    finally:
        progress.set_reporter(None)
    summary["seconds"] = time.perf_counter() - t0
    _print_summary(summary, raw, out)


def main() -> Optional[int]:  # pragma: no cover - console entry point alias
    return app()
