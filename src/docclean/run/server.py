"""docclean's background Prefect server: started by the first `docclean run`, reused by the next.

Prefect has no in-process mode: every flow run talks to a server. Its temporary server
(one per run) costs a start-up each run and, when the run is killed, stays behind. So
`docclean run`, when the user set no ``PREFECT_API_URL``, uses a local server of its own:

* Discoverable: ``$PREFECT_HOME/docclean-server.json`` holds its pid, port and API URL;
  ``docclean server status`` shows it, ``docclean server stop`` stops it at once.
* One at a time: a run takes ``docclean-server.lock`` (an flock) to look for a server and
  start one, so two runs never race to start two; the second finds the first's.
* Self-stopping: every run holds a shared flock on ``docclean-server.clients`` while it
  runs. The server stops once no run holds it and it has had no request for its idle time
  (``--server-idle``, ``DOCCLEAN_SERVER_IDLE``, default 600 s). flocks die with their
  process, so a run killed with SIGKILL does not keep the server up.
* Checked, not trusted: a server is reused only if its pid is alive, is a docclean server
  and answers on its port; otherwise (it died, its port went to something else) a new one
  is started on a free port.

It runs Prefect's API and UI (``http://127.0.0.1:PORT``: the run history) with uvicorn,
in its own session, so Ctrl-C on a run does not reach it. Log: ``docclean-server.log``.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

DEFAULT_IDLE_SECONDS = 600.0
START_TIMEOUT_SECONDS = 180.0
_MARK = "docclean.run.server"  # in the server's command line: a pid that is ours


class ServerError(RuntimeError):
    """The background server could not be started."""


def home() -> Path:
    return Path(os.environ.get("PREFECT_HOME") or ".prefect").resolve()


def _paths(h: Path | None = None) -> tuple[Path, Path, Path, Path]:
    h = h or home()
    return (h / "docclean-server.json", h / "docclean-server.lock", h / "docclean-server.clients",
            h / "docclean-server.log")


def default_idle() -> float:
    try:
        return float(os.environ.get("DOCCLEAN_SERVER_IDLE", DEFAULT_IDLE_SECONDS))
    except ValueError:
        return DEFAULT_IDLE_SECONDS


def _is_ours(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmd = fh.read()
        with open(f"/proc/{pid}/stat") as fh:
            if fh.read().rsplit(")", 1)[1].split()[0] == "Z":
                return False
        return _MARK.encode() in cmd
    except OSError:
        if not Path("/proc/self").exists():  # no /proc: trust a live pid
            try:
                os.kill(pid, 0)
                return True
            except OSError:
                return False
        return False


def _healthy(port: int, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=timeout) as r:
            return r.status == 200
    except (OSError, ValueError):
        return False


def _read_state(h: Path | None = None) -> dict | None:
    try:
        return json.loads(_paths(h)[0].read_text("utf-8"))
    except (OSError, ValueError):
        return None


def status(h: Path | None = None) -> dict | None:
    """The running server's state (pid, port, api_url, idle_seconds, started), or None."""
    st = _read_state(h)
    if st and _is_ours(int(st["pid"])) and _healthy(int(st["port"])):
        return st
    return None


_lease_fh = None


def lease() -> None:
    """Mark this process as a client for its lifetime: the server does not idle-stop under it.

    Blocks while a server is stopping (it holds the clients lock exclusively until it exits)."""
    global _lease_fh
    if _lease_fh is None:
        path = _paths()[2]
        path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(path, "a")
        fcntl.flock(fh, fcntl.LOCK_SH)
        _lease_fh = fh


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


started_here = False  # ensure() started the server this process uses


def ensure(idle: float | None = None) -> str:
    """The API URL of a running background server, started now if none is up (then
    ``started_here`` is True)."""
    global started_here
    state_path, lock_path, _, log_path = _paths()
    state_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        st = _read_state()
        if st:
            pid, port = int(st["pid"]), int(st["port"])
            if _is_ours(pid) and _healthy(port):
                return st["api_url"]
            if _is_ours(pid):  # alive but not answering: replace it
                _kill(pid)
            state_path.unlink(missing_ok=True)
        idle = default_idle() if idle is None else idle
        last = "no attempt"
        for _ in range(3):  # a port taken between choosing it and binding it: another port
            port = _free_port()
            proc = _spawn(port, idle, log_path)
            deadline = time.monotonic() + START_TIMEOUT_SECONDS
            while time.monotonic() < deadline:
                if proc.poll() is not None:
                    last = f"exited with {proc.returncode}"
                    break
                if _healthy(port, timeout=1):
                    st = {"pid": proc.pid, "port": port, "api_url": f"http://127.0.0.1:{port}/api",
                          "ui_url": f"http://127.0.0.1:{port}", "idle_seconds": idle, "started": time.time()}
                    tmp = state_path.with_suffix(".tmp")
                    tmp.write_text(json.dumps(st), "utf-8")
                    os.replace(tmp, state_path)
                    started_here = True
                    return st["api_url"]
                time.sleep(0.1)
            else:
                last = f"not healthy in {START_TIMEOUT_SECONDS:.0f} s"
                _kill(proc.pid)
        raise ServerError(f"the background Prefect server did not start ({last}); see {log_path}")


