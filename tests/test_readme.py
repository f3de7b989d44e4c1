"""The README's snippets run as written, against a processed/ made in a temporary folder.

Every ```python and ```bash block carries a marker on the line above it:
``<!-- readme-test: run -->`` (run here) or ``<!-- readme-test: skip (why) -->``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from docclean.run import runner

README = Path(__file__).resolve().parents[1] / "README.md"
_BLOCK = re.compile(r"^(?P<marker><!-- readme-test: (?P<what>run|skip[^>]*) -->\n)?```(?P<lang>python|bash)\n"
                    r"(?P<code>.*?)^```$", re.M | re.S)


def _blocks() -> list[tuple[str, str, str, int]]:
    text = README.read_text("utf-8")
    return [(m["lang"], (m["what"] or "").strip(), m["code"], text.count("\n", 0, m.start()) + 1)
            for m in _BLOCK.finditer(text)]


def test_every_snippet_says_whether_it_runs():
    blocks = _blocks()
    assert len(blocks) >= 10
    unmarked = [line for _, what, _, line in blocks if not what]
    assert not unmarked, f"README.md code blocks without a readme-test marker at lines {unmarked}"
    assert all(what == "run" or re.fullmatch(r"skip \(.+\)", what) for _, what, _, _ in blocks)
    assert {lang for lang, what, _, _ in blocks if what == "run"} == {"python", "bash"}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A folder laid out as the README's commands leave one: raw/, processed/, .venv/."""
    from conftest import RAW

    work = tmp_path_factory.mktemp("readme")
    shutil.copytree(RAW, work / "raw")
    runner.run_local(work / "raw", work / "processed")
    (work / ".venv").symlink_to(Path(sys.executable).parent.parent)
    return work


def _env(work: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "HF_"))}
    env.update(HF_DATASETS_OFFLINE="1", HF_HUB_OFFLINE="1", HF_HOME=str(work / ".hf"), COLUMNS="100",
               PREFECT_HOME=str(work / ".prefect"))
    return env


@pytest.mark.parametrize("lang,code,line", [(lang, code, line) for lang, what, code, line in _blocks()
                                            if what == "run"], ids=lambda x: str(x) if isinstance(x, int) else None)
def test_snippet_runs(workdir, lang, code, line):
    if lang == "python":
        cmd = [str(workdir / ".venv" / "bin" / "python"), "-c", code]
    else:
        cmd = ["bash", "-euo", "pipefail", "-c", code]
    r = subprocess.run(cmd, cwd=workdir, env=_env(workdir), capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, f"README.md line {line}:\n{code}\nstdout:\n{r.stdout[-3000:]}\nstderr:\n{r.stderr[-3000:]}"
    assert r.stdout.strip(), f"README.md line {line} printed nothing"
