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
