"""The line classifier's lexical model (docclean.lines.lexical) and its place in the evidence."""

import numpy as np
import pytest

from docclean import rules as rules_mod
from docclean.lines import lexical
from docclean.lines.classify import _evidence, _uncertain, clean_lines


def _model(weights: dict[str, float], bias=0.0, buckets=None) -> lexical.LineModel:
    return lexical.LineModel(lexical._codes(list(weights)), np.array(list(weights.values())),
                             np.zeros(lexical.BUCKETS) if buckets is None else np.array(buckets), bias)


def test_a_line_is_scored_on_its_own_ngrams_once_each():
    m = _model({"下载": 1.0, "^点": 0.5, "页$": 0.25, "0": 0.125, "载本": 2.0})
    # 下载 twice counts once; ^点 only at the line's start; digits fold to 0; 载|本 spans two lines: no.
    assert m.logits(["点击下载，下载", "第3页", "下载", "本文"]).tolist() == [1.5, 0.375, 1.0, 0.0]
    # A line's score does not depend on the lines scored with it.
    assert m.logits(["第3页"]).tolist() == [0.375]
    assert m.logits([]).tolist() == []


def test_width_and_script_fold_before_scoring():
    m = _model({"下载": 1.0, "ab": 0.5})
    assert m.logits(["下載", "ＡＢ"]).tolist() == [1.0, 0.5]


def test_a_written_model_reads_back_the_same(tmp_path):
    m = _model({"#x": 0.5, "a\tb": -0.25, "\\": 1.0, "^同志": -2.0, "$": 0.125}, bias=0.3,
               buckets=[0.1] * lexical.BUCKETS)
    path = tmp_path / "m.tsv.gz"
    m.write(path, ["a test model"])
    back = lexical.read(path.read_bytes())
    lines = ["#x", "a\tb", "\\", "同志们：", ""]
    assert np.allclose(back.logits(lines), m.logits(lines))
    # The same model written again is the same file, byte for byte (a refit without new pages
    # changes nothing in version control).
    import time
    time.sleep(1.1)  # gzip stamps the second it was written, unless told not to
    m.write(tmp_path / "again.tsv.gz", ["a test model"])
    assert (tmp_path / "again.tsv.gz").read_bytes() == path.read_bytes()


def test_the_shipped_model_tells_chrome_from_authored_lines():
    m = lexical.model()
    chrome = ["点击下载本文", "上传时间：2023-07-02 浏览次数：128", "扫一扫，关注微信公众号"]
    authored = ["同志们：", "各村向困难群众免费赠送春联。", "一、提高政治站位，压实工作责任"]
    assert all(x > 0 for x in m.logits(chrome)) and all(x < 0 for x in m.logits(authored))


def test_lexical_evidence_is_bounded_recorded_and_never_argues_a_rule_away(tmp_path):
    ruleset = rules_mod.load()
    _, low, high = ruleset.lines.lexical
    c = _evidence(1, "点击下载本文", ruleset, logit=100.0)
    assert "lexical:+100.0" in c.evidence and c.score >= high
    plain = _evidence(1, "今天天气", ruleset, logit=-100.0)
    assert plain.score == low + _evidence(1, "今天天气", ruleset).score
    # A boilerplate rule matched: the model may add to it, never subtract.
    ruled = _evidence(1, "上一篇：关于开展春季植树活动的通知", ruleset, logit=-100.0)
    assert ruled.score == _evidence(1, "上一篇：关于开展春季植树活动的通知", ruleset).score
    # Switched off by a user's rules folder.
    (tmp_path / "lines.toml").write_text('version = "1"\n[lexical]\nenabled = false\n', "utf-8")
    assert rules_mod.load((str(tmp_path),)).lines.lexical is None


def test_a_line_only_the_model_knows_goes_with_its_evidence_recorded(tmp_path):
    """A site's slogan no rule or vocabulary names, after the text: the model's evidence alone removes it."""
    lines = ["在全县工作会议上的讲话", "同志们：", "今天的会议很重要，大家要认真领会，抓好落实，确保各项任务按期完成。",
             "好笔头文秘 · 让写作更轻松"]
    out = clean_lines(lines, rules_mod.load())
    assert [x.text for x in out.kept] == lines[:3]
    (edit,) = out.edits
    assert edit.before == lines[3] and edit.evidence.startswith("lexical:")
    (tmp_path / "lines.toml").write_text('version = "1"\n[lexical]\nenabled = false\n', "utf-8")
    assert [x.text for x in clean_lines(lines, rules_mod.load((str(tmp_path),))).kept] == lines


def test_a_line_the_model_reads_as_authored_is_no_uncertain_one_as_lines_toml_says(tmp_path):
    ruleset = rules_mod.load()
    c = _evidence(1, "春风又绿江南岸", ruleset, logit=-5.0)  # evidence clipped to [lexical] low, -1.5
    assert c.lexical == ruleset.lines.lexical[1] and not _uncertain(c, ruleset)
    assert _uncertain(_evidence(1, "春风又绿江南岸", ruleset, logit=-0.5), ruleset)
    # `authored` in a user's lines.toml moves the line: past it, the neighbours decide again.
    (tmp_path / "lines.toml").write_text('version = "1"\n[lexical]\nauthored = 2.0\n', "utf-8")
    assert _uncertain(c, rules_mod.load((str(tmp_path),)))


def test_a_model_of_your_own_replaces_the_shipped_one(tmp_path, monkeypatch):
    path = tmp_path / "own.tsv.gz"
    _model({"下载": 3.0}).write(path, ["fitted on my own pages"])
    monkeypatch.setenv("DOCCLEAN_LINE_MODEL", str(path))
    lexical.model.cache_clear()
    try:
        assert lexical.model().logits(["点击下载", "同志们"]).tolist() == [3.0, 0.0]
        monkeypatch.setenv("DOCCLEAN_LINE_MODEL", str(tmp_path / "missing.tsv.gz"))
        lexical.model.cache_clear()
        with pytest.raises(FileNotFoundError):  # a path set by mistake is an error, not a silent default
            lexical.model()
    finally:
        monkeypatch.delenv("DOCCLEAN_LINE_MODEL")
        lexical.model.cache_clear()
    assert lexical.model().logits(["同志们"]).tolist() != [0.0]  # the shipped model again


def test_a_model_of_your_own_changes_the_extract_fingerprint(tmp_path, monkeypatch):
    from docclean.run import runner
    shipped = runner.stage_fingerprints()
    path = tmp_path / "own.tsv.gz"
    _model({"下载": 3.0}).write(path, ["fitted on my own pages"])
    monkeypatch.setenv("DOCCLEAN_LINE_MODEL", str(path))
    own = runner.stage_fingerprints()
    assert own["extract"] != shipped["extract"] and own["assemble"] == shipped["assemble"]
