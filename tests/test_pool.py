"""docclean.pool: worker processes for the flow's batches."""

from __future__ import annotations

import os
import time

from docclean import pool


def _stamp(seconds: float) -> tuple[int, float, float]:
    start = time.time()
    time.sleep(seconds)
    return os.getpid(), start, time.time()


def test_in_process_when_one_worker():
    assert pool.submit(1, os.getpid).result() == os.getpid()


def test_recycled_workers_start_after_the_old_ones_finish(monkeypatch):
    # Two pools at once would run twice the workers (and their memory) on the same cores.
    monkeypatch.setattr(pool, "_pool", None)
    n = pool.TASKS_PER_WORKER * 2 + 4  # one recycle, with tasks still queued in the old pool
    try:
        runs = [f.result() for f in [pool.submit(2, _stamp, 0.1) for _ in range(n)]]
    finally:
        if pool._pool is not None:
            pool._pool.shutdown()
    events = sorted([(start, 1) for _, start, _ in runs] + [(end, -1) for _, _, end in runs])
    running, most = 0, 0
    for _, step in events:
        running += step
        most = max(most, running)
    assert most <= 2
    assert len({pid for pid, _, _ in runs}) == 4  # and the workers were replaced once
