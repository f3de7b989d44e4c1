"""`docclean serve --start-server`: a real local Prefect server, a cron schedule that fires,
a run that completes with its report, and outputs on disk."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pyarrow.dataset as ds

DOCCLEAN = Path(sys.executable).with_name("docclean")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_schedule_fires_and_run_completes(raw_copy, tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(tmp_path / ".prefect")
    out = tmp_path / "processed"
    proc = subprocess.Popen(
        [str(DOCCLEAN), "serve", "--start-server", "--port", str(port), "--cron", "* * * * *",
         "--raw", str(raw_copy), "--out", str(out)],
        env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    api = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 300  # server start + up to a minute to the next cron tick + the run
        completed = []
        while time.monotonic() < deadline and not completed:
            time.sleep(3)
            assert proc.poll() is None, proc.stdout.read().decode()
            try:
                runs = httpx.post(f"{api}/flow_runs/filter", json={
                    "flow_runs": {"state": {"type": {"any_": ["COMPLETED", "FAILED", "CRASHED"]}}}}, timeout=10)
            except httpx.HTTPError:
                continue
            completed = runs.json() if runs.status_code == 200 else []
        assert completed, "no scheduled run finished in time"
        assert completed[0]["state_type"] == "COMPLETED", completed[0]["state"]
        assert completed[0]["deployment_id"]  # it came from the schedule, not a direct call
        assert list((out / "documents").glob("*.parquet"))
        arts = httpx.post(f"{api}/artifacts/filter", json={"artifacts": {"key": {"any_": ["docclean-run-report"]}}},
                          timeout=10).json()
        assert arts and "4 ok, 1 partial" in arts[0]["data"]
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def test_serve_keeps_firing_run_after_run_and_stops_on_sigterm(raw_copy, tmp_path):
    """Runs that do work end, so serve (one run at a time) goes on starting them; SIGTERM stops it.

    Before: the first run that did work never exited (an idle worker of docclean's pool
    held the process at interpreter exit), and every later run stayed Late.
    """
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(tmp_path / ".prefect")
    env["PREFECT_RUNNER_POLL_FREQUENCY"] = "2"  # look for due runs every 2 s, not 10
    out = tmp_path / "processed"
    log = open(tmp_path / "serve.log", "wb")
    proc = subprocess.Popen(
        [str(DOCCLEAN), "serve", "--start-server", "--port", str(port), "--interval", "3",
         "--raw", str(raw_copy), "--out", str(out)],
        env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    api = f"http://127.0.0.1:{port}/api"
    sample = next(raw_copy.glob("003_*.txt")).read_text("utf-8")
    seen: list[str] = []
    try:
        deadline = time.monotonic() + 420
        while time.monotonic() < deadline and len(seen) < 4:
            time.sleep(1)
            assert proc.poll() is None, (tmp_path / "serve.log").read_text("utf-8", "replace")
            try:
                runs = httpx.post(f"{api}/flow_runs/filter", json={
                    "flow_runs": {"state": {"type": {"any_": ["COMPLETED", "FAILED", "CRASHED"]}}}},
                    timeout=10).json()
            except (httpx.HTTPError, ValueError):
                continue
            for run in sorted(runs if isinstance(runs, list) else [], key=lambda r: r["end_time"] or ""):
                if run["id"] not in seen:
                    assert run["state_type"] == "COMPLETED", run["state"]
                    seen.append(run["id"])
                    # New work for the next run: a file it has not seen.
                    (raw_copy / f"new_{len(seen):02d}.txt").write_text(
                        sample.replace("讲话", f"讲话（之{len(seen)}）", 1), "utf-8")
        assert len(seen) >= 4, f"only {len(seen)} scheduled run(s) finished"
        reports = httpx.post(f"{api}/artifacts/filter", json={
            "artifacts": {"key": {"any_": ["docclean-run-report"]}}}, timeout=10).json()
        worked = [a for a in reports if " 0 processed" not in a["data"]]
        assert len(worked) >= 3, [a["data"][:200] for a in reports]  # three runs did work, not one
        docs = ds.dataset(out / "documents", format="parquet").to_table().num_rows
        assert docs >= 5 + 2
    finally:
        os.kill(proc.pid, signal.SIGTERM)  # to serve itself, as systemd and cron time-outs do
        t0 = time.monotonic()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise AssertionError("serve did not stop within 10 s of SIGTERM")
    assert time.monotonic() - t0 < 10
    with socket.socket() as s:  # the server it started is gone too
        assert s.connect_ex(("127.0.0.1", port)) != 0
