"""The run report rendered from a real run's summary."""

from __future__ import annotations

from docclean import report, runner


def test_report_from_a_run(raw_copy, tmp_path):
    (raw_copy / "junk.bin").write_bytes(b"\x00\xff" * 200)
    summary = runner.run_local(raw_copy, tmp_path / "out").as_dict()
    md = report.markdown(summary)
    assert "4 ok, 1 partial, 0 empty, 1 quarantined" in md
    assert "| site_banner |" in md and "| share_prompt |" in md  # removals by class
    assert "junk.bin" in md and "binary" in md                    # quarantined, with why
    rows = report.table(summary)
    assert len(rows) == 6
    assert rows[0]["status"] != "ok"                               # problems first
    assert {r["status"] for r in rows} == {"ok", "partial", "quarantined"}


def test_lock_waits_then_gives_up(tmp_path):
    import time

    import pytest

    from docclean.store import Locked, Store

    with Store(tmp_path).locked():
        t0 = time.monotonic()
        with pytest.raises(Locked):
            with Store(tmp_path).locked(wait_seconds=0.5):
                pass
        assert time.monotonic() - t0 >= 0.5
