"""The run report rendered from a real run's summary."""

from __future__ import annotations

from docclean.run import report, runner


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

    from docclean.store.folder import Locked, Store

    with Store(tmp_path).locked():
        t0 = time.monotonic()
        with pytest.raises(Locked):
            with Store(tmp_path).locked(wait_seconds=0.5):
                pass
        assert time.monotonic() - t0 >= 0.5


def test_partial_documents_are_named(raw_copy, tmp_path):
    summary = runner.run_local(raw_copy, tmp_path / "out").as_dict()
    assert [p["sources"] for p in summary["partial"]] == [["001_019269771721435d.txt"]]
    assert "missing page" in summary["partial"][0]["error"]
    md = report.markdown(summary)
    assert "## Partial documents" in md and "001_019269771721435d.txt" in md
    assert summary["suspicious_rules"] == []


def test_a_user_rule_removing_most_lines_is_suspicious(raw_copy, tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "boilerplate.toml").write_text(
        '[[rule]]\nname = "stray_dot"\nclass = "site_banner"\nverdict = true\npattern = "."\n', "utf-8")
    summary = runner.run_local(raw_copy, tmp_path / "out", rules_dirs=(str(rules),)).as_dict()
    [sus] = summary["suspicious_rules"]
    assert sus["rule"] == "stray_dot" and sus["share"] > 0.5 and sus["pack"].endswith("boilerplate.toml")
    assert "stray_dot" in report.markdown(summary) and "check its pattern" in report.markdown(summary)


def test_summary_goes_to_stdout_and_as_json(raw_copy, tmp_path, capsys):
    import json

    from docclean.cli import app as cli

    summary = runner.run_local(raw_copy, tmp_path / "out").as_dict()
    cli._print_summary(summary, str(raw_copy), tmp_path / "out")
    cap = capsys.readouterr()
    assert "documents ok" in cap.out and "partial" in cap.out and "001_019269771721435d.txt" in cap.out
    assert cap.err == ""
    cli._print_summary(summary, str(raw_copy), tmp_path / "out", as_json=True)
    data = json.loads(capsys.readouterr().out)
    assert data["documents"]["ok"] == 4 and data["out"] == str(tmp_path / "out")
    again = runner.run_local(raw_copy, tmp_path / "out").as_dict()
    again["seconds"] = 0.0
    cli._print_summary(again, str(raw_copy), tmp_path / "out")
    out = capsys.readouterr().out
    assert f"{tmp_path / 'out'} left as it was".replace(" ", "") in out.replace(" ", "").replace("\n", "")
    assert "processed/ left" not in out
