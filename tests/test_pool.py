"""docclean.run.pool: worker processes for the flow's batches."""

from __future__ import annotations

import os
import time

from docclean.run import pool


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


def _children_of(pid: int) -> set[int]:
    kids = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        kids.add(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    return kids


def test_workers_and_forkserver_die_with_a_killed_run(tmp_path):
    """SIGKILL to the process that owns the pool leaves no forkserver or worker behind."""
    import signal
    import subprocess
    import sys

    import pytest

    if not sys.platform.startswith("linux"):
        pytest.skip("parent-death signal is Linux only")
    # The pool is started from a thread that ends at once (as the CLI's prestart does): the
    # forkserver must outlive that thread, and still die with the process.
    script = ("import threading, time\nfrom docclean.run import pool\n"
              "t = threading.Thread(target=lambda: pool.submit(2, int).result())\nt.start()\nt.join()\n"
              "time.sleep(2)\nfs=[pool.submit(2, time.sleep, 60) for _ in range(2)]\ntime.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.time() + 30
    server = set()
    while time.time() < deadline and not server:  # wait for the forkserver and its workers
        time.sleep(0.5)
        server = {k for k in _children_of(proc.pid) if _children_of(k)}
    assert server, "no forkserver with workers started"
    workers = set().union(*(_children_of(k) for k in server))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 10
    alive = server | workers
    while time.time() < deadline and alive:
        time.sleep(0.2)
        alive = {p for p in alive if os.path.exists(f"/proc/{p}") and
                 open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"}
    assert not alive, f"left behind: {alive}"


def test_threads_submitting_while_the_pool_is_recycled_all_get_a_worker(monkeypatch):
    # The flow submits from up to 8 task threads at once. A thread must never hand work to a
    # pool that another thread has just shut down to recycle it (CI once saw
    # "cannot schedule new futures after shutdown" fail a whole run).
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setattr(pool, "_pool", None)
    monkeypatch.setattr(pool, "TASKS_PER_WORKER", 1)  # recycle after every 2 batches: the race, often
    try:
        with ThreadPoolExecutor(8) as threads:
            pids = list(threads.map(lambda _: pool.run(2, os.getpid), range(48)))
    finally:
        pool.shutdown()
    assert len(pids) == 48 and os.getpid() not in pids


def test_the_warm_preload_builds_every_table_a_default_run_uses_and_freezes_them():
    # Workers fork from a process that imported docclean.run.warm: a table it did not build
    # (or built for other settings: the caches are keyed by them) is built again in every
    # worker, seconds and tens of MB each; and what it loaded must be out of the collector's
    # sight, or each worker's first full collection copies it.
    import subprocess
    import sys

    code = (
        "import gc\n"
        "import docclean.run.warm\n"
        "from docclean.repair import confusion, typos\n"
        "from docclean.repair.paragraph import repair_many\n"
        "from docclean import rules\n"
        "assert gc.get_freeze_count() > 20000, gc.get_freeze_count()\n"
        "caches = [typos.set_phrases, typos.phrase_lexicon, confusion.scorer, typos.vocabulary]\n"
        "memos = set(confusion.scorer()._memos)\n"
        "before = [c.cache_info().misses for c in caches]\n"
        "repair_many(['各级党组织要认真落实主体责任，推动高质量发展取得新突破。', '在县委、县正府的领导下'],\n"
        "            rules.load().repair)\n"
        "after = [c.cache_info().misses for c in caches]\n"
        "assert before == after, (before, after)\n"
        "assert set(confusion.scorer()._memos) == memos, set(confusion.scorer()._memos) - memos\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