# The server's loops that only deployments, work pools, automations and pauses use. This
# server records the flow runs `docclean run` starts (its API, the UI, the task-run recorder
# and the event persister stay); `docclean serve`'s schedules run on a server of their own.
# Off, the server holds some 35 MB less and wakes less often.
_IDLE_SERVICES = ("SCHEDULER", "LATE_RUNS", "FOREMAN", "TRIGGERS", "PAUSE_EXPIRATIONS", "CANCELLATION_CLEANUP",
                  "REPOSSESSOR")


def _spawn(port: int, idle: float, log_path: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(home()), PREFECT_SERVER_UI_ENABLED="true", PREFECT_UI_ENABLED="true")
    for service in _IDLE_SERVICES:  # (the user's environment wins)
        env.setdefault(f"PREFECT_SERVER_SERVICES_{service}_ENABLED", "false")
    with open(log_path, "ab") as log:
        # Its own session: no terminal signal of the run reaches it; it is reparented when the run ends.
        return subprocess.Popen([sys.executable, "-m", _MARK, "--port", str(port), "--idle", str(idle)],
                                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True, cwd=str(home()))


def _kill(pid: int, timeout: float = 15.0) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _is_ours(pid):
        time.sleep(0.1)
    if _is_ours(pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def stop(h: Path | None = None) -> int | None:
    """Stop the background server now; its pid, or None when none was running."""
    state_path, lock_path, _, _ = _paths(h)
    st = _read_state(h)
    if not st:
        return None
    pid = int(st["pid"])
    ours = _is_ours(pid)
    if ours:
        _kill(pid)
    state_path.unlink(missing_ok=True)
    return pid if ours else None


# ---- the server process -------------------------------------------------------------------

def _serve(port: int, idle: float) -> None:
    from docclean.run import prefect_env

    prefect_env.configure()
    import uvicorn
    from prefect.server.api import server as prefect_server

    # The services of a temporary server (what records task runs and events), not the scheduler
    # and the rest of `prefect server start`: idle, it costs no CPU (~2 % against ~35 %). Prefect
    # ties the UI to non-ephemeral servers; this one serves it (the run history) all the same.
    ui_app = prefect_server.create_ui_app
    prefect_server.create_ui_app = lambda ephemeral: ui_app(False)
    app = prefect_server.create_app(ephemeral=True, final=True)
    last = [time.monotonic()]

    async def counted(scope, receive, send):  # every request is activity
        if scope["type"] != "lifespan":
            last[0] = time.monotonic()
        await app(scope, receive, send)

    server = uvicorn.Server(uvicorn.Config(counted, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="on"))
    state_path, lock_path, clients_path, _ = _paths()
    me = os.getpid()
    held = []

    def idle_watch() -> None:
        try:
            _idle_watch()
        except BaseException as exc:  # whatever went wrong, a server nobody watches must not stay up
            print(f"{time.strftime('%Y-%m-%d %H:%M:%S')} stopping: idle watch failed: {exc!r}", flush=True)
            server.should_exit = True
            threading.Timer(20, lambda: os._exit(0)).start()

    def _idle_watch() -> None:
        while not server.should_exit:
            time.sleep(min(1.0, max(idle / 4, 0.1)))
            if not state_path.parent.is_dir():  # its PREFECT_HOME was deleted: no run can find it
                raise FileNotFoundError(state_path.parent)
            if time.monotonic() - last[0] < idle:
                continue
            lock = open(lock_path, "a")
            fcntl.flock(lock, fcntl.LOCK_EX)  # no run is looking for a server meanwhile
            clients = open(clients_path, "a")
            try:
                fcntl.flock(clients, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # a run is using it
                clients.close()
                lock.close()
                last[0] = time.monotonic()
                continue
            # Held until this process exits: a run arriving now waits, then starts a new server.
            held.append(clients)
            st = _read_state()
            if st and int(st["pid"]) == me:
                state_path.unlink(missing_ok=True)
            lock.close()
            print(f"{time.strftime('%Y-%m-%d %H:%M:%S')} idle for {idle:g} s: stopping", flush=True)
            server.should_exit = True
            threading.Timer(20, lambda: os._exit(0)).start()  # a shutdown that hangs still ends
            return

    threading.Thread(target=idle_watch, daemon=True).start()
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S')} docclean background Prefect server pid {me} on "
          f"http://127.0.0.1:{port} (stops after {idle:g} s idle)", flush=True)
    try:
        server.run()
    finally:
        st = _read_state()
        if st and int(st["pid"]) == me:
            state_path.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> None:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m docclean.run.server")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--idle", type=float, default=DEFAULT_IDLE_SECONDS)
    a = ap.parse_args(argv)
    _serve(a.port, a.idle)


if __name__ == "__main__":
    main()
