from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from docclean import rules as rules_mod

# A `docclean run` in a test starts a background Prefect server under the test's PREFECT_HOME
# (docclean.run.server): it stops 20 s after the test's last run, not the default 10 minutes.
os.environ.setdefault("DOCCLEAN_SERVER_IDLE", "20")

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"
# The annotations ship beside the samples in shared/; raw/ holds copies of the samples.
ANNOTATIONS = next((p for p in (ROOT.parent / "shared" / "raw-samples" / "annotations.json",
                                ROOT / "tests" / "data" / "annotations.json") if p.exists()), None)


@pytest.fixture(scope="session")
def ruleset():
    return rules_mod.load()


@pytest.fixture(scope="session")
def raw_rules():
    """Rules with every repair off: for checks against the text as written."""
    return rules_mod.load(no_repair=True)


@pytest.fixture(scope="session")
def samples() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(RAW.glob("*.txt"))}


@pytest.fixture(scope="session")
def annotations() -> dict:
    assert ANNOTATIONS is not None, "annotations.json not found"
    return json.loads(ANNOTATIONS.read_text("utf-8"))["files"]


@pytest.fixture
def raw_copy(tmp_path) -> Path:
    dst = tmp_path / "raw"
    shutil.copytree(RAW, dst)
    return dst
