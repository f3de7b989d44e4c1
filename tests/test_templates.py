"""Site-template learning: recurring edge lines go, authored repeats stay."""

from __future__ import annotations

import random

import pyarrow.dataset as ds

from docclean.lines import templates
from docclean.model import Line
from docclean.run import runner
from docclean.store.folder import Store

SLOGAN = "让每一份材料都出彩"      # no rule knows this site's slogan, nor does the lexical model (it reads as prose)
FOOTER = "本页资料整理：小编{n}号 欢迎收藏"  # digits vary per page


def _paragraphs(samples):
    paras = []
    for data in samples.values():
        paras += [x.strip() for x in data.decode("utf-8").splitlines() if len(x.strip()) > 60]
    return paras


def _site(raw, samples, name, n_docs, seed=0, slogan=True):
    rnd = random.Random(seed)
    paras = _paragraphs(samples)
    folder = raw / name
    folder.mkdir()
    for i in range(n_docs):
        body = rnd.sample(paras, 5)
        lines = ([SLOGAN] if slogan else []) + [f"在全县第{i}次工作会议上的讲话", "同志们：",
                                                 "一、统一思想", *body, "谢谢大家！", FOOTER.format(n=rnd.randint(1, 99))]
        (folder / f"{i:03d}.txt").write_text("\n".join(lines), "utf-8")


def _rows(out, table):
    return ds.dataset(out / table, format="parquet").to_table().to_pylist()


def test_normalize_masks_numbers_and_dates():
    assert templates.normalize("发布于 2024-03-05 浏览 123 次") == templates.normalize("发布于 2023-11-21 浏览 7 次")
    assert templates.signature("小编12号") == templates.signature("小编7号")
    assert templates.signature("小编12号") != templates.signature("小编12号。联系我们")


def test_candidates_skip_authored_repeats(ruleset):
    lines = [Line(i + 1, t) for i, t in enumerate([
        "在全县工作会议上的讲话", "同志们：", "一、统一思想", "正文" * 40, "谢谢大家！",
        "中共某某县委办公室", "2024年3月5日", "附件：会议日程", SLOGAN])]
    got = {c.text for c in templates.candidates(lines, 0, ruleset.templates, ruleset.structure)}
    assert got == {SLOGAN}


def test_site_template_is_learned_applied_and_reviewable(tmp_path, samples):
    raw = tmp_path / "raw"
    raw.mkdir()
    _site(raw, samples, "siteA", 8)
    _site(raw, samples, "siteB", 3, seed=1)  # too few documents to learn from
    out = tmp_path / "out"
    s = runner.run_local(raw, out)
    assert s.files_redone == 8  # siteA's files were cleaned again once the template was learned

    edits = _rows(out, "edits")
    learned = [(e["source"].split("/")[0], e["before"]) for e in edits if e["rule"] == "learned_template"]
    assert ("siteA", SLOGAN) in learned
    # The footer goes from every page: the editor's voice (小编) is evidence enough without learning.
    assert sum(1 for e in edits if e["source"].startswith("siteA/") and e["action"] == "remove"
               and e["before"].startswith("本页资料整理")) == 8
    assert not any(site == "siteB" for site, _ in learned)

    paras = _rows(out, "paragraphs")
    site_a = [p for p in paras if p["source"].startswith("siteA/")]
    texts = {p["text"] for p in site_a}
    assert SLOGAN not in texts
    for authored in ("同志们：", "一、统一思想", "谢谢大家！"):  # present in every doc, never learned
        assert sum(p["text"] == authored for p in site_a) == 8
    assert all(rows[0]["kind"] == "title" for rows in [
        sorted((p for p in site_a if p["doc_id"] == d), key=lambda p: p["para_index"])
        for d in {p["doc_id"] for p in site_a}])
    assert any(p["text"] == SLOGAN for p in paras if p["source"].startswith("siteB/"))

    review = (out / "_state" / "learned_templates.toml").read_text("utf-8")
    assert SLOGAN in review and 'site = "siteA"' in review

    # Nothing new: nothing written. A new page on the site is cleaned with the template at once.
    assert not runner.run_local(raw, out).wrote
    (raw / "siteA" / "new.txt").write_text(f"{SLOGAN}\n在全市大会上的讲话\n同志们：\n" + "正文。" * 30, "utf-8")
    s = runner.run_local(raw, out)
    assert s.files_processed == 1 and s.files_redone == 0
    new = [p["text"] for p in _rows(out, "paragraphs") if p["source"] == "siteA/new.txt"]
    assert new[0] == "在全市大会上的讲话" and SLOGAN not in new


def test_unlearning_restores_lines(tmp_path, samples):
    raw = tmp_path / "raw"
    raw.mkdir()
    _site(raw, samples, "siteA", 6)
    for i in range(6):  # add documents without the slogan, so it falls below 30% of the site
        (raw / "siteA" / f"plain{i:02d}.txt").write_text("在会议上的讲话\n同志们：\n" + "正文。" * 30, "utf-8")
    out = tmp_path / "out"
    runner.run_local(raw, out)
    assert any(e["before"] == SLOGAN for e in _rows(out, "edits"))  # 6 of 12 docs: learned
    for i in range(6, 20):
        (raw / "siteA" / f"plain{i:02d}.txt").write_text("在会议上的讲话\n同志们：\n" + "正文。" * 30, "utf-8")
    s = runner.run_local(raw, out)
    assert s.files_redone >= 6
    assert not any(e["before"] == SLOGAN for e in _rows(out, "edits"))
    assert sum(p["text"] == SLOGAN for p in _rows(out, "paragraphs")) == 6


def test_reviewer_can_veto_a_template(tmp_path, samples):
    raw = tmp_path / "raw"
    raw.mkdir()
    _site(raw, samples, "siteA", 8)
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "templates.toml").write_text(f'never = ["{SLOGAN}"]\n', "utf-8")
    out = tmp_path / "out"
    runner.run_local(raw, out, rules_dirs=(str(rules),))
    assert sum(p["text"] == SLOGAN for p in _rows(out, "paragraphs")) == 8


def test_templates_saved_by_a_run_that_died_before_its_commit_reprocess(tmp_path, samples):
    """Learned templates and the manifest go together: templates newer than the committed
    manifest (a crash in between) make the next run clean everything again."""
    raw = tmp_path / "raw"
    raw.mkdir()
    _site(raw, samples, "siteA", 8)
    out = tmp_path / "out"
    runner.run_local(raw, out)
    assert runner.run_local(raw, out).files_processed == 0
    store = Store(out)
    data = store.load_templates()
    data["learned"]["siteA"] = []  # as a crashed run might have left them
    store.save_templates(data)
    assert runner.run_local(raw, out).files_processed == 8
