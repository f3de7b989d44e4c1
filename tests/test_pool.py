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


def _die_once(flag: str) -> int:
    if not os.path.exists(flag):
        open(flag, "w").close()
        os._exit(1)  # as a segfault or the OOM killer would end it
    return 42


def _die_always() -> int:
    os._exit(1)


def test_a_dead_worker_costs_one_retry_in_a_fresh_pool(tmp_path, monkeypatch):
    import pytest

    monkeypatch.setattr(pool, "_pool", None)
    try:
        assert pool.run(2, _die_once, str(tmp_path / "died")) == 42
        with pytest.raises(pool.WorkerCrashed, match="died twice"):
            pool.run(2, _die_always)
        assert pool.run(2, _die_once, str(tmp_path / "died")) == 42  # and the pool works after
    finally:
        pool.shutdown()


def test_workers_default_to_the_cpus_the_process_may_use(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert pool.usable_cpus() == 1
