"""The typo lexicons, built from the data files once per machine, loaded fast after.

Building the repair stage's tables (the vocabulary, the scorer with its pair table and
word set, the set-phrase matcher, the idiom automaton) from ``data/`` takes about 4 s:
half a million lines parsed into dicts and sets. Every run that repairs pays it before
its first document, in the workers' preload (docclean.run.warm), where it is the longest
part of a small run. A pickle of the built objects loads in well under half that.

The pickle is a derived file, never data: it lives in the user's cache folder
(``$DOCCLEAN_CACHE``, else ``$XDG_CACHE_HOME/docclean``, else ``~/.cache/docclean``),
is named by a digest of everything it was built from (the data files, the modules that
build the tables, the settings, Python's and NumPy's versions), is written atomically,
and is rebuilt when missing or unreadable. ``DOCCLEAN_CACHE=off`` switches it off.
Only this user's own cache folder is read: a pickle can run code when loaded.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data"
_BUILDERS = [Path(__file__).with_name(n) for n in ("confusion.py", "typos.py", "lexicons.py")]

_preloaded: dict[Any, Any] = {}


def take(key: Any) -> Any | None:
    """A table ``preload`` loaded, handed over once (the caller's own cache keeps it)."""
    return _preloaded.pop(key, None)


def cache_dir() -> Path | None:
    env = os.environ.get("DOCCLEAN_CACHE", "")
    if env.lower() in ("off", "0", "no", "false"):
        return None
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "docclean"


def _path(settings: tuple) -> Path | None:
    d = cache_dir()
    if d is None:
        return None
    import numpy

    h = hashlib.sha256(repr((settings, sys.version, numpy.__version__)).encode())
    for p in sorted(DATA.iterdir()) + _BUILDERS:
        if p.is_file():
            h.update(p.name.encode())
            h.update(p.read_bytes())
    return d / f"lexicons-{h.hexdigest()[:20]}.pickle"


def preload(repair_rules) -> str:
    """Make the tables ``repair_rules`` use ready: from the cache when it has them (then
    ``scorer()``, ``set_phrases()`` … take them on first call), else built and cached.
    Returns what was done: "loaded", "built" or "built, not cached: <why>"."""
    from docclean.repair import confusion, typos

    c = repair_rules.confusion
    settings = (repair_rules.idiom_min_ratio, None if c is None else
                (c.max_context_logp, c.word_min_zipf, c.min_cover_zipf, c.word_min_gain > 0))
    path = _path(settings)
    if path is not None and path.is_file():
        try:
            with open(path, "rb") as fh:
                _preloaded.update(pickle.load(fh))
            return "loaded"
        except Exception:  # a partial or foreign file: build anew, and replace it
            _preloaded.clear()
    tables: dict[Any, Any] = {
        ("vocabulary",): typos.vocabulary(),
        ("phrase_lexicon", repair_rules.idiom_min_ratio): typos.phrase_lexicon(repair_rules.idiom_min_ratio),
    }
    if c is not None:
        sc = confusion.scorer()
        sc._pairs(c.max_context_logp, c.word_min_zipf, c.min_cover_zipf, c.word_min_gain > 0)
        sc._cover(c.min_cover_zipf)
        tables[("set_phrases",)] = typos.set_phrases()
        if c.word_min_gain <= 0:
            sc.release_zipf()  # (the word-level stage is off: nothing reads it at run time)
        tables[("scorer",)] = sc  # with its memos, the pair table and the word set
    if path is None:
        return "built"
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".lexicons-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:  # one pickle: the objects' shared parts stay shared
            pickle.dump(tables, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # readers see the old file or the whole new one
        for old in path.parent.glob("lexicons-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
        return f"built, not cached: {exc}"
    return "built"
