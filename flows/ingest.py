"""The ingestion flow: raw/ to processed/ in three passes, one task per batch.

All cleaning lives in ``docclean``; this module only wires the passes of
``docclean.run.runner`` into Prefect for retries, concurrency and run history:
extract (a task per batch of files), learn (in the flow process), assemble (a task
per batch of documents).
"""

from __future__ import annotations

from datetime import datetime

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.futures import as_completed
from prefect.runtime import deployment, flow_run
from prefect.task_runners import ThreadPoolTaskRunner

from docclean.run import (
    pool,
    prefect_env,  # noqa: F401  (must precede the prefect import)
    progress,
    report,
    runner,
)
from docclean.store.folder import Locked, Store


def _is_io_error(task, task_run, state) -> bool:
    """Retry only what retrying can fix: I/O. Bad input never raises, so never retries."""
    try:
        state.result()
    except OSError:
        return True
    except Exception:
        return False
    return False


@task(name="extract-batch", retries=2, retry_delay_seconds=[2, 10], retry_condition_fn=_is_io_error)
def extract_batch(raw: str, out: str, sources: list[str], fingerprint: str, rules_dirs: tuple[str, ...],
                  no_repair: bool, workers: int) -> dict:
    # The task is Prefect's unit (state, retries); the CPU work runs in a worker process.
    try:
        return pool.run(workers, runner.extract_batch, raw, out, sources, fingerprint, rules_dirs,
                        no_repair, warm=not no_repair)
    except pool.WorkerCrashed as exc:  # the batch is quarantined with the reason; the run goes on
        return runner.extract_batch(raw, out, sources, fingerprint, rules_dirs, no_repair, failure=str(exc))


@task(name="assemble-batch", retries=2, retry_delay_seconds=[2, 10], retry_condition_fn=_is_io_error)
def assemble_batch(raw: str, out: str, docs: list[dict], version: str, fingerprint: str,
                   rules_dirs: tuple[str, ...], no_repair: bool, workers: int) -> dict:
    try:
        return pool.run(workers, runner.assemble_batch, raw, out, docs, version, fingerprint, rules_dirs,
                        no_repair, warm=not no_repair)
    except pool.WorkerCrashed as exc:  # the batch's documents are quarantined with the reason
        return runner.assemble_batch(raw, out, docs, version, fingerprint, rules_dirs, no_repair,
                                     failure=str(exc))


def _run_all(task, batches: list[list], args: tuple, what: str) -> list[dict]:
    """Submit one task per batch (``task(*args[:2], batch, *args[2:])``); collect summaries
    as they finish, reporting progress."""
    log, rep = get_run_logger(), progress.reporter()
    total = sum(len(b) for b in batches)
    rep.start(total, what)
    futures = [task.submit(*args[:2], b, *args[2:]) for b in batches]
    size = {f.task_run_id: len(b) for f, b in zip(futures, batches)}
    done = 0
    for fut in as_completed(futures):
        fut.result()
        done += size[fut.task_run_id]
        rep.advance(size[fut.task_run_id])
        log.info("%s: %d/%d", what, done, total)
    rep.stop()
    return [f.result() for f in futures]  # submission order


# Tasks run on threads that wait on worker processes (docclean.run.pool): both cores
# work, and no worker pays for starting Prefect.
@flow(name="docclean-ingest", task_runner=ThreadPoolTaskRunner(max_workers=8), validate_parameters=False)
def ingest(raw: str = "raw", out: str = "processed", batch_size: int = runner.DEFAULT_BATCH_SIZE,
           rules_dirs: tuple[str, ...] = (), lock_wait_seconds: float = 0,
           workers: int = pool.usable_cpus(), no_repair: bool = False) -> dict:
    """Clean new or changed files under ``raw`` into ``out``.

    ``workers``: processes cleaning batches at once (1: all in this process). They are
    forked as batches arrive, so a one-batch run starts one.
    ``no_repair``: switch every repair stage off (masks, punctuation, variants).
    ``lock_wait_seconds``: how long to wait for a run already writing to ``out``
    (scheduled runs wait; an interactive run is refused at once). A run that
    cannot get the lock is skipped, never run concurrently.
    """
    log = get_run_logger()
    scheduled = bool(deployment.get_id())
    if scheduled:  # serve's console shows each run begin and end: a run that hangs is visible
        print(f"{datetime.now():%Y-%m-%d %H:%M:%S} run {flow_run.get_name()} started", flush=True)
    outcome = "failed"
    try:
        summary = _ingest(log, raw, out, batch_size, rules_dirs, lock_wait_seconds, workers, no_repair)
        outcome = ("skipped: another run holds the output" if "skipped" in summary else
                   f"finished: {summary.get('files_processed', 0)} file(s) processed")
        return summary
    finally:
        pool.shutdown()  # the run's process must be able to exit (serve waits for it)
        if scheduled:
            print(f"{datetime.now():%Y-%m-%d %H:%M:%S} run {flow_run.get_name()} {outcome}", flush=True)


def _ingest(log, raw, out, batch_size, rules_dirs, lock_wait_seconds, workers, no_repair) -> dict:
    try:
        with Store(out).locked(wait_seconds=lock_wait_seconds):
            p = runner.plan(raw, out, batch_size=batch_size, rules_dirs=rules_dirs, no_repair=no_repair)
            log.info("%d file(s) to process, %d unchanged, %d deleted, %d batch(es)",
                     len(p.todo), p.unchanged, len(p.deleted), len(p.batches))
            extracted = _run_all(extract_batch, p.batches, (p.raw, p.out, p.extract_fingerprint,
                                 p.rules_dirs, p.no_repair, workers), "extracting files")
            docs = runner.learn(p, extracted)  # small: in this process
            if p.redo:
                log.info("site templates changed: %d file(s) to assemble again", len(p.redo))
            assembled = _run_all(assemble_batch, p.batches_of(docs),
                                 (p.raw, p.out, p.pipeline_version, p.extract_fingerprint, p.rules_dirs,
                                  p.no_repair, workers), "assembling documents")
            done = runner.finalize(p, extracted, assembled)
            done.check()  # a run whose files mostly hit a bug fails, with the error
            summary = done.as_dict()
    except Locked as exc:
        log.warning("skipped: %s", exc)
        return {"skipped": str(exc)}
    create_markdown_artifact(markdown=report.markdown(summary), key="docclean-run-report",
                             description="docclean run report")
    if summary["document_rows"]:
        create_table_artifact(table=report.table(summary), key="docclean-documents",
                              description="Per-document status of this run")
    log.info("run summary: %s", {k: v for k, v in summary.items() if k != "document_rows"})
    return summary
