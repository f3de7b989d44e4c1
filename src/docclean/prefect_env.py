"""Prefect settings for a quiet, serverless default run. Import before ``prefect``.

The default run uses Prefect's temporary local server, with its database in a
project-controlled PREFECT_HOME (``./.prefect``), telemetry off, and only
warnings logged to the console. Anything the user already set wins.
"""

from __future__ import annotations

import os
from pathlib import Path


def configure(verbose: bool = False) -> None:
    env = os.environ
    env.setdefault("PREFECT_HOME", str(Path(env.get("DOCCLEAN_PREFECT_HOME", ".prefect")).resolve()))
    env.setdefault("DO_NOT_TRACK", "1")
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    env.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "WARNING")
    env.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    env.setdefault("PREFECT_SERVER_UI_ENABLED", "false")  # no UI build for a temporary server
    env.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")  # slow CI disks
    env.setdefault("PREFECT_RESULTS_PERSIST_BY_DEFAULT", "false")


configure()
