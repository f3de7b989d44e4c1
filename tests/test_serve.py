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
