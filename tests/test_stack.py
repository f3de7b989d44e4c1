"""The line model (docclean.lines.stack): its file, its trees, and what the classifier lets it decide."""

from __future__ import annotations

import numpy as np
import pytest

from docclean.lines import stack
from docclean.lines.classify import clean_lines


def _constant(p: float) -> stack.Forest:
    """A forest of one leaf: every line gets probability ``p``."""
    logit = float(np.log(p / (1 - p)))
    one = np.zeros(1, np.int64)
    return stack.Forest(feature=one, threshold=np.zeros(1), left=one, right=one, leaf=np.ones(1, bool),
                        value=np.zeros(1), roots=one, depth=1, baseline=logit)


def test_the_shipped_model_reads_and_scores_every_feature_row():
    f = stack.model()
    assert f is not None and len(f.roots) > 10
    x = np.zeros((3, len(stack.FEATURES)))
    x[1, stack.FEATURES.index("score")] = 5.0
    p = f.proba(x)
    assert p.shape == (3,) and ((0 <= p) & (p <= 1)).all()


def test_a_forest_written_and_read_gives_the_same_probabilities(tmp_path):
    # Two stumps on different features, to exercise the traversal.
    f = stack.Forest(feature=np.array([4, 0, 0, 6, 0, 0]), threshold=np.array([1.0, 0, 0, -0.5, 0, 0]),
                     left=np.array([1, 0, 0, 4, 0, 0]), right=np.array([2, 0, 0, 5, 0, 0]),
                     leaf=np.array([0, 1, 1, 0, 1, 1], bool), value=np.array([0, -1.0, 2.0, 0, 0.5, -0.5]),
                     roots=np.array([0, 3]), depth=2, baseline=0.1)
    x = np.zeros((4, len(stack.FEATURES)))
    x[:, 4] = [0.0, 2.0, 0.0, 2.0]
    x[:, 6] = [-1.0, -1.0, 0.0, 0.0]
    want = 1 / (1 + np.exp(-(0.1 + np.array([-1 + 0.5, 2 + 0.5, -1 - 0.5, 2 - 0.5]))))
    assert np.allclose(f.proba(x), want)
    f.write(tmp_path / "m.json.gz", {"test": True})
    g = stack.read((tmp_path / "m.json.gz").read_bytes())
    assert np.allclose(g.proba(x), want)
    assert (tmp_path / "m.json.gz").read_bytes() == (f.write(tmp_path / "n.json.gz", {"test": True})
                                                     or (tmp_path / "n.json.gz").read_bytes())


def test_a_model_fitted_on_other_features_is_refused(tmp_path):
    import gzip
    import json

    (tmp_path / "m.json.gz").write_bytes(gzip.compress(json.dumps({"features": ["score"]}).encode()))
    with pytest.raises(ValueError, match="other features"):
        stack.read((tmp_path / "m.json.gz").read_bytes())


BODY = ["县委书记在全县经济工作会议上的讲话", "同志们:",
        "今天的这个会议非常重要,也非常必要。说重要,因为这是在全球宏观经济困境中如何把握形势、增强信心的重要会议。",
        "刚才,新平同志把我县明后两年的项目情况给大家做了通报,并以表格的形式进行了印发,大家要认真抓好落实。"]


def _removed(lines, ruleset, monkeypatch, forest):
    monkeypatch.setattr(stack, "model", lambda: forest)
    return {e.before: e.rule for e in clean_lines(lines, ruleset).edits if e.scope == "line"}


def test_a_sure_model_removes_what_the_rules_kept_but_never_the_title_or_the_text(raw_rules, monkeypatch):
    lines = [*BODY, "每周一早读"]
    assert _removed(lines, raw_rules, monkeypatch, None) == {}
    # The title, the salutation (structure) and the body's sentences stay; the short line under
    # the text goes, on the model's word.
    assert _removed(lines, raw_rules, monkeypatch, _constant(0.99)) == {"每周一早读": "line_model"}


def test_an_unsure_model_keeps_only_what_no_rule_named(raw_rules, monkeypatch):
    page = ["阅读 收藏 喜欢 打印举报", "上一篇:关于开展春季植树活动的通知", *BODY]
    before = _removed(page, raw_rules, monkeypatch, None)
    after = _removed(page, raw_rules, monkeypatch, _constant(0.01))
    # A rule named the link to the previous article: it goes whatever the model says. The row of
    # controls went on vocabulary and shape alone: the model's to keep.
    assert page[1] in before and page[1] in after
    assert page[0] in before and page[0] not in after


def test_the_model_is_off_at_threshold_zero(raw_rules, monkeypatch):
    import dataclasses

    off = dataclasses.replace(raw_rules, lines=dataclasses.replace(raw_rules.lines, stack_threshold=0.0))
    lines = [*BODY, "每周一早读"]
    assert _removed(lines, off, monkeypatch, _constant(0.99)) == {}
