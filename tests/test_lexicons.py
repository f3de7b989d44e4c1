"""docclean.repair.lexicons: the built typo tables, cached per machine, give the same repairs."""

from __future__ import annotations

import json
import os
import subprocess
import sys

PARAS = ["在县委、县正府的领导下，深入推进筒政放权改革", "我们要再接再励，真正学深悟透、融汇贯通。",
         "截止目前，已完成XX县的检查", "Annual report 2023"]

CODE = (
    "import json, sys\n"
    "import docclean.run.warm as w\n"
    "from docclean import rules\n"
    "from docclean.repair.paragraph import repair_many\n"
    f"out = repair_many({PARAS!r}, rules.load().repair)\n"
    "print(json.dumps([w.STATUS, [(r.text, [e.as_row() for e in r.edits]) for r in out]], ensure_ascii=False))\n"
)


def _run(cache: str) -> tuple[str, list]:
    env = {**os.environ, "DOCCLEAN_CACHE": cache}
    r = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    status, result = json.loads(r.stdout.strip().splitlines()[-1])
    return status, result


def test_tables_are_built_cached_then_loaded_with_the_same_repairs(tmp_path):
    cache = tmp_path / "cache"
    built = _run(str(cache))
    [pickled] = list(cache.glob("lexicons-*.pickle"))
    loaded = _run(str(cache))
    off = _run("off")
    assert (built[0], loaded[0], off[0]) == ("built", "loaded", "built")
    assert built[1] == loaded[1] == off[1]
    assert [t for t, _ in loaded[1]][:2] == ["在县委、县政府的领导下，深入推进简政放权改革",
                                            "我们要再接再厉，真正学深悟透、融会贯通。"]
    # A damaged cache file is rebuilt, never trusted or fatal.
    pickled.write_bytes(pickled.read_bytes()[:1000])
    again = _run(str(cache))
    assert again == built
    assert _run(str(cache))[0] == "loaded"


def test_the_scorers_character_sets_hold_one_object_per_character():
    """follows/precedes hold every second character of ~400k words: one string object per
    character, not one per word (some 35 MB of copies in every run)."""
    from docclean.repair import confusion

    sc = confusion.scorer()
    chars = [c for table in (sc.follows, sc.precedes) for s in table.values() for c in s]
    assert len(chars) > 100_000
    assert len({id(c) for c in chars}) == len(set(chars))


def test_the_cached_scorer_leaves_out_the_zipf_table_and_builds_it_again_when_asked(tmp_path):
    """With the word-level stage off, nothing reads the Zipf table at run time: the cached
    scorer leaves it out (some 30 MB in every worker), and a stage that asks for it (a rules
    pack that switches the word-level stage on) gets it built again, the same."""
    code = ("import pickle, sys\n"
            "from docclean import rules\n"
            "from docclean.repair import confusion, lexicons\n"
            "lexicons.preload(rules.load().repair)\n"
            "[p] = lexicons.cache_dir().glob('lexicons-*.pickle')\n"
            "sc = pickle.load(open(p, 'rb'))[('scorer',)]\n"
            "fresh = confusion._build_scorer()\n"
            "print(sc._zipf is None, sc.zipf == fresh.zipf, len(sc.zipf) > 500_000)\n")
    env = {**os.environ, "DOCCLEAN_CACHE": str(tmp_path / "cache")}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.split() == ["True", "True", "True"]
