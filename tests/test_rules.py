"""Rule packs: each rule's own examples, and how users extend or override them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from docclean import rules as rules_mod
from docclean.lines.classify import clean_lines
from docclean.text import simplified

ROOT = Path(__file__).resolve().parent.parent

ALL = rules_mod.load().boilerplate


@pytest.mark.parametrize("rule", ALL, ids=[r.name for r in ALL])
def test_rule_examples(rule):
    assert rule.matches, f"rule {rule.name} has no positive example"
    def fires(text):
        text = simplified(text)  # rules meet the text in simplified script
        return len(rule.regex.findall(text)) >= rule.min_count and len(text) <= rule.max_len

    for text in rule.matches:
        assert fires(text), f"{rule.name} should fire on {text!r}"
    for text in rule.keeps:
        assert not fires(text), f"{rule.name} must not fire on {text!r}"


@pytest.mark.parametrize("rule", [r for r in ALL if r.scope == "line"], ids=lambda r: r.name)
def test_line_rules_spare_long_authored_paragraphs(rule, samples):
    """Keyword rules never delete a real paragraph: the samples' long lines all survive."""
    for data in samples.values():
        for line in data.decode("utf-8").splitlines():
            if len(line) > 80:
                assert not (len(rule.regex.findall(line)) >= rule.min_count and len(line) <= rule.max_len)


def test_every_removal_names_rule_and_class(ruleset):
    lines = ["XYZ123.COM —— 专注公文写作范文", "在全县大会上的讲话(第1/2页)", "同志们：",
             "今天的会议很重要，大家要认真领会。", "上一篇：在全市大会上的讲话", "1280人阅读"]
    out = clean_lines(lines, ruleset)
    assert [line.text for line in out.kept] == ["在全县大会上的讲话", "同志们：", "今天的会议很重要，大家要认真领会。"]
    removed = {(e.rule_class, e.before) for e in out.edits}
    assert ("site_banner", lines[0]) in removed
    assert ("navigation", lines[4]) in removed
    assert ("metadata", lines[5]) in removed
    assert ("page_marker", "(第1/2页)") in removed
    assert out.pages.resolve(title_lineno=2) == (1, 2)


def test_page_of_a_file_comes_from_title_or_a_single_marker(ruleset):
    body = "今天的会议很重要，大家要认真领会。"
    # Pagination inside one file ("- 1 -", "- 2 -" footers) does not make it a page of another.
    out = clean_lines(["在全县大会上的讲话", body, "- 1 -", body, "- 2 -"], ruleset)
    assert out.pages.resolve(title_lineno=1) == (None, None)
    assert sum(e.rule == "page_marker_line" for e in out.edits) == 2
    # A single "第 2 页 共 3 页" footer does.
    out = clean_lines(["在全县大会上的讲话", body, "第 2 页 共 3 页"], ruleset)
    assert out.pages.resolve(title_lineno=1) == (2, 3)
    # A marker on a body line is removed but does not decide the page.
    out = clean_lines(["在全县大会上的讲话", "在全市大会上的讲话(第2/3页)", body], ruleset)
    assert out.pages.resolve(title_lineno=1) == (None, None)


def test_user_pack_adds_overrides_and_disables(tmp_path, monkeypatch):
    (tmp_path / "boilerplate.toml").write_text('''
[[rule]]
name = "my_site_slogan"
class = "site_banner"
pattern = "^好文分享站$"
max_len = 10
matches = ["好文分享站"]

[[rule]]
name = "counter_digits"
enabled = false

[[rule]]
name = "share_prompt"
max_len = 5
''', encoding="utf-8")
    rs = rules_mod.load((str(tmp_path),))
    names = {r.name: r for r in rs.boilerplate}
    assert "my_site_slogan" in names
    assert "counter_digits" not in names
    assert names["share_prompt"].max_len == 5
    assert names["share_prompt"].regex.pattern == rules_mod.load().boilerplate[
        [r.name for r in rules_mod.load().boilerplate].index("share_prompt")].regex.pattern
    assert rs.fingerprint != rules_mod.load().fingerprint
    out = clean_lines(["好文分享站", "221381", "正文第一段。"], rs)
    assert [line.text for line in out.kept] == ["正文第一段。"]
    assert {e.before: e.rule for e in out.edits}["好文分享站"] == "my_site_slogan"
    # The disabled rule no longer fires; the lone number still goes, on its shape.
    assert not any(e.rule == "counter_digits" for e in out.edits)

    monkeypatch.setenv("DOCCLEAN_RULES", str(tmp_path))
    assert "my_site_slogan" in {r.name for r in rules_mod.load().boilerplate}


