"""No stray processes: a killed `docclean run` takes its forkserver, workers and resource
tracker with it; the background Prefect server (docclean.run.server) is the one deliberate
process left, reused by the next runs, and it stops when idle or on `docclean server stop`."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCCLEAN = Path(sys.executable).with_name("docclean")

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def _stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _alive(pid: int) -> bool:
    st = _stat(pid)
    return st is not None and st[0] != "Z"


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def _descendants(root: int) -> set[int]:
    parent = {}
    for e in os.listdir("/proc"):
        if e.isdigit() and (st := _stat(int(e))) is not None:
            parent[int(e)] = int(st[1])
    tree, frontier = set(), [root]
    while frontier:
        pid = frontier.pop()
        kids = {c for c, p in parent.items() if p == pid and c not in tree}
        tree |= kids
        frontier += kids
    return tree


def _servers(home: Path) -> set[int]:
    """docclean background servers of this PREFECT_HOME (they run in it), wherever their parent."""
    found = set()
    for e in os.listdir("/proc"):
        if e.isdigit() and "docclean.run.server" in _cmdline(int(e)) and _alive(int(e)):
            try:
                if os.readlink(f"/proc/{e}/cwd") == str(home):
                    found.add(int(e))
            except OSError:
                pass
    return found


def _env(home: Path, idle: float = 120) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(home), DOCCLEAN_SERVER_IDLE=str(idle), COLUMNS="120")
    return env


def _run(args, home: Path, cwd: Path, idle: float = 120, **kw):
    return subprocess.run([str(DOCCLEAN), "run", *args], capture_output=True, text=True,
                          env=_env(home, idle), cwd=cwd, timeout=600, **kw)


def _state(home: Path) -> dict | None:
    try:
        return json.loads((home / "docclean-server.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None


def _wait_gone(pids: set[int], seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    alive = {p for p in pids if _alive(p)}
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = {p for p in alive if _alive(p)}
    return alive


def _add_file(raw: Path, name: str) -> None:
    """Something new for the next run to clean, so that it runs the flow."""
    (raw / f"{name}.txt").write_text(f"{name}的讲话\n同志们：\n" + "推进各项工作落实。" * 20, "utf-8")


@pytest.fixture
def home(tmp_path):
    h = (tmp_path / ".prefect").resolve()
    yield h
    subprocess.run([str(DOCCLEAN), "server", "stop"], env=_env(h), capture_output=True, timeout=60)
    left = _servers(h)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"background server(s) left running: {left}"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_killed_run_leaves_no_process_but_the_background_server(sig, tmp_path, home):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from make_corpus import make

    raw, out = tmp_path / "raw", tmp_path / "processed"
    make(600, raw)
    log = open(tmp_path / "run.log", "wb")
    proc = subprocess.Popen([str(DOCCLEAN), "run", "--raw", str(raw), "--out", str(out), "--batch-size", "4",
                             "--workers", "2"], env=_env(home), cwd=tmp_path, stdout=log, stderr=log)
    seen: set[int] = set()
    try:
        deadline = time.monotonic() + 300
        ready = False
        while time.monotonic() < deadline and not ready:  # mid-run: workers busy, parts being written
            time.sleep(0.2)
            assert proc.poll() is None, (tmp_path / "run.log").read_text("utf-8", "replace")
            kids = _descendants(proc.pid)
            seen |= kids
            cmds = {p: _cmdline(p) for p in kids}
            forkservers = [p for p, c in cmds.items() if "multiprocessing.forkserver" in c]
            ready = (any(_descendants(f) for f in forkservers)
                     and any("resource_tracker" in c for c in cmds.values())
                     and (out / "_parts").is_dir() and any((out / "_parts").rglob("*.parquet")))
        assert ready, "the run never got to work"
        kinds = {p: _cmdline(p) for p in seen}
        assert any("resource_tracker" in c for c in kinds.values())
    finally:
        proc.send_signal(sig)
        proc.wait(timeout=60)
    server = (_state(home) or {}).get("pid")  # (before docclean.run.server: none, and Prefect's own was left)
    left = _wait_gone(seen - {server}, 15)
    assert not left, {p: _cmdline(p) for p in left}
    # The one process left is the deliberate one: discoverable, and stopped on request.
    assert _servers(home) == {server}
    stop = subprocess.run([str(DOCCLEAN), "server", "stop"], env=_env(home), capture_output=True, text=True)
    assert f"stopped background server pid {server}" in stop.stdout
    assert not _wait_gone({server}, 15)


def test_runs_reuse_the_server_which_stops_when_idle(raw_copy, tmp_path, home):
    out = tmp_path / "processed"
    first = _run(["--raw", str(raw_copy), "--out", str(out)], home, tmp_path, idle=6)
    assert first.returncode == 0, first.stderr
    assert "started a background server" in first.stderr
    st = _state(home)
    assert st and st["idle_seconds"] == 6 and _servers(home) == {st["pid"]}
    _add_file(raw_copy, "second")  # a rerun with nothing new starts no flow run (see below)
    second = _run(["--raw", str(raw_copy), "--out", str(out)], home, tmp_path, idle=6)
    assert second.returncode == 0, second.stderr
    assert _state(home)["pid"] == st["pid"] and _servers(home) == {st["pid"]}  # reused, no new server
    status = subprocess.run([str(DOCCLEAN), "server", "status", "--json"], env=_env(home),
                            capture_output=True, text=True)
    assert status.returncode == 0 and json.loads(status.stdout)["pid"] == st["pid"]
    # Its UI shows the run history: both runs are there.
    import httpx

    runs = httpx.post(f"{st['api_url']}/flow_runs/filter", json={}, timeout=10).json()
    assert [r["state_type"] for r in runs] == ["COMPLETED", "COMPLETED"]
    assert httpx.get(st["ui_url"], timeout=10).status_code == 200
    t0 = time.monotonic()
    assert not _wait_gone({st["pid"]}, 60), "the server did not stop after its idle time"
    assert time.monotonic() - t0 < 60
    assert _state(home) is None
    status = subprocess.run([str(DOCCLEAN), "server", "status"], env=_env(home), capture_output=True, text=True)
    assert status.returncode == 1


def test_a_dead_server_or_a_taken_port_is_replaced(raw_copy, tmp_path, home):
    out = tmp_path / "processed"
    assert _run(["--raw", str(raw_copy), "--out", str(out)], home, tmp_path).returncode == 0
    dead = _state(home)
    os.kill(dead["pid"], signal.SIGKILL)  # the server died
    assert not _wait_gone({dead["pid"]}, 15)
    _add_file(raw_copy, "after-death")
    res = _run(["--raw", str(raw_copy), "--out", str(out)], home, tmp_path)
    assert res.returncode == 0, res.stderr
    new = _state(home)
    assert new["pid"] != dead["pid"] and _servers(home) == {new["pid"]}
    # Its port now answered by something else, its pid gone: not trusted, a new server starts.
    subprocess.run([str(DOCCLEAN), "server", "stop"], env=_env(home), capture_output=True, timeout=60)
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        stale = dict(new, port=squatter.getsockname()[1])
        (home / "docclean-server.json").write_text(json.dumps(stale), "utf-8")
        _add_file(raw_copy, "squatted")
        res = _run(["--raw", str(raw_copy), "--out", str(out)], home, tmp_path)
        assert res.returncode == 0, res.stderr
        assert _state(home)["port"] != stale["port"] and len(_servers(home)) == 1


def test_concurrent_runs_start_one_server(raw_copy, tmp_path, home):
    env = _env(home)
    procs = [subprocess.Popen([str(DOCCLEAN), "run", "--raw", str(raw_copy), "--out", str(tmp_path / f"out{i}")],
                              env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for i in range(2)]
    outs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1][-2000:] for o in outs]
    started = [o[1].decode() for o in outs if b"started a background server" in o[1]]
    assert len(started) == 1  # the other waited on the lock and reused it
    assert _servers(home) == {_state(home)["pid"]}


def test_a_server_whose_home_is_deleted_stops(tmp_path):
    """A test's (or a user's) PREFECT_HOME removed under a running server: no run can find it
    again, so it stops at once rather than after its idle time (before: it never did)."""
    import shutil

    home = (tmp_path / "gone" / ".prefect").resolve()
    res = subprocess.run([str(DOCCLEAN), "server", "start", "--idle", "600"], env=_env(home),
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    pid = _state(home)["pid"]
    shutil.rmtree(home.parent)
    left = _wait_gone({pid}, 30)
    if left:
        os.kill(pid, signal.SIGKILL)
    assert not left, "the server outlived its PREFECT_HOME"


def test_a_rerun_with_nothing_new_needs_no_prefect(raw_copy, tmp_path, home):
    out = tmp_path / "processed"
    first = _run(["--raw", str(raw_copy), "--out", str(out), "--json"], home, tmp_path)
    assert first.returncode == 0, first.stderr
    subprocess.run([str(DOCCLEAN), "server", "stop"], env=_env(home), capture_output=True, timeout=60)
    again = _run(["--raw", str(raw_copy), "--out", str(out), "--json"], home, tmp_path)
    assert again.returncode == 0, again.stderr
    assert "no flow run started" in again.stderr and _state(home) is None and not _servers(home)
    summary = json.loads(again.stdout)
    assert summary["files_processed"] == 0 and not summary["wrote"]
    assert summary["files_unchanged"] == json.loads(first.stdout)["files_processed"]
    # A file written since the last commit, even with its old mtime, is new work: the flow runs.
    victim = next(raw_copy.glob("*.txt"))
    stamp = victim.stat()
    victim.write_text(victim.read_text("utf-8") + "\n补充一句。", "utf-8")
    os.utime(victim, (stamp.st_atime, stamp.st_mtime))
    third = _run(["--raw", str(raw_copy), "--out", str(out), "--json"], home, tmp_path)
    assert third.returncode == 0, third.stderr
    assert "no flow run started" not in third.stderr and json.loads(third.stdout)["files_processed"] == 1
