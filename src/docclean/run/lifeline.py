"""Child processes end with the process that started them.

A run stopped with SIGKILL (or SIGTERM, as cron and systemd time-outs send) must not
leave its forkserver and workers behind with parent PID 1, each holding hundreds of MB.

Two mechanisms, each where it is sound:

* The forkserver (``docclean.run.forkserver_lifeline`` is first in its preload list) watches its parent: a
  thread polls ``getppid()`` and ends the forkserver the moment it changes (the parent
  died, however: SIGKILL included, and the child was handed to init or a subreaper).
  Linux's parent-death signal would not do here: it fires when the parent *thread* that
  forked the child exits, and the forkserver is started from whichever thread first
  needs a worker (the CLI's prestart thread, a Prefect task thread), which ends long
  before the run does: the forkserver was killed seconds after it started.
* Every worker (the pool's initializer) takes the parent-death signal: it is forked by
  the forkserver's main thread, which lives exactly as long as the forkserver.

multiprocessing's resource tracker needs neither: it exits when the last holder of its
pipe (the run, the forkserver, the workers) has gone. Elsewhere than Linux the
parent-death signal does nothing; the watchdog works on any POSIX system.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1
POLL_SECONDS = 0.2
_watching = False


def tie_to_parent(parent: int | None = None) -> bool:
    """Ask the kernel to kill this process when the thread that forked it exits; False where
    unsupported. Only for processes forked by a thread that lives as long as its process.

    ``parent``: the PID expected as parent; if it is already gone (the race between fork
    and this call), exit now.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if parent is not None and os.getppid() != parent:
        os._exit(1)  # the parent died before the signal was armed
    return True


def watch_parent(poll: float = POLL_SECONDS) -> None:
    """End this process (SIGKILL to itself) as soon as its parent process is gone."""
    global _watching
    if _watching:
        return
    _watching = True
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll)
        os.kill(os.getpid(), signal.SIGKILL)  # its workers follow (parent-death signal)

    threading.Thread(target=watch, name="docclean-lifeline", daemon=True).start()