def test_bad_pattern_is_a_clear_error(tmp_path):
    (tmp_path / "boilerplate.toml").write_text('[[rule]]\nname = "broken"\npattern = "(unclosed"\n', encoding="utf-8")
    with pytest.raises(rules_mod.RuleError, match="broken"):
        rules_mod.load((str(tmp_path),))


def test_missing_rules_dir_is_a_clear_error(tmp_path):
    with pytest.raises(rules_mod.RuleError, match="not found"):
        rules_mod.load((str(tmp_path / "nope"),))


# ----------------------------------------------------------------------------- the classifier's prefilter

@pytest.mark.parametrize("pattern, want", [
    (r"第\s*\d+\s*页", {"第"}),  # of the items a match needs, the one with the fewest characters
    (r"(上一篇|下一篇)[:：]", {"上", "下"}),  # a branch needs one of its branches' characters
    (r"(?i)vip会员", {"v", "V"}),  # either case
    (r"(?i)vip", {"v", "V"}),
    (r"[A-C]x?", {"A", "B", "C"}),
    (r"(?<=[。！])\s*\d", {"。", "！"}),  # a lookbehind needs its characters in the text too
    (r"\s*版权", {"版"}),
])
def test_required_chars_are_read_off_the_pattern(pattern, want):
    assert rules_mod.required_chars(re.compile(pattern)) == want


@pytest.mark.parametrize("pattern", [r"a|\d", r"[^。]+", r"x*", r"(?!广告).+", r".页?", r"[\u4e00-\u9fff]{4}"])
def test_no_required_chars_when_a_match_needs_none_in_particular(pattern):
    assert rules_mod.required_chars(re.compile(pattern)) is None


def test_no_shipped_rule_is_skipped_on_a_line_it_matches():
    # The prefilter only skips a search that could not match: checked for every shipped
    # boilerplate rule on every line of the real test pages, as read and in simplified script.
    from docclean import text as T

    lines = [ln.strip() for p in sorted((ROOT / "tests" / "data" / "real_pages").glob("*.txt"))
             for ln in p.read_text("utf-8").splitlines() if ln.strip()]
    rs = rules_mod.load().boilerplate
    assert sum(r.required is not None for r in rs) >= len(rs) * 0.8  # most rules have a prefilter
    skipped = 0
    for line in lines:
        for t in (line, T.simplified(line)):
            chars = set(t)
            for r in rs:
                if not r.may_match(chars):
                    skipped += 1
                    assert r.regex.search(t) is None, (r.name, t)
    assert skipped > len(lines) * 10


def test_a_cut_group_removes_only_itself_and_an_attachment_keeps_its_file_name(ruleset):
    """file_extension's context (not an attachment line) stays; only its `cut` group goes."""
    lines = ["在新春联谊会上的致辞.doc", "同志们：", "今天的会议很重要，大家要认真领会。",
             "附件-2024年大赛报名表.docx"]
    out = clean_lines(lines, ruleset)
    assert [line.text for line in out.kept] == ["在新春联谊会上的致辞", "同志们：", lines[2], lines[3]]
    assert [(e.rule, e.before) for e in out.edits if e.rule == "file_extension"] == [("file_extension", ".doc")]
