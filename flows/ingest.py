"""The ingestion flow: raw/ to processed/, one task per batch of files.

All cleaning lives in ``docclean``; this module only wires the steps of
``docclean.runner`` into Prefect for retries, concurrency and run history.
"""

from __future__ import annotations

from docclean import prefect_env  # noqa: F401  (must precede the prefect import)
from docclean import progress, runner
from docclean.store import Store
from prefect import flow, get_run_logger, task
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner


def _is_io_error(task, task_run, state) -> bool:
    """Retry only what retrying can fix: I/O. Bad input never raises, so never retries."""
    try:
        state.result()
    except OSError:
        return True
    except Exception:
        return False
    return False


@task(name="clean-batch", retries=2, retry_delay_seconds=[2, 10], retry_condition_fn=_is_io_error)
def clean_batch(raw: str, out: str, sources: list[str], version: str, rules_dirs: tuple[str, ...]) -> dict:
    return runner.process_batch(raw, out, sources, version, rules_dirs)


@flow(name="docclean-ingest", task_runner=ThreadPoolTaskRunner(max_workers=1), validate_parameters=False)
def ingest(raw: str = "raw", out: str = "processed", batch_size: int = runner.DEFAULT_BATCH_SIZE,
           rules_dirs: tuple[str, ...] = ()) -> dict:
    log = get_run_logger()
    rep = progress.reporter()
    with Store(out).locked():
        p = runner.plan(raw, out, batch_size=batch_size, rules_dirs=rules_dirs)
        log.info("%d file(s) to process, %d unchanged, %d deleted, %d batch(es)",
                 len(p.todo), p.unchanged, len(p.deleted), len(p.batches))
        rep.start(len(p.todo), "cleaning")
        futures = [clean_batch.submit(p.raw, p.out, b, p.pipeline_version, p.rules_dirs) for b in p.batches]
        results, done = [], 0
        for fut in as_completed(futures):
            res = fut.result()
            results.append(res)
            done += len(res["files"])
            rep.advance(len(res["files"]))
            log.info("cleaned %d/%d files", done, len(p.todo))
        rep.stop()
        summary = runner.finalize(p, results)
    log.info("run summary: %s", summary.as_dict())
    return summary.as_dict()
