"""prefect.yaml points at the real flow with parameters it accepts."""

from __future__ import annotations

import inspect
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_deployment_entrypoint_loads_the_ingest_flow(monkeypatch):
    from prefect.flows import load_flow_from_entrypoint

    from docclean.run import prefect_env  # noqa: F401

    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text("utf-8"))
    (dep,) = spec["deployments"]
    monkeypatch.chdir(ROOT)
    flow = load_flow_from_entrypoint(dep["entrypoint"])
    assert flow.name == "docclean-ingest"
    accepted = set(inspect.signature(flow.fn).parameters)
    assert set(dep["parameters"]) <= accepted
    assert dep["concurrency_limit"] == 1 and dep["schedules"][0]["cron"]


def test_a_cli_run_sends_no_heartbeats_unless_the_user_asks(monkeypatch):
    # The engine joins its heartbeat thread, which sleeps in one-second steps, at the end of
    # every run; the CLI's runs need no heartbeats (docclean.run.prefect_env.without_heartbeats).
    from docclean.run import prefect_env
    from prefect.settings import get_current_settings

    monkeypatch.delenv("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", raising=False)
    monkeypatch.delenv("PREFECT_RUNNER_HEARTBEAT_FREQUENCY", raising=False)
    assert get_current_settings().flows.heartbeat_frequency is not None  # Prefect's default: on
    with prefect_env.without_heartbeats():
        assert get_current_settings().flows.heartbeat_frequency is None
    monkeypatch.setenv("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "60")  # (read by Prefect when it starts)
    with prefect_env.without_heartbeats():  # the user's setting is left as Prefect read it
        assert get_current_settings().flows.heartbeat_frequency is not None
