"""Worker processes for CPU-bound cleaning, cheap to start.

Prefect's ProcessPoolTaskRunner spawns fresh interpreters that import Prefect
and talk to its API: several seconds per run before any work is done. Here the
Prefect task stays the unit of orchestration (one per batch, with retries and
state), and hands its CPU work to a process from a ``forkserver`` that has
docclean already imported, so a worker starts in milliseconds and never
imports Prefect. forkserver rather than fork: the flow process has Prefect's
background threads, and forking a threaded process is unsafe.
"""

from __future__ import annotations

import math
import multiprocessing as mp
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable

TASKS_PER_WORKER = 8
_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_size = 0
_submitted = 0


def submit(workers: int, fn: Callable[..., Any], *args: Any, warm: bool = False) -> Future:
    """Run ``fn(*args)`` in a worker process (in this process when ``workers`` is 1).

    ``warm``: workers start with the typo lexicons loaded (docclean.run.warm), for runs
    that repair; the first such call decides for the whole process.
    """
    if workers <= 1:
        f: Future = Future()
        try:
            f.set_result(fn(*args))
        except BaseException as exc:  # the caller's .result() re-raises it
            f.set_exception(exc)
        return f
    return _submit(workers, warm, fn, *args)


class WorkerCrashed(RuntimeError):
    """A worker process died (a segfault, the OOM killer) on the same work twice."""


def run(workers: int, fn: Callable[..., Any], *args: Any, warm: bool = False) -> Any:
    """``submit(...).result()``, surviving one dead worker: a worker that dies breaks the
    whole pool, so the pool is replaced and the work tried once more in a fresh one. A
    second death raises WorkerCrashed, for the caller to quarantine that work and go on."""
    try:
        return submit(workers, fn, *args, warm=warm).result()
    except BrokenProcessPool:
        _discard_broken()
    try:
        return submit(workers, fn, *args, warm=warm).result()
    except BrokenProcessPool as exc:
        _discard_broken()
        raise WorkerCrashed(f"a worker process died twice on this batch ({exc})") from exc


def _tie_worker() -> None:
    from docclean.run import lifeline

    lifeline.tie_to_parent()  # a worker dies with the forkserver, which dies with the run


def _discard_broken() -> None:
    global _pool
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
            _pool = None


def usable_cpus() -> int:
    """CPUs this process may use: its affinity mask, capped by a cgroup CPU quota (containers,
    systemd CPUQuota=), rather than the host's core count."""
    n = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    for path, parse in (("/sys/fs/cgroup/cpu.max", lambda t: t.split()),  # cgroup v2: "quota period"
                        ("/sys/fs/cgroup/cpu/cpu.cfs_quota_us", None)):  # cgroup v1
        try:
            text = open(path).read()
            if parse:
                quota, period = parse(text)
            else:
                quota, period = text.strip(), open("/sys/fs/cgroup/cpu/cpu.cfs_period_us").read().strip()
            if quota not in ("max", "-1"):
                n = min(n, max(1, math.ceil(int(quota) / int(period))))
            break
        except (OSError, ValueError):
            continue
    return max(1, n)


def prestart(workers: int, warm: bool = False) -> None:
    """Start the workers now, without waiting for them.

    The forkserver imports docclean (and with ``warm`` loads the lexicons, some
    3 s of CPU) in its own process, so this overlaps with whatever the caller
    does next: the CLI calls it before Prefect imports and starts its server,
    and the first batch then finds a worker ready.
    """
    if workers > 1:
        # On a thread: forking the first worker waits until the forkserver has loaded.
        # Any picklable no-op makes the pool fork a worker.
        threading.Thread(target=lambda: _submit(workers, warm, int), daemon=True).start()


def shutdown() -> None:
    """Stop the workers now; the next submit starts new ones.

    Called when a flow run ends. A worker left idle at interpreter exit keeps the
    process alive (multiprocessing joins it while it waits on its queue), so a
    scheduled run's process would never exit and ``serve``, which runs one at a
    time, would start no more runs.
    """
    global _pool
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=True, cancel_futures=True)
            _pool = None


def _submit(workers: int, warm: bool, fn: Callable[..., Any], *args: Any) -> Future:
    """Submit to the current pool, replaced after TASKS_PER_WORKER batches per worker.

    Libraries keep memory between calls (chardet retains tens of KB per
    detection, allocators keep their peaks, and reading the lexicons copies the
    forkserver's pages they sit on, since reference counts are writes); fresh
    workers keep that from growing with the corpus. The old pool finishes the
    batches it was given before the new one starts: two pools at once would put
    twice the workers, and their memory, on the same cores. (Not
    ProcessPoolExecutor's max_tasks_per_child: it can hang on Python 3.11.)

    The submit is under the lock with the recycle: the flow submits from several task
    threads, and a pool handed out before the lock is released can be shut down by the
    next thread's recycle before the work reaches it.
    """
    global _pool, _size, _submitted
    with _lock:
        if _pool is not None and (_size != workers or _submitted >= TASKS_PER_WORKER * workers):
            _pool.shutdown(wait=True)
            _pool = None
        if _pool is None:
            ctx = mp.get_context("forkserver")
            # The forkserver starts once per process, with the preload list of the first pool.
            # docclean.run.forkserver_lifeline first: the forkserver dies with this process (docclean.run.lifeline).
            ctx.set_forkserver_preload(["docclean.run.forkserver_lifeline", "docclean.run.runner",
                                        "docclean.run.warm_input"] + (["docclean.run.warm"] if warm else []))
            _pool, _size, _submitted = ProcessPoolExecutor(
                max_workers=workers, mp_context=ctx, initializer=_tie_worker), workers, 0
        _submitted += 1
        return _pool.submit(_in_worker, fn, *args)


def _in_worker(fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)``, then Arrow's allocator hands back the memory it kept: mimalloc keeps a
    batch's peak (the Parquet buffers, some 25 MB per worker) for the next batch otherwise,
    and the worker sits on it between batches."""
    try:
        return fn(*args)
    finally:
        import pyarrow

        pyarrow.default_memory_pool().release_unused()

