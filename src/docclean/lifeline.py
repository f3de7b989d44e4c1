"""Child processes end with the process that started them.

A run stopped with SIGKILL (or SIGTERM, as cron and systemd time-outs send) must not
leave its forkserver and workers behind with parent PID 1, each holding hundreds of MB.
Linux's parent-death signal does that without a watchdog: a process that sets it gets
SIGKILL when its parent thread exits, however the parent ended. It is cleared on fork,
so each process sets it for itself: the forkserver (this module is in its preload list)
and every worker (the pool's initializer). Elsewhere than Linux it does nothing.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def tie_to_parent(parent: int | None = None) -> bool:
    """Ask the kernel to kill this process when its parent dies; False where unsupported.

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


tie_to_parent()  # on import: the forkserver imports this module first
