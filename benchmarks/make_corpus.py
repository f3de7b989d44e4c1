"""Make a synthetic raw/ corpus from the real samples.

Documents are built by shuffling the samples' authored paragraphs into new
documents, then dressed the way template sites dress them: banners, metadata
lines, ad blocks, share prompts, counters, HTML pages, split pages, and a mix
of encodings (UTF-8, UTF-8 with BOM, GB18030, UTF-16). A few bad inputs are
mixed in. The same seed gives the same corpus.

    python benchmarks/make_corpus.py 1000 benchmarks/out/corpus-1k
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "raw"

BANNERS = ["{D} —— 专注党建行政公文写作范文", "{D} 公文写作平台", "本文来自 {d}", "仅供学习 禁止外传"]
META = ["admin 分享 时间: 加入收藏 共计{n}个字,预计阅读时长{m}分钟。", "发布时间：2024-0{m}-1{m} 10:20 浏览：{n}",
        "{n}人阅读"]
ADS = [("share_prompt", "微信扫码领取福利"), ("share_prompt", "微信扫码分享"),
       ("membership_ad", "会员群：        免费QQ群：{n}"), ("membership_ad", "【打击倒卖活动】"),
       ("membership_ad", "开通VIP会员，免费下载全文"), ("paywall", "正式会员可完整阅读"),
       ("navigation", "上一篇：在全市工作会议上的讲话"), ("navigation", "相关文章"),
       ("copyright", "Copyright © 2024 {d} 版权所有"), ("page_marker", "{n}")]
ENCODINGS = ["utf-8"] * 5 + ["utf-8-sig", "gb18030", "gb18030", "utf-16"]


def _sample_parts():
    """Titles and authored body paragraphs of the samples, per their hand annotations."""
    ann = json.loads((ROOT / "tests" / "data" / "annotations.json").read_text("utf-8"))["files"]
    titles, paras = [], []
    for p in sorted(SAMPLES.glob("*.txt")):
        a = ann[p.name]
        titles.append(a["title"])
        skip = {a["title"], *(b.strip() for b in a["boilerplate_lines"])}
        lines = [line.strip() for line in p.read_text("utf-8").splitlines() if line.strip()]
        paras += [line for line in lines if line not in skip and len(line) > 30
                  and not re.search(r"第\d+/\d+页", line)]
    return titles, paras


def _dress(rnd, title, body, domain, truth, page_title=None):
    """The page's lines; appends (class, line) of every boilerplate line to truth["boilerplate"]."""
    fill = lambda s: s.format(D=domain.upper(), d=domain, n=rnd.randint(100, 99999), m=rnd.randint(1, 9))  # noqa: E731
    head = [("site_banner", fill(rnd.choice(BANNERS)))] if rnd.random() < 0.6 else []
    meta = [("metadata", fill(rnd.choice(META)))] if rnd.random() < 0.5 else []
    tail = [(cls, fill(a)) for cls, a in rnd.sample(ADS, rnd.randint(0, 4))]
    truth["boilerplate"] += head + meta + tail
    if page_title:  # a later page repeats the title: the repeat is not authored
        truth["boilerplate"].append(("page_marker", page_title))
    else:
        truth["authored"].append(title)
    truth["authored"] += ["同志们："] + body
    return [x for _, x in head] + [page_title or title] + [x for _, x in meta] + ["同志们："] + body + [x for _, x in tail]


def _html(lines):
    title, rest = lines[0], lines[1:]
    ps = "\n".join(f"<p>{html.escape(x)}</p>" for x in rest)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}_范文网</title>"
            f"<script>var a=1;</script></head><body><nav><a href='/'>首页</a><a href='/x'>讲话稿</a></nav>"
            f"<div class='main'><h1>{html.escape(title)}</h1><div class='content'>{ps}</div></div>"
            f"<footer>Copyright © 2024 范文网</footer></body></html>")


def make(n_docs: int, out: Path, seed: int = 1, truth: dict | None = None) -> int:
    """Write the corpus; if ``truth`` is given, fill it: path -> {authored, boilerplate}."""
    rnd = random.Random(seed)
    titles, paras = _sample_parts()
    out.mkdir(parents=True, exist_ok=True)
    truth = {} if truth is None else truth
    written = 0
    for i in range(n_docs):
        site = f"site{i % 7}"
        domain = f"fanwen{i % 7}.com"
        title = f"{rnd.choice(titles)}（{i}）"
        body = rnd.sample(paras, rnd.randint(8, 22))
        folder = out / site
        folder.mkdir(exist_ok=True)
        kind = rnd.random()
        if kind < 0.1:  # split over pages
            k = rnd.randint(2, 3)
            size = len(body) // k + 1
            for j in range(k):
                chunk = body[j * size:(j + 1) * size]
                t = {"authored": [], "boilerplate": [("page_marker", f"(第{j + 1}/{k}页)")]}
                marked = f"{title}(第{j + 1}/{k}页)"
                lines = _dress(rnd, title, chunk, domain, t, page_title=marked if j else None)
                if j == 0:
                    lines[lines.index(title)] = marked
                else:
                    t["authored"].remove("同志们：")  # later pages carry no salutation
                    lines.remove("同志们：")
                name = f"{site}/{i:06d}_{rnd.randint(0, 10**6)}.txt"
                (out / name).write_bytes("\n".join(lines).encode("utf-8"))
                truth[name] = t
                written += 1
            continue
        t = {"authored": [], "boilerplate": []}
        lines = _dress(rnd, title, body, domain, t)
        if kind < 0.25:
            name = f"{site}/{i:06d}.html"
            (out / name).write_bytes(_html(lines).encode("utf-8"))
        elif kind < 0.26:  # a bad input now and then
            name = f"{site}/{i:06d}.txt"
            (out / name).write_bytes(bytes(rnd.randrange(256) for _ in range(2000)))
            t = {"authored": [], "boilerplate": [], "bad": True}
        else:
            enc = rnd.choice(ENCODINGS)
            name = f"{site}/{i:06d}.txt"
            (out / name).write_bytes("\n".join(lines).encode(enc, errors="ignore"))
        truth[name] = t
        written += 1
    return written


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n_docs", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    print(f"wrote {make(a.n_docs, a.out, a.seed)} files to {a.out}")
