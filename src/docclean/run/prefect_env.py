"""Prefect settings for a quiet, serverless default run. Import before ``prefect``.

The default run uses docclean's background Prefect server (docclean.run.server), with its database in a
project-controlled PREFECT_HOME (``./.prefect``), telemetry off, and only
warnings logged to the console. Anything the user already set wins.
"""

from __future__ import annotations

import os
from pathlib import Path

# The keys set here rather than by the user: only these may be changed again.
_DEFAULTED: set[str] = set()


def configure(verbose: bool = False) -> None:
    """Set docclean's defaults for whatever the user left unset; ``verbose`` shows Prefect's logs."""
    env = os.environ

    def default(key: str, value: str) -> None:
        if key not in env or key in _DEFAULTED:
            env[key] = value
            _DEFAULTED.add(key)

    default("PREFECT_HOME", str(Path(env.get("DOCCLEAN_PREFECT_HOME", ".prefect")).resolve()))
    default("DO_NOT_TRACK", "1")
    default("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    default("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "WARNING")
    default("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    default("PREFECT_SERVER_UI_ENABLED", "false")  # no UI build for a temporary server
    default("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")  # slow CI disks
    default("PREFECT_RESULTS_PERSIST_BY_DEFAULT", "false")


def without_heartbeats():
    """Settings for a flow run the CLI starts and waits for: no flow-run heartbeats.

    Prefect's engine sends them from a thread that sleeps in one-second steps and joins it
    when the run ends, so every run ended up to a second late. They only serve to detect a
    crashed run through an automation, which docclean does not create; and the CLI marks
    its run as ended itself on Ctrl-C and SIGTERM. A user who sets
    PREFECT_FLOWS_HEARTBEAT_FREQUENCY keeps them (the environment cannot switch them off:
    the setting takes only a number).
    """
    import contextlib

    if "PREFECT_FLOWS_HEARTBEAT_FREQUENCY" in os.environ or "PREFECT_RUNNER_HEARTBEAT_FREQUENCY" in os.environ:
        return contextlib.nullcontext()
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    return temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None})


configure()
